"""The appraisal: a scorer's marks, the reviewer's adjustments and requests, the queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.spreadsheets import xlsx_response

from .. import selectors, services
from ..engine.types import NodeKind
from ..filters import QueueFilter
from ..forms import EvidenceRequestForm
from ..queue_sheet import queue_workbook
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
from .sorting import query_with, sort_links


@login_required
@require_POST
def mark_cell(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk, "scoring.appraise_dossier", related=CELL_RELATED)
    criterion = cell_criterion_or_404(dossier, criterion_id)
    scorers = selectors.criteria_set_for(dossier).scorers[criterion.code]
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


QUEUE_COLUMNS = (
    ("agency", _lazy("Agency")),
    ("group", _lazy("Group (khối)")),
    ("status", _lazy("Status")),
    ("submitted", _lazy("Submitted")),
    ("progress", _lazy("My progress")),
    ("explanations", _lazy("Explanations")),
    ("reminded", _lazy("Last reminded")),
)


def _queue_rows(request, period):
    filters = QueueFilter(
        request.GET or None,
        queryset=selectors.queue_dossiers(period=period, user=request.user),
        groups=period.province.groups.all(),
    )
    sort = request.GET.get("sort", "")
    rows = selectors.appraisal_queue(
        period=period, user=request.user, dossiers=filters.qs, search=filters.search, sort=sort
    )
    return filters, sort, rows


@login_required
def queue(request, period_id: int):
    """The dossiers to appraise: searched, filtered, sorted by any column; as Excel with ?format=xlsx."""
    period = period_or_404(request, period_id, "scoring.view_queue")
    filters, sort, rows = _queue_rows(request, period)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(queue_workbook(period, rows), f"hang-doi-tham-dinh-{period.year}.xlsx")
    context = {
        "period": period,
        "filter": filters,
        "rows": rows,
        "done": sum(1 for r in rows if r.is_done),
        "counts": selectors.queue_counts(period=period, user=request.user),
        "columns": sort_links(request, QUEUE_COLUMNS, sort or selectors.DEFAULT_SORT),
        "export_query": query_with(request, format="xlsx"),
        "can_remind": request.user.has_perm("scoring.remind_agencies", period),
    }
    return render(request, "scoring/queue.html", context)


@login_required
@require_POST
def queue_remind(request, period_id: int):
    """Reminds the agencies of the dossiers ticked in the queue; the queue answers how many."""
    period = period_or_404(request, period_id, "scoring.remind_agencies")
    back = reverse("scoring:queue", args=[period.pk]) + _queue_query(request.POST.get("next", ""))
    try:
        sent = services.dossiers_remind(
            period=period,
            dossier_ids=request.POST.getlist("dossier"),
            by=request.user,
            message=request.POST.get("message", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "Reminder sent to %(agencies)s agency: %(people)s people notified in the portal, %(emails)s e-mails.",
            "Reminder sent to %(agencies)s agencies: %(people)s people notified in the portal, %(emails)s e-mails.",
            sent.agencies,
        )
        % {"agencies": sent.agencies, "people": sent.people, "emails": sent.emails},
    )
    return redirect(back)


def _queue_query(query: str) -> str:
    """The queue's own query string sent back after a reminder (search, filters, sort), nothing else."""
    kept = QueryDict(query.lstrip("?")).copy()
    for key in list(kept):
        if key not in ("q", "group", "status", "late", "sort"):
            del kept[key]
    return f"?{kept.urlencode()}" if kept else ""
