"""The scoring engine: pure functions over dataclasses and Decimal, no Django, no database."""

from .bands import band_problems, classify
from .cycles import cycle_collection_paused
from .leaf import ScoreInputError, points_for
from .ranking import rank_group
from .tree import score_dossier
from .types import (
    SET_COMBINE_RULES,
    BandSpec,
    CeilingAt,
    CombineRule,
    CriteriaSetSpec,
    CriterionInput,
    CriterionSpec,
    DossierInput,
    DossierResult,
    GateEffect,
    GateSpec,
    GateTrigger,
    Mark,
    NAPolicy,
    NodeKind,
    PenaltyMeasure,
    QuotaSpec,
    RoundAt,
    Scorers,
    ScoreType,
    Step,
    StepKind,
    UnclassifiedRank,
)


def evaluate_group(spec: CriteriaSetSpec, dossiers, collate=str) -> list[DossierResult]:
    """Scores, classifies and ranks the dossiers of one group."""
    memo: dict = {}  # one set, many dossiers: each distinct mark's points computed once
    # Hundreds of thousands of small result objects, none in a cycle (engine/cycles.py).
    with cycle_collection_paused():
        return rank_group(spec, [score_dossier(spec, d, memo=memo) for d in dossiers], collate)


__all__ = [
    "SET_COMBINE_RULES",
    "BandSpec",
    "CeilingAt",
    "CombineRule",
    "CriteriaSetSpec",
    "CriterionInput",
    "CriterionSpec",
    "DossierInput",
    "DossierResult",
    "GateEffect",
    "GateSpec",
    "GateTrigger",
    "Mark",
    "NAPolicy",
    "NodeKind",
    "PenaltyMeasure",
    "QuotaSpec",
    "RoundAt",
    "ScoreInputError",
    "ScoreType",
    "Scorers",
    "Step",
    "StepKind",
    "UnclassifiedRank",
    "band_problems",
    "classify",
    "cycle_collection_paused",
    "evaluate_group",
    "points_for",
    "rank_group",
    "score_dossier",
]
