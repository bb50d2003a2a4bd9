"""The engine's vocabulary: a criteria set, what a dossier brings, and what comes out.

Plain dataclasses over Decimal — no Django. Everything a regulation decides (points, bands, caps,
gates, quota) arrives here as data; nothing below names a particular regulation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class NodeKind(StrEnum):
    GROUP = "group"  # sums its children, capped at its own maximum
    ITEM = "item"  # a scored criterion
    BONUS = "bonus"  # điểm thưởng, capped per item and by the set's bonus cap
    PENALTY = "penalty"  # điểm trừ, capped per item and by the set's penalty cap


class ScoreType(StrEnum):
    """Codes of the score types the portal ships with, for code and tests that name one. The
    types themselves (points, checks, widget …) are defined in engine/score_types/, one module
    each; a new type declares its own code there and needs no member here."""

    SUM_CHILDREN = "sum_children"
    BOOLEAN = "boolean"
    LEVELS = "levels"
    RANGE = "range"
    PERCENT_LINEAR = "percent_linear"
    PERCENT_BANDED = "percent_banded"
    IMPORTED_INDEX = "imported_index"
    COUNT_DEDUCT = "count_deduct"
    COUNT = "count"


class NAPolicy(StrEnum):
    ZERO = "zero"  # not applicable scores 0 out of its max
    EXCLUDE = "exclude"  # removed from the scale, the rest rescaled to the set's scale
    FULL = "full"  # counts as fully achieved


class CombineRule(StrEnum):
    PRIMARY_WINS = "primary_wins"
    AVERAGE = "average"
    MAXIMUM = "maximum"
    MINIMUM = "minimum"
    SUM_PARTS = "sum_parts"


# What a set may state for criteria that name no primary scorer (and for a primary that has not
# marked): a rule that gives the same result whatever order the marks were entered in.
SET_COMBINE_RULES = (CombineRule.AVERAGE, CombineRule.MAXIMUM, CombineRule.MINIMUM)


class RoundAt(StrEnum):
    """Where points are rounded to the set's number of decimal places."""

    MARK = "mark"  # every mark, every criterion and every subtotal
    CRITERION = "criterion"  # each criterion's points once its marks are combined; sums exact
    TOTAL = "total"  # only the total; every sum before it exact


class CeilingAt(StrEnum):
    """Whether the ceiling of the total applies before or after the penalty is subtracted."""

    BEFORE_PENALTY = "before_penalty"  # (appraised + bonus) capped, then − penalty: a penalty always bites
    AFTER_PENALTY = "after_penalty"  # (appraised + bonus − penalty) capped: surplus bonus may absorb a penalty


class PenaltyMeasure(StrEnum):
    """What "fewer penalties" counts in a tie-break."""

    CASES = "cases"  # penalty cases: a yes/no item 1, a count item its cases, a late submission 1
    DAYS = "days"  # days late only (items filled from the dossier's lateness)
    POINTS = "points"  # penalty points deducted (after the cap)


class UnclassifiedRank(StrEnum):
    """Where agencies left unclassified (by a gate) stand in their group's ranking."""

    LAST = "last"  # ranked after every classified agency, by their totals
    BY_TOTAL = "by_total"  # ranked among the others by their totals
    NONE = "none"  # listed after the classified ones, without a rank


class GateEffect(StrEnum):
    CAP_AT_BAND = "cap_at_band"
    NOT_CLASSIFIED = "not_classified"


class GateTrigger(StrEnum):
    PENALTY = "penalty"  # a given penalty item was applied
    FLAG = "flag"  # a flag the reviewer set on the dossier (e.g. disciplinary case)
    NO_DOSSIER = "no_dossier"  # nothing submitted by the deadline


@dataclass(frozen=True)
class Scorers:
    """Who appraises a criterion: primary and co-scoring agencies (stable codes), and how to combine."""

    primary: str | None = None
    co: tuple[str, ...] = ()
    combine: CombineRule = CombineRule.PRIMARY_WINS

    @property
    def all(self) -> tuple[str, ...]:
        return ((self.primary,) if self.primary else ()) + self.co


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    title: str
    kind: NodeKind
    max_points: Decimal
    score_type: str  # the code of a registered score type (engine/score_types)
    params: dict[str, Any] = field(default_factory=dict)
    children: tuple[CriterionSpec, ...] = ()
    guidance: str = ""
    evidence_hint: str = ""
    self_scorable: bool = True
    na_policy: NAPolicy = NAPolicy.ZERO
    applies_to_groups: tuple[str, ...] = ()  # empty: every group of the set
    scorers: Scorers | None = None  # None: inherited from the nearest ancestor

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class BandSpec:
    """A class (xếp loại): min_points ≤ total < max_points (None: no upper bound)."""

    code: str
    label: str
    min_points: Decimal
    max_points: Decimal | None
    order: int = 0  # 0 = best


@dataclass(frozen=True)
class GateSpec:
    code: str
    title: str
    trigger: GateTrigger
    effect: GateEffect
    target: str = ""  # the penalty code or flag for PENALTY/FLAG triggers
    band: str = ""  # for CAP_AT_BAND: the best class still allowed


@dataclass(frozen=True)
class QuotaSpec:
    """At most `max_percent` % of a group's agencies in `band`, applied in rank order."""

    band: str
    max_percent: Decimal


