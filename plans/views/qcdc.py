"""Pages of grassroots democracy (QCDC): a unit's six-month or annual report filled in the browser
(save a draft, submit), the collection for Sở Nội vụ and the steering committee (who submitted, who
is late, figures per unit, totals), and the exemplary collectives and individuals listed beside the
"Dân vận khéo" models (nominate, recognise, the list with its filters)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import require_access
from portal.downloads import stored_upload_download
from portal.forms import add_service_errors, form_page, saved_through

from .. import selectors, services
from ..models import DvkLevel, Exemplar
from ..qcdc_forms import ExemplarForm, ExemplarRecognitionForm, ExemplarRegistryForm, ReportEntryForm
from .dvk import _level_choices, registry_workbook

# --- a unit's report -------------------------------------------------------------------------------


def _report_page(request, deliverable, form=None, *, status: int = 200):
    user = request.user
    can_fill = user.has_perm("plans.fill_qcdc_report", deliverable)
    # The unit works on its draft; what it submitted is what everyone (the unit too, after) reads.
    values = selectors.entry_values(deliverable, submitted=not can_fill)
    if form is None and can_fill:
        form = ReportEntryForm(initial=values, fields=deliverable.form_fields)
    today = timezone.localdate()
    lines = [
        {
            "field": f,
            "value": selectors.figure(Decimal(values[f.code]))
            if f.is_number and f.code in values
            else values.get(f.code, ""),
        }
        for f in deliverable.form_fields
    ]
    context = {
        "deliverable": deliverable,
        "form": form if can_fill else None,
        "lines": lines,
        "status": deliverable.status_on(today),
        "labels": selectors.STATUS_LABELS,
        "colours": selectors.STATUS_COLOURS,
        "entry": getattr(deliverable, "report_entry", None),
        "can_collect": user.has_perm("plans.view_qcdc_collection", deliverable.type.plan),
    }
    return render(request, "plans/qcdc/report.html", context, status=status)


@login_required
def qcdc_report(request, pk: int):
    """GET: the unit's form (or the submitted report, read only). POST: save the draft, or submit."""
    deliverable = require_access(request.user, selectors.report_deliverable(pk=pk), view_perm="plans.view_qcdc_report")
    if request.method != "POST":
        return _report_page(request, deliverable)
    if not request.user.has_perm("plans.fill_qcdc_report", deliverable):
        raise PermissionDenied
    form = ReportEntryForm(request.POST, fields=deliverable.form_fields)
    form.is_valid()  # the lengths; the figures and what a submission needs are the service's
    submit = request.POST.get("action") == "submit"
    if not form.errors:
        service = services.report_entry_submit if submit else services.report_entry_save
        try:
            service(deliverable=deliverable, raw=form.raw(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if submit:
                deliverable.refresh_from_db()
                status = deliverable.status_on(timezone.localdate())
                messages.success(
                    request,
                    _("“%(title)s” received: %(status)s.")
                    % {"title": deliverable.type.title, "status": selectors.STATUS_LABELS[status]},
                )
            else:
                messages.success(request, _("Draft saved. Only your unit sees it until you submit the report."))
            return redirect("plans:qcdc_report", deliverable.pk)
    messages.error(
        request,
        _("The report was not saved: correct the lines marked below (what you typed is kept).")
        if not submit
        else _("The report was not submitted: correct the lines marked below (what you typed is kept)."),
    )
    return _report_page(request, deliverable, form, status=400)


# --- the collection --------------------------------------------------------------------------------


@login_required
def qcdc_collection(request):
    """The province's reports filled in as a form: one at a time (the newest unless asked)."""
    user = request.user
    if not user.has_perm("plans.view_qcdc_collection", user.province):
        raise PermissionDenied
    types = selectors.qcdc_report_types(province=user.province)
    asked = request.GET.get("bao-cao", "")
    today = timezone.localdate()
    # Unless asked, the report whose deadline passed last (the one being collected), else the next one.
    due = [t for t in types if t.due_on <= today]
    default = max(due, key=lambda t: t.due_on) if due else (min(types, key=lambda t: t.due_on) if types else None)
    chosen = next((t for t in types if asked.isdigit() and t.pk == int(asked)), None) or default
    if asked and (chosen is None or str(chosen.pk) != asked):
        raise Http404
    collection = selectors.qcdc_collection(deliverable_type=chosen, today=today) if chosen else None
    context = {
        "types": types,
        "chosen": chosen,
        "collection": collection,
        "labels": selectors.STATUS_LABELS,
        "colours": selectors.STATUS_COLOURS,
        "can_download": chosen is not None and user.has_perm("plans.download_qcdc_summary", chosen.plan),
    }
    return render(request, "plans/qcdc/collection.html", context)


# --- exemplars -------------------------------------------------------------------------------------


@login_required
def exemplar_list(request):
    if not request.user.has_perm("plans.view_exemplars"):
        raise PermissionDenied
    years, units = selectors.exemplar_choices(user=request.user)
    form = ExemplarRegistryForm(request.GET, years=years, units=units, levels=_level_choices())
    filters = selectors.ExemplarFilters(**form.filter_values())
    rows = selectors.exemplar_registry(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        return registry_workbook(selectors.dvk_registry_rows(user=request.user, filters=filters), list(rows))
    page = Paginator(rows, selectors.EXEMPLAR_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_nominate": request.user.has_perm("plans.nominate_exemplar") and request.user.agency_id is not None,
    }
    return render(request, "plans/qcdc/exemplars.html", context)


@login_required
def exemplar_create(request):
    if not request.user.has_perm("plans.nominate_exemplar") or request.user.agency is None:
        raise PermissionDenied
    this_year = timezone.localdate().year
    form = ExemplarForm(request.POST or None, request.FILES or None, initial={"year": this_year},
                        years=[this_year, this_year - 1])  # fmt: skip
    return form_page(
        request,
        "plans/qcdc/exemplar_form.html",
        form,
        lambda: services.exemplar_nominate(
            agency=request.user.agency,
            data=services.ExemplarData(
                **{k: form.cleaned_data[k] for k in ("year", "name", "kind", "field", "achievements")}
            ),
            by=request.user,
            upload=form.cleaned_data["evidence"],
        ),
        done=_("Nomination sent to Sở Nội vụ."),
        next_url=lambda exemplar: reverse("plans:exemplar_detail", args=[exemplar.pk]),
        unnamed_to="evidence",
    )


@login_required
def exemplar_detail(request, pk: int):
    """An exemplar; Sở Nội vụ records its recognition here (POST)."""
    exemplar = require_access(request.user, selectors.exemplar_detail(pk=pk), view_perm="plans.view_exemplar")
    levels = [(code, str(DvkLevel(code).label)) for code in DvkLevel.values]
    can_recognise = request.user.has_perm("plans.recognise_exemplar", exemplar)
    form = ExemplarRecognitionForm(request.POST or None, levels=levels)
    status = 200
    if request.method == "POST":
        if not can_recognise:
            raise PermissionDenied
        saved, _result = saved_through(
            form, lambda: services.exemplar_recognise(exemplar=exemplar, by=request.user, **form.cleaned_data)
        )
        if saved:
            messages.success(request, _("Recognition recorded."))
            return redirect("plans:exemplar_detail", exemplar.pk)
        status = 400
    context = {
        "exemplar": exemplar,
        "form": form,
        "can_recognise": can_recognise,
        "history": exemplar.history.select_related("history_user").order_by("-history_date")[:20]
        if can_recognise or exemplar.agency_id == request.user.agency_id
        else [],
    }
    return render(request, "plans/qcdc/exemplar_detail.html", context, status=status)


@login_required
def exemplar_file(request, pk: int):
    """The nomination's evidence, only to those who may see the exemplar (never a public URL)."""
    exemplar = require_access(request.user, Exemplar.objects.filter(pk=pk).first(), view_perm="plans.view_exemplar")
    if not exemplar.evidence:
        raise Http404
    return stored_upload_download(exemplar.evidence, filename=exemplar.evidence_name)
