"""Panels the scoring app adds to the home pages, and the metric it gives plan targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from plans.selectors import register_metric
from portal import widgets

from . import selectors
from .models import Phase, ScoringPeriod


def agency_panel(request):
    user = request.user
    if not user.agency_id or user.province_id is None:
        return None
    period = selectors.current_period(province=user.province)
    if period is None:
        return None
    return {"period": period, "dossier": selectors.dossier_of(period=period, agency=user.agency)}


def review_panel(request):
    user = request.user
    if user.province_id is None:
        return None
    period = selectors.current_period(province=user.province)
    if period is None:
        return None
    dossiers = period.dossiers
    return {
        "period": period,
        "total": dossiers.count(),
        "submitted": dossiers.filter(submitted_at__isnull=False).count(),
        "late": dossiers.filter(is_late=True).count(),
    }


def share_in_best_band(plan, param: str, today: dt.date) -> Decimal | None:
    """Plan target “≥ N % of agencies rated Tốt”: measured once the year's period is final."""
    period = ScoringPeriod.objects.filter(
        province=plan.province, year=plan.year, program=plan.program, phase=Phase.FINAL
    ).first()
    if period is None:
        return None
    share, _label = selectors.best_band_share(period)
    return share


def register() -> None:
    widgets.register(widgets.AGENCY_HOME, widgets.Widget("scoring/_agency_panel.html", agency_panel, order=10))
    widgets.register(widgets.REVIEW_HOME, widgets.Widget("scoring/_review_panel.html", review_panel, order=10))
    widgets.register(widgets.LEADER_HOME, widgets.Widget("scoring/_review_panel.html", review_panel, order=10))
    register_metric("share_rated_tot", str(_("Share of agencies in the best class")), share_in_best_band)
