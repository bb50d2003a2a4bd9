"""Panels the scoring app adds to the home pages, and the metric it gives plan targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from plans.selectors import register_metric
from portal import widgets
from portal.models import Program

from . import selectors
from .models import Phase, ScoringPeriod
from .selectors import BEST_BAND_METRIC
from .selectors.steering import qcdc_progress


def _current(request, program: str):
    """The current period of a programme (selectors.current_period), the DVCQ and QCDC ones read
    together once per request: every panel of a home page asks it."""
    cached = getattr(request, "_current_periods", None)
    if cached is None:
        periods = list(
            selectors.periods_of(province=request.user.province)
            .filter(program__in=[Program.DVCQ, Program.QCDC])
            .order_by("-year")
        )
        cached = {}
        for each in (Program.DVCQ, Program.QCDC):
            mine = [p for p in periods if p.program == each]
            cached[each] = next((p for p in mine if p.phase != Phase.FINAL), None) or (mine[0] if mine else None)
        request._current_periods = cached
    return cached[program]


def agency_panel(request):
    user = request.user
    if not user.agency_id or user.province_id is None:
        return None
    period = _current(request, Program.DVCQ)
    if period is None:
        return None
    return {"period": period, "dossier": selectors.dossier_of(period=period, agency=user.agency)}


def review_panel(request):
    user = request.user
    if user.province_id is None:
        return None
    period = _current(request, Program.DVCQ)
    if period is None:
        return None
    # An appraiser's counts are their queue's, from the selector the queue page shows them with.
    can_queue = user.has_perm("scoring.view_queue", period)
    dossiers = selectors.queue_dossiers(period=period, user=user) if can_queue else period.dossiers.all()
    counts = selectors.dossier_counts(dossiers)
    return {"period": period, "can_queue": can_queue, **asdict(counts)}


def steering_panel(request):
    """The steering committee's QCDC periods, population by population (scoring.selectors.steering)."""
    user = request.user
    if user.province_id is None:
        return None
    periods = [p for p in qcdc_progress(province=user.province) if user.has_perm("scoring.view_period", p.period)]
    for progress in periods:
        progress.readable = user.has_perm("scoring.view_ranking", progress.period)
    return {"periods": periods}


def qcdc_review_panel(request):
    """The current QCDC period for an appraiser who has dossiers of it to appraise (the Labour
    Federation's enterprises, Ban Dân vận Tỉnh ủy's party committees, Sở Nội vụ's state bodies)."""
    user = request.user
    if user.province_id is None:
        return None
    period = _current(request, Program.QCDC)
    if period is None or not user.has_perm("scoring.view_queue", period):
        return None
    counts = selectors.dossier_counts(selectors.queue_dossiers(period=period, user=user))
    if not counts.total:
        return None
    return {"period": period, "can_queue": True, **asdict(counts)}


def qcdc_agency_panel(request):
    """The agency's own dossier of the current QCDC period (an enterprise, a party committee)."""
    user = request.user
    if not user.agency_id or user.province_id is None:
        return None
    period = _current(request, Program.QCDC)
    dossier = selectors.dossier_of(period=period, agency=user.agency) if period else None
    return {"period": period, "dossier": dossier} if dossier else None


def share_in_best_band(plan, params: frozenset[str], today: dt.date) -> dict[str, Decimal | None]:
    """Plan target “≥ N % of agencies rated Tốt”: measured once the year's period is final."""
    period = (
        ScoringPeriod.objects.filter(
            province_id=plan.province_id, year=plan.year, program=plan.program, phase=Phase.FINAL
        )
        .select_related("criteria_set")
        .first()
    )
    share = selectors.best_band_share(period)[0] if period is not None else None
    return dict.fromkeys(params, share)


def register() -> None:
    widgets.register(widgets.AGENCY_HOME, widgets.Widget("scoring/_agency_panel.html", agency_panel, order=10))
    widgets.register(widgets.REVIEW_HOME, widgets.Widget("scoring/_review_panel.html", review_panel, order=10))
    widgets.register(widgets.LEADER_HOME, widgets.Widget("scoring/_review_panel.html", review_panel, order=10))
    widgets.register(widgets.REVIEW_HOME, widgets.Widget("scoring/_review_panel.html", qcdc_review_panel, order=11))
    widgets.register(widgets.AGENCY_HOME, widgets.Widget("scoring/_agency_panel.html", qcdc_agency_panel, order=11))
    widgets.register(widgets.STEERING_HOME, widgets.Widget("scoring/_steering_panel.html", steering_panel, order=10))
    register_metric(BEST_BAND_METRIC, str(_("Share of agencies in the best class")), share_in_best_band)
