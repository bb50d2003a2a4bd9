"""What the types counted in cases share: a whole number of cases, each worth `per_case` points."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..numbers import ZERO, number_or_zero, to_decimal
from ..types import CriterionSpec
from .base import ScoreTypeDef, Shown, Widget, _


class Cases(ScoreTypeDef):
    numeric_params = frozenset({"per_case", "cap"})

    def per_case(self, spec: CriterionSpec) -> Decimal:
        return to_decimal(spec.params.get("per_case", 1))

    def param_problems(self, spec: CriterionSpec) -> Iterator[Shown]:
        if number_or_zero(spec.params.get("per_case", 1)) <= ZERO:
            yield _("“per_case” must be a positive number.")

    def widget(self, spec: CriterionSpec) -> Widget:
        return Widget(placeholder=_("cases"))

    def unit(self, spec: CriterionSpec) -> Shown:
        return _("case(s)")

    def hint(self, spec: CriterionSpec) -> Shown:
        return _("Number of cases")
