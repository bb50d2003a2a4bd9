"""The Celery app. Periodic schedules live here, in code, and nowhere else (no DB scheduler)."""

import os

from celery import Celery, Task
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class ScopedTask(Task):
    """Every task acts for the whole installation: province scopes (portal/scopes.py) are off inside it.

    A task that works for one province filters by it itself, as the services it calls already do.
    """

    def __call__(self, *args, **kwargs):
        from django_scopes import scopes_disabled

        with scopes_disabled():
            return super().__call__(*args, **kwargs)


app = Celery("portal", task_cls=ScopedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # A heartbeat so an operator can see beat → broker → worker is alive (logged by the worker).
    "portal-heartbeat": {"task": "portal.tasks.heartbeat", "schedule": crontab(minute="*/15")},
    # Every minute: cheap when nothing is due (one query), and a reminder goes out within a minute.
    "plans-reminder-sweep": {"task": "plans.tasks.reminder_sweep", "schedule": crontab(minute="*")},
    # Every minute: a document whose job died or was never started is shown failed (and can be
    # requested again) even when nobody is watching its page.
    "reports-expire": {"task": "reports.tasks.reports_expire", "schedule": crontab(minute="*")},
    # Every night: generated documents beyond the retention policy (REPORT_KEEP_LAST) are deleted.
    "reports-prune": {"task": "reports.tasks.reports_prune", "schedule": crontab(hour=2, minute=30)},
    "scoring-phase-switch": {"task": "scoring.tasks.phase_switch", "schedule": crontab(minute="*/10")},
    # Hourly: QCDC scoring bodies reminded of the steering committee's deadline (once per reminder).
    "scoring-committee-deadline": {"task": "scoring.tasks.committee_deadline_remind", "schedule": crontab(minute=7)},
}
