"""The appraisal queue: the dossiers a reviewer or co-reviewer works through, with their progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from portal.models import User
from portal.text import vi_sort_key

from ..engine.tree import resolve_scorers
from ..models import AppraisalMark, Dossier, Explanation, ScoringPeriod
from .dossier import marks_criterion, scorer_codes_for
from .regulations import criteria_set_spec


@dataclass(frozen=True)
class QueueRow:
    """One dossier of the queue: how many criteria the user marks on it, how many they have."""

    dossier: Dossier
    to_mark: int
    marked: int
    pending_explanations: int

    @property
    def is_done(self) -> bool:
        return bool(self.to_mark) and self.marked >= self.to_mark


def appraisal_queue(*, period: ScoringPeriod, user: User, group_id=None, status=None, late=None) -> list[QueueRow]:
    """Dossiers a reviewer or co-reviewer works through, with their own progress on each."""
    dossiers = period.dossiers.select_related("agency_version", "group", "agency").exclude(agency_id=user.agency_id)
    if group_id:
        dossiers = dossiers.filter(group_id=group_id)
    if status:
        dossiers = dossiers.filter(status=status)
    if late is not None:
        dossiers = dossiers.filter(is_late=late)
    spec = criteria_set_spec(period.criteria_set)
    scorers = resolve_scorers(spec)
    mine = scorer_codes_for(user)
    my_codes = {n.code for n in spec.walk() if n.is_leaf and marks_criterion(user, scorers[n.code].all)}
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
    rows = [
        QueueRow(
            dossier=dossier,
            to_mark=len(my_codes),
            marked=marked.get(dossier.pk, 0),
            pending_explanations=pending_explanations.get(dossier.pk, 0),
        )
        for dossier in dossiers
    ]
    rows.sort(key=lambda r: (r.dossier.group.order, vi_sort_key(r.dossier.agency_version.name)))
    return rows