@dataclass(frozen=True)
class CriteriaSetSpec:
    code: str
    name: str
    max_total: Decimal
    criteria: tuple[CriterionSpec, ...]
    bonus: tuple[CriterionSpec, ...] = ()
    penalties: tuple[CriterionSpec, ...] = ()
    bands: tuple[BandSpec, ...] = ()
    gates: tuple[GateSpec, ...] = ()
    quotas: tuple[QuotaSpec, ...] = ()
    bonus_cap: Decimal = Decimal(0)
    penalty_cap: Decimal = Decimal(0)
    rescale_to: Decimal | None = None  # e.g. an 85-point set reported on the 100 scale
    ceiling: Decimal | None = None  # highest total after bonus (Dân vận khéo: 95 criteria + 5 bonus = 100)
    rounding: int = 2  # decimal places
    applies_to_groups: tuple[str, ...] = ()
    fallback_to_self: bool = True  # a criterion nobody appraised keeps the self-score
    # The arithmetic a file states (scoring/library/README.md gives each default):
    round_at: RoundAt = RoundAt.TOTAL
    ceiling_at: CeilingAt = CeilingAt.BEFORE_PENALTY
    combine: CombineRule = CombineRule.AVERAGE  # criteria naming no primary scorer (SET_COMBINE_RULES)
    tie_break_penalties: PenaltyMeasure = PenaltyMeasure.CASES
    unclassified_rank: UnclassifiedRank = UnclassifiedRank.LAST
    show_unclassified_total: bool = True

    @property
    def scale(self) -> Decimal:
        return self.rescale_to or self.max_total

    @property
    def highest_total(self) -> Decimal:
        """No total ever exceeds this (default: the scale — bonus only makes up for lost points)."""
        return self.ceiling or self.scale

    def walk(self):
        for node in self.criteria:
            yield from node.walk()

    def all_nodes(self):
        yield from self.walk()
        yield from self.bonus
        yield from self.penalties

    def node(self, code: str) -> CriterionSpec:
        for node in self.all_nodes():
            if node.code == code:
                return node
        raise KeyError(code)


# --- Inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One appraiser's raw mark on a criterion."""

    scorer: str  # agency code
    raw: Any


@dataclass(frozen=True)
class CriterionInput:
    self_raw: Any = None
    marks: tuple[Mark, ...] = ()
    not_applicable: bool = False


@dataclass(frozen=True)
class DossierInput:
    """What one agency brings to the period."""

    key: str  # stable identifier (agency code)
    name: str
    group: str
    inputs: dict[str, CriterionInput] = field(default_factory=dict)
    adjustments: dict[str, Any] = field(default_factory=dict)  # bonus/penalty code → raw
    flags: frozenset[str] = frozenset()
    has_dossier: bool = True
    submitted_at: dt.datetime | None = None


# --- Outputs ------------------------------------------------------------------------------


class StepKind(StrEnum):
    """The rules an explanation names, in the order of the computation (scoring/explain.py has a
    text for each)."""

    NOT_IN_GROUP = "not_in_group"  # the criterion does not apply to the dossier's group
    NA_ZERO = "na_zero"  # not applicable, per its policy …
    NA_FULL = "na_full"
    NA_EXCLUDE = "na_exclude"
    COMBINE = "combine"  # several scorers' marks combined into one
    FALLBACK_SELF = "fallback_self"  # nobody appraised: the self-score stands
    APPRAISED_REPLACES_SELF = "appraised_replaces_self"
    CAP_NODE = "cap_node"  # sub-criteria add up to more than their parent's maximum
    NA_RESCALE = "na_rescale"  # excluded criteria: the rest rescaled to the set's maximum
    RESCALE = "rescale"  # reported on another scale
    BONUS = "bonus"
    BONUS_CAP = "bonus_cap"
    PENALTY = "penalty"
    PENALTY_CAP = "penalty_cap"
    FLOOR = "floor"
    CEILING = "ceiling"
    BAND = "band"
    GATE_CAP = "gate_cap"
    GATE_NOT_CLASSIFIED = "gate_not_classified"
    GATE_NO_CHANGE = "gate_no_change"
    TIE_BREAK = "tie_break"
    QUOTA = "quota"


NA_STEPS = {NAPolicy.ZERO: StepKind.NA_ZERO, NAPolicy.FULL: StepKind.NA_FULL, NAPolicy.EXCLUDE: StepKind.NA_EXCLUDE}


@dataclass(frozen=True)
class Step:
    """One line of the explanation: which rule moved which points."""

    rule: StepKind
    criterion: str = ""
    before: Decimal | None = None
    after: Decimal | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CriterionResult:
    code: str
    max_points: Decimal
    self_points: Decimal | None
    appraised_points: Decimal | None
    final_points: Decimal
    not_applicable: bool = False
    excluded: bool = False


@dataclass
class DossierResult:
    key: str
    name: str
    group: str
    self_total: Decimal
    appraised_total: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    band: str | None
    classified: bool
    criteria: dict[str, CriterionResult]
    steps: list[Step]
    gated_by: tuple[str, ...] = ()
    penalty_count: int = 0  # cases or days, as the set's tie_break_penalties says
    submitted_at: dt.datetime | None = None
    rank: int | None = None
    total_shown: bool = True  # False: an unclassified agency whose set hides its total
    # Each leaf criterion's exact result (before rounding for display): what a later save of one
    # cell starts from (score_dossier's `known`), stored with the provisional result.
    leaves: dict[str, CriterionResult] = field(default_factory=dict)

    @property
    def adjustment(self) -> Decimal:
        return self.bonus - self.penalty
