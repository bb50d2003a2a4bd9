"""The best class's share: per criteria set of a period (`best_band_shares`, each
set against its own bands) and per group within its set; the period's combined share only as a
figure labelled as such (the plan's target is stated on it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from ..engine.types import CriteriaSetSpec
from ..models import Phase, ProvisionalResult, Result, ScoringPeriod
from .regulations import CriteriaSetData, criteria_set_data
from .results import RankingSection, ranking


class _InBest:
    """The share (%) of the subclass's `in_best` among its `total` (None when there is nobody)."""

    @property
    def share(self) -> Decimal | None:
        return _percent(self.in_best, self.total)


@dataclass(frozen=True)
class GroupShare(_InBest):
    """One ranking section (a group scored against one set): agencies in the set's best class."""

    section: RankingSection
    total: int
    in_best: int
    label: str


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


@dataclass(frozen=True)
class BandShare(_InBest):
    """Of one criteria set of a period: its agencies, how many are in the set's best class, its label."""

    criteria_set: CriteriaSetData
    total: int
    in_best: int
    label: str


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


def _best_band(spec: CriteriaSetSpec):
    return max(spec.bands, key=lambda b: b.min_points, default=None)


def _quota_on_best_band(period: ScoringPeriod) -> bool:
    """Some set of the period caps its best class by a quota (one query: the period's further sets)."""
    set_ids = {period.criteria_set_id, *period.further_sets.values_list("criteria_set_id", flat=True)}
    for set_id in set_ids:
        spec = criteria_set_data(set_id).spec
        best = _best_band(spec)
        if best is not None and any(q.band == best.code for q in spec.quotas):
            return True
    return False


def best_band_shares(period: ScoringPeriod, groups: list | None = None) -> list[BandShare]:
    """Per criteria set of the period that scores agencies (its own first): the share of them in
    THAT set's best class (Quảng Bình's two sets each have their own bands). From the period's
    `ranking()` when the caller has it, otherwise counted by one query on the stored classes (a
    provisional class is final only after the group's quotas: then the groups are ranked)."""
    main = period.criteria_set_id
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # Before the period is final a quota on a best class is applied only by ranking the groups.
    ranked = groups is not None or (period.phase != Phase.FINAL and _quota_on_best_band(period))
    if not ranked:
        stored = Result if period.phase == Phase.FINAL else ProvisionalResult
        rows = (
            stored.objects.filter(dossier__period=period)
            .values("dossier__criteria_set_id", "band_code")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["dossier__criteria_set_id"] or main][row["band_code"] or ""] += row["n"]
    else:
        for section in ranking(period) if groups is None else groups:
            set_id = section.criteria_set.pk if isinstance(section, RankingSection) else main
            _group, rows = section
            for row in rows:
                counts[set_id][row.band or ""] += 1
    shares = []
    for set_id in sorted(counts, key=lambda pk: (pk != main, criteria_set_data(pk).library_code)):
        known = criteria_set_data(set_id)
        best = _best_band(known.spec)
        if best is None:
            continue
        by_band = counts[set_id]
        shares.append(BandShare(known, sum(by_band.values()), by_band.get(best.code, 0), best.label))
    return shares


def best_band_share(period: ScoringPeriod, groups: list | None = None) -> tuple[Decimal | None, str]:
    """Share (%) of the period's agencies in the best class of their own criteria set, and that
    class's label (the labels joined when the sets name their best classes differently); a period
    with no dossier: its own set's best label. Per set: `best_band_shares`."""
    shares = best_band_shares(period, groups)
    if not shares:
        best = _best_band(criteria_set_data(period.criteria_set_id).spec)
        return None, best.label if best else ""
    labels = list(dict.fromkeys(each.label for each in shares))
    return _percent(sum(s.in_best for s in shares), sum(s.total for s in shares)), " / ".join(labels)
