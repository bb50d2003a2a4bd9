"""Lookups of the assessment cycle and the data of a dossier, loaded once for the pages and the
engine; with the one rule of who marks a criterion."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Agency, AgencyVersion, Province, User
from portal.rules import is_reviewer

from ..engine import CriterionInput, DossierInput, Mark
from ..engine.types import CriteriaSetSpec, CriterionSpec, NodeKind, Scorers
from ..models import (
    Adjustment,
    AppraisalMark,
    CriteriaSet,
    Criterion,
    CriterionScore,
    Dossier,
    Evidence,
    EvidenceRequest,
    Explanation,
    IndexValue,
    Phase,
    ScoringPeriod,
)
from .regulations import CriteriaSetData, criteria_set_data

AUTO_SCORER = "he-thong"  # marks the portal fills in (deliverable timeliness, imported indexes)


def periods_of(*, province: Province) -> QuerySet[ScoringPeriod]:
    return ScoringPeriod.objects.filter(province=province).select_related("criteria_set__regulation")


def current_period(*, province: Province, program: str = "dvcq") -> ScoringPeriod | None:
    """The period people work on: the newest one not final, else the newest."""
    periods = periods_of(province=province).filter(program=program).order_by("-year")
    return periods.exclude(phase=Phase.FINAL).first() or periods.first()


def dossier_of(*, period: ScoringPeriod, agency: Agency) -> Dossier | None:
    return (
        Dossier.objects.filter(period=period, agency=agency).select_related("period", "agency_version", "group").first()
    )


def criteria_set_for(dossier: Dossier) -> CriteriaSetData:
    """The criteria set the dossier is scored against: the one of its period's sets that names its
    group (`Dossier.criteria_set`, set when the dossier opens), else the period's own. From memory:
    no query beyond the dossier's period. Every page, save and ranking of a dossier asks this."""
    return criteria_set_data(dossier.criteria_set_id or dossier.period.criteria_set_id)


def spec_for(dossier: Dossier) -> CriteriaSetSpec:
    """The engine's view of the dossier's criteria set (criteria_set_for)."""
    return criteria_set_for(dossier).spec


def set_for_group(sets: list[tuple[CriteriaSet, tuple[str, ...]]], group_code: str) -> CriteriaSet | None:
    """Of a period's sets (`ScoringPeriod.sets()`), the one that applies to the group: the set that
    names it, else the first that names no group (it applies to all); None when none applies."""
    for criteria_set, groups in sets:
        if group_code in groups:
            return criteria_set
    return next((criteria_set for criteria_set, groups in sets if not groups), None)


def period_sets_problems(sets: list[tuple[CriteriaSet, tuple[str, ...]]]) -> list[str]:
    """What is wrong with a period's sets: a set given twice, a group named by two sets (an agency
    would be scored twice), sets of two regulations of different provinces."""
    problems, seen_sets, seen_groups = [], set(), {}
    for criteria_set, groups in sets:
        if criteria_set.pk in seen_sets:
            problems.append(_("The criteria set %(set)s is given twice.") % {"set": criteria_set.library_code})
        seen_sets.add(criteria_set.pk)
        for group in groups:
            if group in seen_groups:
                problems.append(
                    _("The group %(group)s is named by two criteria sets: %(first)s and %(second)s.")
                    % {"group": group, "first": seen_groups[group], "second": criteria_set.library_code}
                )
            seen_groups.setdefault(group, criteria_set.library_code)
    if len({cs.regulation.province_id for cs, _groups in sets}) > 1:
        problems.append(_("The criteria sets belong to different provinces."))
    return problems


def band_labels(dossier: Dossier) -> dict[str, str]:
    """Label of each class (band) of the dossier's criteria set, by code."""
    return criteria_set_for(dossier).band_labels


def index_value(*, agency: Agency, source: str, year: int) -> Decimal | None:
    value = (
        IndexValue.objects.filter(agency=agency, source__iexact=source, year=year)
        .values_list("value", flat=True)
        .first()
    )
    return value


