"""The scoring engine: pure functions over dataclasses and Decimal, no Django, no database."""

import gc
from contextlib import contextmanager

from .bands import band_problems, classify
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
    with _no_cycle_collection():
        return rank_group(spec, [score_dossier(spec, d, memo=memo) for d in dossiers], collate)


@contextmanager
def _no_cycle_collection():
    """A group's scoring makes hundreds of thousands of small result objects, none of them in a
    reference cycle: Python's cycle collector would walk them again and again while they are made
    (a third of the time for a national group). It resumes, if it was on, when the group is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    "evaluate_group",
    "points_for",
    "rank_group",
    "score_dossier",
]
