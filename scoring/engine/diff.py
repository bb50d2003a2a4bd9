"""What changed between two versions of a criteria set: added, removed, changed criteria."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .types import CriteriaSetSpec, CriterionSpec

COMPARED = ("title", "kind", "max_points", "score_type", "params", "na_policy", "self_scorable", "scorers")
SET_COMPARED = (
    "applies_to_groups",
    "max_total",
    "rescale_to",
    "ceiling",
    "ceiling_at",
    "bonus_cap",
    "penalty_cap",
    "rounding",
    "round_at",
    "combine",
    "tie_break_penalties",
    "unclassified_rank",
    "show_unclassified_total",
    "fallback_to_self",
)


@dataclass(frozen=True)
class Change:
    kind: str  # "added" | "removed" | "changed" | "set_changed" | "bands_changed" | "gates_changed"
    code: str
    field: str = ""
    before: Any = None
    after: Any = None
    title: str = ""  # the criterion's title (in the new set; the old one's when removed)


def _nodes(spec: CriteriaSetSpec) -> dict[str, CriterionSpec]:
    return {node.code: node for node in spec.all_nodes()}


def diff_specs(old: CriteriaSetSpec, new: CriteriaSetSpec) -> list[Change]:
    """Changes from `old` to `new`, in the order of the new set (removed ones last)."""
    changes: list[Change] = []
    for name in SET_COMPARED:
        if getattr(old, name) != getattr(new, name):
            changes.append(Change("set_changed", "", name, getattr(old, name), getattr(new, name)))
    before, after = _nodes(old), _nodes(new)
    for code, node in after.items():
        if code not in before:
            changes.append(Change("added", code, "max_points", None, node.max_points, node.title))
            continue
        for name in COMPARED:
            a, b = getattr(before[code], name), getattr(node, name)
            if a != b:
                changes.append(Change("changed", code, name, a, b, node.title))
    for code, node in before.items():
        if code not in after:
            changes.append(Change("removed", code, "max_points", node.max_points, None, node.title))
    if old.bands != new.bands:
        changes.append(Change("bands_changed", "", "bands", old.bands, new.bands))
    if old.gates != new.gates:
        changes.append(Change("gates_changed", "", "gates", old.gates, new.gates))
    return changes
