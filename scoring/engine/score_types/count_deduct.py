"""The maximum less `per_case` points per case (late reports, complaints …), the deduction capped
at `cap` (default: the maximum)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..numbers import ZERO, to_count, to_decimal
from ..types import CriterionSpec, ScoreType
from . import register
from ._cases import Cases
from .base import gettext_noop


@register
class CountDeduct(Cases):
    code = ScoreType.COUNT_DEDUCT
    label = gettext_noop("Deduction per case")

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        count = to_count(raw)
        cap = to_decimal(spec.params.get("cap", spec.max_points))
        return max(ZERO, spec.max_points - min(self.per_case(spec) * count, cap))

    def full_marks(self, spec: CriterionSpec) -> str:
        return "0"
