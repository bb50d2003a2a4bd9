"""Results of a period: the engine's input of dossiers read in bulk, the ranking per group read from
stored results (final: `Result`; before that: `ProvisionalResult`, ranked when read), and the steps
behind one agency's total (asked for one row at a time). The stored detail a cell's save recomputes
from: `stored_detail`; the best class's share: `shares`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db.models import F, Value

from portal.text import vi_sort_key

from ..engine import DossierInput, DossierResult, evaluate_group, rank_group, score_dossier
from ..engine.types import CriteriaSetSpec
from ..explain import step_text
from ..models import Adjustment, AppraisalMark, CriterionScore, Dossier, Phase, ProvisionalResult, Result, ScoringPeriod
from .dossier import AUTO_SCORER, criteria_set_for, engine_input
from .regulations import CriteriaSetData, criteria_set_data

# The plan metric "share of agencies in the best class", registered by scoring.widgets.
BEST_BAND_METRIC = "share_rated_tot"

# Vietnamese collation of agency names, the last tie-break: a ranking compares each name several
# times, and the same names come back with every ranking of the province.
collate = lru_cache(maxsize=16384)(vi_sort_key)


@dataclass
class RankingRow:
    """One agency of a group's ranking: totals, class and rank (the steps behind them are asked
    for one row at a time: `result_steps`)."""

    dossier: Dossier
    rank: int | None
    self_total: Decimal
    appraised_total: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    band: str | None
    band_label: str
    classified: bool
    # The set's `show_unclassified_total`: an unclassified agency's total printed or not.
    total_shown: bool = True
    # What the person looking may do with the row; the ranking page fills these in.
    readable: bool = False
    openable: bool = False


@dataclass(frozen=True)
class DossierComputation:
    """A dossier's data as the engine reads it, and what the engine makes of it; `marked_by`: the
    agencies that marked each criterion (not the portal's own marks). A computation after one
    cell's save holds only that criterion's input (the other leaves came from the stored result)."""

    input: DossierInput
    result: DossierResult
    marked_by: dict[str, frozenset[str]]

    @classmethod
    def of(cls, real: DossierInput, result: DossierResult) -> DossierComputation:
        return cls(real, result, marked_by_of(real))


def marked_by_of(real: DossierInput) -> dict[str, frozenset[str]]:
    return {
        code: scorers
        for code, given in real.inputs.items()
        if (scorers := frozenset(m.scorer for m in given.marks if m.scorer != AUTO_SCORER))
    }


# --- the engine's input, in bulk -----------------------------------------------------------------

_ROW = ("row_kind", "row_id", "row_dossier", "row_criterion", "row_raw", "row_na", "row_auto", "row_scorer")


def _input_rows(dossier_ids: list[int]):
    """(kind, id, dossier, criterion, raw, not applicable, automatic, scorer) of every self-score (s),
    mark (m) and bonus or penalty item (a) of the dossiers: one statement for the three tables."""

    def shaped(model, kind: str, raw: str, **columns):
        return (
            model.objects.filter(dossier_id__in=dossier_ids)
            .annotate(
                row_kind=Value(kind),
                row_id=F("id"),
                row_dossier=F("dossier_id"),
                row_criterion=F("criterion_id"),
                row_raw=F(raw),
                row_na=columns.get("na", Value(False)),
                row_auto=columns.get("auto", Value(False)),
                row_scorer=columns.get("scorer", Value("")),
            )
            .values_list(*_ROW)
        )

    scores = shaped(CriterionScore, "s", "self_raw", na=F("not_applicable"), auto=F("is_automatic"))
    marks = shaped(AppraisalMark, "m", "raw", scorer=F("scorer__code"))
    items = shaped(Adjustment, "a", "raw")
    return scores.union(marks, items, all=True)


def engine_inputs(dossiers: list[Dossier], *, spec: CriteriaSetSpec | None = None) -> dict[int, DossierInput]:
    """Each dossier's input to the engine (dossiers of one period, with agency, version and group
    at hand), read in one query whatever their number, without a model object per row. Each dossier
    is read against its own criteria set (`criteria_set_for`); `spec` overrides it for all."""
    if not dossiers:
        return {}
    sets = {d.pk: criteria_set_for(d) for d in dossiers}
    scores: dict[int, dict] = defaultdict(dict)
    marks: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    items: dict[int, dict] = defaultdict(dict)
    for kind, row_id, dossier_id, criterion_id, raw, na, auto, scorer in _input_rows([d.pk for d in dossiers]):
        criterion = sets[dossier_id].by_pk.get(criterion_id)
        if criterion is None:  # a row kept on an older set's criterion (period_change_version)
            continue
        code = criterion.code
        if kind == "s":
            scores[dossier_id][code] = (raw, na, auto)
        elif kind == "m":
            marks[dossier_id][code].append((row_id, scorer, raw))
        else:
            items[dossier_id][code] = raw
    inputs = {}
    for dossier in dossiers:
        # A criterion's marks in the order they were first saved (the first one counts where no
        # primary scorer marked).
        given = {code: [(s, r) for _id, s, r in sorted(ms)] for code, ms in marks[dossier.pk].items()}
        inputs[dossier.pk] = engine_input(
            dossier,
            spec or sets[dossier.pk].spec,
            scores=scores[dossier.pk],
            marks=given,
            adjustments=items[dossier.pk],
        )
    return inputs


def is_counted(dossier: Dossier) -> bool:
    """Whether the dossier's own data count in rankings, exports and charts: not while it is a draft
    that the rules keep private (not submitted and self-assessment still open)."""
    from ..rules import is_dossier_submitted_or_closed

    return is_dossier_submitted_or_closed.test(None, dossier)


def counted_input(dossier: Dossier, real: DossierInput, spec: CriteriaSetSpec) -> DossierInput:
    """What a ranking may score of the dossier: its data, or none while it is private (a ranking,
    an export or a chart must not show the numbers its dossier page refuses)."""
    if is_counted(dossier):
        return real
    return engine_input(dossier, spec, scores={}, marks={}, adjustments={})


def dossier_computation(dossier: Dossier) -> DossierComputation:
    """The engine on one dossier's current data (two queries at most: its rows, and the criteria set
    the first time the process reads it)."""
    spec = criteria_set_for(dossier).spec
    real = engine_inputs([dossier], spec=spec)[dossier.pk]
    return DossierComputation.of(real, score_dossier(spec, real))


def period_results(period: ScoringPeriod, dossiers: list[Dossier] | None = None) -> list[tuple[Dossier, DossierResult]]:
    """The engine on every dossier of the period, ranked per criteria set and group (units of two
    sets are never compared), as a ranking counts them (the finalization stores these; tests compare
    the stored rows with them)."""
    return [(dossier, result) for dossier, result, _real in period_computations(period, dossiers)]


def period_computations(
    period: ScoringPeriod, dossiers: list[Dossier] | None = None
) -> list[tuple[Dossier, DossierResult, DossierComputation]]:
    """period_results, each with the engine's computation on the dossier's real data (what its own
    page shows, and its stored detail: for a private draft it differs from what a ranking counts)."""
    if dossiers is None:
        dossiers = list(period.dossiers.select_related("agency", "agency_version", "group"))
    for dossier in dossiers:
        dossier.period = period
    inputs = engine_inputs(dossiers)
    by_group: dict[tuple[int, str], list[DossierInput]] = defaultdict(list)
    by_key = {}
    for dossier in dossiers:
        known = criteria_set_for(dossier)
        by_group[(known.pk, dossier.group.code)].append(counted_input(dossier, inputs[dossier.pk], known.spec))
        by_key[dossier.agency.code] = dossier
    computed = []
    for (set_id, _group), group_inputs in by_group.items():
        spec = criteria_set_data(set_id).spec
        for r in evaluate_group(spec, group_inputs, collate):
            dossier = by_key[r.key]
            real = inputs[dossier.pk]
            # A counted dossier's result is its real one (the ranking's class aside: the leaves are).
            computation = DossierComputation.of(real, r if is_counted(dossier) else score_dossier(spec, real))
            computed.append((dossier, r, computation))
    return computed


# --- the ranking ---------------------------------------------------------------------------------


def _stored_as_result(row: ProvisionalResult) -> DossierResult:
    """A stored provisional result as the engine's ranking takes it (totals and tie-break facts)."""
    dossier = row.dossier
    return DossierResult(
        key=dossier.agency.code,
        name=dossier.agency_version.name,
        group=dossier.group.code,
        self_total=row.self_total,
        appraised_total=row.appraised_total,
        bonus=row.bonus,
        penalty=row.penalty,
        total=row.total,
        band=row.band_code or None,
        classified=row.classified,
        criteria={},
        steps=[],
        penalty_count=row.penalty_count,
        submitted_at=dossier.submitted_at,
    )


