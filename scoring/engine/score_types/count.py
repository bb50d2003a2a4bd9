"""A penalty per case or per day (điểm trừ): `per_case` points times the count, at most the
item's maximum. Each case counts as one penalty when ranks are tied."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from ..numbers import to_count
from ..types import CriterionSpec, NodeKind, ScoreType
from . import register
from ._cases import Cases
from .base import gettext_noop


@register
class Count(Cases):
    code = ScoreType.COUNT
    label = gettext_noop("Points per case")
    used_for = frozenset({NodeKind.PENALTY})

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        return min(self.per_case(spec) * to_count(raw), spec.max_points)

    def cases(self, spec: CriterionSpec, raw: Any) -> int:
        return int(to_count(raw))

    def full_marks(self, spec: CriterionSpec) -> str:
        return str(math.ceil(spec.max_points / self.per_case(spec)))
