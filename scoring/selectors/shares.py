"""The best class's share as the ranking page shows it: per criteria set (`best_band_shares`, each
set against its own bands) and per group within its set; the period's combined share only as a
figure labelled as such (the plan's target is stated on it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .results import BandShare, RankingSection, best_band_share, best_band_shares


@dataclass(frozen=True)
class GroupShare:
    """One ranking section (a group scored against one set): agencies in the set's best class."""

    section: RankingSection
    total: int
    in_best: int
    label: str

    @property
    def share(self) -> Decimal | None:
        return (Decimal(self.in_best * 100) / Decimal(self.total)).quantize(Decimal("0.01")) if self.total else None


@dataclass(frozen=True)
class RankingShares:
    per_set: list[BandShare]
    per_group: list[GroupShare]
    combined: Decimal | None  # every set's agencies in their own set's best class, together
    combined_label: str

    @property
    def several_sets(self) -> bool:
        return len(self.per_set) > 1


def ranking_shares(period, sections: list[RankingSection]) -> RankingShares:
    """From the ranking the page already has (no query): per set, per group, and combined."""
    per_group = []
    for section in sections:
        best = max(section.spec.bands, key=lambda b: b.min_points, default=None)
        if best is None:
            continue
        in_best = sum(1 for row in section.rows if row.band == best.code)
        per_group.append(GroupShare(section, len(section.rows), in_best, best.label))
    combined, label = best_band_share(period, sections)
    return RankingShares(best_band_shares(period, sections), per_group, combined, label)
