"""Pages of the assessment cycle. Each view parses, checks a permission, calls one service or
selector, and renders; htmx requests get the `_partial` templates of the same views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.selectors import tasks_by_criterion
from portal.access import require_access
from portal.forms import add_service_errors
from portal.spreadsheets import xlsx_response

from . import selectors, services
from .engine import ScoreInputError
from .excel_form import dossier_workbook, parse_dossier_workbook
from .explain import fmt, input_error_text
from .forms import (
    DecisionForm,
    EvidenceForm,
    EvidenceRequestForm,
    ExcelUploadForm,
    ExplanationForm,
    FinalChangeForm,
    PhaseForm,
    QueueFilterForm,
    ReasonForm,
)
from .models import Criterion, Dossier, Evidence, Explanation, Phase, ScoringPeriod

# --- lookups that never leak: another province's or agency's object is a 404 ----------------------


def _period_or_404(request, pk: int, perm: str = "scoring.view_period") -> ScoringPeriod:
    period = ScoringPeriod.objects.filter(pk=pk).select_related("criteria_set__regulation", "province").first()
    return require_access(request.user, period, view_perm="scoring.view_period", perm=perm)


def _dossier_or_404(request, pk: int, perm: str = "scoring.view_dossier") -> Dossier:
    dossier = (
        Dossier.objects.filter(pk=pk)
        .select_related("period__criteria_set__regulation", "agency", "agency_version", "group")
        .first()
    )
    return require_access(request.user, dossier, view_perm="scoring.view_dossier", perm=perm)


def _criterion(dossier: Dossier, criterion_id: int) -> Criterion:
    return get_object_or_404(Criterion, pk=criterion_id, criteria_set_id=dossier.period.criteria_set_id)


def _bands(period) -> dict[str, str]:
    return {b.code: b.label for b in period.criteria_set.bands.all()}


# --- entry ------------------------------------------------------------------------------------------


@login_required
def assessment_home(request):
    """Agency people go straight to their dossier of the current period; others see the periods."""
    province = request.user.province
    if province is None:
        raise PermissionDenied
    period = selectors.current_period(province=province)
    if period and request.user.agency_id and request.user.has_perm("portal.access_agency_area"):
        dossier = selectors.dossier_of(period=period, agency=request.user.agency)
        if dossier and request.user.has_perm("scoring.view_dossier", dossier):
            return redirect("scoring:dossier", dossier.pk)
    periods = [
        p
        for p in selectors.periods_of(province=province).order_by("-year")
        if request.user.has_perm("scoring.view_period", p)
    ]
    return render(request, "scoring/period_list.html", {"periods": periods})


# --- the dossier grid ---------------------------------------------------------------------------


def _grid_context(request, dossier: Dossier, **extra) -> dict:
    user = request.user
    data = selectors.dossier_data(dossier)
    show_marks = user.has_perm("scoring.see_appraisal", dossier) or user.has_perm("scoring.appraise_dossier", dossier)
    rows, result = selectors.grid_rows(data, user, show_marks=show_marks)
    co_reviewer_only = (
        "co_reviewer" in user.roles and "reviewer" not in user.roles and dossier.agency_id != user.agency_id
    )
    if co_reviewer_only:
        # A co-reviewer sees and scores only the criteria assigned to its agency.
        visible = {r.node.code for r in rows if r.can_mark}
        rows = [
            r
            for r in rows
            if r.node.code in visible or (r.is_group and any(c.startswith(r.node.code + ".") for c in visible))
        ]
    bands = _bands(dossier.period)
    if user.has_perm("scoring.edit_dossier", dossier):
        # Tasks of the year's plan that serve a criterion: their results are the evidence to cite.
        linked = tasks_by_criterion(agency=dossier.agency, year=dossier.period.year)
        for row in rows:
            row.linked_tasks = linked.get(row.node.code, [])
    return {
        "dossier": dossier,
        "period": dossier.period,
        "rows": rows,
        "result": result,
        "band_label": bands.get(result.band, ""),
        "show_marks": show_marks,
        "blind": any(r.blind for r in rows),
        "can_edit": user.has_perm("scoring.edit_dossier", dossier),
        "can_submit": user.has_perm("scoring.submit_dossier", dossier),
        "can_appraise": user.has_perm("scoring.appraise_dossier", dossier),
        "can_adjust": user.has_perm("scoring.adjust_dossier", dossier),
        "can_reopen": user.has_perm("scoring.reopen_dossier", dossier),
        "can_explain": user.has_perm("scoring.explain_dossier", dossier),
        "can_add_evidence": user.has_perm("scoring.edit_dossier", dossier)
        or user.has_perm("scoring.add_explanation_evidence", dossier),
        "can_decide": user.has_perm("scoring.decide_explanation", dossier),
        "can_change_final": user.has_perm("scoring.change_final", dossier),
        "co_reviewer_only": co_reviewer_only,
        "bonus": [(n, data.adjustments.get(n.code)) for n in data.spec.bonus],
        "penalties": [(n, data.adjustments.get(n.code)) for n in data.spec.penalties],
        "pending_explanations": [
            e for es in data.explanations.values() for e in es if e.decision == Explanation.Decision.PENDING
        ],
        "problems": selectors.completeness_problems(data) if user.has_perm("scoring.edit_dossier", dossier) else [],
        "evidence_form": EvidenceForm(),
        "steps": result.steps,
        "bands": bands,
        **extra,
    }


@login_required
def dossier_view(request, pk: int):
    dossier = _dossier_or_404(request, pk)
    return render(request, "scoring/dossier.html", _grid_context(request, dossier))


def _row_response(
    request, dossier: Dossier, code: str, *, errors: dict | None = None, typed: dict | None = None, status: int = 200
):
    """The re-rendered row (with any error beside its cell and what was typed kept) plus the
    subtotals and total, swapped out of band."""
    context = _grid_context(request, dossier)
    row = next(r for r in context["rows"] if r.node.code == code)
    row.typed = typed
    parents = [r for r in context["rows"] if r.is_group and code.startswith(r.node.code + ".")]
    context.update({"row": row, "errors": errors or {}, "typed": typed or {}, "parents": parents, "saved": not errors})
    return render(request, "scoring/_row_partial.html", context, status=status)


def _run(request, action, success: str) -> bool:
    """Runs a service; its refusal becomes an error message, its success a confirmation."""
    try:
        action()
    except ScoreInputError as error:
        messages.error(request, input_error_text(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
        return True
    return False


def _form_errors(form) -> str:
    return " ".join(m for errors in form.errors.values() for m in errors)


def _version(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _save_cell(request, dossier: Dossier, criterion: Criterion, key: str, typed: dict, save):
    """Runs one cell's save; any refusal comes back beside the cell with what was typed kept."""
    try:
        save()
    except ScoreInputError as error:
        message, status = input_error_text(error), 422
    except services.StaleEdit as stale:
        message, status = (
            _(
                "%(who)s changed this value at %(at)s (now: “%(value)s”). Your value was not saved; "
                "it is still in the box — check and save again."
            )
            % {
                "who": stale.by or _("someone"),
                "at": stale.at.strftime("%H:%M") if stale.at else "",
                "value": stale.current,
            },
            409,
        )
    except ValidationError as error:
        message, status = " ".join(error.messages), 422
    else:
        return _row_response(request, dossier, criterion.code)
    return _row_response(request, dossier, criterion.code, errors={key: message}, typed=typed, status=status)


