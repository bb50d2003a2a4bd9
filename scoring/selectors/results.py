"""Results of a period: the engine's input of dossiers read in bulk, the ranking per group read from
stored results (final: `Result`; before that: `ProvisionalResult`, ranked when read), the steps
behind one agency's total (asked for one row at a time), and the share in the best class."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, F, Value

from portal.text import vi_sort_key

from ..engine import DossierInput, DossierResult, evaluate_group, rank_group, score_dossier
from ..engine.types import CriteriaSetSpec, CriterionResult
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


# --- the stored detail: each leaf's exact result, what one cell's save recomputes from ------------

DETAIL_VERSION = 1


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def stored_detail(set_id: int, computation: DossierComputation) -> dict:
    """What a provisional result stores beside its totals (`ProvisionalResult.detail`): the engine's
    exact result of every leaf criterion on the dossier's real data (self points, combined
    appraisal, final points, not applicable, excluded, who marked it), the bonus and penalty items
    as the engine read them, the criteria set they belong to, and the self − appraised gaps. Exact: Decimal to text and back
    is the same number, so totals summed from these equal the engine's on the rows."""
    marked = computation.marked_by
    return {
        "v": DETAIL_VERSION,
        "set": set_id,
        "leaves": {
            code: [
                _number(r.self_points), _number(r.appraised_points), _number(r.final_points),
                r.not_applicable, r.excluded, sorted(marked.get(code, ())),
            ]
            for code, r in computation.result.leaves.items()
        },
        "items": dict(computation.input.adjustments),
        # Self − appraised of each criterion the agency scored and appraisers marked: what the
        # dashboard's criterion gaps average over the period (reports.selectors.criterion_gaps).
        "gaps": {
            code: str(r.self_points - r.appraised_points)
            for code, r in computation.result.leaves.items()
            if marked.get(code) and r.self_points is not None and r.appraised_points is not None
            and not r.not_applicable
        },
    }  # fmt: skip


@dataclass(frozen=True)
class StoredDetail:
    """A stored detail read back for the engine (`score_dossier(known=…)`)."""

    leaves: dict[str, CriterionResult]
    marked_by: dict[str, frozenset[str]]
    items: dict


def detail_read(detail: dict | None, set_id: int, spec: CriteriaSetSpec) -> StoredDetail | None:
    """The stored detail of a dossier scored against the set `set_id`, or None when it cannot stand
    for the rows (none stored yet, another version of it, another set, another list of criteria):
    the caller recomputes the dossier from its rows."""
    if not detail or detail.get("v") != DETAIL_VERSION or detail.get("set") != set_id:
        return None
    stored = detail.get("leaves") or {}
    maxima = {node.code: node.max_points for node in spec.walk() if node.is_leaf}
    if stored.keys() != maxima.keys():
        return None
    leaves, marked_by = {}, {}
    for code, (self_points, appraised, final, not_applicable, excluded, scorers) in stored.items():
        leaves[code] = CriterionResult(
            code, maxima[code], _decimal(self_points), _decimal(appraised), Decimal(final), not_applicable, excluded
        )
        if scorers:
            marked_by[code] = frozenset(scorers)
    return StoredDetail(leaves, marked_by, dict(detail.get("items") or {}))


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def computation_after_cell(
    spec: CriteriaSetSpec, stored: StoredDetail, real: DossierInput, code: str, *, marks_changed: bool
) -> DossierComputation | None:
    """The engine's computation on a dossier after a save of one cell of criterion `code`, from the
    dossier's stored detail (every other leaf as stored) and `real`: the dossier's input holding
    only that criterion's row (its self-score and, when `marks_changed`, all its marks; otherwise
    its combined appraisal is the stored one) and the stored bonus and penalty items. Caps,
    rescaling, rounding, ceiling, bonus, penalty, class and gates are the engine's own on the same
    exact leaf values as a full run, hence its result. None when the detail cannot say (the
    criterion not in it, or stored as not applicable while only its self-score changed)."""
    before = stored.leaves.get(code)
    if before is None or (not marks_changed and before.not_applicable):
        return None
    others = {c: r for c, r in stored.leaves.items() if c != code}
    appraised = None if marks_changed else {code: before.appraised_points}
    result = score_dossier(spec, real, known=others, appraised=appraised)
    marked_by = dict(stored.marked_by)
    if marks_changed:
        marked_by.pop(code, None)
        marked_by.update(marked_by_of(real))
    return DossierComputation(real, result, marked_by)


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


@dataclass(frozen=True)
class BandShare:
    """Of one criteria set of a period: its agencies, how many are in the set's best class, its label."""

    criteria_set: CriteriaSetData
    total: int
    in_best: int
    label: str

    @property
    def share(self) -> Decimal | None:
        return _percent(self.in_best, self.total)


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


def _best_band(spec: CriteriaSetSpec):
    return max(spec.bands, key=lambda b: b.min_points, default=None)


def _quota_on_best_band(period: ScoringPeriod) -> bool:
    """Some set of the period caps its best class by a quota (one query: the period's further sets)."""
    set_ids = {period.criteria_set_id, *period.further_sets.values_list("criteria_set_id", flat=True)}
    for set_id in set_ids:
        spec = criteria_set_data(set_id).spec
        best = _best_band(spec)
        if best is not None and any(q.band == best.code for q in spec.quotas):
            return True
    return False


def best_band_shares(period: ScoringPeriod, groups: list | None = None) -> list[BandShare]:
    """Per criteria set of the period that scores agencies (its own first): the share of them in
    THAT set's best class (Quảng Bình's two sets each have their own bands). From the period's
    `ranking()` when the caller has it, otherwise counted by one query on the stored classes (a
    provisional class is final only after the group's quotas: then the groups are ranked)."""
    main = period.criteria_set_id
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # Before the period is final a quota on a best class is applied only by ranking the groups.
    ranked = groups is not None or (period.phase != Phase.FINAL and _quota_on_best_band(period))
    if not ranked:
        stored = Result if period.phase == Phase.FINAL else ProvisionalResult
        rows = (
            stored.objects.filter(dossier__period=period)
            .values("dossier__criteria_set_id", "band_code")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["dossier__criteria_set_id"] or main][row["band_code"] or ""] += row["n"]
    else:
        for section in ranking(period) if groups is None else groups:
            set_id = section.criteria_set.pk if isinstance(section, RankingSection) else main
            _group, rows = section
            for row in rows:
                counts[set_id][row.band or ""] += 1
    shares = []
    for set_id in sorted(counts, key=lambda pk: (pk != main, criteria_set_data(pk).library_code)):
        known = criteria_set_data(set_id)
        best = _best_band(known.spec)
        if best is None:
            continue
        by_band = counts[set_id]
        shares.append(BandShare(known, sum(by_band.values()), by_band.get(best.code, 0), best.label))
    return shares


def best_band_share(period: ScoringPeriod, groups: list | None = None) -> tuple[Decimal | None, str]:
    """Share (%) of the period's agencies in the best class of their own criteria set, and that
    class's label (the labels joined when the sets name their best classes differently); a period
    with no dossier: its own set's best label. Per set: `best_band_shares`."""
    shares = best_band_shares(period, groups)
    if not shares:
        best = _best_band(criteria_set_data(period.criteria_set_id).spec)
        return None, best.label if best else ""
    labels = list(dict.fromkeys(each.label for each in shares))
    return _percent(sum(s.in_best for s in shares), sum(s.total for s in shares)), " / ".join(labels)
