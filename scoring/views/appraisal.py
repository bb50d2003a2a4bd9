"""The appraisal: a scorer's marks, the reviewer's adjustments and requests, the queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..engine.types import NodeKind
from ..forms import EvidenceRequestForm, QueueFilterForm
from .common import (
    CELL_RELATED,
    cell_criterion_or_404,
    criterion_or_404,
    dossier_form_post,
    dossier_or_404,
    dossier_url,
    edited_version,
    period_or_404,
    run_service,
)
from .grid import save_cell


@login_required
@require_POST
def mark_cell(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk, "scoring.appraise_dossier", related=CELL_RELATED)
    criterion = cell_criterion_or_404(dossier, criterion_id)
    scorers = selectors.criteria_set_data(dossier.period.criteria_set_id).scorers[criterion.code]
    if criterion.kind == NodeKind.GROUP or not selectors.marks_criterion(request.user, scorers.all):
        raise PermissionDenied
    cid = criterion.pk
    typed = {"mark": request.POST.get(f"mark_{cid}", ""), "comment": request.POST.get(f"comment_{cid}", "")}
    version = request.POST.get(f"mv_{cid}")
    return save_cell(
        request,
        dossier,
        criterion,
        "mark",
        typed,
        lambda: services.mark_save(
            dossier=dossier,
            criterion=criterion,
            scorer=request.user.agency,
            raw=typed["mark"],
            comment=typed["comment"],
            by=request.user,
            version=edited_version(version),
        ),
    )


@login_required
@require_POST
def adjustments(request, pk: int):
    """Bonus and penalty items, flags and not-applicable criteria — each change with a reason."""
    dossier = dossier_or_404(request, pk, "scoring.adjust_dossier")
    form = services.AdjustmentsForm(
        reason=request.POST.get("reason", ""),
        items={key.removeprefix("adj_"): value for key, value in request.POST.items() if key.startswith("adj_")},
        evidence={key.removeprefix("ev_"): f for key, f in request.FILES.items() if key.startswith("ev_")},
        flags=[f for f in request.POST.get("flags", "").replace(";", ",").split(",") if f.strip()],
        not_applicable=set(request.POST.getlist("na")),
    )
    run_service(request, lambda: services.dossier_adjust(dossier=dossier, form=form, by=request.user), _("Saved."))
    return redirect(dossier_url(dossier) + "#dieu-chinh")


@login_required
@require_POST
def evidence_request(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk, "scoring.adjust_dossier")
    return dossier_form_post(
        request,
        dossier,
        EvidenceRequestForm(request.POST),
        lambda data: services.evidence_request_create(
            dossier=dossier, criterion=criterion_or_404(dossier, criterion_id), message=data["message"], by=request.user
        ),
        _("The agency has been asked for more evidence."),
    )


@login_required
def queue(request, period_id: int):
    period = period_or_404(request, period_id, "scoring.view_queue")
    form = QueueFilterForm(request.GET or None, groups=period.province.groups.all())
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "group_id": data["group"].pk if data["group"] else None,
            "status": data["status"] or None,
            "late": {"1": True, "0": False}.get(data["late"]),
        }
    rows = selectors.appraisal_queue(period=period, user=request.user, **filters)
    done = sum(1 for r in rows if r.is_done)
    return render(request, "scoring/queue.html", {"period": period, "form": form, "rows": rows, "done": done})
