"""Reminders a reviewer sends from the appraisal queue to the agencies of selected dossiers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cycle import Dossier


class DossierReminder(models.Model):
    """Nhắc nhở — one reminder about one dossier, sent to its agency's staff and head: in the portal
    to each of them, and by e-mail to those who receive e-mail. Kept as the record of who reminded
    whom, when, and with what words."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("dossier"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    notified = models.PositiveSmallIntegerField(_("people notified in the portal"), default=0)
    emailed = models.PositiveSmallIntegerField(_("e-mails to send"), default=0)
    # Claimed by the one run that sends the e-mails (a repeated task sends nothing).
    emailed_at = models.DateTimeField(_("e-mails sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder about a dossier")
        verbose_name_plural = _("reminders about dossiers")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["dossier", "-sent_at"], name="dossier_reminder_latest")]

    def __str__(self) -> str:
        return self.title
