"""The explanation round: the agency explains a criterion, the reviewer decides."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import DecisionForm, ExplanationForm
from ..models import Explanation
from .common import criterion_or_404, dossier_form_post, dossier_or_404


@login_required
@require_POST
def explanation_submit(request, pk: int, criterion_id: int):
    dossier = dossier_or_404(request, pk, "scoring.explain_dossier")
    return dossier_form_post(
        request,
        dossier,
        ExplanationForm(request.POST),
        lambda data: services.explanation_submit(
            dossier=dossier, criterion=criterion_or_404(dossier, criterion_id), text=data["text"], by=request.user
        ),
        _("Your explanation has been sent to the reviewer."),
    )


@login_required
@require_POST
def explanation_decide(request, explanation_id: int):
    explanation = get_object_or_404(Explanation.objects.select_related("dossier", "criterion"), pk=explanation_id)
    dossier = dossier_or_404(request, explanation.dossier_id, "scoring.decide_explanation")
    return dossier_form_post(
        request,
        dossier,
        DecisionForm(request.POST),
        lambda data: services.explanation_decide(
            explanation=explanation,
            accept=data["decision"] == "accept",
            reason=data["reason"],
            new_raw=data["new_raw"],
            by=request.user,
        ),
        _("Decision saved."),
    )
