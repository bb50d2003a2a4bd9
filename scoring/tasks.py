"""Celery tasks of the scoring app."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def phase_switch() -> int:
    """Moves periods to the phase their dates say (beat runs it every 10 minutes)."""
    return len(services.period_auto_switch(day=timezone.localdate()))
