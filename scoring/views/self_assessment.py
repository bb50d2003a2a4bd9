"""The agency's self-assessment: cells, evidence, submitting and reopening, the Excel form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.downloads import stored_upload_download
from portal.spreadsheets import xlsx_response

from .. import selectors, services
from ..engine import ScoreInputError
from ..excel_form import dossier_workbook, parse_dossier_workbook
from ..explain import input_error_text
from ..forms import EvidenceForm, ExcelUploadForm, ReopenForm
from ..models import Evidence
from ..selectors import grid as grid_selectors
from .common import (
    CELL_RELATED,
    cell_criterion_or_404,
    criterion_or_404,
    dossier_form_post,
    dossier_or_404,
    dossier_url,
    edited_version,
)
from .grid import refused_cell, row_response, save_cell, visible_row


@login_required
@require_POST
def self_cell(request, pk: int, criterion_id: int):
    """Autosave of one row of the self-assessment (htmx). Errors come back beside the cell and the
    typed value stays in the input: nothing typed is lost."""
    dossier = dossier_or_404(request, pk, related=CELL_RELATED)
    criterion = cell_criterion_or_404(dossier, criterion_id)
    cid = criterion.pk
    fields = {
        "raw": request.POST.get(f"raw_{cid}"),
        "note": request.POST.get(f"note_{cid}"),
        "no_evidence_reason": request.POST.get(f"why_{cid}"),
    }
    if not request.user.has_perm("scoring.edit_dossier", dossier):
        # A page opened before the head submitted, or before the phase moved on: say so beside the
        # cell, keep what was typed. Anyone else is simply refused.
        reason = grid_selectors.edit_refusal(request.user, dossier)
        if reason is None:
            raise PermissionDenied
        return refused_cell(request, dossier, criterion, "raw", fields, reason)
    version = request.POST.get(f"v_{cid}")
    return save_cell(
        request,
        dossier,
        criterion,
        "raw",
        fields,
        lambda: services.self_score_save(
            dossier=dossier, criterion=criterion, by=request.user, version=edited_version(version), **fields
        ),
    )


@login_required
@require_POST
def evidence_add(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk, "scoring.add_evidence")
    criterion = criterion_or_404(dossier, criterion_id)
    form = EvidenceForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        try:
            services.evidence_add(
                dossier=dossier,
                criterion=criterion,
                by=request.user,
                upload=form.cleaned_data["file"],
                doc_number=form.cleaned_data["doc_number"],
                doc_date=form.cleaned_data["doc_date"],
                summary=form.cleaned_data["summary"],
                page_ref=form.cleaned_data["page_ref"],
            )
        except ValidationError as e:
            error = " ".join(e.messages)
    else:
        error = " ".join(m for errors in form.errors.values() for m in errors)
    if request.htmx:
        return row_response(
            request,
            dossier,
            criterion.code,
            errors={"evidence": error} if error else None,
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Evidence added."))
    return redirect(f"{dossier_url(dossier)}#c-{criterion.pk}")


@login_required
@require_POST
def evidence_remove(request, evidence_id: int):
    evidence = get_object_or_404(Evidence.objects.select_related("dossier__period"), pk=evidence_id)
    dossier = dossier_or_404(request, evidence.dossier_id, "scoring.edit_dossier")
    code = evidence.criterion.code
    services.evidence_remove(evidence=evidence, by=request.user)
    if request.htmx:
        return row_response(request, dossier, code)
    return redirect(dossier_url(dossier))


@login_required
def evidence_file(request, evidence_id: int):
    """Evidence files are served only to those who may see the dossier."""
    evidence = get_object_or_404(Evidence, pk=evidence_id, kind=Evidence.Kind.FILE)
    visible_row(request, dossier_or_404(request, evidence.dossier_id), evidence.criterion)
    return stored_upload_download(evidence.file, filename=evidence.file_name)


@login_required
@require_POST
def dossier_submit(request, pk: int):
    """Submits after the head confirmed it (the page's dialog); ends on the receipt."""
    dossier = dossier_or_404(request, pk, "scoring.submit_dossier")
    if request.POST.get("confirmed") != "1":
        messages.error(request, _("Confirm the submission in the dialog: the dossier is locked once submitted."))
        return redirect(dossier_url(dossier))
    try:
        dossier = services.dossier_submit(dossier=dossier, by=request.user)
    except ValidationError as error:
        # One message; the page lists what is missing, each item linked to its row.
        messages.error(
            request,
            ngettext(
                "The dossier was not submitted: %(n)s item is still missing (see the list).",
                "The dossier was not submitted: %(n)s items are still missing (see the list).",
                len(error.messages),
            )
            % {"n": len(error.messages)},
        )
        return redirect(dossier_url(dossier))
    if dossier.is_late:
        messages.warning(
            request, _("The dossier was submitted %(n)s day(s) late and is marked late.") % {"n": dossier.late_days}
        )
    else:
        messages.success(request, _("The dossier has been submitted and is now locked."))
    return redirect("scoring:receipt", dossier.pk)


@login_required
def receipt(request, pk: int):
    """The receipt of the dossier's latest submission."""
    dossier = dossier_or_404(request, pk)
    latest = grid_selectors.latest_receipt(dossier)
    if latest is None:
        raise Http404
    return render(request, "scoring/receipt.html", {"dossier": dossier, "receipt": latest})


@login_required
@require_POST
def dossier_reopen(request, pk: int):
    dossier = dossier_or_404(request, pk, "scoring.reopen_dossier")
    return dossier_form_post(
        request,
        dossier,
        ReopenForm(request.POST),
        lambda data: services.dossier_reopen(dossier=dossier, by=request.user, reason=data["reason"]),
        _("The dossier is open again for the agency."),
    )


@login_required
def excel_download(request, pk: int):
    dossier = dossier_or_404(request, pk)
    if selectors.sees_assigned_criteria_only(request.user, dossier):
        raise PermissionDenied  # the form holds every criterion; the grid shows a co-reviewer its own
    content = dossier_workbook(selectors.dossier_data(dossier))
    return xlsx_response(content, f"tu-cham-{dossier.period.year}-{dossier.agency.code}.xlsx")


@login_required
def excel_upload(request, pk: int):
    """Upload → cell-by-cell validation → preview; nothing is written until the preview is applied."""
    dossier = dossier_or_404(request, pk, "scoring.edit_dossier")
    session_key = f"excel-upload-{dossier.pk}"
    if request.method == "POST" and request.POST.get("apply"):
        pending = request.session.pop(session_key, None)
        if not pending:
            messages.error(request, _("The upload has expired; upload the file again."))
            return redirect("scoring:excel_upload", dossier.pk)
        try:
            saved = services.dossier_apply_workbook(
                dossier=dossier, changes=pending["changes"], versions=pending["versions"], by=request.user
            )
        except services.StaleEdit:
            messages.error(
                request,
                _("Someone changed the dossier after your upload; upload the file again to see the differences."),
            )
            return redirect("scoring:excel_upload", dossier.pk)
        except (ValidationError, ScoreInputError) as error:
            text = input_error_text(error) if isinstance(error, ScoreInputError) else " ".join(error.messages)
            messages.error(request, text)
            return redirect("scoring:excel_upload", dossier.pk)
        messages.success(request, _("%(n)s changes from the spreadsheet were saved.") % {"n": saved})
        return redirect(dossier_url(dossier))
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    changes = errors = None
    if request.method == "POST" and form.is_valid():
        data = selectors.dossier_data(dossier)
        changes, errors = parse_dossier_workbook(form.cleaned_data["file"].read(), data)
        if not errors:
            request.session[session_key] = {
                "changes": [c.__dict__ for c in changes],
                "versions": {code: s.version for code, s in data.scores.items()},
            }
    context = {"dossier": dossier, "form": form, "changes": changes, "errors": errors}
    return render(request, "scoring/excel_upload.html", context)
