"""Bands of percentages, each worth its points (≥ 90 % → 6, ≥ 80 % → 4 …)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..numbers import to_percent
from ..types import CriterionSpec, ScoreType
from . import register
from ._percent import Percentage, band_problems, banded
from .base import Shown, gettext_noop


@register
class PercentBanded(Percentage):
    code = ScoreType.PERCENT_BANDED
    label = gettext_noop("Percentage bands")

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        return banded(spec, to_percent(raw))

    def param_problems(self, spec: CriterionSpec) -> Iterator[Shown]:
        return band_problems(spec)
