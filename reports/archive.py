"""The documents generated for a period, kept for people to find again: which of them a person may
see (the list page), and which the retention policy keeps (the nightly prune deletes the rest).
Read-only; `services.reports_prune` does the deleting."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from portal.models import User
from scoring.models import Phase, ScoringPeriod

from .models import GeneratedReport

State = GeneratedReport.State


def documents_for(*, period: ScoringPeriod, user: User) -> list[GeneratedReport]:
    """The period's documents `user` may open, newest first: the province's documents (the caller
    has checked that the period's ranking is theirs) and the score sheets of the agencies whose
    detail they may read (scoring.view_dossier_detail, as the sheet itself), never another's."""
    rows = (
        GeneratedReport.objects.filter(period=period)
        .select_related("requested_by", "dossier__period", "dossier__agency", "dossier__agency_version")
        .order_by("-created_at", "-pk")
    )
    return [r for r in rows if r.dossier_id is None or user.has_perm("scoring.view_dossier_detail", r.dossier)]


def documents_to_prune() -> QuerySet[GeneratedReport]:
    """What the retention policy lets go: of each document (period, kind, and agency for a score
    sheet) all but the REPORT_KEEP_LAST newest, except jobs still pending or running and the
    decisions of a final period (the record of what was decided)."""
    ranked = GeneratedReport.objects.annotate(
        newer=Window(
            RowNumber(),
            partition_by=[F("period_id"), F("kind"), F("scope")],
            order_by=[F("created_at").desc(), F("pk").desc()],
        )
    )
    old = ranked.filter(newer__gt=settings.REPORT_KEEP_LAST, state__in=(State.DONE, State.FAILED)).values_list(
        "pk", flat=True
    )
    kept_for_the_record = GeneratedReport.objects.filter(
        kind=GeneratedReport.Kind.DECISION, period__phase=Phase.FINAL
    ).values("pk")
    return GeneratedReport.objects.filter(pk__in=list(old)).exclude(pk__in=kept_for_the_record)
