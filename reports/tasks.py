"""Celery tasks of the reports app: thin wrappers; the services decide what is left to do."""

from celery import shared_task

from . import services

SOFT_LIMIT, HARD_LIMIT = services.time_limits()


# The soft limit lets the service record "took too long"; the hard limit kills a run that ignores it.
@shared_task(bind=True, soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def generate_report(self, report_id: int, attempt: int | None = None) -> str:
    # The limits the message was sent with (the requesting side's settings), else the task's own.
    _hard, soft = self.request.timelimit or (None, None)
    return services.report_generate(report_id=report_id, attempt=attempt, soft_limit=soft or SOFT_LIMIT)


@shared_task
def reports_expire() -> int:
    """Fails, with their reason, documents whose job can no longer finish (beat runs this every minute)."""
    return services.reports_expire()


# Deleting a few hundred rows and files takes seconds; the limits only stop a run that hangs on storage.
@shared_task(soft_time_limit=240, time_limit=300)
def reports_prune() -> int:
    """Deletes the documents the retention policy does not keep (beat runs this every night)."""
    return services.reports_prune()
