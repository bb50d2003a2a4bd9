"""Generating documents: requested once per content, rendered in a Celery task, served until the data changes.

A request always ends, within a bounded time, either ready or failed with a stated reason
(GeneratedReport.Failure): never queued, never started, worker gone, too long, or an error. A failed
document can be requested again; every write of a run holds only while that run still owns its
attempt, so an old run that comes back late changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from portal.models import User
from scoring.models import Dossier, ScoringPeriod

from . import archive, pdf, word
from .models import GeneratedReport

logger = logging.getLogger(__name__)
State, Failure = GeneratedReport.State, GeneratedReport.Failure
# The worker is killed this long after the soft limit asked the task to stop.
HARD_LIMIT_GRACE = 15


def time_limits() -> tuple[int, int]:
    """(soft, hard) seconds a generation may run (the Celery task's limits)."""
    return settings.REPORT_TIME_LIMIT, settings.REPORT_TIME_LIMIT + HARD_LIMIT_GRACE


def _expiry_rules(now: dt.datetime) -> list[tuple[str, Q]]:
    # Order matters: a run past the hard limit is reported as too long even if it also went silent.
    seconds = dt.timedelta(seconds=1)
    return [
        (Failure.NOT_STARTED, Q(state=State.PENDING, requested_at__lt=now - settings.REPORT_START_TIMEOUT * seconds)),
        (Failure.TIME_LIMIT, Q(state=State.RUNNING, started_at__lt=now - time_limits()[1] * seconds)),
        (Failure.WORKER_LOST, Q(state=State.RUNNING, updated_at__lt=now - settings.REPORT_HEARTBEAT_TIMEOUT * seconds)),
    ]


def reports_expire(*, ids: Iterable[int] | None = None) -> int:
    """Marks failed, with its reason, every document whose job can no longer finish; returns how many.

    The one place that decides staleness: the status page asks it for its document, beat for all.
    """
    now = timezone.now()
    rows = GeneratedReport.objects.all() if ids is None else GeneratedReport.objects.filter(pk__in=list(ids))
    expired = 0
    for failure, condition in _expiry_rules(now):
        # Conditional on the state read in the same statement, so a job finishing now is never overwritten.
        expired += rows.filter(condition).update(state=State.FAILED, failure=failure, updated_at=now)
    return expired


def report_refresh(*, report: GeneratedReport) -> GeneratedReport:
    """The document with its state brought up to date (a dead job shows failed now, not at the next sweep)."""
    if report.state in (State.PENDING, State.RUNNING) and reports_expire(ids=[report.pk]):
        report.refresh_from_db()
    return report


def _enqueue(report_id: int, attempt: int) -> None:
    from .tasks import generate_report

    soft, hard = time_limits()  # sent with the message: the bounds this side expires the row by
    try:
        generate_report.apply_async(
            (report_id, attempt),
            soft_time_limit=soft,
            time_limit=hard,
            # Nobody waits for the result (the row is the result), so no result-store subscription
            # either: with Redis down it would retry for ~20 s before failing.
            ignore_result=True,
            retry_policy={"max_retries": 2, "interval_step": 0.2},
        )
    except Exception:
        # Whatever the broker said (down, refused, timed out), nothing will run this attempt.
        logger.exception("Document %s: the job queue did not accept the request", report_id)
        GeneratedReport.objects.filter(pk=report_id, attempt=attempt, state=State.PENDING).update(
            state=State.FAILED, failure=Failure.NOT_QUEUED, updated_at=timezone.now()
        )


def report_request(
    *, period: ScoringPeriod, kind: str, dossier: Dossier | None = None, by: User | None
) -> GeneratedReport:
    """Returns the stored document for the current data, or queues its generation (exactly once).

    A failed document (or one whose job has just been found dead) is requested again as a new attempt.
    """
    context = pdf.document_context(kind, period, dossier)
    digest = pdf.content_hash(kind, context)
    scope = str(dossier.pk) if dossier else ""
    existing = GeneratedReport.objects.filter(period=period, kind=kind, scope=scope, content_hash=digest).first()
    if existing:
        report_refresh(report=existing)
        now = timezone.now()
        # Two "try again" clicks at once: the conditional update lets one of them start the new attempt.
        retried = GeneratedReport.objects.filter(pk=existing.pk, state=State.FAILED).update(
            state=State.PENDING,
            attempt=F("attempt") + 1,
            progress=0,
            failure="",
            error="",
            requested_by=by,
            requested_at=now,
            started_at=None,
            updated_at=now,
        )
        existing.refresh_from_db()
        if not retried:
            return existing
        report = existing
    else:
        try:
            with transaction.atomic():
                report = GeneratedReport.objects.create(
                    period=period,
                    kind=kind,
                    dossier=dossier,
                    scope=scope,
                    content_hash=digest,
                    version=_next_version(period=period, kind=kind, scope=scope),
                    requested_by=by,
                )
        except IntegrityError:
            return GeneratedReport.objects.get(period=period, kind=kind, scope=scope, content_hash=digest)
    report_id, attempt = report.pk, report.attempt
    transaction.on_commit(lambda: _enqueue(report_id, attempt))
    return report


def _next_version(*, period: ScoringPeriod, kind: str, scope: str) -> int:
    # Shown to people, not a key: two new contents requested in the same instant may share a number.
    latest = GeneratedReport.objects.filter(period=period, kind=kind, scope=scope).aggregate(n=Max("version"))["n"]
    return (latest or 0) + 1


@contextmanager
def _heartbeat(rows: QuerySet) -> Iterator[None]:
    """Touches `updated_at` while the block runs, so a silent row means a dead worker.

    A thread, because rendering is one long call; it has its own connection and closes it.
    """
    every = max(0.5, settings.REPORT_HEARTBEAT_TIMEOUT / 3)
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    rows.update(updated_at=timezone.now())
                except DatabaseError:
                    logger.warning("Document heartbeat not recorded", exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=beat, name="report-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every)


def report_generate(*, report_id: int, attempt: int | None = None, soft_limit: float | None = None) -> str:
    """Renders the document if this run claims its attempt; returns the state it left, or "skipped".

    Progress and a heartbeat are visible while it runs; a failure stays visible with its reason.
    `soft_limit` (seconds) is the limit the job was queued with: Celery interrupts the run when it
    passes, but a renderer may swallow that interrupt (WeasyPrint logs and skips a font or stylesheet
    whose loading raised), so the clock is also read between steps.
    """
    now = timezone.now()
    clock = time.monotonic()

    def step(progress: int) -> None:
        if soft_limit is not None and time.monotonic() - clock > soft_limit:
            raise SoftTimeLimitExceeded(soft_limit)
        mine.update(progress=progress, updated_at=timezone.now())

    this_attempt = GeneratedReport.objects.filter(pk=report_id)
    if attempt is not None:  # messages queued before attempts existed carry none
        this_attempt = this_attempt.filter(attempt=attempt)
    claimed = this_attempt.filter(state=State.PENDING).update(
        state=State.RUNNING, progress=10, started_at=now, updated_at=now
    )
    if not claimed:
        return "skipped"  # done, failed, retried since, or another run has it
    report = GeneratedReport.objects.select_related("period__province", "dossier").get(pk=report_id)
    mine = GeneratedReport.objects.filter(pk=report_id, attempt=report.attempt, state=State.RUNNING)
    try:
        with _heartbeat(mine):
            context = pdf.document_context(report.kind, report.period, report.dossier)
            step(40)
            content = pdf.render_pdf(report.kind, context)
            step(80)
            # The Word file of the same context (records clerks finish the decision and proposal in Word).
            docx = word.render_docx(report.kind, context) if report.kind in word.DOCX_KINDS else None
            step(90)
        name = f"{report.kind}-{report.period.year}{'-' + report.scope if report.scope else ''}"
        report.file.save(f"{name}.pdf", ContentFile(content), save=False)
        if docx is not None:
            report.docx.save(f"{name}.docx", ContentFile(docx), save=False)
        files = {"file": report.file.name, "docx": report.docx.name or ""}
        if not mine.update(**files, state=State.DONE, progress=100, updated_at=timezone.now()):
            _delete_files(report)  # declared dead meanwhile: the failure shown stays true
            return "skipped"
    except SoftTimeLimitExceeded:
        mine.update(state=State.FAILED, failure=Failure.TIME_LIMIT, updated_at=timezone.now())
        return State.FAILED
    except Exception as error:
        mine.update(state=State.FAILED, failure=Failure.ERROR, error=str(error)[:2000], updated_at=timezone.now())
        raise
    return State.DONE


def _delete_files(report: GeneratedReport) -> None:
    for field in (report.file, report.docx):
        if field:
            field.delete(save=False)


def reports_prune() -> int:
    """Deletes the documents the retention policy does not keep (`archive.documents_to_prune`),
    rows then files; returns how many. A file goes only once its row is gone, so no row points at
    a missing file (a crash in between leaves an unreferenced file at worst)."""
    pruned = 0
    for report in archive.documents_to_prune():
        # Conditional on what was read: a failed document asked for again meanwhile is a new attempt, kept.
        deleted, _ = GeneratedReport.objects.filter(
            pk=report.pk, attempt=report.attempt, state__in=(State.DONE, State.FAILED)
        ).delete()
        if deleted:
            pruned += 1
            transaction.on_commit(lambda report=report: _delete_files(report))
    return pruned
