"""Celery tasks of the plans app: thin wrappers; the services decide what is left to do."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from . import services

MAX_RETRIES = 5
# A send can never outlive REMINDER_STUCK_AFTER (checked at start-up), so a claim older than that
# is a dead worker's and the sweep may hand the row to another. The soft limit lets the task retry.
SEND_LIMITS = {"soft_time_limit": settings.REMINDER_TIME_LIMIT * 0.8, "time_limit": settings.REMINDER_TIME_LIMIT}


# Reminders travel in batches: a national deadline day is tens of thousands of them, and one
# message (and one SMTP session) per reminder would flood the broker and the mail server.
BATCH_SIZE = 50
# A batch stops itself in time and hands the rest on, so no claim outlives REMINDER_STUCK_AFTER.
BATCH_LIMITS = {"soft_time_limit": settings.REMINDER_TIME_LIMIT * 0.8, "time_limit": settings.REMINDER_TIME_LIMIT}


@shared_task
def reminder_sweep(day: str | None = None) -> int:
    """Plans today's reminders (and catches up missed days) into the outbox and queues each waiting
    one that is not on the queue yet (beat runs this every minute); returns how many were queued.
    A sweep that starts while another runs leaves the work to it."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    with services.sweep_lock(day=today) as acquired:
        if not acquired:
            return 0
        services.reminders_create(day=today)
        services.digests_create(day=today)
        reminder_ids = services.reminders_to_queue(day=today)
        digest_ids = services.digests_to_queue(day=today)

    def enqueue():
        for start in range(0, len(reminder_ids), BATCH_SIZE):
            send_reminder_batch.delay(reminder_ids[start : start + BATCH_SIZE])
        for pk in digest_ids:
            send_digest.delay(pk)

    transaction.on_commit(enqueue)
    return len(reminder_ids) + len(digest_ids)


@shared_task(**BATCH_LIMITS)
def send_reminder_batch(reminder_ids: list[int]) -> int:
    """Sends a batch over one SMTP session; a reminder that fails is retried alone (send_reminder),
    and what the time limit leaves is queued again as a new batch. Returns how many were sent."""
    sent = 0
    try:
        with mail.get_connection() as connection:
            for index, pk in enumerate(reminder_ids):
                try:
                    sent += (
                        services.reminder_send(reminder_id=pk, retry_in=_backoff(0), connection=connection) == "sent"
                    )
                except SoftTimeLimitExceeded:
                    send_reminder_batch.delay(reminder_ids[index:])  # this one is pending again or unclaimed
                    break
                except Exception:  # noqa: BLE001 — the row is pending again with its error; retry it alone
                    send_reminder.apply_async((pk,), countdown=_backoff(0).total_seconds())
    except SoftTimeLimitExceeded:
        pass  # the SMTP session's close took the rest of the time; unsent rows are re-queued by the sweep
    return sent


def _backoff(retries: int) -> dt.timedelta:
    # 1, 2, 4, 8, 16 minutes: an SMTP server that is down for a while still gets the mail.
    return dt.timedelta(minutes=2**retries)


@shared_task(bind=True, max_retries=MAX_RETRIES, **SEND_LIMITS)
def send_reminder(self, reminder_id: int) -> str:
    retry_in = _backoff(self.request.retries)
    try:
        return services.reminder_send(reminder_id=reminder_id, retry_in=retry_in)
    except Exception as error:
        if self.request.retries >= MAX_RETRIES:
            services.reminder_give_up(reminder_id=reminder_id, error=str(error))
            return "failed"
        raise self.retry(exc=error, countdown=retry_in.total_seconds()) from error


@shared_task(bind=True, max_retries=MAX_RETRIES, **SEND_LIMITS)
def send_digest(self, digest_id: int) -> str:
    retry_in = _backoff(self.request.retries)
    try:
        return services.digest_send(digest_id=digest_id, retry_in=retry_in)
    except Exception as error:
        if self.request.retries >= MAX_RETRIES:
            from .models import Digest, Reminder

            Digest.objects.filter(pk=digest_id).update(state=Reminder.State.FAILED, last_error=str(error)[:1000])
            return "failed"
        raise self.retry(exc=error, countdown=retry_in.total_seconds()) from error
