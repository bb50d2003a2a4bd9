"""Pages of the "Dân vận khéo" models: the registry (search, filters, counts, Excel), registering
a model, its page (progress, review, recognition, keeping it for the next year)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from portal.access import require_access
from portal.downloads import stored_upload_download
from portal.forms import form_page, saved_through
from portal.spreadsheets import table_sheet, workbook_bytes, xlsx_response

from .. import selectors, services
from ..forms import DvkModelForm, DvkProgressForm, DvkRecognitionForm, DvkRegistryForm, DvkReviewForm
from ..models import DvkLevel, DvkModel, DvkProgress

MODEL_FIELDS = ("name", "field", "goal", "lead", "participants", "starts_on", "ends_on", "expected_result")


def _model_or_404(request, pk: int, perm: str | None = None) -> DvkModel:
    model = selectors.dvk_model_detail(pk=pk)
    return require_access(request.user, model, view_perm="plans.view_dvk_model", perm=perm)


def _level_choices():
    return [*DvkLevel.choices, (selectors.NOT_RECOGNISED, _("Not recognised yet"))]


@login_required
def dvk_registry(request):
    if not request.user.has_perm("plans.view_dvk_registry"):
        raise PermissionDenied
    years, units = selectors.dvk_registry_choices(user=request.user)
    form = DvkRegistryForm(request.GET, years=years, units=units, levels=_level_choices())
    filters = selectors.DvkFilters(**form.filter_values())
    if request.GET.get("format") == "xlsx":
        return registry_workbook(
            selectors.dvk_registry_rows(user=request.user, filters=filters),
            list(selectors.exemplar_registry(user=request.user, filters=filters)),
        )
    page = Paginator(selectors.dvk_registry(user=request.user, filters=filters), selectors.DVK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "counts": selectors.dvk_registry_counts(user=request.user, filters=filters),
        "query": query.urlencode(),
        "can_register": request.user.has_perm("plans.register_dvk_model") and request.user.agency_id is not None,
    }
    return render(request, "plans/dvk/registry.html", context)


def registry_workbook(models: list[DvkModel], exemplars: list):
    """The registry as Excel: the models, and the exemplary collectives and individuals on a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Mô hình"
    headers = [
        "STT", "Năm", "Tên mô hình", "Lĩnh vực", "Cơ quan, đơn vị", "Chủ trì", "Tham gia", "Bắt đầu", "Kết thúc",
        "Mục tiêu", "Kết quả dự kiến", "Tình trạng", "Cấp công nhận cao nhất", "Quyết định công nhận",
    ]  # fmt: skip
    rows = []
    for number, m in enumerate(models, start=1):
        decisions = "; ".join(
            f"{r.get_level_display()}: {r.decision_number} ngày {r.decision_date:%d/%m/%Y} ({r.issuer})"
            for r in m.recognitions.all()
        )
        rows.append(
            [
                number, m.year, m.name, m.get_field_display(), m.agency_version.name, m.lead, m.participants,
                f"{m.starts_on:%d/%m/%Y}", f"{m.ends_on:%d/%m/%Y}", m.goal, m.expected_result, m.get_status_display(),
                m.get_level_display() if m.level else "", decisions,
            ]
        )  # fmt: skip
    widths = [6, 8, 45, 30, 35, 25, 30, 12, 12, 40, 40, 20, 20, 45]
    table_sheet(ws, "Danh sách mô hình “Dân vận khéo”", headers, rows, widths=widths, freeze_columns=3)
    exemplar_sheet(wb.create_sheet("Gương điển hình"), exemplars)
    return xlsx_response(workbook_bytes(wb), f"mo-hinh-dan-van-kheo-{timezone.localdate():%Y%m%d}.xlsx")


def exemplar_sheet(ws, exemplars: list) -> None:
    headers = [
        "STT", "Năm", "Tập thể, cá nhân", "Tập thể/cá nhân", "Lĩnh vực", "Đơn vị đề xuất", "Thành tích",
        "Cấp công nhận", "Số quyết định", "Ngày quyết định",
    ]  # fmt: skip
    rows = [
        [
            number, e.year, e.name, e.get_kind_display(), e.get_field_display(), e.agency_version.name, e.achievements,
            e.get_level_display() if e.level else "Chưa công nhận", e.decision_number,
            f"{e.decision_date:%d/%m/%Y}" if e.decision_date else "",
        ]
        for number, e in enumerate(exemplars, start=1)
    ]  # fmt: skip
    widths = [6, 8, 40, 16, 30, 35, 60, 18, 18, 14]
    table_sheet(ws, "Danh sách gương điển hình tiên tiến", headers, rows, widths=widths, freeze_columns=3)


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return [this_year, this_year + 1]


def _model_data(form: DvkModelForm) -> services.DvkModelData:
    return services.DvkModelData(year=form.cleaned_data["year"], **{f: form.cleaned_data[f] for f in MODEL_FIELDS})


def _model_form_page(request, form: DvkModelForm, *, done: str, model=None, replicated_from=None):
    """The model's form page (registering, replicating or editing), saved through dvk_model_save."""
    return form_page(
        request,
        "plans/dvk/form.html",
        form,
        lambda: services.dvk_model_save(
            agency=request.user.agency,
            data=_model_data(form),
            by=request.user,
            model=model,
            replicated_from=replicated_from,
        ),
        done=done,
        next_url=lambda saved: reverse("plans:dvk_detail", args=[saved.pk]),
        context={"model": model, "source": replicated_from},
    )