def _ranked_provisional(period: ScoringPeriod, **only) -> list[tuple[Dossier, DossierResult]]:
    """The period's stored provisional results ranked per criteria set and group (rank, then the
    set's quotas), by the engine's own ranking rules — the tie-breaks and quotas of
    scoring/engine/ranking.py."""
    stored = (
        ProvisionalResult.objects.filter(dossier__period=period, **only)
        .defer("detail")  # each leaf's points: what a cell's save starts from, not the ranking
        .select_related("dossier__agency", "dossier__agency_version", "dossier__group")
    )
    dossiers, by_group = {}, defaultdict(list)
    for row in stored:
        row.dossier.period = period
        dossiers[row.dossier.agency.code] = row.dossier
        by_group[(criteria_set_for(row.dossier).pk, row.dossier.group.code)].append(_stored_as_result(row))
    return [
        (dossiers[r.key], r)
        for (set_id, _group), results in by_group.items()
        for r in rank_group(criteria_set_data(set_id).spec, results, collate)
    ]


@dataclass
class RankingSection:
    """One section of a period's ranking: the agencies of one group scored against one criteria set
    (ranks compare them only). Unpacks as (group, rows), as pages and exports read it."""

    group: object
    rows: list[RankingRow]
    criteria_set: CriteriaSetData
    # The period applies several sets: headings name the set beside the group.
    names_set: bool = False

    def __iter__(self):
        return iter((self.group, self.rows))

    def __len__(self) -> int:  # templates unpack `{% for group, rows in groups %}`
        return 2

    @property
    def title(self) -> str:
        """The group's name, and the set's after it when the period applies several sets."""
        return f"{self.group.name} — {self.spec.name}" if self.names_set else self.group.name

    @property
    def spec(self) -> CriteriaSetSpec:
        return self.criteria_set.spec


