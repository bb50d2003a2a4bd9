"""The percentage achieved times the maximum (95 % of 15 points → 14,25)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..numbers import HUNDRED, to_percent
from ..types import CriterionSpec, ScoreType
from . import register
from ._percent import Percentage
from .base import gettext_noop


@register
class PercentLinear(Percentage):
    code = ScoreType.PERCENT_LINEAR
    label = gettext_noop("Percentage × maximum")

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        return spec.max_points * to_percent(raw) / HUNDRED
