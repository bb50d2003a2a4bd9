"""Points typed as they are, within [min, max] and on the step the regulation sets (0,5 …)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..numbers import ZERO, ScoreInputError, decimal_text, number_or_zero, to_decimal
from ..types import CriterionSpec, NodeKind, ScoreType
from . import register
from .base import ScoreTypeDef, Shown, Widget, _, gettext_noop


def step_of(spec: CriterionSpec) -> Decimal | None:
    step = spec.params.get("step")
    return to_decimal(step) if step not in (None, "") else None


def lowest(spec: CriterionSpec) -> Decimal:
    return to_decimal(spec.params.get("min", 0))


@register
class PointsInRange(ScoreTypeDef):
    code = ScoreType.RANGE
    label = gettext_noop("Points in a range")
    used_for = frozenset({NodeKind.ITEM, NodeKind.BONUS})
    numeric_params = frozenset({"min", "step"})

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        value = to_decimal(raw)
        low, top = lowest(spec), spec.max_points
        if value < low or value > top:
            raise ScoreInputError("out_of_range", value=value, min=low, max=top)
        step = step_of(spec)
        if step and (value - low) % step != 0:
            raise ScoreInputError("off_step", value=value, step=step)
        return value

    def param_problems(self, spec: CriterionSpec) -> Iterator[Shown]:
        if spec.params.get("step") not in (None, "") and number_or_zero(spec.params["step"]) <= ZERO:
            yield _("The step must be a positive number.")

    def widget(self, spec: CriterionSpec) -> Widget:
        return Widget(placeholder=f"{decimal_text(lowest(spec))}–{decimal_text(spec.max_points)}")

    def hint(self, spec: CriterionSpec) -> Shown:
        step = step_of(spec)
        if step:
            return _("Points %(min)s–%(max)s, in steps of %(step)s", min=lowest(spec), max=spec.max_points, step=step)
        return _("Points %(min)s–%(max)s", min=lowest(spec), max=spec.max_points)