def ranking(period: ScoringPeriod) -> list[RankingSection]:
    """Per criteria set (in the period's order) and group (in the province's order): rank, agency,
    totals, class — the frozen results once the period is final, before that the stored provisional
    ones, ranked now. One query. Where unclassified agencies rank and whether their total shows is
    their set's (`unclassified_rank`, `show_unclassified_total`)."""
    sections: dict[tuple[int, int], RankingSection] = {}

    def add(dossier: Dossier, result: Result | DossierResult, band: str | None) -> None:
        dossier.period = period
        known = criteria_set_for(dossier)
        section = sections.get((known.pk, dossier.group_id))
        if section is None:
            section = sections[(known.pk, dossier.group_id)] = RankingSection(dossier.group, [], known)
        section.rows.append(
            RankingRow(
                dossier=dossier,
                rank=result.rank,
                self_total=result.self_total,
                appraised_total=result.appraised_total,
                bonus=result.bonus,
                penalty=result.penalty,
                total=result.total,
                band=band,
                band_label=known.band_labels.get(band, ""),
                classified=result.classified,
                total_shown=result.classified or known.spec.show_unclassified_total,
            )
        )

    if period.phase == Phase.FINAL:
        stored = (
            Result.objects.filter(dossier__period=period)
            .defer("steps", "criteria")
            .select_related("dossier__agency", "dossier__agency_version", "dossier__group")
        )
        for result in stored:
            add(result.dossier, result, result.band_code)
    else:
        for dossier, result in _ranked_provisional(period):
            add(dossier, result, result.band)
    main = period.criteria_set_id
    ordered = sorted(
        sections.values(),
        key=lambda s: (s.criteria_set.pk != main, s.criteria_set.library_code, s.group.order, s.group.code),
    )
    several = len({section.criteria_set.pk for section in ordered}) > 1
    for section in ordered:
        section.names_set = several
        # Unranked (the set ranks no unclassified agency) after the ranked, by total.
        section.rows.sort(key=lambda row: (row.rank is None, row.rank or 0, -row.total))
    return ordered


def result_steps(dossier: Dossier) -> list[str]:
    """The steps behind one agency's total and class, in words: the frozen ones of a final period,
    otherwise the engine's on the dossier now, with the group's tie-break and quota steps."""
    period = dossier.period
    if period.phase == Phase.FINAL:
        return Result.objects.filter(dossier=dossier).values_list("steps", flat=True).first() or []
    known = criteria_set_for(dossier)
    spec = known.spec
    real = engine_inputs([dossier], spec=spec)[dossier.pk]
    steps = list(score_dossier(spec, counted_input(dossier, real, spec)).steps)
    for other, ranked in _ranked_provisional(period, dossier__group_id=dossier.group_id):
        if other.pk == dossier.pk:
            steps += ranked.steps  # what the group decided: a tie-break, a quota
    return [step_text(step, known.band_labels) for step in steps]