# --- engine input -------------------------------------------------------------------------------


def engine_input(
    dossier: Dossier,
    spec: CriteriaSetSpec,
    *,
    scores: dict[str, tuple[str, bool, bool]],
    marks: dict[str, list[tuple[str, str]]],
    adjustments: dict[str, str],
) -> DossierInput:
    """What the engine scores for a dossier: `scores` (code → self raw, not applicable, filled in by
    the portal), `marks` (code → (scorer, raw) in the order they were first saved), `adjustments`
    (code → raw). The one place that turns a dossier's rows into the engine's input."""
    inputs: dict[str, CriterionInput] = {}
    for code, (self_raw, not_applicable, is_automatic) in scores.items():
        given = tuple(Mark(scorer, raw) for scorer, raw in marks.get(code, ()))
        if is_automatic and self_raw and not given:
            given = (Mark(AUTO_SCORER, self_raw),)
        inputs[code] = CriterionInput(self_raw=self_raw or None, marks=given, not_applicable=not_applicable)
    for code, given in marks.items():
        if code not in inputs:
            inputs[code] = CriterionInput(marks=tuple(Mark(scorer, raw) for scorer, raw in given))
    items: dict[str, Any] = dict(adjustments)
    for penalty in spec.penalties:
        if penalty.params.get("auto_source") == "late_days" and dossier.late_days and penalty.code not in items:
            items[penalty.code] = dossier.late_days
    return DossierInput(
        key=dossier.agency.code,
        name=dossier.agency_version.name,
        group=dossier.group.code,
        inputs=inputs,
        adjustments=items,
        flags=frozenset(dossier.flags or []),
        has_dossier=dossier.submitted_at is not None,
        submitted_at=dossier.submitted_at,
    )


@dataclass
class DossierData:
    """Everything of one dossier the pages and the engine need, loaded in a fixed number of queries."""

    dossier: Dossier
    spec: CriteriaSetSpec
    criteria: dict[str, Criterion]
    scores: dict[str, CriterionScore]
    marks: dict[str, list[AppraisalMark]]
    evidence: dict[str, list[Evidence]]
    explanations: dict[str, list[Explanation]]
    requests: dict[str, list[EvidenceRequest]]
    adjustments: dict[str, Adjustment]
    scorers: dict[str, Scorers] = field(default_factory=dict)

    def engine_input(self, *, with_marks: bool = True) -> DossierInput:
        return engine_input(
            self.dossier,
            self.spec,
            scores={c: (s.self_raw, s.not_applicable, s.is_automatic) for c, s in self.scores.items()},
            marks={c: [(m.scorer.code, m.raw) for m in ms] for c, ms in self.marks.items()} if with_marks else {},
            adjustments={code: a.raw for code, a in self.adjustments.items()},
        )


def _by_code(rows, by_pk: dict[int, Criterion]) -> dict[str, list]:
    grouped = defaultdict(list)
    for row in _with_criterion(rows, by_pk):
        grouped[row.criterion.code].append(row)
    return grouped


def _with_criterion(rows, by_pk: dict[int, Criterion]) -> list:
    """The rows of the set's criteria, each holding its criterion from the set in memory (no query
    per `row.criterion`). Rows on criteria of another set — kept when the period moved to a newer
    version and they could not carry over (services.period_change_version) — are not the set's."""
    kept = []
    for row in rows:
        criterion = by_pk.get(row.criterion_id)
        if criterion is not None:
            row.criterion = criterion
            kept.append(row)
    return kept


