"""A dossier's results: the frozen verdict of a final period (`Result`) and the totals stored on every
change before that (`ProvisionalResult`, with the detail one cell's save recomputes from)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cycle import Dossier
from .regulations import POINTS


class Result(models.Model):
    """Kết quả — the engine's verdict, frozen when the period is finalized (recomputed only with a reason)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result")
    self_total = models.DecimalField(_("self total"), **POINTS)
    appraised_total = models.DecimalField(_("appraised total"), **POINTS)
    bonus = models.DecimalField(_("bonus"), **POINTS)
    penalty = models.DecimalField(_("penalty"), **POINTS)
    total = models.DecimalField(_("total"), **POINTS)
    band_code = models.CharField(_("class"), max_length=30, blank=True)
    classified = models.BooleanField(_("classified"), default=True)
    rank = models.PositiveIntegerField(_("rank in group"), null=True)
    steps = models.JSONField(_("explanation"), default=list)
    criteria = models.JSONField(_("per criterion"), default=dict)
    computed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.total}"


class ProvisionalResult(models.Model):
    """Kết quả tạm tính — a dossier's totals and class as the engine gives them now, stored by every
    use case that changes what they depend on, in its own transaction (services.results), so that
    rankings, dashboards and exports read rows instead of scoring every dossier per request.

    It holds what a ranking may show: another agency's draft counts as empty while self-assessment
    is open. The rank and the quota's demotions depend on the whole group: they are applied when
    the group is read (scoring.engine.ranking on these rows). The frozen verdict of a final period
    is its `Result`; this row keeps following the dossier's data."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, primary_key=True, related_name="provisional_result"
    )
    self_total = models.DecimalField(_("self total"), **POINTS)
    appraised_total = models.DecimalField(_("appraised total"), **POINTS)
    bonus = models.DecimalField(_("bonus"), **POINTS)
    penalty = models.DecimalField(_("penalty"), **POINTS)
    total = models.DecimalField(_("total"), **POINTS)
    # The class after the gates, before any quota of the group.
    band_code = models.CharField(_("class"), max_length=30, blank=True)
    classified = models.BooleanField(_("classified"), default=False)
    penalty_count = models.PositiveIntegerField(default=0)  # a tie-break: fewer penalties rank higher
    # The engine's exact result of each leaf criterion on the dossier's real data (a private draft's
    # too), its bonus and penalty items and criteria set (selectors.stored_detail): what
    # one cell's save recomputes the totals from, and what the dashboard's criterion gaps sum.
    detail = models.JSONField(default=dict, blank=True, editable=False)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("provisional result")
        verbose_name_plural = _("provisional results")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.total}"
