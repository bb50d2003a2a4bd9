"""What of a dossier a person may read, shaped for the pages that ask (grid, history, evidence,
score matrix). The decisions are the rules in scoring/rules.py; these only apply them to rows."""

from __future__ import annotations

import rules

from portal.models import User

from ..models import Dossier, ScoringPeriod
from .grid import GridRow


def dossiers_detail_readable(*, period: ScoringPeriod, user: User) -> list[Dossier]:
    """Dossiers of the period whose per-criterion marks and comments the user may read."""
    dossiers = period.dossiers.select_related("period", "agency", "agency_version", "group")
    return [d for d in dossiers if user.has_perm("scoring.view_dossier_detail", d)]


def sees_assigned_criteria_only(user: User, dossier: Dossier) -> bool:
    return rules.test_rule("scoring.sees_assigned_criteria_only", user, dossier)


def rows_visible_to(rows: list[GridRow], *, user: User, dossier: Dossier) -> list[GridRow]:
    """The grid rows the user may see: all, or for a co-reviewer the criteria its agency scores
    (with the groups above them)."""
    if not sees_assigned_criteria_only(user, dossier):
        return rows
    visible = {r.node.code for r in rows if r.can_mark}
    return [
        r
        for r in rows
        if r.node.code in visible or (r.is_group and any(c.startswith(r.node.code + ".") for c in visible))
    ]


def row_shows_marks(row: GridRow, *, show_marks: bool) -> bool:
    """Whether the other scorers' marks on a row may be shown (not before one's own blind mark)."""
    return show_marks and not row.blind
