"""What the percentage types share: a percentage typed 0–100, and bands of percentages."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..numbers import ZERO, ScoreInputError, to_decimal
from ..types import CriterionSpec
from .base import ScoreTypeDef, Shown, Widget, _


def bands_of(spec: CriterionSpec) -> list[tuple[Decimal, Decimal]]:
    """Percent bands as (minimum %, points), highest minimum first."""
    bands = [(to_decimal(b["min"]), to_decimal(b["points"])) for b in spec.params.get("bands", [])]
    return sorted(bands, key=lambda b: b[0], reverse=True)


def banded(spec: CriterionSpec, percent: Decimal) -> Decimal:
    """The points of the highest band the percentage reaches."""
    for minimum, points in bands_of(spec):
        if percent >= minimum:
            return points
    return ZERO


def band_problems(spec: CriterionSpec) -> Iterator[Shown]:
    bands = spec.params.get("bands")
    if not isinstance(bands, list) or not bands:
        yield _("Percentage bands need a list “bands” of min and points.")
        return
    mins = []
    for band in bands:
        try:
            minimum, points = to_decimal(band.get("min")), to_decimal(band.get("points"))
        except (ScoreInputError, AttributeError):
            yield _("Every percentage band needs min and points.")
            continue
        mins.append(minimum)
        if not 0 <= minimum <= 100 or points < 0 or points > spec.max_points:
            yield _(
                "Band “≥ %(min)s %%” → %(points)s points is outside 0–100 %% or 0–%(max)s points.",
                min=minimum,
                points=points,
                max=spec.max_points,
            )
    if len(set(mins)) != len(mins):
        yield _("Two percentage bands start at the same value.")


class Percentage(ScoreTypeDef):
    """A mark typed as a percentage (0–100)."""

    numeric_params = frozenset({"min", "points"})  # of the bands

    def widget(self, spec: CriterionSpec) -> Widget:
        return Widget(placeholder="%")

    def unit(self, spec: CriterionSpec) -> Shown:
        return "%"

    def hint(self, spec: CriterionSpec) -> Shown:
        return _("Percentage (0–100)")

    def full_marks(self, spec: CriterionSpec) -> str:
        return "100"
