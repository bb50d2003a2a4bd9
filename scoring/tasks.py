"""Celery tasks of the scoring app."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services


@shared_task
def phase_switch() -> int:
    """Moves periods to the phase their dates say (beat runs it every 10 minutes)."""
    return len(services.period_auto_switch(day=timezone.localdate()))


@shared_task(soft_time_limit=60, time_limit=90)
def receipt_mail(receipt_id: int) -> int:
    """Sends a submission's receipt to the agency's people (once: the service claims the row)."""
    from .services.receipts import receipt_send

    return receipt_send(receipt_id=receipt_id)


@shared_task(soft_time_limit=settings.REMINDER_TIME_LIMIT * 0.8, time_limit=settings.REMINDER_TIME_LIMIT)
def dossier_reminders_email(reminder_ids: list[int]) -> int:
    """Sends the e-mails of a bulk reminder from the appraisal queue, each reminder's once."""
    return sum(services.dossier_reminder_email_send(reminder_id=pk) for pk in reminder_ids)


@shared_task(soft_time_limit=120, time_limit=180)
def committee_deadline_remind() -> int:
    """Reminds the QCDC scoring bodies of the steering committee's deadline (beat: hourly)."""
    from .services.committee import committee_deadline_remind as remind

    return remind(day=timezone.localdate())
