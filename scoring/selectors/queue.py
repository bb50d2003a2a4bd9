"""The appraisal queue: the dossiers a reviewer or co-reviewer works through, with their progress,
searched without diacritics and sorted by any column; and the counts the home page shows of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.db.models import Count, Max, Q, QuerySet

from portal.models import User
from portal.text import search_folded, vi_sort_key

from ..models import AppraisalMark, Criterion, Dossier, Explanation, ScoringPeriod
from .dossier import criteria_set_for, marks_criterion, scorer_codes_for


@dataclass(frozen=True)
class QueueRow:
    """One dossier of the queue: how many criteria the user marks on it, how many they have."""

    dossier: Dossier
    to_mark: int
    marked: int
    pending_explanations: int
    last_reminded_at: dt.datetime | None = None
    openable: bool = False  # the user may open the dossier now (a draft opens once submitted)

    @property
    def is_done(self) -> bool:
        return bool(self.to_mark) and self.marked >= self.to_mark


@dataclass(frozen=True)
class QueueCounts:
    """How many dossiers a queue holds, how many are submitted, how many of those late."""

    total: int
    submitted: int
    late: int


def queue_dossiers(*, period: ScoringPeriod, user: User) -> QuerySet[Dossier]:
    """The dossiers of a user's queue: the period's (of the user's province, as the period is), but
    their own agency's — nobody appraises their own agency. A co-reviewer who is nothing more gets
    the dossiers of the sets it scores a criterion of (the Labour Federation: the enterprises)."""
    dossiers = period.dossiers.exclude(agency_id=user.agency_id) if user.agency_id else period.dossiers.all()
    if rules.test_rule("scoring.queue_of_scored_sets_only", user):
        # The sets with a criterion naming the user's agency as a scorer, in the same statement.
        scored = Criterion.objects.filter(scorers__agency_id=user.agency_id).values("criteria_set_id")
        dossiers = dossiers.filter(
            Q(criteria_set_id__in=scored) | Q(criteria_set__isnull=True, period__criteria_set_id__in=scored)
        )
    return dossiers


def dossier_counts(dossiers: QuerySet[Dossier]) -> QueueCounts:
    """Total, submitted and late dossiers of a set, in one query: the home page and the queue alike."""
    counts = dossiers.order_by().aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        late=Count("pk", filter=Q(is_late=True)),
    )
    return QueueCounts(**counts)


def queue_counts(*, period: ScoringPeriod, user: User) -> QueueCounts:
    """The counts of the user's whole queue (no filter), as the reviewer's home page shows them."""
    return dossier_counts(queue_dossiers(period=period, user=user))


def matches_search(name: str, search: str) -> bool:
    """Every word typed is in the name, marks and case aside ("so tu phap" → "Sở Tư pháp")."""
    folded = search_folded(name)
    return all(word in folded for word in search_folded(search).split())


def _status_key(row: QueueRow):
    d = row.dossier
    return (Dossier.Status.values.index(d.status), d.is_late)


def _progress_key(row: QueueRow):
    return (row.marked / row.to_mark if row.to_mark else 0, row.marked)


# Column → sort key; the agency's name (Vietnamese order) breaks ties.
QUEUE_SORTS: dict[str, Callable[[QueueRow], object]] = {
    "agency": lambda r: (),
    "group": lambda r: (r.dossier.group.order, vi_sort_key(r.dossier.group.name)),
    "status": _status_key,
    "submitted": lambda r: (r.dossier.submitted_at is None, r.dossier.submitted_at or dt.datetime.min),
    "progress": _progress_key,
    "explanations": lambda r: r.pending_explanations,
    "reminded": lambda r: (r.last_reminded_at is None, r.last_reminded_at or dt.datetime.min),
}
DEFAULT_SORT = "group"


def sort_queue(rows: list[QueueRow], sort: str) -> list[QueueRow]:
    """Rows sorted by a column ("submitted", or "-submitted" descending); an unknown column sorts by
    group. Empty values stay last either way."""
    column, descending = sort.removeprefix("-"), sort.startswith("-")
    if column not in QUEUE_SORTS:
        column, descending = DEFAULT_SORT, False
    by_name = sorted(rows, key=lambda r: vi_sort_key(r.dossier.agency_version.name), reverse=descending)
    if column == "agency":
        return by_name
    key = QUEUE_SORTS[column]
    ordered = sorted(by_name, key=key, reverse=descending)
    if column in ("submitted", "reminded") and descending:  # "not yet" stays below the dates
        ordered = [r for r in ordered if key(r)[0] is False] + [r for r in ordered if key(r)[0] is True]
    return ordered


def appraisal_queue(
    *, period: ScoringPeriod, user: User, dossiers: QuerySet[Dossier] | None = None, search: str = "", sort: str = ""
) -> list[QueueRow]:
    """Dossiers a reviewer or co-reviewer works through (`dossiers`, already filtered, or the
    whole queue), with their own progress on each, matching `search`, sorted by `sort`."""
    if dossiers is None:
        dossiers = queue_dossiers(period=period, user=user)
    dossiers = dossiers.select_related("agency_version", "group", "agency").annotate(
        last_reminded_at=Max("reminders__sent_at")
    )
    mine = scorer_codes_for(user)
    per_set: dict[int, int] = {}  # how many criteria of each of the period's sets the user marks

    def to_mark(dossier: Dossier) -> int:
        known = criteria_set_for(dossier)
        if known.pk not in per_set:
            leaves = (n for n in known.spec.walk() if n.is_leaf)
            per_set[known.pk] = sum(1 for n in leaves if marks_criterion(user, known.scorers[n.code].all))
        return per_set[known.pk]

    marked = dict(
        AppraisalMark.objects.filter(dossier__period=period, scorer__code__in=mine)
        .values_list("dossier_id")
        .annotate(n=Count("id"))
    )
    pending_explanations = dict(
        Explanation.objects.filter(dossier__period=period, decision=Explanation.Decision.PENDING)
        .values_list("dossier_id")
        .annotate(n=Count("id"))
    )

    def openable(dossier: Dossier) -> bool:
        dossier.period = period  # the predicate reads the period's phases: no query per row
        return user.has_perm("scoring.view_dossier", dossier)

    rows = [
        QueueRow(
            dossier=dossier,
            to_mark=to_mark(dossier),
            marked=marked.get(dossier.pk, 0),
            pending_explanations=pending_explanations.get(dossier.pk, 0),
            last_reminded_at=dossier.last_reminded_at,
            openable=openable(dossier),
        )
        for dossier in dossiers
        if not search or matches_search(dossier.agency_version.name, search)
    ]
    return sort_queue(rows, sort)
