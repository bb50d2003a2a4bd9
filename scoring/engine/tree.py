"""Scoring one dossier: leaves → combine scorers → final → tree with caps → N/A rescale →
bonus/penalty → floor, ceiling, rounding → band → gates (BRIEF §3, computation order 1–8).

Where rounding happens, where the ceiling applies and how marks combine are the set's own
(`round_at`, `ceiling_at`, `combine`): nothing here depends on the order rows or marks arrive in.

Ranking and quota (steps 9–10) need the whole group: see ranking.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .bands import classify
from .gates import apply_gates
from .leaf import ZERO, cases_for, points_for, quantize
from .types import (
    NA_STEPS,
    CeilingAt,
    CombineRule,
    CriteriaSetSpec,
    CriterionInput,
    CriterionResult,
    CriterionSpec,
    DossierInput,
    DossierResult,
    Mark,
    NAPolicy,
    PenaltyMeasure,
    RoundAt,
    Scorers,
    Step,
    StepKind,
)

EMPTY = CriterionInput()


def resolve_scorers(spec: CriteriaSetSpec) -> dict[str, Scorers]:
    """Scorers of every criterion, inherited from the nearest ancestor that names them."""
    resolved: dict[str, Scorers] = {}

    def visit(node: CriterionSpec, inherited: Scorers) -> None:
        own = node.scorers or inherited
        resolved[node.code] = own
        for child in node.children:
            visit(child, own)

    # A criterion that names no scorers follows the set's rule (it names no primary scorer).
    for top in spec.criteria:
        visit(top, Scorers(combine=spec.combine))
    for node in (*spec.bonus, *spec.penalties):
        resolved[node.code] = node.scorers or Scorers(combine=spec.combine)
    return resolved


def combine_marks(
    scorers: Scorers,
    marks: list[tuple[Mark, Decimal]],
    cap: Decimal,
    without_primary: CombineRule = CombineRule.AVERAGE,
) -> Decimal | None:
    """One appraised score from several scorers' points, by the criterion's combine rule.

    Where the rule is the primary scorer's mark but there is none (no primary named, or the
    primary has not marked), `without_primary` (the set's rule) decides — never the first mark
    entered, which would make the result depend on the order people typed in.
    """
    if not marks:
        return None
    points = [p for _, p in marks]
    rule = scorers.combine
    if rule is CombineRule.PRIMARY_WINS:
        for mark, p in marks:
            if scorers.primary and mark.scorer == scorers.primary:
                return p
        rule = without_primary if without_primary is not CombineRule.PRIMARY_WINS else CombineRule.AVERAGE
    if rule is CombineRule.AVERAGE:
        return sum(points, ZERO) / len(points)
    if rule is CombineRule.MAXIMUM:
        return max(points)
    if rule is CombineRule.MINIMUM:
        return min(points)
    if rule is CombineRule.SUM_PARTS:
        return min(sum(points, ZERO), cap)
    raise ValueError(rule)


@dataclass
class _Node:
    """Totals of a subtree for one of the two readings (self, final)."""

    points: Decimal
    excluded_max: Decimal


# The appraisal a leaf's marks give is read from `dossier.inputs` unless given (`appraised=`).
_FROM_MARKS = object()


class _Scorer:
    def __init__(
        self,
        spec: CriteriaSetSpec,
        dossier: DossierInput,
        known: Mapping[str, CriterionResult] | None = None,
        appraised: Mapping[str, Decimal | None] | None = None,
        memo: dict | None = None,
    ):
        self.spec = spec
        self.dossier = dossier
        self.scorers = resolve_scorers(spec)
        self.steps: list[Step] = []
        self.results: dict[str, CriterionResult] = {}
        self.leaves: dict[str, CriterionResult] = {}  # each leaf's exact result (the sums above use these)
        self.known = known or {}
        self.appraised = appraised or {}
        self.memo = {} if memo is None else memo
        # Read once: these run for every mark and node (an enum comparison is not free).
        self.places = spec.rounding
        self.round_marks = spec.round_at is RoundAt.MARK
        self.round_criteria = spec.round_at is not RoundAt.TOTAL

    def points(self, node: CriterionSpec, raw) -> Decimal:
        """`points_for`, once per criterion and mark over a whole group: a province's marks repeat
        ("85", "true"), and a mark's points depend on nothing else. The type is part of the key
        (True == 1 == Decimal(1) would otherwise share an entry); a refused mark is not kept."""
        key = (node.code, type(raw), raw)
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = points_for(node, raw)
            return value

    def q(self, value: Decimal) -> Decimal:
        """Rounded to the set's places: totals, and every number shown."""
        return quantize(value, self.places)

    def q_mark(self, value: Decimal) -> Decimal:
        """A single mark or a subtotal: rounded only where the set rounds every mark."""
        return quantize(value, self.places) if self.round_marks else value

    def q_criterion(self, value: Decimal) -> Decimal:
        """A criterion's points once its marks are combined: rounded unless only the total is."""
        return quantize(value, self.places) if self.round_criteria else value

    def shown(self, result: CriterionResult) -> CriterionResult:
        """A criterion's result as pages and frozen results show it (the sums above stay exact)."""

        def q(value):
            return None if value is None else self.q(value)

        return CriterionResult(
            result.code,
            result.max_points,
            q(result.self_points),
            q(result.appraised_points),
            self.q(result.final_points),
            result.not_applicable,
            result.excluded,
        )

    # -- leaves --------------------------------------------------------------------------
    def leaf(self, node: CriterionSpec) -> CriterionResult:
        entry = self.dossier.inputs.get(node.code, EMPTY)
        outside_group = bool(node.applies_to_groups) and self.dossier.group not in node.applies_to_groups
        if outside_group or entry.not_applicable:
            policy = NAPolicy.EXCLUDE if outside_group else node.na_policy
            points = node.max_points if policy is NAPolicy.FULL else ZERO
            self.steps.append(
                Step(StepKind.NOT_IN_GROUP if outside_group else NA_STEPS[policy], node.code, after=points)
            )
            return CriterionResult(node.code, node.max_points, points, points, points, True, policy is NAPolicy.EXCLUDE)
        self_points = None
        if node.self_scorable and entry.self_raw not in (None, ""):
            self_points = self.q_criterion(self.points(node, entry.self_raw))
        appraised = self.appraised.get(node.code, _FROM_MARKS)
        if appraised is _FROM_MARKS:
            appraised = self.combined(node, entry)
        if appraised is not None:
            final = appraised
        elif self.spec.fallback_to_self and self_points is not None:
            final = self_points
            self.steps.append(Step(StepKind.FALLBACK_SELF, node.code, after=final))
        else:
            final = ZERO
        if self_points is not None and appraised is not None and appraised != self_points:
            self.steps.append(
                Step(StepKind.APPRAISED_REPLACES_SELF, node.code, before=self.q(self_points), after=self.q(appraised))
            )
        return CriterionResult(node.code, node.max_points, self_points, appraised, final)

    def combined(self, node: CriterionSpec, entry: CriterionInput) -> Decimal | None:
        """The leaf's appraisal: its marks' points combined by its scorers' rule (None: no mark)."""
        # Marks in the order of their scorers' codes: the explanation reads the same whatever
        # order they were entered in (the combined value never depends on it).
        scored = sorted(
            ((m, self.q_mark(self.points(node, m.raw))) for m in entry.marks if m.raw not in (None, "")),
            key=lambda item: (item[0].scorer, item[1]),
        )
        scorers = self.scorers[node.code]
        appraised = combine_marks(scorers, scored, node.max_points, self.spec.combine)
        if appraised is None:
            return None
        appraised = self.q_criterion(appraised)
        if len(scored) > 1:
            self.steps.append(
                Step(
                    StepKind.COMBINE,
                    node.code,
                    after=self.q(appraised),
                    detail={"rule": _rule_used(scorers, scored, self.spec.combine).value,
                            "marks": {m.scorer: self.q(p) for m, p in scored}},
                )
            )  # fmt: skip
        return appraised

    # -- tree ----------------------------------------------------------------------------
    def subtree(self, node: CriterionSpec) -> tuple[_Node, _Node]:
        """(self reading, final reading) of a subtree, each capped at the node's maximum."""
        if node.is_leaf:
            result = self.known.get(node.code) or self.leaf(node)
            self.leaves[node.code] = result
            self.results[node.code] = self.shown(result)
            excluded = node.max_points if result.excluded else ZERO
            return _Node(result.self_points or ZERO, excluded), _Node(result.final_points, excluded)
        readings = [self.subtree(child) for child in node.children]
        self_sum = _sum([r[0] for r in readings])
        final_sum = _sum([r[1] for r in readings])
        cap = node.max_points - final_sum.excluded_max
        if final_sum.points > cap:
            self.steps.append(Step(StepKind.CAP_NODE, node.code, before=self.q(final_sum.points), after=cap))
        self_points, final_points = min(self_sum.points, cap), min(final_sum.points, cap)
        excluded_all = final_sum.excluded_max == node.max_points
        self.results[node.code] = self.shown(
            CriterionResult(node.code, node.max_points, self_points, None, final_points, excluded_all, excluded_all)
        )
        return _Node(self_points, self_sum.excluded_max), _Node(final_points, final_sum.excluded_max)

    def normalise(self, reading: _Node, *, explain: bool) -> Decimal:
        """Brings a tree total back to the set's scale: N/A rescale, then the reporting scale."""
        spec = self.spec
        value = reading.points
        if reading.excluded_max:
            achievable = spec.max_total - reading.excluded_max
            rescaled = value * spec.max_total / achievable if achievable > 0 else ZERO
            if explain:
                self.steps.append(
                    Step(
                        StepKind.NA_RESCALE,
                        before=self.q(value),
                        after=self.q(rescaled),
                        detail={"excluded": reading.excluded_max, "achievable": achievable},
                    )
                )
            value = rescaled
        if spec.rescale_to and spec.rescale_to != spec.max_total:
            rescaled = value * spec.rescale_to / spec.max_total
            if explain:
                self.steps.append(
                    Step(StepKind.RESCALE, before=self.q(value), after=self.q(rescaled), detail={"to": spec.rescale_to})
                )
            value = rescaled
        return self.q_mark(value)

    # -- adjustments ---------------------------------------------------------------------
    def adjustments(
        self, items: tuple[CriterionSpec, ...], cap: Decimal, rule: StepKind, capped: StepKind
    ) -> tuple[Decimal, int]:
        total, count = ZERO, 0
        for node in items:
            raw = self.dossier.adjustments.get(node.code)
            if raw in (None, "", False, 0):
                continue
            points = self.q_criterion(points_for(node, raw))
            if points <= 0:
                continue
            total += points
            count += penalty_units(self.spec, node, raw)
            self.steps.append(Step(rule, node.code, after=self.q(points), detail={"raw": raw}))
            self.results[node.code] = self.shown(CriterionResult(node.code, node.max_points, None, points, points))
        if total > cap:
            self.steps.append(Step(capped, before=self.q(total), after=cap))
            total = cap
        return self.q_mark(total), count

    def total(self, appraised: Decimal, bonus: Decimal, penalty: Decimal) -> Decimal:
        """Appraised + bonus − penalty, floored at 0 and capped at the set's ceiling — before the
        penalty (a penalty always counts) or after it (a surplus bonus may absorb a penalty), as
        the set states — then rounded."""
        highest = self.spec.highest_total
        if self.spec.ceiling_at is CeilingAt.BEFORE_PENALTY:
            earned = appraised + bonus
            if earned > highest:
                self.steps.append(Step(StepKind.CEILING, before=self.q(earned), after=highest))
                earned = highest
            total = earned - penalty
        else:
            total = appraised + bonus - penalty
        if total < 0:
            self.steps.append(Step(StepKind.FLOOR, before=self.q(total), after=ZERO))
            total = ZERO
        if total > highest:
            self.steps.append(Step(StepKind.CEILING, before=self.q(total), after=highest))
            total = highest
        return self.q(total)

    def run(self) -> DossierResult:
        spec, dossier = self.spec, self.dossier
        readings = [self.subtree(top) for top in spec.criteria]
        self_total = self.normalise(_sum([r[0] for r in readings]), explain=False)
        appraised_total = self.normalise(_sum([r[1] for r in readings]), explain=True)
        bonus, _ = self.adjustments(spec.bonus, spec.bonus_cap, StepKind.BONUS, StepKind.BONUS_CAP)
        penalty, penalty_count = self.adjustments(
            spec.penalties, spec.penalty_cap, StepKind.PENALTY, StepKind.PENALTY_CAP
        )
        total = self.total(appraised_total, bonus, penalty)
        band = classify(spec.bands, total)
        self.steps.append(Step(StepKind.BAND, after=total, detail={"band": band}))
        applied_penalties = {
            p.code for p in spec.penalties if p.code in self.results and self.results[p.code].final_points
        }
        band, classified, gated_by, gate_steps = apply_gates(spec, band, dossier, applied_penalties)
        self.steps.extend(gate_steps)
        return DossierResult(
            key=dossier.key,
            name=dossier.name,
            group=dossier.group,
            self_total=self.q(self_total),
            appraised_total=self.q(appraised_total),
            bonus=self.q(bonus),
            penalty=self.q(penalty),
            total=total,
            band=band,
            classified=classified,
            criteria=self.results,
            steps=self.steps,
            gated_by=gated_by,
            penalty_count=penalty_count,
            submitted_at=dossier.submitted_at,
            leaves=self.leaves,
        )


def _rule_used(scorers: Scorers, scored: list[tuple[Mark, Decimal]], without_primary: CombineRule) -> CombineRule:
    """The rule that combined the marks: the set's when the primary scorer's mark is missing."""
    if scorers.combine is CombineRule.PRIMARY_WINS and not any(
        scorers.primary and m.scorer == scorers.primary for m, _p in scored
    ):
        return without_primary if without_primary is not CombineRule.PRIMARY_WINS else CombineRule.AVERAGE
    return scorers.combine


def penalty_units(spec: CriteriaSetSpec, node: CriterionSpec, raw) -> int:
    """What one applied penalty item adds to the "fewer penalties" tie-break, as the set counts:
    cases (a late submission is one case, whatever its days), or days late only."""
    counts_days = node.params.get("auto_source") == "late_days"
    if spec.tie_break_penalties is PenaltyMeasure.DAYS:
        return cases_for(node, raw) if counts_days else 0
    return 1 if counts_days else cases_for(node, raw)


def _sum(readings: list[_Node]) -> _Node:
    return _Node(sum((r.points for r in readings), ZERO), sum((r.excluded_max for r in readings), ZERO))


def score_dossier(
    spec: CriteriaSetSpec,
    dossier: DossierInput,
    *,
    known: Mapping[str, CriterionResult] | None = None,
    appraised: Mapping[str, Decimal | None] | None = None,
    memo: dict | None = None,
) -> DossierResult:
    """Scores one agency's dossier against a criteria set; never touches a database.

    `known`: leaves already scored (their exact `DossierResult.leaves` of an earlier run on the same
    data): taken as they are, only the other leaves are scored from `dossier.inputs` — what a save
    of one cell recomputes. `appraised`: a leaf's combined appraisal as an earlier run gave it, for
    a leaf whose self-score changed but not its marks (its input then carries no marks). Totals,
    caps, rescaling, rounding, bonus, penalty, class and gates are computed as for a full run, from
    the same exact leaf values, so the result equals the full run's (the steps of known leaves
    are not repeated). `memo`: a dict shared by the dossiers of one run on the same set, where
    each criterion's points per distinct mark are kept (see `_Scorer.points`)."""
    return _Scorer(spec, dossier, known, appraised, memo).run()
