"""Results: the ranking, the steps behind one agency's total, a criterion's history, and changing a
mark after finalization."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.selectors import target_is_met, target_measured_by
from portal.access import require_access

from .. import selectors, services
from ..explain import fmt
from ..forms import FinalChangeForm
from ..models import Dossier
from ..selectors.shares import ranking_shares
from .common import (
    criterion_or_404,
    dossier_form_post,
    dossier_or_404,
    edited_version,
    period_or_404,
)
from .grid import visible_row


@login_required
def ranking(request, period_id: int):
    period = period_or_404(request, period_id, "scoring.view_ranking")
    groups = selectors.ranking(period)
    for _group, rows in groups:
        for row in rows:
            row.dossier.period = period  # the rules read the phase; no query per row
            # The published ranking is everyone's; the steps behind a total name marks per criterion.
            row.readable = request.user.has_perm("scoring.view_dossier_detail", row.dossier)
            row.openable = request.user.has_perm("scoring.view_dossier", row.dossier)
    # The best class per set and group (each set's own bands); the combined share only labelled so.
    shares = ranking_shares(period, groups)
    share, best_label = shares.combined, shares.combined_label
    # The score matrix holds every agency's marks: offered to whoever may read at least one row's detail.
    matrix_readable = any(row.readable for _group, rows in groups for row in rows)
    target = target_measured_by(
        province=period.province, year=period.year, program=period.program, metric=selectors.BEST_BAND_METRIC
    )
    context = {
        "period": period,
        "groups": groups,
        "share": share,
        "best_label": best_label,
        "shares": shares,
        "target": target,
        "target_met": target_is_met(target, share) if target else None,
        "fmt": fmt,
        "matrix_readable": matrix_readable,
        "today": timezone.localdate(),
    }
    return render(request, "scoring/ranking.html", context)


@login_required
def result_steps(request, pk: int):
    """How one agency's total and class came about — the ranking's "How" of a row, asked when the
    row is opened: the same readers as the dossier's detail (scoring.view_dossier_detail), on a
    ranking they may see."""
    dossier = (
        Dossier.objects.filter(pk=pk)
        .select_related("period__criteria_set__regulation", "agency", "agency_version", "group")
        .first()
    )
    # Whoever may not read the detail gets what a missing dossier gets, as on the score sheet.
    require_access(request.user, dossier, view_perm="scoring.view_dossier_detail")
    if not request.user.has_perm("scoring.view_ranking", dossier.period):
        raise PermissionDenied
    context = {"dossier": dossier, "period": dossier.period, "steps": selectors.result_steps(dossier)}
    template = "scoring/_result_steps.html" if request.htmx else "scoring/result_steps.html"
    return render(request, template, context)


@login_required
def criterion_history(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk)
    criterion = criterion_or_404(dossier, criterion_id)
    _row, shows_marks = visible_row(request, dossier, criterion)
    events = selectors.criterion_history(dossier, criterion, show_marks=shows_marks)
    context = {"dossier": dossier, "criterion": criterion, "events": events}
    return render(request, "scoring/history.html", context)


@login_required
@require_POST
def final_change(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk, "scoring.change_final")
    return dossier_form_post(
        request,
        dossier,
        FinalChangeForm(request.POST),
        lambda data: services.final_mark_change(
            dossier=dossier,
            criterion=criterion_or_404(dossier, criterion_id),
            raw=data["new_raw"],
            reason=data["reason"],
            by=request.user,
            version=edited_version(request.POST.get("version")),
        ),
        _("The mark was changed and the results recomputed."),
    )