@login_required
@require_POST
def self_cell(request, pk: int, criterion_id: int):
    """Autosave of one row of the self-assessment (htmx). Errors come back beside the cell and the
    typed value stays in the input: nothing typed is lost."""
    dossier = _dossier_or_404(request, pk, "scoring.edit_dossier")
    criterion = _criterion(dossier, criterion_id)
    cid = criterion.pk
    fields = {
        "raw": request.POST.get(f"raw_{cid}"),
        "note": request.POST.get(f"note_{cid}"),
        "no_evidence_reason": request.POST.get(f"why_{cid}"),
    }
    version = request.POST.get(f"v_{cid}")
    return _save_cell(
        request,
        dossier,
        criterion,
        "raw",
        fields,
        lambda: services.self_score_save(
            dossier=dossier, criterion=criterion, by=request.user, version=_version(version), **fields
        ),
    )


@login_required
@require_POST
def evidence_add(request, pk: int, criterion_id: int):
    dossier = _dossier_or_404(request, pk)
    if not (
        request.user.has_perm("scoring.edit_dossier", dossier)
        or request.user.has_perm("scoring.add_explanation_evidence", dossier)
    ):
        raise PermissionDenied
    criterion = _criterion(dossier, criterion_id)
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
        return _row_response(
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


def dossier_url(dossier: Dossier) -> str:
    return reverse("scoring:dossier", args=[dossier.pk])


@login_required
@require_POST
def evidence_remove(request, evidence_id: int):
    evidence = get_object_or_404(Evidence.objects.select_related("dossier__period"), pk=evidence_id)
    dossier = _dossier_or_404(request, evidence.dossier_id, "scoring.edit_dossier")
    code = evidence.criterion.code
    services.evidence_remove(evidence=evidence, by=request.user)
    if request.htmx:
        return _row_response(request, dossier, code)
    return redirect(dossier_url(dossier))


@login_required
def evidence_file(request, evidence_id: int):
    """Evidence files are served only to those who may see the dossier."""
    evidence = get_object_or_404(Evidence, pk=evidence_id, kind=Evidence.Kind.FILE)
    _dossier_or_404(request, evidence.dossier_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name)


@login_required
@require_POST
def dossier_submit(request, pk: int):
    dossier = _dossier_or_404(request, pk, "scoring.submit_dossier")
    try:
        dossier = services.dossier_submit(dossier=dossier, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if dossier.is_late:
            messages.warning(
                request, _("The dossier was submitted %(n)s day(s) late and is marked late.") % {"n": dossier.late_days}
            )
        else:
            messages.success(request, _("The dossier has been submitted and is now locked."))
    return redirect(dossier_url(dossier))


@login_required
@require_POST
def dossier_reopen(request, pk: int):
    dossier = _dossier_or_404(request, pk, "scoring.reopen_dossier")
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.dossier_reopen(dossier=dossier, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The dossier is open again for the agency."))
    else:
        messages.error(request, _("Give the reason for reopening the dossier."))
    return redirect(dossier_url(dossier))


# --- appraisal ----------------------------------------------------------------------------------


@login_required
@require_POST
def mark_cell(request, pk: int, criterion_id: int):
    dossier = _dossier_or_404(request, pk, "scoring.appraise_dossier")
    criterion = _criterion(dossier, criterion_id)
    data = selectors.dossier_data(dossier)
    if not selectors.may_mark(data, data.spec.node(criterion.code), request.user):
        raise PermissionDenied
    cid = criterion.pk
    typed = {"mark": request.POST.get(f"mark_{cid}", ""), "comment": request.POST.get(f"comment_{cid}", "")}
    version = request.POST.get(f"mv_{cid}")
    return _save_cell(
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
            version=_version(version),
        ),
    )


@login_required
@require_POST
def adjustments(request, pk: int):
    """Bonus and penalty items, flags and not-applicable criteria — each change with a reason."""
    dossier = _dossier_or_404(request, pk, "scoring.adjust_dossier")
    reason = request.POST.get("reason", "")
    data = selectors.dossier_data(dossier)
    try:
        for node in (*data.spec.bonus, *data.spec.penalties):
            value = request.POST.get(f"adj_{node.code}")
            current = data.adjustments.get(node.code)
            evidence = request.FILES.get(f"ev_{node.code}")
            if value is None or (value == (current.raw if current else "") and evidence is None):
                continue
            services.adjustment_save(
                evidence=evidence,
                dossier=dossier,
                criterion=data.criteria[node.code],
                raw=value,
                reason=reason,
                by=request.user,
            )
        flags = [f for f in request.POST.get("flags", "").replace(";", ",").split(",") if f.strip()]
        if sorted(flags) != sorted(dossier.flags or []):
            services.dossier_set_flags(dossier=dossier, flags=flags, reason=reason, by=request.user)
        na_codes = set(request.POST.getlist("na"))
        for code, score in data.scores.items():
            if score.not_applicable != (code in na_codes):
                services.criterion_set_not_applicable(
                    dossier=dossier,
                    criterion=data.criteria[code],
                    value=code in na_codes,
                    reason=reason,
                    by=request.user,
                )
        for code in na_codes - set(data.scores):
            services.criterion_set_not_applicable(
                dossier=dossier, criterion=data.criteria[code], value=True, reason=reason, by=request.user
            )
    except ScoreInputError as error:
        messages.error(request, input_error_text(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(dossier_url(dossier) + "#dieu-chinh")


@login_required
@require_POST
def evidence_request(request, pk: int, criterion_id: int):
    dossier = _dossier_or_404(request, pk, "scoring.adjust_dossier")
    form = EvidenceRequestForm(request.POST)
    if form.is_valid():
        services.evidence_request_create(
            dossier=dossier,
            criterion=_criterion(dossier, criterion_id),
            message=form.cleaned_data["message"],
            by=request.user,
        )
        messages.success(request, _("The agency has been asked for more evidence."))
    else:
        messages.error(request, _("Say what evidence is needed."))
    return redirect(dossier_url(dossier))


# --- explanation round ---------------------------------------------------------------------------


@login_required
@require_POST
def explanation_submit(request, pk: int, criterion_id: int):
    dossier = _dossier_or_404(request, pk, "scoring.explain_dossier")
    form = ExplanationForm(request.POST)
    if form.is_valid():
        services.explanation_submit(
            dossier=dossier,
            criterion=_criterion(dossier, criterion_id),
            text=form.cleaned_data["text"],
            by=request.user,
        )
        messages.success(request, _("Your explanation has been sent to the reviewer."))
    else:
        messages.error(request, _("Write the explanation."))
    return redirect(dossier_url(dossier))


@login_required
@require_POST
def explanation_decide(request, explanation_id: int):
    explanation = get_object_or_404(Explanation.objects.select_related("dossier", "criterion"), pk=explanation_id)
    dossier = _dossier_or_404(request, explanation.dossier_id, "scoring.decide_explanation")
    form = DecisionForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.explanation_decide(
                explanation=explanation,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
                new_raw=form.cleaned_data["new_raw"],
                by=request.user,
            ),
            _("Decision saved."),
        )
    else:
        messages.error(request, _form_errors(form))
    return redirect(dossier_url(dossier))


@login_required
@require_POST
def final_change(request, pk: int, criterion_id: int):
    dossier = _dossier_or_404(request, pk, "scoring.change_final")
    form = FinalChangeForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.final_mark_change(
                dossier=dossier,
                criterion=_criterion(dossier, criterion_id),
                raw=form.cleaned_data["new_raw"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
            _("The mark was changed and the results recomputed."),
        )
    else:
        messages.error(request, _form_errors(form))
    return redirect(dossier_url(dossier))


@login_required
def criterion_history(request, pk: int, criterion_id: int):
    dossier = _dossier_or_404(request, pk)
    criterion = _criterion(dossier, criterion_id)
    context = {"dossier": dossier, "criterion": criterion, "events": selectors.criterion_history(dossier, criterion)}
    return render(request, "scoring/history.html", context)


# --- Excel round trip ----------------------------------------------------------------------------


@login_required
def excel_download(request, pk: int):
    dossier = _dossier_or_404(request, pk)
    content = dossier_workbook(selectors.dossier_data(dossier))
    return xlsx_response(content, f"tu-cham-{dossier.period.year}-{dossier.agency.code}.xlsx")


@login_required
def excel_upload(request, pk: int):
    """Upload → cell-by-cell validation → preview; nothing is written until the preview is applied."""
    dossier = _dossier_or_404(request, pk, "scoring.edit_dossier")
    session_key = f"excel-upload-{dossier.pk}"
    if request.method == "POST" and request.POST.get("apply"):
        pending = request.session.pop(session_key, None)
        if not pending:
            messages.error(request, _("The upload has expired; upload the file again."))
            return redirect("scoring:excel_upload", dossier.pk)
        data = selectors.dossier_data(dossier)
        by_code: dict[str, dict] = {}
        for change in pending["changes"]:
            by_code.setdefault(change["code"], {})[change["field"]] = change["after"]
        try:
            with transaction.atomic():
                for code, fields in by_code.items():
                    services.self_score_save(
                        dossier=dossier, criterion=data.criteria[code], by=request.user,
                        version=pending["versions"].get(code), **fields,
                    )  # fmt: skip
        except services.StaleEdit:
            messages.error(
                request,
                _("Someone changed the dossier after your upload; upload the file again to see the differences."),
            )
            return redirect("scoring:excel_upload", dossier.pk)
        messages.success(request, _("%(n)s changes from the spreadsheet were saved.") % {"n": len(pending["changes"])})
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


# --- reviewer pages ------------------------------------------------------------------------------


@login_required
def queue(request, period_id: int):
    period = _period_or_404(request, period_id, "scoring.view_queue")
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
    done = sum(1 for r in rows if r["to_mark"] and r["marked"] >= r["to_mark"])
    return render(request, "scoring/queue.html", {"period": period, "form": form, "rows": rows, "done": done})


@login_required
def period_detail(request, period_id: int):
    period = _period_or_404(request, period_id)
    can_manage = request.user.has_perm("scoring.manage_period", period)
    form = PhaseForm(request.POST or None, initial={"phase": period.phase})
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
    context = {
        "period": period,
        "form": form,
        "can_manage": can_manage,
        "changes": period.phase_changes.select_related("by"),
        "counts": counts,
        "expected": services.expected_phase(period, timezone.localdate()),
        "phases": list(Phase),
    }
    return render(request, "scoring/period.html", context)


@login_required
def ranking(request, period_id: int):
    period = _period_or_404(request, period_id, "scoring.view_ranking")
    groups = selectors.ranking(period)
    share, best_label = selectors.best_band_share(period, groups)
    target = _plan_target(period)
    context = {
        "period": period,
        "groups": groups,
        "share": share,
        "best_label": best_label,
        "target": target,
        "target_met": None if (share is None or target is None) else share >= target.threshold,
        "fmt": fmt,
    }
    return render(request, "scoring/ranking.html", context)


def _plan_target(period):
    from plans.models import Target

    return Target.objects.filter(
        plan__province=period.province, plan__year=period.year, metric="share_rated_tot"
    ).first()
