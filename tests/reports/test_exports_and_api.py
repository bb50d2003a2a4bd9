"""Spreadsheets read back by LibreOffice; the read API's endpoints, permissions and schema."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from plans.models import Plan
from portal.models import User
from reports import excel
from scoring.models import Result, ScoringPeriod
from tests.helpers import xlsx_to_csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def period_2021(demo_db):
    return ScoringPeriod.objects.get(year=2021)


def api_as(username: str) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_ranking_xlsx_opens_in_libreoffice_with_the_same_numbers(period_2021, tmp_path):
    path = tmp_path / "xep-hang.xlsx"
    path.write_bytes(excel.ranking_workbook(period_2021))
    rows = xlsx_to_csv_rows(path, tmp_path)
    assert rows[2][:2] == ["STT", "Cơ quan, đơn vị"]
    by_name = {r[1]: r for r in rows[3:] if len(r) > 7 and r[2]}
    results = Result.objects.filter(dossier__period=period_2021).select_related("dossier__agency_version")
    assert len(by_name) == results.count()
    for result in results:
        row = by_name[result.dossier.agency_version.name]
        assert D(row[7]) == result.total
        assert D(row[3]) == result.self_total
        if result.classified:
            assert int(row[9]) == result.rank


def test_matrix_xlsx_has_every_agency_and_criterion(period_2021, tmp_path):
    path = tmp_path / "ma-tran.xlsx"
    path.write_bytes(excel.matrix_workbook(period_2021))
    rows = xlsx_to_csv_rows(path, tmp_path)
    header = rows[2]
    assert header[0] == "Cơ quan, đơn vị" and header[-1] == "Tổng"
    assert any(h.startswith("3.3") for h in header)  # 2021 is scored on 1743
    justice = next(r for r in rows if r and r[0] == "Sở Tư pháp")
    assert D(justice[-1]) == Result.objects.get(dossier__period=period_2021, dossier__agency__code="so-tu-phap").total


def test_api_periods_and_ranking_for_the_leader(period_2021):
    client = api_as("lanhdao.tinh")
    periods = client.get("/api/v1/periods/").json()
    assert {2019, 2020, 2021, 2022, timezone.localdate().year} <= {p["year"] for p in periods["results"]}
    ranking = client.get(f"/api/v1/periods/{period_2021.pk}/ranking/").json()
    assert ranking["count"] == period_2021.dossiers.count()
    justice = next(r for r in ranking["results"] if r["agency"] == "so-tu-phap")
    assert (
        D(justice["total"]) == Result.objects.get(dossier__period=period_2021, dossier__agency__code="so-tu-phap").total
    )


def test_api_criteria_set_tree_and_agencies_by_date(demo_db):
    client = api_as("thamdinh.noivu")
    sets = client.get("/api/v1/criteria-sets/").json()["results"]
    tn = next(s for s in sets if s["library_code"] == "tn-731-2019:01")
    detail = client.get(f"/api/v1/criteria-sets/{tn['id']}/").json()
    assert [c["code"] for c in detail["criteria"]][:5] == ["1", "2", "3", "4", "5"]
    assert [c["code"] for c in detail["criteria"][1]["children"]][-1] == "2.6"
    in_2021 = client.get("/api/v1/agencies/", {"on": "2021-06-30"}).json()
    in_2026 = client.get("/api/v1/agencies/", {"on": "2026-01-15"}).json()
    names_2021 = {a["name"] for a in in_2021["results"]}
    assert in_2021["count"] > 50 and "Ủy ban nhân dân thị xã Hòa Thành" in names_2021 | {
        a["name"] for a in client.get("/api/v1/agencies/", {"on": "2021-06-30", "page": 2}).json()["results"]
    }
    assert in_2026["count"] < in_2021["count"]
    assert client.get("/api/v1/agencies/", {"on": "30/06/2021"}).status_code == 400


def test_api_deliverables_own_agency_only_for_agency_staff(demo_db):
    plan = Plan.objects.get(year=2021)
    staff = api_as("canbo.tuphap").get(f"/api/v1/plans/{plan.pk}/deliverables/").json()
    assert staff["count"] == 3 and {d["agency"] for d in staff["results"]} == {"so-tu-phap"}
    reviewer = api_as("thamdinh.noivu").get(f"/api/v1/plans/{plan.pk}/deliverables/").json()
    assert reviewer["count"] > 100
    assert {"on_time", "late", "missing"} <= {d["status"] for d in reviewer["results"] + api_as("thamdinh.noivu").get(
        f"/api/v1/plans/{plan.pk}/deliverables/", {"page": 2}).json()["results"]}  # fmt: skip


def test_api_denies_anonymous_agencies_for_open_rankings_and_other_provinces(demo_db):
    from portal.models import Role
    from tests.factories import AgencyFactory, ProvinceFactory, UserFactory

    open_period = ScoringPeriod.objects.get(year=timezone.localdate().year, program="dvcq")
    assert APIClient().get("/api/v1/periods/").status_code == 401
    assert api_as("canbo.tuphap").get(f"/api/v1/periods/{open_period.pk}/ranking/").status_code == 403
    assert (
        api_as("canbo.tuphap").get(f"/api/v1/periods/{ScoringPeriod.objects.get(year=2021).pk}/ranking/").status_code
        == 200
    )
    stranger = UserFactory(username="la", agency=AgencyFactory(province=ProvinceFactory()), roles=[Role.LEADER])
    client = api_as(stranger.username)
    assert client.get("/api/v1/periods/").json()["count"] == 0
    assert client.get(f"/api/v1/periods/{open_period.pk}/").status_code == 404
    assert client.get(f"/api/v1/plans/{Plan.objects.get(year=2021).pk}/deliverables/").status_code == 404
    assert client.post("/api/v1/periods/", {}).status_code in (403, 405)


def test_api_is_read_only(demo_db):
    client = api_as("quantri")
    period = ScoringPeriod.objects.get(year=2021)
    assert client.delete(f"/api/v1/periods/{period.pk}/").status_code == 405
    assert client.patch(f"/api/v1/periods/{period.pk}/", {"year": 1999}).status_code == 405


def test_openapi_schema_validates(demo_db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stdout=io.StringIO(), stderr=io.StringIO()
    )
    text = out.read_text()
    for path in (
        "/api/v1/periods/{id}/ranking/",
        "/api/v1/agencies/",
        "/api/v1/criteria-sets/{id}/",
        "/api/v1/plans/{plan_pk}/deliverables/",
    ):
        assert path in text
    response = api_as("lanhdao.tinh").get("/api/v1/schema/")
    assert response.status_code == 200


def test_dashboard_is_for_province_readers(client, demo_db):
    client.force_login(User.objects.get(username="canbo.tuphap"))
    assert client.get(reverse("reports:dashboard")).status_code == 403
    client.force_login(User.objects.get(username="lanhdao.tinh"))
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Bảng điều khiển" in page and 'id="dashboard-data"' in page
    assert "Sở Tư pháp" in page


def test_share_in_the_best_class_is_a_percentage_with_two_decimals(demo_db):
    from scoring.selectors import best_band_share

    share, label = best_band_share(ScoringPeriod.objects.get(year=2021))
    assert label == "Tốt"
    assert share == share.quantize(D("0.01"))
