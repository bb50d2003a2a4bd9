"""The dossier grid: the page, the row as the user may see it, and a cell's save answered by its
re-rendered row (htmx) with the subtotals swapped out of band."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.selectors import criterion_source_records, tasks_by_criterion

from .. import selectors, services
from ..engine import ScoreInputError
from ..explain import input_error_text
from ..forms import EvidenceForm
from ..models import AppraisalMark, Criterion, CriterionScore, Dossier, Evidence, Explanation, Phase
from ..models.cycle import NAStatus
from ..selectors import grid as grid_selectors
from .common import dossier_or_404


def shows_marks(user, dossier: Dossier) -> bool:
    return user.has_perm("scoring.see_appraisal", dossier) or user.has_perm("scoring.appraise_dossier", dossier)


def visible_row(request, dossier: Dossier, criterion: Criterion):
    """The criterion's grid row as the user sees it, and whether marks show on it; a criterion
    the grid hides from the user (a co-reviewer's unassigned ones) answers 404."""
    show_marks = shows_marks(request.user, dossier)
    rows, _result = selectors.grid_rows(selectors.dossier_data(dossier), request.user, show_marks=show_marks)
    rows = selectors.rows_visible_to(rows, user=request.user, dossier=dossier)
    row = next((r for r in rows if r.criterion.pk == criterion.pk), None)
    if row is None:
        raise Http404
    return row, selectors.row_shows_marks(row, show_marks=show_marks)


def permissions(user, dossier: Dossier) -> dict[str, bool]:
    """What the user may do on the dossier's page (each a rule of scoring/rules.py)."""
    return {
        "can_edit": user.has_perm("scoring.edit_dossier", dossier),
        "can_submit": user.has_perm("scoring.submit_dossier", dossier),
        "can_appraise": user.has_perm("scoring.appraise_dossier", dossier),
        "can_adjust": user.has_perm("scoring.adjust_dossier", dossier),
        "can_reopen": user.has_perm("scoring.reopen_dossier", dossier),
        "can_explain": user.has_perm("scoring.explain_dossier", dossier),
        "can_add_evidence": user.has_perm("scoring.add_evidence", dossier),
        "can_decide": user.has_perm("scoring.decide_explanation", dossier),
        "can_change_final": user.has_perm("scoring.change_final", dossier),
    }


def source_records(dossier: Dossier, spec) -> dict[str, list]:
    """The records each criterion (or bonus) names as its source in the regulation (auto_source),
    e.g. the unit's "Dân vận khéo" models beside 2.5 and T1: the evidence behind the mark, linked."""
    sources = {n.code: n.params.get("auto_source") for n in (*spec.walk(), *spec.bonus) if n.params.get("auto_source")}
    found = criterion_source_records(agency=dossier.agency, year=dossier.period.year, sources=sources.values())
    return {code: found[source] for code, source in sources.items() if source in found}


def grid_context(request, dossier: Dossier, **extra) -> dict:
    user = request.user
    data = selectors.dossier_data(dossier)
    show_marks = shows_marks(user, dossier)
    rows, result = selectors.grid_rows(data, user, show_marks=show_marks)
    rows = selectors.rows_visible_to(rows, user=user, dossier=dossier)
    allowed = permissions(user, dossier)
    bands = selectors.band_labels(dossier)
    today = timezone.localdate()
    if allowed["can_edit"]:
        # Tasks of the year's plan that serve a criterion: their results are the evidence to cite.
        linked = tasks_by_criterion(agency=dossier.agency, year=dossier.period.year)
        for row in rows:
            row.linked_tasks = linked.get(row.node.code, [])
    records = source_records(dossier, data.spec)
    for row in rows:
        row.source_records = records.get(row.node.code, [])
    return {
        "dossier": dossier,
        "period": dossier.period,
        "criteria_set": selectors.criteria_set_for(dossier),
        "rows": rows,
        "result": result,
        "band_label": bands.get(result.band, ""),
        "show_marks": show_marks,
        "blind": any(r.blind for r in rows),
        **allowed,
        "co_reviewer_only": selectors.sees_assigned_criteria_only(user, dossier),
        "bonus": [(n, data.adjustments.get(n.code), records.get(n.code, [])) for n in data.spec.bonus],
        "penalties": [(n, data.adjustments.get(n.code)) for n in data.spec.penalties],
        # Each with its criterion: the new mark is typed with the criterion's own widget.
        "pending_explanations": [
            (e, data.spec.node(code))
            for code, es in data.explanations.items()
            for e in es
            if e.decision == Explanation.Decision.PENDING
        ],
        "problems": grid_selectors.missing_items(data) if allowed["can_edit"] or allowed["can_submit"] else [],
        "deadline": grid_selectors.self_assessment_deadline(dossier.period, today),
        "today": today,
        "last_saved_at": grid_selectors.last_saved_at(data.scores.values()),
        "na_pending": [r for r in rows if r.na_status == NAStatus.PENDING],
        "evidence_form": EvidenceForm(),
        "steps": result.steps,
        "bands": bands,
        **extra,
    }


@login_required
def dossier_view(request, pk: int):
    dossier = dossier_or_404(request, pk)
    context = grid_context(request, dossier)
    if dossier.agency_id == request.user.agency_id and dossier.period.phase != Phase.FINAL:
        # The page the menu's "Assessment" takes the agency to (views.periods.assessment_home).
        context["menu_lands_here"] = "scoring:home"
    return render(request, "scoring/dossier.html", context)


def row_response(
    request, dossier: Dossier, code: str, *, errors: dict | None = None, typed: dict | None = None, status: int = 200
):
    """The whole re-rendered row (after its evidence changed) plus the subtotals and total, swapped
    out of band."""
    context = grid_context(request, dossier)
    row = next(r for r in context["rows"] if r.node.code == code)
    row.typed = typed
    parents = [r for r in context["rows"] if r.is_group and code.startswith(r.node.code + ".")]
    context.update({"row": row, "errors": errors or {}, "typed": typed or {}, "parents": parents, "saved": not errors})
    return render(request, "scoring/_row_partial.html", context, status=status)


def cell_response(
    request,
    dossier: Dossier,
    criterion: Criterion,
    changed: str,
    *,
    saved: services.CellSaved | None = None,
    errors: dict | None = None,
    typed: dict | None = None,
    status: int = 200,
    refused_edit: bool = False,
):
    """A cell's row after its save (or its refusal): the cell that changed, the totals and the
    subtotals above it, from the computation the save made and the row's own score and marks. The
    parts of the row a cell's save cannot change (title, evidence, notes, the other cell) come back
    as empty placeholders that htmx keeps from the page (hx-preserve). `refused_edit`: the person
    may no longer edit (the dossier was submitted, the phase moved on), and the box stays as it was
    on their page, with what they typed and why it was not saved."""
    user = request.user
    show_marks = shows_marks(user, dossier)
    allowed = permissions(user, dossier)
    if refused_edit:
        allowed["can_edit"] = True
    computation = saved.computation if saved else selectors.dossier_computation(dossier)
    score = mark_rows = has_evidence = problems = None
    if saved and changed == "self":
        # What still stops a submission changes with the cell: the list and the button follow it.
        problems, evidenced = grid_selectors.missing_items_of(dossier)
    if changed == "self":
        score = saved.row if saved else CriterionScore.objects.filter(dossier=dossier, criterion=criterion).first()
        if allowed["can_edit"] and score is not None and score.self_raw:
            has_evidence = (
                criterion.code in evidenced
                if problems is not None
                else Evidence.objects.filter(dossier=dossier, criterion=criterion).exists()
            )
    if show_marks:
        mark_rows = (
            saved.marks
            if saved and saved.marks is not None
            else list(selectors.marks_with_names(AppraisalMark.objects.filter(dossier=dossier, criterion=criterion)))
        )
    cell = selectors.cell_rows(
        dossier,
        criterion.code,
        user,
        show_marks=show_marks,
        computation=computation,
        score=score,
        marks=mark_rows or [],
        has_evidence=has_evidence,
    )
    cell.row.typed = typed
    result = cell.result
    context = {
        "dossier": dossier,
        "period": dossier.period,
        "row": cell.row,
        "parents": cell.parents,
        "result": result,
        "band_label": selectors.band_labels(dossier).get(result.band, ""),
        "show_marks": show_marks,
        "blind": cell.blind,
        **allowed,
        "lean": True,
        "changed": changed,
        "errors": errors or {},
        "typed": typed or {},
        "saved": not errors,
        "saved_at": saved.row.updated_at if saved and changed == "self" else None,
        "today": timezone.localdate(),
        "problems": problems,
    }
    return render(request, "scoring/_row_partial.html", context, status=status)


def refused_cell(request, dossier: Dossier, criterion: Criterion, key: str, typed: dict, reason: str):
    """A save the person may no longer make, answered as refused (403) with the reason beside the
    cell and what they typed kept; the page's script swaps it in (X-Cell-Refusal)."""
    response = cell_response(
        request, dossier, criterion, "self" if key == "raw" else "mark", errors={key: reason}, typed=typed,
        status=403, refused_edit=True,
    )  # fmt: skip
    response["X-Cell-Refusal"] = "1"
    return response


def save_cell(request, dossier: Dossier, criterion: Criterion, key: str, typed: dict, save):
    """Runs one cell's save; any refusal comes back beside the cell with what was typed kept."""
    changed = "self" if key == "raw" else "mark"
    try:
        saved = save()
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
    except services.VersionMissing as error:
        message, status = " ".join(error.messages), 409
    except ValidationError as error:
        message, status = " ".join(error.messages), 422
    else:
        return cell_response(request, dossier, criterion, changed, saved=saved)
    return cell_response(request, dossier, criterion, changed, errors={key: message}, typed=typed, status=status)
