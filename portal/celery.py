"""The Celery app. Periodic schedules live here, in code, and nowhere else (no DB scheduler)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # A heartbeat so an operator can see beat → broker → worker is alive (logged by the worker).
    "portal-heartbeat": {"task": "portal.tasks.heartbeat", "schedule": crontab(minute="*/15")},
    # Every minute: cheap when nothing is due (one query), and a reminder goes out within a minute.
    "plans-reminder-sweep": {"task": "plans.tasks.reminder_sweep", "schedule": crontab(minute="*")},
    "scoring-phase-switch": {"task": "scoring.tasks.phase_switch", "schedule": crontab(minute="*/10")},
}
