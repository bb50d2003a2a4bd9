"""Quota and rank within a group (BRIEF §3, steps 9–10).

Tie-breaks, in order: higher total; higher appraised total; fewer penalties; earlier submission;
then Vietnamese alphabetical order of the name and the stable key, so the ranking is a total order
that does not depend on the order the dossiers arrive in.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from decimal import Decimal

from .bands import next_lower
from .types import CriteriaSetSpec, DossierResult, Step, StepKind

FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)
TIE_BREAKS = ("total", "appraised_total", "penalty_count", "submitted_at", "name")


def rank_key(result: DossierResult, collate: Callable[[str], object]) -> tuple:
    submitted = result.submitted_at or FAR_FUTURE
    if submitted.tzinfo is None:
        submitted = submitted.replace(tzinfo=dt.UTC)
    return (
        -result.total,
        -result.appraised_total,
        result.penalty_count,
        submitted,
        collate(result.name),
        result.key,
    )


def rank_group(
    spec: CriteriaSetSpec, results: Iterable[DossierResult], collate: Callable[[str], object] = str
) -> list[DossierResult]:
    """Ranks one group's results in place (1 = best), then applies the set's quotas in rank order.

    Unclassified agencies are ranked after every classified one.
    """
    ordered = sorted(results, key=lambda r: (not r.classified, rank_key(r, collate)))
    for position, result in enumerate(ordered, start=1):
        result.rank = position
        if position > 1:
            previous = ordered[position - 2]
            decided = _deciding_tie_break(previous, result, collate)
            if decided != "total":
                result.steps.append(Step(StepKind.TIE_BREAK, detail={"after": previous.key, "by": decided}))
    for quota in spec.quotas:
        allowed = math.floor(Decimal(len(ordered)) * quota.max_percent / 100)
        kept = 0
        for result in ordered:
            if result.band != quota.band:
                continue
            if kept < allowed:
                kept += 1
                continue
            lower = next_lower(spec.bands, quota.band)
            result.steps.append(
                Step(
                    StepKind.QUOTA,
                    detail={"band": quota.band, "to": lower, "allowed": allowed, "percent": quota.max_percent},
                )
            )
            result.band = lower
    return ordered


def _deciding_tie_break(a: DossierResult, b: DossierResult, collate) -> str:
    key_a, key_b = rank_key(a, collate), rank_key(b, collate)
    for name, x, y in zip((*TIE_BREAKS, "key"), key_a, key_b, strict=True):
        if x != y:
            return name
    return "key"
