"""Test doubles for infrastructure we do not own (an SMTP server that is down)."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Máy chủ thư không phản hồi")
