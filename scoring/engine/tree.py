"""Scoring one dossier: leaves → combine scorers → final → tree with caps → N/A rescale →
bonus/penalty → floor, ceiling, rounding → band → gates (BRIEF §3, computation order 1–8).

Ranking and quota (steps 9–10) need the whole group: see ranking.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .bands import classify
from .gates import apply_gates
from .leaf import ZERO, cases_for, points_for, quantize
from .types import (
    NA_STEPS,
    CombineRule,
    CriteriaSetSpec,
    CriterionInput,
    CriterionResult,
    CriterionSpec,
    DossierInput,
    DossierResult,
    Mark,
    NAPolicy,
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

    for top in spec.criteria:
        visit(top, Scorers())
    for node in (*spec.bonus, *spec.penalties):
        resolved[node.code] = node.scorers or Scorers()
    return resolved


def combine_marks(scorers: Scorers, marks: list[tuple[Mark, Decimal]], cap: Decimal) -> Decimal | None:
    """One appraised score from several scorers' points, by the criterion's combine rule."""
    if not marks:
        return None
    points = [p for _, p in marks]
    rule = scorers.combine
    if rule is CombineRule.PRIMARY_WINS:
        for mark, p in marks:
            if mark.scorer == scorers.primary:
                return p
        return points[0]
    if rule is CombineRule.AVERAGE:
        return sum(points, ZERO) / len(points)
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


class _Scorer:
    def __init__(self, spec: CriteriaSetSpec, dossier: DossierInput):
        self.spec = spec
        self.dossier = dossier
        self.scorers = resolve_scorers(spec)
        self.steps: list[Step] = []
        self.results: dict[str, CriterionResult] = {}

    def q(self, value: Decimal) -> Decimal:
        return quantize(value, self.spec.rounding)

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
            self_points = self.q(points_for(node, entry.self_raw))
        scored = [(m, self.q(points_for(node, m.raw))) for m in entry.marks if m.raw not in (None, "")]
        scorers = self.scorers[node.code]
        appraised = combine_marks(scorers, scored, node.max_points)
        if appraised is not None:
            appraised = self.q(appraised)
            if len(scored) > 1:
                self.steps.append(
                    Step(
                        StepKind.COMBINE,
                        node.code,
                        after=appraised,
                        detail={"rule": scorers.combine.value, "marks": {m.scorer: p for m, p in scored}},
                    )
                )
            final = appraised
        elif self.spec.fallback_to_self and self_points is not None:
            final = self_points
            self.steps.append(Step(StepKind.FALLBACK_SELF, node.code, after=final))
        else:
            final = ZERO
        if self_points is not None and appraised is not None and appraised != self_points:
            self.steps.append(Step(StepKind.APPRAISED_REPLACES_SELF, node.code, before=self_points, after=appraised))
        return CriterionResult(node.code, node.max_points, self_points, appraised, final)

    # -- tree ----------------------------------------------------------------------------
    def subtree(self, node: CriterionSpec) -> tuple[_Node, _Node]:
        """(self reading, final reading) of a subtree, each capped at the node's maximum."""
        if node.is_leaf:
            result = self.leaf(node)
            self.results[node.code] = result
            excluded = node.max_points if result.excluded else ZERO
            return _Node(result.self_points or ZERO, excluded), _Node(result.final_points, excluded)
        readings = [self.subtree(child) for child in node.children]
        self_sum = _sum([r[0] for r in readings])
        final_sum = _sum([r[1] for r in readings])
        cap = node.max_points - final_sum.excluded_max
        if final_sum.points > cap:
            self.steps.append(Step(StepKind.CAP_NODE, node.code, before=final_sum.points, after=cap))
        self_points, final_points = min(self_sum.points, cap), min(final_sum.points, cap)
        excluded_all = final_sum.excluded_max == node.max_points
        self.results[node.code] = CriterionResult(
            node.code, node.max_points, self_points, None, final_points, excluded_all, excluded_all
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
                        before=value,
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
        return self.q(value)

    # -- adjustments ---------------------------------------------------------------------
    def adjustments(
        self, items: tuple[CriterionSpec, ...], cap: Decimal, rule: StepKind, capped: StepKind
    ) -> tuple[Decimal, int]:
        total, count = ZERO, 0
        for node in items:
            raw = self.dossier.adjustments.get(node.code)
            if raw in (None, "", False, 0):
                continue
            points = self.q(points_for(node, raw))
            if points <= 0:
                continue
            total += points
            count += cases_for(node, raw)
            self.steps.append(Step(rule, node.code, after=points, detail={"raw": raw}))
            self.results[node.code] = CriterionResult(node.code, node.max_points, None, points, points)
        if total > cap:
            self.steps.append(Step(capped, before=total, after=cap))
            total = cap
        return total, count

    def run(self) -> DossierResult:
        spec, dossier = self.spec, self.dossier
        readings = [self.subtree(top) for top in spec.criteria]
        self_total = self.normalise(_sum([r[0] for r in readings]), explain=False)
        appraised_total = self.normalise(_sum([r[1] for r in readings]), explain=True)
        bonus, _ = self.adjustments(spec.bonus, spec.bonus_cap, StepKind.BONUS, StepKind.BONUS_CAP)
        penalty, penalty_count = self.adjustments(
            spec.penalties, spec.penalty_cap, StepKind.PENALTY, StepKind.PENALTY_CAP
        )
        total = appraised_total + bonus - penalty
        if total < 0:
            self.steps.append(Step(StepKind.FLOOR, before=total, after=ZERO))
            total = ZERO
        if total > spec.highest_total:
            self.steps.append(Step(StepKind.CEILING, before=total, after=spec.highest_total))
            total = spec.highest_total
        total = self.q(total)
        band = classify(spec.bands, total)
        self.steps.append(Step(StepKind.BAND, after=total, detail={"band": band}))
        applied_penalties = {code for code, r in self.results.items() if _is_penalty(spec, code) and r.final_points}
        band, classified, gated_by, gate_steps = apply_gates(spec, band, dossier, applied_penalties)
        self.steps.extend(gate_steps)
        return DossierResult(
            key=dossier.key,
            name=dossier.name,
            group=dossier.group,
            self_total=self_total,
            appraised_total=appraised_total,
            bonus=bonus,
            penalty=penalty,
            total=total,
            band=band,
            classified=classified,
            criteria=self.results,
            steps=self.steps,
            gated_by=gated_by,
            penalty_count=penalty_count,
            submitted_at=dossier.submitted_at,
        )


def _sum(readings: list[_Node]) -> _Node:
    return _Node(sum((r.points for r in readings), ZERO), sum((r.excluded_max for r in readings), ZERO))


def _is_penalty(spec: CriteriaSetSpec, code: str) -> bool:
    return any(p.code == code for p in spec.penalties)


def score_dossier(spec: CriteriaSetSpec, dossier: DossierInput) -> DossierResult:
    """Scores one agency's dossier against a criteria set; never touches a database."""
    return _Scorer(spec, dossier).run()
