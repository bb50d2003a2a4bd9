"""A contest's panel (Ban Giám khảo) and awards — pure maths, no Django.

Each judge scores an entrant alone; the judge's sheet is scored by the criteria set like any
dossier (`tree.score_dossier`: caps, bonus, ceiling, rounding). The panel's score of an entrant is
the contest's combine rule over its judges' totals:

- `average`: the mean of every judge's total;
- `drop_extremes`: one highest and one lowest total set aside, the mean of the rest — with fewer
  than three totals nothing is set aside (there would be nothing left to average).

Ranking (stated tie rule): a higher panel score ranks higher; entrants with the SAME panel score
share a rank, and the next rank skips as many places (1, 1, 3 — the "standard competition" order),
so no alphabet or submission time decides a prize. Awards are given by rank, best first, each with
its count of places: an entrant whose rank is within the first `count` places of an award gets it.
A tie across an award's last place gives every tied entrant the better award, and the places they
take are taken from the awards below (they are the ranks they skip). An entrant no judge has scored
in full has no panel score: listed after the others, without rank or award.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class PanelRule(StrEnum):
    AVERAGE = "average"
    DROP_EXTREMES = "drop_extremes"


@dataclass(frozen=True)
class AwardSpec:
    code: str  # e.g. "nhat"
    name: str  # e.g. "Giải Nhất"
    count: int  # places of this award


@dataclass
class EntrantScore:
    key: str
    name: str
    judge_totals: dict[str, Decimal]  # judge key → the judge's total (complete sheets only)
    score: Decimal | None = None
    dropped: tuple[str, ...] = ()  # judge keys set aside by the rule
    rank: int | None = None
    award: AwardSpec | None = None
    tied: bool = False  # shares its rank with another entrant


def combine_panel(
    totals: Mapping[str, Decimal], rule: PanelRule | str, places: int = 2
) -> tuple[Decimal | None, tuple[str, ...]]:
    """(panel score, judges set aside) of one entrant's judge totals under `rule`."""
    if not totals:
        return None, ()
    ordered = sorted(totals.items(), key=lambda item: (item[1], item[0]))
    dropped: tuple[str, ...] = ()
    if PanelRule(rule) is PanelRule.DROP_EXTREMES and len(ordered) >= 3:
        dropped = (ordered[0][0], ordered[-1][0])
        ordered = ordered[1:-1]
    mean = sum((value for _key, value in ordered), Decimal(0)) / len(ordered)
    return mean.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), dropped


def rank_entrants(
    entrants: Sequence[EntrantScore],
    rule: PanelRule | str,
    awards: Sequence[AwardSpec],
    places: int = 2,
    collate: Callable[[str], object] = str,
) -> list[EntrantScore]:
    """Scores, ranks (ties shared) and awards the entrants; returns them best first."""
    for entrant in entrants:
        entrant.score, entrant.dropped = combine_panel(entrant.judge_totals, rule, places)
    scored = sorted((e for e in entrants if e.score is not None), key=lambda e: (-e.score, collate(e.name), e.key))
    unscored = sorted((e for e in entrants if e.score is None), key=lambda e: (collate(e.name), e.key))
    for index, entrant in enumerate(scored):
        previous = scored[index - 1] if index else None
        if previous is not None and previous.score == entrant.score:
            entrant.rank = previous.rank
            entrant.tied = previous.tied = True
        else:
            entrant.rank = index + 1
        entrant.award = award_for_rank(entrant.rank, awards)
    for entrant in unscored:
        entrant.rank, entrant.award, entrant.tied = None, None, False
    return scored + unscored


def award_for_rank(rank: int, awards: Sequence[AwardSpec]) -> AwardSpec | None:
    """The award of the given rank: the first award whose places reach down to it."""
    last_place = 0
    for award in awards:
        last_place += max(award.count, 0)
        if rank <= last_place:
            return award
    return None


@dataclass(frozen=True)
class AwardCount:
    award: AwardSpec
    entrants: tuple[str, ...] = field(default_factory=tuple)  # keys, best first


def awards_given(ranked: Sequence[EntrantScore], awards: Sequence[AwardSpec]) -> list[AwardCount]:
    """Every award with the entrants who got it, in the awards' order."""
    return [AwardCount(award, tuple(e.key for e in ranked if e.award == award)) for award in awards]
