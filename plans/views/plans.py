"""Pages of the plans app: plans, the deliverable matrix, an agency's duties, review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from portal.downloads import stored_upload_download
from portal.forms import saved_through
from portal.spreadsheets import table_sheet, workbook_bytes, xlsx_response

from .. import selectors, services
from ..forms import DeliverableUploadForm, MatrixFilterForm, ReviewForm
from ..models import Deliverable, Plan


def _plan_or_404(request, pk: int, perm: str = "plans.view_plan") -> Plan:
    plan = Plan.objects.filter(pk=pk).select_related("province").first()
    # Another province's plan, or a draft an agency may not see, answers 404 like a missing one.
    if plan is None or not request.user.has_perm(perm, plan):
        if plan is not None and request.user.has_perm("plans.view_plan", plan):
            raise PermissionDenied
        raise Http404
    return plan


def _deliverable_or_404(request, pk: int, perm: str = "plans.view_deliverable") -> Deliverable:
    deliverable = (
        Deliverable.objects.filter(pk=pk)
        .select_related("type__plan", "type__report_form", "agency", "agency_version")
        .first()
    )
    if deliverable is None or not request.user.has_perm("plans.view_deliverable", deliverable):
        raise Http404
    if not request.user.has_perm(perm, deliverable):
        raise PermissionDenied
    return deliverable


@login_required
def plan_list(request):
    plans = [
        p for p in selectors.plans_of(province=request.user.province) if request.user.has_perm("plans.view_plan", p)
    ]
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, pk: int):
    plan = _plan_or_404(request, pk)
    plan = selectors.plan_with_details(plan=plan)
    today = timezone.localdate()
    context = {
        "plan": plan,
        "targets": selectors.plan_targets(plan=plan, today=today),
        "deliverable_types": plan.deliverable_types.all(),
        "can_manage": request.user.has_perm("plans.manage_plan", plan),
        "can_collect": request.user.has_perm("plans.view_qcdc_collection", plan),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_matrix(request, pk: int):
    plan = _plan_or_404(request, pk)
    if not request.user.has_perm("portal.view_province_results", plan.province):
        raise PermissionDenied
    today = timezone.localdate()
    form = MatrixFilterForm(request.GET or None, province=plan.province, statuses=selectors.STATUS_LABELS.items())
    group_id = status = None
    if form.is_valid():
        group_id = form.cleaned_data["group"].pk if form.cleaned_data["group"] else None
        status = form.cleaned_data["status"] or None
    types, groups = selectors.deliverable_matrix(plan=plan, today=today, group_id=group_id, status=status)
    if request.GET.get("format") == "xlsx":
        return _matrix_xlsx(plan, types, groups, today)
    context = {
        "plan": plan,
        "form": form,
        "types": types,
        "groups": groups,
        "today": today,
        "labels": selectors.STATUS_LABELS,
        "colours": selectors.STATUS_COLOURS,
    }
    return render(request, "plans/matrix.html", context)


def _matrix_xlsx(plan, types, groups, today):
    wb = Workbook()
    ws = wb.active
    ws.title = "Theo dõi"
    headers = ["STT", "Cơ quan, đơn vị", "Khối"] + [f"{t.title} (hạn {t.due_on:%d/%m/%Y})" for t in types]
    rows, number = [], 0
    for group, members in groups:
        for row in members:
            number += 1
            cells = []
            for cell in row.cells:
                if cell is None:
                    cells.append("")
                    continue
                deliverable, status = cell
                label = str(selectors.STATUS_LABELS[status])
                if deliverable.submitted_at:
                    label += f" — {timezone.localtime(deliverable.submitted_at):%d/%m/%Y}"
                cells.append(label)
            rows.append([number, row.version.name, str(group or "")] + cells)
    table_sheet(ws, plan.title, headers, rows, widths=[6, 50, 30] + [28] * len(types), freeze_columns=2)
    return xlsx_response(workbook_bytes(wb), f"theo-doi-{plan.year}.xlsx")


@login_required
@require_POST
def plan_issue(request, pk: int):
    plan = _plan_or_404(request, pk, "plans.manage_plan")
    created = services.plan_issue(plan=plan, by=request.user)
    messages.success(request, _("The plan is issued; %(n)s deliverables are now expected.") % {"n": created})
    return redirect("plans:plan_detail", plan.pk)


@login_required
@require_POST
def plan_copy(request, pk: int):
    plan = _plan_or_404(request, pk, "plans.manage_plan")
    try:
        new = services.plan_copy(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:plan_detail", plan.pk)
    messages.success(request, _("Draft plan for %(year)s created from this one.") % {"year": new.year})
    return redirect("plans:plan_detail", new.pk)


def duties_context(request, year: int | None = None) -> dict:
    today = timezone.localdate()
    year = year or today.year
    deliverables, tasks = selectors.agency_duties(agency=request.user.agency, year=year)
    rows = []
    for deliverable in deliverables:
        rows.append(
            {
                "deliverable": deliverable,
                "status": deliverable.status_on(today),
                "days_left": (deliverable.due_on - today).days,
                "days_overdue": (today - deliverable.due_on).days,
                "form": DeliverableUploadForm(prefix=f"d{deliverable.pk}"),
            }
        )
    return {
        "year": year,
        "rows": rows,
        "tasks": tasks,
        "labels": selectors.STATUS_LABELS,
        "colours": selectors.STATUS_COLOURS,
    }


@login_required
def my_duties(request):
    if not request.user.has_perm("plans.access_my_duties") or request.user.agency is None:
        raise PermissionDenied
    year = request.GET.get("year")
    context = duties_context(
        request, int(year) if year and year.isascii() and year.isdigit() and len(year) == 4 else None
    )
    return render(request, "plans/my_duties.html", context)


@login_required
@require_POST
def deliverable_submit(request, pk: int):
    deliverable = _deliverable_or_404(request, pk, "plans.submit_deliverable")
    form = DeliverableUploadForm(request.POST, request.FILES, prefix=f"d{deliverable.pk}")
    saved, _result = saved_through(
        form,
        lambda: services.deliverable_submit(
            deliverable=deliverable,
            upload=form.cleaned_data["document"],
            so_ky_hieu=form.cleaned_data["so_ky_hieu"],
            document_date=form.cleaned_data["document_date"],
            by=request.user,
        ),
        unnamed_to="document",
    )
    if saved:
        status = deliverable.status_on(timezone.localdate())
        messages.success(
            request,
            _("“%(title)s” received: %(status)s.")
            % {"title": deliverable.type.title, "status": selectors.STATUS_LABELS[status]},
        )
        return redirect("plans:my_duties")
    # Keep what was typed (number, date) and show the errors beside the fields.
    context = duties_context(request, deliverable.type.plan.year)
    for row in context["rows"]:
        if row["deliverable"].pk == deliverable.pk:
            row["form"] = form
            row["open"] = True
    return render(request, "plans/my_duties.html", context, status=400)


@login_required
def deliverable_detail(request, pk: int):
    deliverable = _deliverable_or_404(request, pk)
    form = ReviewForm(request.POST or None)
    can_review = request.user.has_perm("plans.review_deliverable", deliverable)
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        saved, _result = saved_through(
            form,
            lambda: services.deliverable_review(
                deliverable=deliverable,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
                by=request.user,
            ),
        )
        if saved:
            messages.success(request, _("Review saved."))
            return redirect("plans:deliverable_detail", deliverable.pk)
    context = {
        "deliverable": deliverable,
        "status": deliverable.status_on(timezone.localdate()),
        "labels": selectors.STATUS_LABELS,
        "colours": selectors.STATUS_COLOURS,
        "history": deliverable.history.select_related("history_user").order_by("-history_date")[:20],
        "form": form,
        "can_review": can_review,
    }
    return render(request, "plans/deliverable_detail.html", context)


@login_required
def deliverable_document(request, pk: int):
    """Serves the stored document only to those who may see the deliverable (never a public URL)."""
    deliverable = _deliverable_or_404(request, pk)
    if not deliverable.document:
        raise Http404
    return stored_upload_download(deliverable.document, filename=deliverable.document_name)
