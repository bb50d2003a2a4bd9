"""Vietnamese text helpers: collation for sorting names, dates as officials write them.

Why hand-written collation: PyICU has no wheel on PyPI (it needs the ICU headers and a compiler),
and the database cannot sort Python-side lists (rankings computed by the engine). The rules below
are CLDR's Vietnamese tailoring, which is small: ă â đ ê ô ơ ư are letters of their own
(a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư); tone marks differ only at the second level, in the
order none < huyền < hỏi < ngã < sắc < nặng; case differs only at the third level.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

_ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {ch: i + 2 for i, ch in enumerate(_ALPHABET)}
# Combining marks that make a distinct letter, and the letter they make from a base.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A sort key giving Vietnamese dictionary order (CLDR vi), e.g. for agency names."""
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for cluster in _clusters(unicodedata.normalize("NFD", text)):
        base, marks = cluster[0], cluster[1:]
        lower = base.lower()
        tone = 0
        for mark in marks:
            if (lower, mark) in _LETTER_MARKS:
                lower = _LETTER_MARKS[(lower, mark)]
            elif mark in _TONES:
                tone = _TONES[mark]
        if lower.isspace():
            primary.append(1)  # word boundary sorts before any letter: "An Thạnh" < "Anh"
        elif lower in _PRIMARY:
            primary.append(_PRIMARY[lower])
        elif lower.isalnum():
            primary.append(1000 + ord(lower))
        else:
            continue  # punctuation is ignorable, as in ICU's default "shifted" handling
        secondary.append(tone)
        tertiary.append(0 if base == lower or not base.isupper() else 1)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def _clusters(decomposed: str) -> list[str]:
    clusters: list[str] = []
    for ch in decomposed:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def vi_sorted(items, key=lambda item: item):
    """`items` sorted by Vietnamese collation of `key(item)`."""
    return sorted(items, key=lambda item: vi_sort_key(str(key(item))))


def long_date(day: dt.date) -> str:
    """ "ngày 05 tháng 12 năm 2021" — Nghị định 30/2020: pad days below 10 and the months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: dt.date) -> str:
    """ "Tây Ninh, ngày 05 tháng 12 năm 2021" — the place-and-date line of an official document."""
    return f"{place}, {long_date(day)}"


def search_folded(text: str) -> str:
    """Text as a search compares it: without tone or letter marks, đ as d, any case, spaces
    collapsed — so “so tu phap” finds “Sở Tư pháp”, as people type on a keyboard without Telex."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
