"""Moving a period that is not final to a newer version of its regulation: choose the version, read
the diff (what carries over, what cannot), confirm exactly that diff with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.forms import add_service_errors

from .. import selectors, services
from ..forms import VersionChangeForm
from .common import period_or_404


def _chosen(choices, value):
    """The offered set whose id is `value` (anything else is no choice)."""
    return next((each for each in choices if str(each.pk) == (value or "")), None)


@login_required
def period_version(request, period_id: int):
    period = period_or_404(request, period_id, "scoring.change_period_version")
    choices = selectors.newer_criteria_sets(period)
    data = request.POST if request.method == "POST" else None
    chosen = _chosen(choices, data.get("criteria_set") if data is not None else request.GET.get("set"))
    form = VersionChangeForm(data)
    if data is not None:
        if chosen is None:
            form.add_error(None, _("Choose one of the newer versions offered."))
        elif form.is_valid():
            try:
                record = services.period_change_version(
                    period=period,
                    new_set=chosen,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    confirmed=form.cleaned_data["confirmed"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The period now applies %(set)s: %(carried)d rows carried over, %(left)d kept on the old version."
                    )
                    % {"set": chosen, "carried": record.carried_total, "left": len(record.left_behind)},
                )
                return redirect("scoring:period", period.pk)
    # The diff as it is now: after a refusal (the dossiers changed meanwhile) the page confirms the new one.
    diff = services.period_version_diff(period=period, new_set=chosen) if chosen else None
    several = len(period.sets()) > 1
    context = {
        "period": period,
        "choices": choices,
        "chosen": chosen,
        "diff": diff,
        "form": form,
        "several": several,
        "history": selectors.version_changes(period),
    }
    return render(request, "scoring/period_version.html", context)
