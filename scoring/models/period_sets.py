"""The criteria sets a period applies beyond its first one, and the record of a period moved to a
newer version of its regulation.

A period's own `criteria_set` is its first (main) set; a regulation with several sets (Quảng Bình
3140: set 01 for provincial bodies, set 02 for district and commune committees) adds the others
here, each applied to the agency groups the set names (`CriteriaSet.applies_to_groups`). Each
dossier records the set it is scored against (`Dossier.criteria_set`; empty: the period's first).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cycle import ScoringPeriod
from .regulations import CriteriaSet


class PeriodCriteriaSet(models.Model):
    """Bộ tiêu chí áp dụng thêm — a further criteria set of a period, for the groups it names."""

    period = models.ForeignKey(
        ScoringPeriod, on_delete=models.CASCADE, related_name="further_sets", verbose_name=_("scoring period")
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="further_periods", verbose_name=_("criteria set")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("further criteria set of a period")
        verbose_name_plural = _("further criteria sets of a period")
        ordering = ["period", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "criteria_set"], name="periodcriteriaset_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period} — {self.criteria_set}"


class PeriodVersionChange(models.Model):
    """Chuyển phiên bản quy định — a period not yet final moved to newer criteria sets: who, when,
    why, from which sets to which, and what carried over (by criterion code) and what could not
    (those rows stay on the old criteria, listed in `left_behind`)."""

    period = models.ForeignKey(
        ScoringPeriod, on_delete=models.CASCADE, related_name="version_changes", verbose_name=_("scoring period")
    )
    from_sets = models.JSONField(_("from criteria sets"), default=list)  # library codes, in the period's order
    to_sets = models.JSONField(_("to criteria sets"), default=list)
    carried = models.JSONField(_("carried over"), default=dict)  # kind → number of rows moved
    left_behind = models.JSONField(_("could not carry over"), default=list)  # one entry per row kept on the old set
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("changed at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("change of regulation version")
        verbose_name_plural = _("changes of regulation version")
        ordering = ["period", "at"]

    def __str__(self) -> str:
        return f"{self.period}: {', '.join(self.from_sets)} → {', '.join(self.to_sets)}"

    @property
    def carried_total(self) -> int:
        """How many rows (scores, marks, adjustments, evidence …) moved to the new version."""
        return sum(self.carried.values())
