"""Celery tasks of the plans app: thin wrappers; the services decide what is left to do."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import services

MAX_RETRIES = 5


@shared_task
def reminder_sweep(day: str | None = None) -> int:
    """Plans today's reminders into the outbox and queues each one (beat runs this every minute)."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    reminder_ids = services.reminders_create(day=today)
    digest_ids = services.digests_create(day=today)

    def enqueue():
        for pk in reminder_ids:
            send_reminder.delay(pk)
        for pk in digest_ids:
            send_digest.delay(pk)

    transaction.on_commit(enqueue)
    return len(reminder_ids) + len(digest_ids)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_reminder(self, reminder_id: int) -> str:
    try:
        return services.reminder_send(reminder_id=reminder_id)
    except Exception as error:
        if self.request.retries >= MAX_RETRIES:
            services.reminder_give_up(reminder_id=reminder_id, error=str(error))
            return "failed"
        # 1, 2, 4, 8, 16 minutes: an SMTP server that is down for a while still gets the mail.
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_digest(self, digest_id: int) -> str:
    try:
        return services.digest_send(digest_id=digest_id)
    except Exception as error:
        if self.request.retries >= MAX_RETRIES:
            from .models import Digest, Reminder

            Digest.objects.filter(pk=digest_id).update(state=Reminder.State.FAILED, last_error=str(error)[:1000])
            return "failed"
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
