"""From a raw mark to points: each criterion asks its score type (engine/score_types/).

A raw mark is what a person enters: yes/no, a level code, points, a percentage, a count.
Errors are ScoreInputError(code, params); the web layer turns the code into a Vietnamese message.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import score_types
from .numbers import ZERO, ScoreInputError, quantize, to_bool, to_decimal
from .score_types._percent import bands_of
from .score_types.levels import levels_of
from .score_types.range import step_of
from .types import CriterionSpec


def score_type_of(spec: CriterionSpec) -> score_types.ScoreTypeDef:
    definition = score_types.find(spec.score_type)
    if definition is None:
        raise ScoreInputError("not_scorable", type=str(spec.score_type))
    return definition


def points_for(spec: CriterionSpec, raw: Any) -> Decimal:
    """Points earned (for a penalty: points deducted) by `raw` on `spec`, before any cap of a parent."""
    return score_type_of(spec).points(spec, raw)


def canonical_raw(spec: CriterionSpec, raw: Any) -> str:
    """The mark as stored: "3,5" → "3.5", "Có" → "true", a level's label → its code; validates it
    on the way (ScoreInputError)."""
    return score_type_of(spec).canonical(spec, raw)


def cases_for(spec: CriterionSpec, raw: Any) -> int:
    """How many penalties a mark on a penalty item counts as (a tie-break)."""
    return score_type_of(spec).cases(spec, raw)


__all__ = [
    "ZERO",
    "ScoreInputError",
    "bands_of",
    "canonical_raw",
    "cases_for",
    "levels_of",
    "points_for",
    "quantize",
    "score_type_of",
    "step_of",
    "to_bool",
    "to_decimal",
]
