"""Reading marks as people type them, and writing points as officials do — the readers every
score type shares. Errors are ScoreInputError(code, params); the web layer turns the code into a
Vietnamese message (scoring/score_types.py).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# A mark is stored as typed (canonical form) in a 60-character column; no real mark comes near.
MAX_NUMBER_CHARS = 30
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
YES_WORDS = frozenset({"1", "true", "yes", "có", "co", "x", "đạt", "dat"})
NO_WORDS = frozenset({"0", "false", "no", "không", "khong", "", "không đạt"})


class ScoreInputError(ValueError):
    def __init__(self, code: str, **params: Any):
        super().__init__(code, params)
        self.code = code
        self.params = params


# The exponents of the places a regulation can round to (0.1, 0.01, …), built once: quantizing
# is the engine's most frequent operation.
_EXPONENTS = tuple(Decimal(1).scaleb(-places) for places in range(10))


def quantize(value: Decimal, places: int = 2) -> Decimal:
    exponent = _EXPONENTS[places] if 0 <= places < len(_EXPONENTS) else Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


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
        value = _typed_decimal(raw)
    if not value.is_finite():
        raise ScoreInputError("not_a_number", value=raw)
    return value


def _typed_decimal(raw: Any) -> Decimal:
    try:
        return _read_text(str(raw))
    except ScoreInputError as error:
        raise ScoreInputError(error.code, value=raw) from None


# A province's marks are a few hundred distinct strings ("85", "7,5"): each is read once per
# process (a Decimal is immutable, so sharing it is safe; a refused text is not cached).
@lru_cache(maxsize=4096)
def _read_text(raw: str) -> Decimal:
    text = raw.strip().replace(" ", "").replace(",", ".")
    if not text.isascii():
        # Decimal() and int() read any script's digits ("٣", "５"): a number here is 0-9 only.
        code = "non_ascii_digits" if any(ch.isdigit() for ch in text) else "not_a_number"
        raise ScoreInputError(code, value=raw)
    if len(text) > MAX_NUMBER_CHARS or not PLAIN_NUMBER.fullmatch(text):
        raise ScoreInputError("not_a_number", value=raw)  # also "1e-90", "NaN", "Infinity"
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ScoreInputError("not_a_number", value=raw) from None


def to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ScoreInputError("not_yes_no", value=raw)


def to_percent(raw: Any) -> Decimal:
    value = to_decimal(raw)
    if value < ZERO or value > HUNDRED:
        raise ScoreInputError("percent_out_of_range", value=value)
    return value


def to_count(raw: Any) -> Decimal:
    value = to_decimal(raw)
    if value < ZERO or value != value.to_integral_value():
        raise ScoreInputError("not_a_count", value=raw)
    return value


def number_or_zero(value: Any) -> Decimal:
    """A parameter as a number, or 0 when it is none (its check then reports it)."""
    try:
        return to_decimal(value)
    except ScoreInputError:
        return ZERO


def canonical_number(raw: Any) -> str:
    """A number as stored: "3,50" → "3.5"."""
    return format(to_decimal(raw).normalize(), "f")


def decimal_text(value: Any) -> str:
    """Points as officials write them: 7,5 — 90 — 12,25; "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return str(value)
