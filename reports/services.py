"""Generating documents: requested once per content, rendered in a Celery task, served until the data changes."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from portal.models import User
from scoring.models import Dossier, ScoringPeriod

from . import pdf
from .models import GeneratedReport


def report_request(
    *, period: ScoringPeriod, kind: str, dossier: Dossier | None = None, by: User | None
) -> GeneratedReport:
    """Returns the stored document for the current data, or queues its generation (exactly once)."""
    context = pdf.document_context(kind, period, dossier)
    digest = pdf.content_hash(kind, context)
    scope = str(dossier.pk) if dossier else ""
    existing = GeneratedReport.objects.filter(period=period, kind=kind, scope=scope, content_hash=digest).first()
    if existing and existing.state != GeneratedReport.State.FAILED:
        return existing
    if existing:
        existing.delete()
    try:
        with transaction.atomic():
            report = GeneratedReport.objects.create(
                period=period, kind=kind, dossier=dossier, scope=scope, content_hash=digest, requested_by=by
            )
    except IntegrityError:
        return GeneratedReport.objects.get(period=period, kind=kind, scope=scope, content_hash=digest)
    from .tasks import generate_report

    transaction.on_commit(lambda: generate_report.delay(report.pk))
    return report


def report_generate(*, report_id: int) -> GeneratedReport:
    """Renders the document; progress is visible while it runs; a failure stays visible."""
    claimed = GeneratedReport.objects.filter(pk=report_id, state=GeneratedReport.State.PENDING).update(
        state=GeneratedReport.State.RUNNING, progress=10
    )
    report = GeneratedReport.objects.select_related("period__province", "dossier").get(pk=report_id)
    if not claimed:
        return report
    try:
        context = pdf.document_context(report.kind, report.period, report.dossier)
        GeneratedReport.objects.filter(pk=report_id).update(progress=40)
        content = pdf.render_pdf(report.kind, context)
        GeneratedReport.objects.filter(pk=report_id).update(progress=90)
        name = f"{report.kind}-{report.period.year}{'-' + report.scope if report.scope else ''}.pdf"
        report.file.save(name, ContentFile(content), save=False)
        report.state, report.progress = GeneratedReport.State.DONE, 100
        report.save(update_fields=["file", "state", "progress"])
    except Exception as error:
        GeneratedReport.objects.filter(pk=report_id).update(state=GeneratedReport.State.FAILED, error=str(error)[:2000])
        raise
    return report
