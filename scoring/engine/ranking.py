"""Quota and rank within a group (BRIEF §3, steps 9–10).

Tie-breaks, in order: higher total; higher appraised total; fewer penalties (cases, days or
points, as the set's `tie_break_penalties` says); earlier submission; then Vietnamese alphabetical
order of the name and the stable key, so the ranking is a total order that does not depend on the
order the dossiers arrive in. Where unclassified agencies stand, and whether their total is shown,
is the set's `unclassified_rank` and `show_unclassified_total`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from decimal import Decimal

from .bands import next_lower
from .types import CriteriaSetSpec, DossierResult, PenaltyMeasure, Step, StepKind, UnclassifiedRank

FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)
TIE_BREAKS = ("total", "appraised_total", "penalty_count", "submitted_at", "name")


def penalty_measure(spec: CriteriaSetSpec | None, result: DossierResult) -> Decimal:
    """What "fewer penalties" compares: the points deducted, or the cases or days counted."""
    if spec is not None and spec.tie_break_penalties is PenaltyMeasure.POINTS:
        return result.penalty
    return Decimal(result.penalty_count)


def rank_key(result: DossierResult, collate: Callable[[str], object], spec: CriteriaSetSpec | None = None) -> tuple:
    submitted = result.submitted_at or FAR_FUTURE
    if submitted.tzinfo is None:
        submitted = submitted.replace(tzinfo=dt.UTC)
    return (
        -result.total,
        -result.appraised_total,
        penalty_measure(spec, result),
        submitted,
        collate(result.name),
        result.key,
    )


def rank_group(
    spec: CriteriaSetSpec, results: Iterable[DossierResult], collate: Callable[[str], object] = str
) -> list[DossierResult]:
    """Ranks one group's results in place (1 = best), then applies the set's quotas in rank order.

    Unclassified agencies stand where the set says: after every classified one (ranked), among
    them by total, or after them without a rank.
    """
    among = spec.unclassified_rank is UnclassifiedRank.BY_TOTAL
    ordered = sorted(results, key=lambda r: (False if among else not r.classified, rank_key(r, collate, spec)))
    position = 0
    for index, result in enumerate(ordered):
        result.total_shown = result.classified or spec.show_unclassified_total
        if not result.classified and spec.unclassified_rank is UnclassifiedRank.NONE:
            result.rank = None
            continue
        position += 1
        result.rank = position
        if index > 0:
            previous = ordered[index - 1]
            decided = _deciding_tie_break(previous, result, collate, spec)
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


def _deciding_tie_break(a: DossierResult, b: DossierResult, collate, spec: CriteriaSetSpec) -> str:
    key_a, key_b = rank_key(a, collate, spec), rank_key(b, collate, spec)
    for name, x, y in zip((*TIE_BREAKS, "key"), key_a, key_b, strict=True):
        if x != y:
            return name
    return "key"