def marks_with_names(marks: QuerySet[AppraisalMark]) -> QuerySet[AppraisalMark]:
    """Marks with their scorer (`scorer.code`) and the scorer's name of today (`scorer_name`), in
    the order they were first saved, without a query per scorer."""
    today = timezone.localdate()
    name = AgencyVersion.objects.filter(agency=OuterRef("scorer_id"), valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    return (
        marks.select_related("scorer")
        .annotate(scorer_name=Coalesce(Subquery(name.values("name")[:1]), F("scorer__code"), output_field=CharField()))
        .order_by("pk")
    )


def dossier_data(dossier: Dossier, spec: CriteriaSetSpec | None = None) -> DossierData:
    """The dossier's rows (six queries; its criteria set comes from memory)."""
    known = criteria_set_for(dossier)
    by_pk = known.by_pk
    return DossierData(
        dossier=dossier,
        spec=spec or known.spec,
        criteria=known.criteria,
        scores={s.criterion.code: s for s in _with_criterion(dossier.scores.all(), by_pk)},
        marks=_by_code(marks_with_names(dossier.marks.all()), by_pk),
        evidence=_by_code(dossier.evidence.all(), by_pk),
        explanations=_by_code(dossier.explanations.all(), by_pk),
        requests=_by_code(dossier.evidence_requests.all(), by_pk),
        adjustments={a.criterion.code: a for a in _with_criterion(dossier.adjustments.all(), by_pk)},
        scorers=known.scorers,
    )


def period_dossier_data(period: ScoringPeriod) -> list[DossierData]:
    """Scores, marks and adjustments of every dossier of a period in a constant number of queries
    (the score matrix; the ranking reads stored results instead). Each dossier with its own set."""
    dossiers = list(period.dossiers.select_related("period", "agency", "agency_version", "group"))
    sets = {d.pk: criteria_set_for(d) for d in dossiers}
    ids = [d.pk for d in dossiers]
    scores, marks, adjustments = defaultdict(dict), defaultdict(lambda: defaultdict(list)), defaultdict(dict)

    def code(row) -> str | None:  # rows left on an older set's criteria are not the dossier's now
        criterion = sets[row.dossier_id].by_pk.get(row.criterion_id)
        return criterion.code if criterion is not None else None

    for score in CriterionScore.objects.filter(dossier_id__in=ids):
        if code(score):
            scores[score.dossier_id][code(score)] = score
    for mark in AppraisalMark.objects.filter(dossier_id__in=ids).select_related("scorer").order_by("pk"):
        if code(mark):
            marks[mark.dossier_id][code(mark)].append(mark)
    for adjustment in Adjustment.objects.filter(dossier_id__in=ids):
        if code(adjustment):
            adjustments[adjustment.dossier_id][code(adjustment)] = adjustment
    return [
        DossierData(
            dossier=d,
            spec=sets[d.pk].spec,
            criteria=sets[d.pk].criteria,
            scores=scores[d.pk],
            marks=marks[d.pk],
            evidence={},
            explanations={},
            requests={},
            adjustments=adjustments[d.pk],
            scorers=sets[d.pk].scorers,
        )
        for d in dossiers
    ]


# --- who marks a criterion ----------------------------------------------------------------------


def scorer_codes_for(user: User | None) -> set[str]:
    """The agency codes a user may enter marks as (their own agency); none for a mere reader."""
    return {user.agency.code} if user is not None and user.agency_id else set()


def marks_criterion(user: User | None, named_scorers: tuple[str, ...] | None) -> bool:
    """The one rule of who marks a criterion: its named scorers' people, or, where the regulation
    names none, the reviewers (Sở Nội vụ). Asked by the grid, the queue and the mark permission."""
    if user is None or user.agency_id is None:
        return False
    if named_scorers:
        return bool(scorer_codes_for(user) & set(named_scorers))
    return is_reviewer.test(user)


def may_mark(data: DossierData, node: CriterionSpec, user: User | None) -> bool:
    """Whether the user marks this criterion of this dossier's criteria set."""
    if node.kind is NodeKind.GROUP:
        return False
    scorers = data.scorers.get(node.code)
    return marks_criterion(user, scorers.all if scorers else None)
