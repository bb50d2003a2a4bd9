"""What the pages of the assessment cycle share: lookups that never leak (another province's or
agency's object is a 404), running a service with its refusal as a message, reading a version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from portal.access import require_access

from ..engine import ScoreInputError
from ..engine.types import NodeKind
from ..explain import input_error_text
from ..models import Criterion, Dossier, ScoringPeriod
from ..selectors.dossier import criteria_set_for


def period_or_404(request, pk: int, perm: str = "scoring.view_period") -> ScoringPeriod:
    period = ScoringPeriod.objects.filter(pk=pk).select_related("criteria_set__regulation", "province").first()
    return require_access(request.user, period, view_perm="scoring.view_period", perm=perm)


PAGE_RELATED = ("period__criteria_set__regulation", "agency", "agency_version", "group")
CELL_RELATED = ("period", "agency", "agency_version", "group")  # a cell's save needs no more


def dossier_or_404(request, pk: int, perm: str = "scoring.view_dossier", *, related=PAGE_RELATED) -> Dossier:
    # No ordering: the model's (by province, year, group, name) would join four more tables to sort
    # the one row, and planning that costs PostgreSQL more than the lookup.
    dossier = Dossier.objects.filter(pk=pk).select_related(*related).order_by().first()
    return require_access(request.user, dossier, view_perm="scoring.view_dossier", perm=perm)


def criterion_or_404(dossier: Dossier, criterion_id: int) -> Criterion:
    """A criterion of the dossier's criteria set (read from the set in memory: no query)."""
    criterion = criteria_set_for(dossier).by_pk.get(criterion_id)
    if criterion is None:
        raise Http404
    return criterion


def cell_criterion_or_404(dossier: Dossier, criterion_id: int) -> Criterion:
    """A criterion that is a row of the dossier's grid (a cell to save): bonus and penalty items
    are not, they have the reviewer's form."""
    criterion = criterion_or_404(dossier, criterion_id)
    if criterion.kind not in (NodeKind.GROUP, NodeKind.ITEM):
        raise Http404
    return criterion


def dossier_url(dossier: Dossier) -> str:
    return reverse("scoring:dossier", args=[dossier.pk])


def run_service(request, action, success: str) -> bool:
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


def form_errors(form) -> str:
    return " ".join(m for errors in form.errors.values() for m in errors)


def dossier_form_post(request, dossier: Dossier, form, save, success: str):
    """A form posted from the dossier page: a valid one runs its service (`save(cleaned_data)`, a
    refusal becoming a message), an invalid one says why; either way back to the dossier."""
    if form.is_valid():
        run_service(request, lambda: save(form.cleaned_data), success)
    else:
        messages.error(request, form_errors(form))
    return redirect(dossier_url(dossier))


def edited_version(value: str | None) -> int | None:
    """The version the page edits; anything but plain ASCII digits (within reason) is no version,
    which the services refuse."""
    if value is None or not (value.isascii() and value.isdigit() and len(value) <= 9):
        return None
    return int(value)
