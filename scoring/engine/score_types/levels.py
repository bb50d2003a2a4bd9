"""Fixed levels, each worth its points (on time 3 / late 1,5 / missing 0). A mark is a level's
code; people may type its label too (“Đúng hạn”), which is stored as the code."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..numbers import ScoreInputError, decimal_text, to_decimal
from ..types import CriterionSpec, NodeKind, ScoreType
from . import register
from .base import ScoreTypeDef, Shown, Widget, _, gettext_noop

LEVEL_FIELDS = frozenset({"code", "label", "points"})


def levels_of(spec: CriterionSpec) -> list[dict[str, Any]]:
    return list(spec.params.get("levels", []))


def _label(level: dict[str, Any]) -> str:
    return str(level.get("label", level["code"]))


def _loose(text: Any) -> str:
    """A label as typed loosely: any case, spacing, and commas (an Excel list drops them)."""
    return " ".join(str(text).replace(",", " ").split()).lower()


@register
class Levels(ScoreTypeDef):
    code = ScoreType.LEVELS
    label = gettext_noop("Fixed levels")
    used_for = frozenset({NodeKind.ITEM, NodeKind.BONUS})
    numeric_params = frozenset({"points"})

    def points(self, spec: CriterionSpec, raw: Any) -> Decimal:
        code = str(raw).strip()
        for level in levels_of(spec):
            if str(level["code"]) == code:
                return to_decimal(level["points"])
        raise self._unknown(spec, raw)

    def canonical(self, spec: CriterionSpec, raw: Any) -> str:
        typed = str(raw).strip()
        exact = [str(lv["code"]) for lv in levels_of(spec) if str(lv["code"]) == typed]
        loose = [str(lv["code"]) for lv in levels_of(spec) if _loose(typed) in (_loose(_label(lv)), _loose(lv["code"]))]
        if not (exact or loose):
            raise self._unknown(spec, raw)
        return (exact or loose)[0]

    def _unknown(self, spec: CriterionSpec, raw: Any) -> ScoreInputError:
        return ScoreInputError("unknown_level", value=raw, levels=[lv["code"] for lv in levels_of(spec)])

    def param_problems(self, spec: CriterionSpec) -> Iterator[Shown]:
        levels = spec.params.get("levels")
        if not isinstance(levels, list) or not levels:
            yield _("Levels need a list “levels” of code, label and points.")
            return
        seen = set()
        for level in levels:
            try:
                points = to_decimal(level.get("points"))
            except (ScoreInputError, AttributeError):
                yield _("Every level needs a code and points.")
                continue
            # An unquoted label with a comma (“Có đăng ký, chưa rõ hiệu quả”) splits into a key.
            for key in sorted(set(level) - LEVEL_FIELDS, key=str):
                yield _("Unknown field “%(field)s”.", field=key)
            if str(level.get("code", "")) in seen or not level.get("code"):
                yield _("Level codes must be present and distinct.")
            seen.add(str(level.get("code", "")))
            if points < 0 or points > spec.max_points:
                yield _(
                    "Level “%(level)s” gives %(points)s points, outside 0–%(max)s.",
                    level=level.get("code"),
                    points=points,
                    max=spec.max_points,
                )

    def widget(self, spec: CriterionSpec) -> Widget:
        return Widget(
            choices=tuple(
                (str(lv["code"]), f"{_label(lv)} ({decimal_text(to_decimal(lv['points']))})") for lv in levels_of(spec)
            )
        )

    def hint(self, spec: CriterionSpec) -> Shown:
        return tuple(
            _("%(label)s (%(points)s points)", label=_label(lv), points=to_decimal(lv["points"]))
            for lv in levels_of(spec)
        )

    def display(self, spec: CriterionSpec, raw: str) -> Shown:
        return next((_label(lv) for lv in levels_of(spec) if str(lv["code"]) == raw), raw)

    def full_marks(self, spec: CriterionSpec) -> str:
        return str(max(levels_of(spec), key=lambda lv: to_decimal(lv["points"]))["code"])
