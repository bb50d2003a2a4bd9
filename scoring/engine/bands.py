"""Classification bands (xếp loại): lookup and the partition check."""

from __future__ import annotations

from decimal import Decimal

from .types import BandSpec

ZERO = Decimal(0)


def classify(bands: tuple[BandSpec, ...], total: Decimal) -> str | None:
    """The code of the band with min ≤ total < max (max None = unbounded), or None."""
    for band in bands:
        if total >= band.min_points and (band.max_points is None or total < band.max_points):
            return band.code
    return None


def band_problems(bands: tuple[BandSpec, ...] | list[BandSpec]) -> list[tuple[str, dict]]:
    """Why the bands do not partition [0, ∞) exactly once: gaps, overlaps, empty bands.

    Returns (problem code, details) pairs; an empty list means every total has exactly one class.
    """
    problems: list[tuple[str, dict]] = []
    if not bands:
        return [("no_bands", {})]
    ordered = sorted(bands, key=lambda b: b.min_points)
    for band in ordered:
        if band.max_points is not None and band.max_points <= band.min_points:
            problems.append(("empty_band", {"band": band.code}))
    if ordered[0].min_points > ZERO:
        problems.append(("gap", {"from": ZERO, "to": ordered[0].min_points}))
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        if lower.max_points is None or lower.max_points > upper.min_points:
            problems.append(("overlap", {"bands": (lower.code, upper.code)}))
        elif lower.max_points < upper.min_points:
            problems.append(("gap", {"from": lower.max_points, "to": upper.min_points}))
    if ordered[-1].max_points is not None:
        problems.append(("gap", {"from": ordered[-1].max_points, "to": None}))
    return problems


def band_order(bands: tuple[BandSpec, ...]) -> dict[str, int]:
    """Band code → rank of the class, 0 = best (highest minimum)."""
    ordered = sorted(bands, key=lambda b: b.min_points, reverse=True)
    return {band.code: i for i, band in enumerate(ordered)}


def next_lower(bands: tuple[BandSpec, ...], code: str) -> str | None:
    ordered = sorted(bands, key=lambda b: b.min_points, reverse=True)
    codes = [b.code for b in ordered]
    index = codes.index(code)
    return codes[index + 1] if index + 1 < len(codes) else None
