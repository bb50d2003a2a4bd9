"""Stored results (issue 10): the pages and cell saves that show results send the same number of
queries on a small and a larger period, within budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Agency, AgencyVersion
from scoring import services
from scoring.models import (
    AppraisalMark,
    CriterionScore,
    Dossier,
    Evidence,
    Explanation,
    Phase,
)
from tests.scoring.cycle_helpers import criterion
from tests.scoring.stored_helpers import _flags_count, appraised_period  # noqa: F401 (autouse)

HX = {"HTTP_HX_REQUEST": "true"}
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


# --- queries: the same on a small and a larger period, within budget -------------------------------------


def _grow(period, n: int) -> None:
    """n more agencies of a group with dossiers scored on every criterion, appraised, with evidence,
    stored results; and n more marks, evidence and explanations on Sở Tư pháp's own dossier."""
    group = period.dossiers.get(agency__code="so-tu-phap").group
    agencies = Agency.objects.bulk_create(Agency(province=period.province, code=f"them-{i}") for i in range(n))
    versions = AgencyVersion.objects.bulk_create(
        AgencyVersion(agency=a, name=f"Cơ quan thêm {i}", kind="so", group=group, valid_from=dt.date(2019, 1, 1))
        for i, a in enumerate(agencies)
    )
    submitted = period.dossiers.filter(agency__code="so-tu-phap").values_list("submitted_at", flat=True).first()
    new = Dossier.objects.bulk_create(
        Dossier(period=period, agency=a, agency_version=v, group=group, status="submitted", submitted_at=submitted)
        for a, v in zip(agencies, versions, strict=True)
    )
    model = period.dossiers.get(agency__code="so-y-te")
    for related in (CriterionScore, AppraisalMark, Evidence):
        rows = list(related.objects.filter(dossier=model).values())
        for row in rows:
            row.pop("id")
        related.objects.bulk_create(related(**{**row, "dossier_id": d.pk}) for d in new for row in rows)
    justice = period.dossiers.get(agency__code="so-tu-phap")
    c = criterion(justice, "2.2")
    Evidence.objects.bulk_create(
        Evidence(dossier=justice, criterion=c, kind="reference", doc_number=f"{i}/BC", summary="Báo cáo", phase="appraisal")
        for i in range(n)
    )  # fmt: skip
    Explanation.objects.bulk_create(
        Explanation(dossier=justice, criterion=c, text=f"Giải trình {i}", decision="rejected", decision_reason="Không")
        for i in range(n)
    )
    services.results_refresh(period=period)


def _count(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {}, **(HX if method == "post" else {}))
    assert response.status_code == 200, (url, response.status_code)
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))


def _counts(cycle, phase: str) -> dict[str, int]:
    """Queries of each page and save (the second request of each: the first warms caches)."""
    period, people, dossiers = cycle["period"], cycle["people"], cycle["dossiers"]
    justice, health = dossiers["so-tu-phap"], dossiers["so-y-te"]
    clients = {}
    for role in ("staff", "reviewer", "coreviewer", "leader"):
        clients[role] = Client()
        clients[role].force_login(people[role])
    counts = {}

    def count(name, role, method, url, data=None):
        _count(clients[role], method, url, data() if callable(data) else data)
        counts[name] = _count(clients[role], method, url, data() if callable(data) else data)

    if phase == "appraisal":
        for role, code in (("reviewer", "2.2"), ("coreviewer", "1.1")):
            c = criterion(health, code)

            def mark(c=c, role=role):
                mark = AppraisalMark.objects.filter(dossier=health, criterion=c, scorer=people[role].agency).first()
                return {f"mark_{c.pk}": "2" if mark is None or mark.raw != "2" else "3", f"mv_{c.pk}": str(mark.version if mark else 0)}  # fmt: skip

            count(f"mark cell ({role})", role, "post", reverse("scoring:mark_cell", args=[health.pk, c.pk]), mark)
            count(f"appraisal page ({role})", role, "get", reverse("scoring:dossier", args=[health.pk]))
        count("ranking (provisional)", "reviewer", "get", reverse("scoring:ranking", args=[period.pk]))
        count("dashboard (provisional)", "leader", "get", reverse("reports:dashboard") + f"?year={period.year}")
        count("steps of a row (provisional)", "leader", "get", reverse("scoring:result_steps", args=[health.pk]))
    else:
        c = criterion(justice, "2.2")

        def cell():
            score = CriterionScore.objects.filter(dossier=justice, criterion=c).first()
            value = "3" if score is None or score.self_raw != "3" else "2"
            return {f"raw_{c.pk}": value, f"note_{c.pk}": "", f"v_{c.pk}": str(score.version if score else 0)}

        count("self cell", "staff", "post", reverse("scoring:self_cell", args=[justice.pk, c.pk]), cell)
        count("grid (agency)", "staff", "get", reverse("scoring:dossier", args=[justice.pk]))
        count("ranking (provisional, drafts private)", "reviewer", "get", reverse("scoring:ranking", args=[period.pk]))
    return counts


@pytest.mark.parametrize("phase", ["self_assessment", "appraisal"])
def test_pages_and_cell_saves_send_the_same_queries_on_a_larger_period(cycle, phase):
    period, people = cycle["period"], cycle["people"]
    if phase == "appraisal":
        appraised_period(cycle)
        services.mark_save(
            dossier=cycle["dossiers"]["so-y-te"], criterion=criterion(cycle["dossiers"]["so-y-te"], "1.1"),
            scorer=people["reviewer"].agency, raw="90", by=people["reviewer"], version=0,
        )  # fmt: skip
    with transaction.atomic():
        small = _counts(cycle, phase)
        transaction.set_rollback(True)
    _grow(period, 12)
    large = _counts(cycle, phase)
    assert large == small
    saves = {name: n for name, n in small.items() if "cell" in name}
    # A cell's save: the session, the user, the dossier, its lock, the row, its update and history,
    # the dossier's rows for the engine, the stored result, and the row's own detail (a mark also
    # asks whether the criterion was declared not applicable): about 2 × the anchor's 5
    # (docs/PERFORMANCE.md measures the time).
    assert all(n <= 11 for n in saves.values()), saves
    assert all(n <= 15 for n in small.values()), small


def test_the_final_ranking_and_dashboard_send_the_same_queries_on_a_larger_period(cycle):
    period, people = cycle["period"], cycle["people"]
    appraised_period(cycle)
    services.period_set_phase(period=period, phase=Phase.EXPLANATION, by=people["reviewer"], reason="Công bố")
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=people["reviewer"], reason="Hết hạn")
    client = Client()
    client.force_login(people["leader"])
    urls = [
        reverse("scoring:ranking", args=[period.pk]),
        reverse("reports:dashboard") + f"?year={period.year}",
        reverse("scoring:result_steps", args=[cycle["dossiers"]["so-tu-phap"].pk]),
    ]

    def finalized_counts():
        period.refresh_from_db()
        services.period_finalize(period=period, by=people["reviewer"])
        for url in urls:
            _count(client, "get", url)
        return [_count(client, "get", url) for url in urls]

    with transaction.atomic():
        small = finalized_counts()
        transaction.set_rollback(True)
    _grow(period, 12)
    large = finalized_counts()
    assert large == small and all(n <= 15 for n in small), (small, large)
