"""Yes or no: yes earns the maximum, no earns 0 (a penalty: applied deducts its points)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..numbers import ZERO, to_bool
from ..types import CriterionSpec, NodeKind, ScoreType
from . import register
from .base import ScoreTypeDef, Shown, Widget, _, gettext_noop

YES, NO = _("Yes"), _("No")


@register
class YesNo(ScoreTypeDef):
    code = ScoreType.BOOLEAN
    label = gettext_noop("Yes / no")
    used_for = frozenset({NodeKind.ITEM, NodeKind.BONUS, NodeKind.PENALTY})

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        return spec.max_points if to_bool(raw) else ZERO

    def canonical(self, spec: CriterionSpec, raw: Any) -> str:
        return "true" if to_bool(raw) else "false"

    def widget(self, spec: CriterionSpec) -> Widget:
        return Widget(choices=(("true", YES), ("false", NO)))

    def hint(self, spec: CriterionSpec) -> Shown:
        return _("Yes / No")

    def display(self, spec: CriterionSpec, raw: str) -> Shown:
        return YES if raw.strip().lower() in ("true", "1", "có", "yes") else NO

    def full_marks(self, spec: CriterionSpec) -> str:
        return "true"
