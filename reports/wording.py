"""How the year-end documents write things (Nghị định 30/2020/NĐ-CP): numbers, points, recipients,
and the placeholders a province may use in its document texts. Pure functions, no database.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

# The names a province may write in braces in its texts, e.g. "Căn cứ Quyết định số {regulation_number}".
PLACEHOLDERS = (
    "year",
    "program",
    "regulation_number",
    "regulation_date",
    "regulation_title",
    "regulation_issuer",
    "proposal_number",
    "proposal_date",
    "decision_number",
    "decision_date",
    "agency",
)
# …and those the texts of a contest's award decision and certificates may use besides: the contest's
# name, ", chủ đề “…”" when it has a theme, the panel's size and rule; a certificate's prize, score
# and entrant.
CONTEST_PLACEHOLDERS = (*PLACEHOLDERS, "contest", "theme", "judges", "combine", "award", "score", "entrant")
UNKNOWN_DATE = "ngày … tháng … năm …"


def placeholders_in(text: str) -> list[str]:
    """The placeholder names used in `text`; raises ValueError on an unbalanced brace."""
    return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def unknown_placeholders(text: str, known: tuple[str, ...] = PLACEHOLDERS) -> list[str]:
    """Placeholders of `text` the documents cannot fill ('{' alone counts as one)."""
    try:
        names = placeholders_in(text)
    except ValueError:
        return ["{"]
    return [name or "{}" for name in names if name not in known]


def fill(text: str, values: Mapping[str, str], known: tuple[str, ...] = PLACEHOLDERS) -> str:
    """`text` with its placeholders replaced; a text the form would refuse is printed as typed."""
    if unknown_placeholders(text, known):
        return text
    return text.format_map({name: values.get(name, "") for name in known})


def lines(text: str) -> list[str]:
    """The non-empty lines of a text field, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def recipient_lines(text: str) -> list[str]:
    """Nơi nhận: each entry "- …;", the last one (Lưu) ending with a period."""
    entries = [line.lstrip("-–• ").rstrip(" ;.") for line in lines(text)]
    entries = [entry for entry in entries if entry]
    return [f"- {entry}{'.' if i == len(entries) - 1 else ';'}" for i, entry in enumerate(entries)]


def basis_lines(text: str) -> list[str]:
    """Căn cứ: each legal basis ends with a semicolon, whatever the province typed."""
    return [f"{line.rstrip(' ;.')};" for line in lines(text)]


def sentence(text: str) -> str:
    """A closing sentence: one period at the end."""
    text = text.strip().rstrip(" ;.")
    return f"{text}." if text else ""


def document_number(number: str, symbol: str) -> str:
    """ "05/BC-SNV": the number, padded below 10, then "/" and the symbol; "…/QĐ-UBND" while unknown.

    A number typed with its own symbol ("3120/QĐ-UBND") is printed as typed.
    """
    number, symbol = number.strip(), symbol.strip().lstrip("/")
    if "/" in number:
        return number
    if not number:
        return f"…/{symbol}"
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    return f"{number}/{symbol}"


def points(value: Decimal | int | None, places: int) -> str:
    """Points with exactly `places` decimals and a decimal comma: 7,50 — 90,00 (None is "—")."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    text = format(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP), "f")
    return text.replace("-", "−").replace(".", ",")


def column_places(values: Iterable[Decimal | int | None], most: int = 2) -> int:
    """The decimals a column of measured values needs (at most `most`), so every row prints alike."""
    needed = [-Decimal(v).normalize().as_tuple().exponent for v in values if v is not None]
    return min(max([0, *needed]), most)


def signed_points(value: Decimal, places: int) -> str:
    """A bonus or deduction: +3,00 — −2,00 — 0,00."""
    text = points(abs(value), places)
    if not value:
        return text
    return ("+" if value > 0 else "−") + text
