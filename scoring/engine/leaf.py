"""From a raw mark to points, per score type — and the checks that refuse a bad mark.

A raw mark is what a person enters: yes/no, a level code, points, a percentage, a count.
Errors are ScoreInputError(code, params); the web layer turns the code into a Vietnamese message.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .types import CriterionSpec, ScoreType

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class ScoreInputError(ValueError):
    def __init__(self, code: str, **params: Any):
        super().__init__(code, params)
        self.code = code
        self.params = params


def quantize(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_decimal(raw: Any) -> Decimal:
    """Reads numbers as officials type them: "7,5" or "7.5"; never through float."""
    if isinstance(raw, bool):
        raise ScoreInputError("not_a_number", value=raw)
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = str(raw).strip().replace(" ", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ScoreInputError("not_a_number", value=raw) from None
    if not value.is_finite():
        raise ScoreInputError("not_a_number", value=raw)
    return value


def to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "có", "co", "x", "đạt", "dat"}:
        return True
    if text in {"0", "false", "no", "không", "khong", "", "không đạt"}:
        return False
    raise ScoreInputError("not_yes_no", value=raw)


def levels_of(spec: CriterionSpec) -> list[dict[str, Any]]:
    return list(spec.params.get("levels", []))


def bands_of(spec: CriterionSpec) -> list[tuple[Decimal, Decimal]]:
    """Percent bands as (minimum %, points), highest minimum first."""
    bands = [(to_decimal(b["min"]), to_decimal(b["points"])) for b in spec.params.get("bands", [])]
    return sorted(bands, key=lambda b: b[0], reverse=True)


def step_of(spec: CriterionSpec) -> Decimal | None:
    step = spec.params.get("step")
    return to_decimal(step) if step not in (None, "") else None


def _percent(raw: Any) -> Decimal:
    value = to_decimal(raw)
    if value < ZERO or value > HUNDRED:
        raise ScoreInputError("percent_out_of_range", value=value)
    return value


def points_for(spec: CriterionSpec, raw: Any) -> Decimal:
    """Points earned (for a penalty: points deducted) by `raw` on `spec`, before any cap of a parent."""
    kind = spec.score_type
    top = spec.max_points
    if kind is ScoreType.BOOLEAN:
        return top if to_bool(raw) else ZERO
    if kind is ScoreType.LEVELS:
        code = str(raw).strip()
        for level in levels_of(spec):
            if str(level["code"]) == code:
                return to_decimal(level["points"])
        raise ScoreInputError("unknown_level", value=raw, levels=[lv["code"] for lv in levels_of(spec)])
    if kind is ScoreType.RANGE:
        value = to_decimal(raw)
        low = to_decimal(spec.params.get("min", 0))
        if value < low or value > top:
            raise ScoreInputError("out_of_range", value=value, min=low, max=top)
        step = step_of(spec)
        if step and (value - low) % step != 0:
            raise ScoreInputError("off_step", value=value, step=step)
        return value
    if kind is ScoreType.PERCENT_LINEAR:
        return top * _percent(raw) / HUNDRED
    if kind is ScoreType.PERCENT_BANDED:
        return _banded(spec, _percent(raw))
    if kind is ScoreType.IMPORTED_INDEX:
        value = _percent(raw)
        return _banded(spec, value) if spec.params.get("bands") else top * value / HUNDRED
    if kind is ScoreType.COUNT_DEDUCT:
        count = _count(raw)
        per = to_decimal(spec.params.get("per_case", 1))
        cap = to_decimal(spec.params.get("cap", top))
        return max(ZERO, top - min(per * count, cap))
    if kind is ScoreType.COUNT:
        count = _count(raw)
        per = to_decimal(spec.params.get("per_case", 1))
        return min(per * count, top)
    raise ScoreInputError("not_scorable", type=str(kind))


def _count(raw: Any) -> Decimal:
    value = to_decimal(raw)
    if value < ZERO or value != value.to_integral_value():
        raise ScoreInputError("not_a_count", value=raw)
    return value


def _banded(spec: CriterionSpec, percent: Decimal) -> Decimal:
    for minimum, points in bands_of(spec):
        if percent >= minimum:
            return points
    return ZERO


def canonical_raw(spec: CriterionSpec, raw: Any) -> str:
    """The mark as stored: "3,5" → "3.5", "Có" → "true"; validates it on the way (ScoreInputError)."""
    points_for(spec, raw)
    kind = spec.score_type
    if kind is ScoreType.BOOLEAN:
        return "true" if to_bool(raw) else "false"
    if kind is ScoreType.LEVELS:
        return str(raw).strip()
    return format(to_decimal(raw).normalize(), "f")
