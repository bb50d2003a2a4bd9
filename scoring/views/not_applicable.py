"""A criterion declared not applicable by the agency (where the regulation allows it), and the
reviewer's decision on the declaration; both back to the criterion's row of the dossier page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..services.not_applicable import not_applicable_decide, not_applicable_declare
from .common import cell_criterion_or_404, dossier_or_404, dossier_url, edited_version, run_service


@login_required
@require_POST
def na_declare(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk, "scoring.edit_dossier")
    criterion = cell_criterion_or_404(dossier, criterion_id)
    withdraw = request.POST.get("withdraw") == "1"
    run_service(
        request,
        lambda: not_applicable_declare(
            dossier=dossier,
            criterion=criterion,
            by=request.user,
            reason=request.POST.get("reason", ""),
            version=edited_version(request.POST.get("version")),
            withdraw=withdraw,
        ),  # fmt: skip
        _("The declaration was withdrawn: score the criterion.")
        if withdraw
        else _("Declared not applicable; the reviewer will decide on it."),
    )
    return redirect(f"{dossier_url(dossier)}#row-{criterion.code}")


@login_required
@require_POST
def na_decide(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk, "scoring.adjust_dossier")
    criterion = cell_criterion_or_404(dossier, criterion_id)
    accept = request.POST.get("decision") == "accept"
    run_service(
        request,
        lambda: not_applicable_decide(
            dossier=dossier, criterion=criterion, by=request.user, accept=accept, reason=request.POST.get("reason", "")
        ),
        _("Decision saved: the criterion does not apply.") if accept else _("Decision saved: the criterion is scored."),
    )
    return redirect(f"{dossier_url(dossier)}#row-{criterion.code}")
