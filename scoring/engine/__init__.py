"""The scoring engine: pure functions over dataclasses and Decimal, no Django, no database."""

from .bands import band_problems, classify
from .leaf import ScoreInputError, points_for
from .ranking import rank_group
from .tree import score_dossier
from .types import (
    BandSpec,
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
    QuotaSpec,
    Scorers,
    ScoreType,
    Step,
    StepKind,
)


def evaluate_group(spec: CriteriaSetSpec, dossiers, collate=str) -> list[DossierResult]:
    """Scores, classifies and ranks the dossiers of one group."""
    return rank_group(spec, [score_dossier(spec, d) for d in dossiers], collate)


__all__ = [
    "BandSpec",
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
    "QuotaSpec",
    "ScoreInputError",
    "ScoreType",
    "Scorers",
    "Step",
    "StepKind",
    "band_problems",
    "classify",
    "evaluate_group",
    "points_for",
    "rank_group",
    "score_dossier",
]
