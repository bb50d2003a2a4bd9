"""Entry to the assessment and the period page: phases, finalization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.forms import add_service_errors
from portal.models import Program

from .. import selectors, services
from ..forms import PhaseForm
from ..models import Phase
from .common import period_or_404


@login_required
def assessment_home(request):
    """Agency people go straight to their dossier of the current period; others see the periods."""
    province = request.user.province
    if province is None:
        raise PermissionDenied
    if request.user.agency_id and request.user.has_perm("portal.access_agency_area"):
        # The agency's dossier of the current DVCQ period, else of the current QCDC one (an enterprise).
        for program in (Program.DVCQ, Program.QCDC):
            period = selectors.current_period(province=province, program=program)
            dossier = selectors.dossier_of(period=period, agency=request.user.agency) if period else None
            if dossier and request.user.has_perm("scoring.view_dossier", dossier):
                return redirect("scoring:dossier", dossier.pk)
    periods = [
        p
        for p in selectors.periods_of(province=province).order_by("-year")
        if request.user.has_perm("scoring.view_period", p)
    ]
    return render(request, "scoring/period_list.html", {"periods": periods})


@login_required
def period_detail(request, period_id: int):
    period = period_or_404(request, period_id)
    can_manage = request.user.has_perm("scoring.manage_period", period)
    table = period.phase_table
    form = PhaseForm(request.POST or None, table=table, current=period.phase)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "finalize":
                services.period_finalize(period=period, by=request.user)
                messages.success(request, _("The period is final; results are frozen."))
                return redirect("scoring:ranking", period.pk)
            if form.is_valid():
                services.period_set_phase(
                    period=period, phase=form.cleaned_data["phase"], by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The phase was changed."))
                return redirect("scoring:period", period.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    counts = {
        "total": period.dossiers.count(),
        "submitted": period.dossiers.filter(submitted_at__isnull=False).count(),
        "late": period.dossiers.filter(is_late=True).count(),
    }
    following = table.next(period.phase)
    context = {
        "period": period,
        "form": form,
        "can_manage": can_manage,
        "can_move": can_manage and bool(table.moves(period.phase)),
        "can_finalize": can_manage and following is not None and following.key == Phase.FINAL,
        "changes": selectors.phase_history(period),
        "counts": counts,
        "phases": selectors.phase_rows(period, timezone.localdate()),
    }
    return render(request, "scoring/period.html", context)
