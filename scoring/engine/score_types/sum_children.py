"""A group of criteria: the sum of its sub-criteria, capped at its own maximum (engine/tree.py).
Nobody marks a group."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..numbers import ScoreInputError
from ..types import CriterionSpec, NodeKind, ScoreType
from . import register
from .base import ScoreTypeDef, Widget, gettext_noop


@register
class SumChildren(ScoreTypeDef):
    code = ScoreType.SUM_CHILDREN
    label = gettext_noop("Sum of sub-criteria")
    used_for = frozenset({NodeKind.GROUP})

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        raise ScoreInputError("not_scorable", type=str(self.code))

    def widget(self, spec: CriterionSpec) -> Widget:
        return Widget()
