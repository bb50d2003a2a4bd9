"""What the steering committee of grassroots democracy (Ban Chỉ đạo QCDC) follows: each QCDC period
of its province, population by population (one criteria set each: state bodies, enterprises, party
committees), how many dossiers were submitted, how many the population's scoring body has appraised,
whether the results are published or final — and which scoring bodies are not done by the deadline
(the reminder chain asks the same numbers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from portal.models import AgencyVersion, Program, Province

from ..models import AppraisalMark, Dossier, Phase, ScoringPeriod
from ..phases import Permit
from .regulations import CriteriaSetData, criteria_set_data


@dataclass
class Population:
    """The dossiers of one criteria set of a period, and their scoring body's progress on them."""

    criteria_set: CriteriaSetData
    groups: tuple[str, ...]
    body_codes: tuple[str, ...]  # the agencies the set names as scorers ("": the reviewers)
    body_names: list[str] = field(default_factory=list)
    total: int = 0
    submitted: int = 0
    appraised: int = 0  # submitted dossiers on which the body entered every mark it owes

    @property
    def name(self) -> str:
        return self.criteria_set.spec.name

    @property
    def done(self) -> bool:
        return self.submitted > 0 and self.appraised >= self.submitted


@dataclass
class PeriodProgress:
    period: ScoringPeriod
    populations: list[Population]

    @property
    def published(self) -> bool:
        return self.period.current_phase.allows(Permit.RESULTS_PUBLISHED)

    @property
    def final(self) -> bool:
        return self.period.phase == Phase.FINAL


def _leaves_by_body(known: CriteriaSetData) -> dict[str, int]:
    """How many leaf criteria of the set each named scorer marks."""
    owed: dict[str, int] = defaultdict(int)
    for node in known.spec.walk():
        if node.is_leaf:
            for code in known.scorers[node.code].all:
                owed[code] += 1
    return dict(owed)


def qcdc_progress(*, province: Province | None = None, periods=None) -> list[PeriodProgress]:
    """The QCDC periods of the province (newest first, or the `periods` given) with each
    population's progress, in a fixed number of queries however many periods and dossiers."""
    if periods is None:
        periods = (
            ScoringPeriod.objects.filter(province=province, program=Program.QCDC)
            .select_related("criteria_set__regulation")
            .prefetch_related("further_sets__criteria_set__regulation")
            .order_by("-year")
        )
    periods = list(periods)
    if not periods:
        return []
    ids = [p.pk for p in periods]
    dossiers = Dossier.objects.filter(period_id__in=ids).values_list(
        "pk", "period_id", "criteria_set_id", "agency__code", "submitted_at"
    )
    marks = (
        AppraisalMark.objects.filter(dossier__period_id__in=ids, dossier__submitted_at__isnull=False)
        .values_list("dossier_id", "scorer__code")
        .annotate(n=Count("pk"))
    )
    marked: dict[int, dict[str, int]] = defaultdict(dict)
    for dossier_id, code, n in marks:
        marked[dossier_id][code] = n
    by_set: dict[tuple[int, int | None], list[tuple[int, str, bool]]] = defaultdict(list)
    for pk, period_id, set_id, agency_code, submitted_at in dossiers:
        by_set[(period_id, set_id)].append((pk, agency_code, submitted_at is not None))

    def appraised(rows, owed: dict[str, int]) -> int:
        # Nobody appraises their own agency: a scoring body's own dossier owes it nothing.
        return sum(
            1
            for pk, agency_code, submitted in rows
            if submitted and owed and all(marked[pk].get(c, 0) >= n for c, n in owed.items() if c != agency_code)
        )

    result, codes = [], set()
    for period in periods:
        populations = []
        further = [row.criteria_set for row in period.further_sets.all()]
        for each in [period.criteria_set, *further]:
            known = criteria_set_data(each.pk)
            key = (period.pk, None if each.pk == period.criteria_set_id else each.pk)
            owed = _leaves_by_body(known)
            rows = by_set.get(key, [])
            populations.append(
                Population(
                    criteria_set=known,
                    groups=tuple(each.applies_to_groups),
                    body_codes=tuple(sorted(owed)),
                    total=len(rows),
                    submitted=sum(1 for _pk, _code, submitted in rows if submitted),
                    appraised=appraised(rows, owed),
                )
            )
            codes |= set(owed)
        result.append(PeriodProgress(period=period, populations=populations))
    names = _names(codes, {p.province_id for p in periods})
    for progress in result:
        for population in progress.populations:
            population.body_names = [names.get(c, c) for c in population.body_codes]
    return result


def _names(codes: set[str], provinces: set[int]) -> dict[str, str]:
    """Today's names of the scoring bodies (one query)."""
    versions = AgencyVersion.objects.valid_on(timezone.localdate()).filter(
        agency__code__in=codes, agency__province_id__in=provinces
    )
    return dict(versions.values_list("agency__code", "name"))
