"""Only ASCII digits are numbers: Decimal() and int() would read "٣" or "５" as 3 and 5."""

from decimal import Decimal

import pytest

from scoring.engine import ScoreInputError
from scoring.engine.leaf import to_decimal


@pytest.mark.parametrize(
    ("raw", "value"), [("8,5", "8.5"), ("7.5", "7.5"), (" 1 000 ", "1000"), ("-2", "-2"), (".5", "0.5"), ("3.", "3")]
)
def test_numbers_as_officials_type_them(raw, value):
    assert to_decimal(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["٣", "５", "８,５", "৩", "߃", "3٣", "²"])
def test_digits_of_other_scripts_are_refused_as_such(raw):
    with pytest.raises(ScoreInputError) as refused:
        to_decimal(raw)
    assert refused.value.code == "non_ascii_digits"


@pytest.mark.parametrize("raw", ["1e-90", "NaN", "Infinity", "0x10", "1_000", "0." + "0" * 40 + "1", "abc"])
def test_what_no_official_types_is_not_a_number(raw):
    with pytest.raises(ScoreInputError) as refused:
        to_decimal(raw)
    assert refused.value.code == "not_a_number"