@login_required
def dvk_create(request):
    if not request.user.has_perm("plans.register_dvk_model") or request.user.agency is None:
        raise PermissionDenied
    source = None
    if request.GET.get("nhan-rong", "").isdigit():
        source = selectors.dvk_replicable(user=request.user, pk=int(request.GET["nhan-rong"]))
        if source is None:
            raise Http404
    initial = {"year": timezone.localdate().year}
    if source is not None:
        initial.update({f: getattr(source, f) for f in ("name", "field", "goal", "participants", "expected_result")})
    form = DvkModelForm(request.POST or None, initial=initial, years=_years())
    return _model_form_page(
        request, form, done=_("The model is saved as a draft. Send it to register it."), replicated_from=source
    )


@login_required
def dvk_edit(request, pk: int):
    model = _model_or_404(request, pk, "plans.edit_dvk_model")
    initial = {"year": model.year, **{f: getattr(model, f) for f in MODEL_FIELDS}}
    form = DvkModelForm(request.POST or None, initial=initial, years=sorted({model.year, *_years()}))
    return _model_form_page(request, form, done=_("Changes saved."), model=model)


def _detail(request, model: DvkModel, *, status: int = 200, **forms):
    user = request.user
    can = {
        "edit": user.has_perm("plans.edit_dvk_model", model),
        "progress": user.has_perm("plans.report_dvk_progress", model),
        "review": user.has_perm("plans.review_dvk_model", model),
        "recognise": user.has_perm("plans.recognise_dvk_model", model),
        "carry": user.has_perm("plans.carry_dvk_model", model) and not hasattr(model, "carried_to"),
        "replicate": user.has_perm("plans.replicate_dvk_model", model),
    }
    levels = selectors.dvk_recognition_levels(user=user, model=model) if can["recognise"] else []
    context = {
        "model": model,
        "can": can,
        "progress_form": forms.get("progress_form") or DvkProgressForm(initial={"reported_on": timezone.localdate()}),
        "review_form": forms.get("review_form") or DvkReviewForm(),
        "recognition_form": forms.get("recognition_form") or DvkRecognitionForm(levels=levels),
        "levels": levels,
        "history": model.history.select_related("history_user").order_by("-history_date")[:20]
        if can["edit"] or can["review"] or can["recognise"] or can["progress"]
        else [],
    }
    return render(request, "plans/dvk/detail.html", context, status=status)


@login_required
def dvk_detail(request, pk: int):
    return _detail(request, _model_or_404(request, pk))


@login_required
@require_POST
def dvk_submit(request, pk: int):
    model = _model_or_404(request, pk, "plans.edit_dvk_model")
    try:
        services.dvk_model_submit(model=model, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The model is registered and sent for review."))
    return redirect("plans:dvk_detail", model.pk)


@login_required
@require_POST
def dvk_progress_add(request, pk: int):
    model = _model_or_404(request, pk, "plans.report_dvk_progress")
    form = DvkProgressForm(request.POST, request.FILES)
    saved, _result = saved_through(
        form,
        lambda: services.dvk_progress_add(
            model=model,
            reported_on=form.cleaned_data["reported_on"],
            text=form.cleaned_data["text"],
            upload=form.cleaned_data["document"],
            by=request.user,
        ),
        unnamed_to="document",
    )
    if saved:
        messages.success(request, _("Progress saved."))
        return redirect("plans:dvk_detail", model.pk)
    return _detail(request, model, status=400, progress_form=form)


@login_required
@require_POST
def dvk_review(request, pk: int):
    model = _model_or_404(request, pk, "plans.review_dvk_model")
    form = DvkReviewForm(request.POST)
    saved, _result = saved_through(
        form,
        lambda: services.dvk_model_review(
            model=model,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
            by=request.user,
        ),
    )
    if saved:
        messages.success(request, _("Review saved."))
        return redirect("plans:dvk_detail", model.pk)
    return _detail(request, model, status=400, review_form=form)


@login_required
@require_POST
def dvk_recognise(request, pk: int):
    model = _model_or_404(request, pk, "plans.recognise_dvk_model")
    levels = selectors.dvk_recognition_levels(user=request.user, model=model)
    form = DvkRecognitionForm(request.POST, levels=levels)
    saved, _result = saved_through(
        form, lambda: services.dvk_model_recognise(model=model, by=request.user, **form.cleaned_data)
    )
    if saved:
        messages.success(request, _("Recognition recorded."))
        return redirect("plans:dvk_detail", model.pk)
    return _detail(request, model, status=400, recognition_form=form)


@login_required
@require_POST
def dvk_carry(request, pk: int):
    model = _model_or_404(request, pk, "plans.carry_dvk_model")
    try:
        new = services.dvk_model_carry(model=model, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:dvk_detail", model.pk)
    messages.success(
        request, _("The model is kept for %(year)s as a draft: check it and send it.") % {"year": new.year}
    )
    return redirect("plans:dvk_detail", new.pk)


@login_required
def dvk_progress_file(request, pk: int):
    """Serves a progress document only to those who may see the model (never a public URL)."""
    progress = DvkProgress.objects.filter(pk=pk).select_related("model__agency_version").first()
    require_access(request.user, progress, view_perm="plans.view_dvk_model", check_obj=progress and progress.model)
    if not progress.document:
        raise Http404
    return stored_upload_download(progress.document, filename=progress.document_name)
