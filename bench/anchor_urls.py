"""The anchors: the least a logged-in request of each kind must cost, served by the same gunicorn
and middleware as the portal (session, CSRF, authentication, no-store), so the ratio between a
portal page and its anchor is the portal's own cost. They live in the bench, never in the product.
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.urls import urlpatterns as portal_urlpatterns
from scoring.models import CriterionScore

handler500 = "portal.views.errors.server_error"


def cell_save(*, dossier_id: int, criterion_id: int, user, raw: str, version: int):
    """The anchor of one cell save: read the row, update it, insert its history (3 queries)."""
    with transaction.atomic():
        score = (
            CriterionScore.objects.select_for_update()
            .filter(dossier_id=dossier_id, criterion_id=criterion_id, dossier__agency_id=user.agency_id)
            .only("id", "version", "self_raw", "self_points", "criterion_id", "dossier_id")
            .first()
        )
        if score is None:
            raise Http404
        if score.version != version:
            return score, False
        now = timezone.now()
        CriterionScore.objects.filter(pk=score.pk).update(
            self_raw=raw, version=F("version") + 1, updated_by=user, updated_at=now
        )
        score.self_raw, score.version = raw, score.version + 1
        CriterionScore.history.model.objects.create(
            id=score.pk, dossier_id=dossier_id, criterion_id=criterion_id, self_raw=raw,
            self_points=score.self_points, version=score.version, updated_at=now, updated_by=user,
            history_date=now, history_type="~", history_user=user, history_change_reason="self-assessment",
        )  # fmt: skip
    return score, True


@login_required
@require_POST
def anchor_cell(request, pk: int, criterion_id: int):
    version = request.POST.get(f"v_{criterion_id}", "")
    score, saved = cell_save(
        dossier_id=pk,
        criterion_id=criterion_id,
        user=request.user,
        raw=request.POST.get(f"raw_{criterion_id}", ""),
        version=int(version) if version.isdigit() else -1,
    )
    return render(request, "bench/anchor_row.html", {"score": score}, status=200 if saved else 409)


@login_required
def anchor_page(request):
    """A trivial logged-in page: the floor under every page of the portal."""
    return render(request, "bench/trivial.html")


@login_required
def anchor_ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench-anchor/cell/<int:pk>/<int:criterion_id>/", anchor_cell, name="bench_anchor_cell"),
    path("bench-anchor/page/", anchor_page, name="bench_anchor_page"),
    path("bench-anchor/ok/", anchor_ok, name="bench_anchor_ok"),
    *portal_urlpatterns,
]
