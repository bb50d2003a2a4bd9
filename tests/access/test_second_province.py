"""Two demo provinces side by side (Tây Ninh and Quảng Bình, as `load_demo_province` loads them):
each province's administrator, reviewer and leader is denied every page, admin page and API object
of the other — while the same pages of their own province answer, so the test can fail."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal import demo_quang_binh
from portal.models import Agency, Province, User
from scoring import demo_quang_binh as scoring_demo
from scoring.models import CriteriaSet, Dossier, Regulation, ScoringPeriod
from tests.scoring.cycle_helpers import period_2021_on_731

pytestmark = pytest.mark.django_db
DENIED = {403, 404}


@pytest.fixture
def two_provinces(demo_core):
    tay_ninh = demo_core
    period_2021_on_731(tay_ninh)
    quang_binh = demo_quang_binh.load()
    scoring_demo.load(quang_binh)
    return {"tay-ninh": tay_ninh, "quang-binh": quang_binh}


def objects_of(province: Province) -> dict:
    period = ScoringPeriod.objects.filter(province=province).order_by("-year").first()
    dossier = Dossier.objects.filter(period=period).select_related("agency").order_by("pk").first()
    if not period.is_final:  # a submitted dossier: the province's readers may open it
        Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.SUBMITTED, submitted_at=timezone.now())
    regulation = Regulation.objects.filter(province=province).first()
    return {
        "period": period,
        "dossier": dossier,
        "regulation": regulation,
        "set": CriteriaSet.objects.filter(regulation=regulation).first(),
        "agency": Agency.objects.filter(province=province).order_by("code").first(),
        "user": User.objects.filter(province=province).order_by("username").first(),
    }


def pages(o: dict) -> dict[str, str]:
    """Every kind of address an object of a province is reached by: pages, admin, API."""
    period, dossier = o["period"], o["dossier"]
    return {
        "period": reverse("scoring:period", args=[period.pk]),
        "ranking": reverse("scoring:ranking", args=[period.pk]),
        "dossier": reverse("scoring:dossier", args=[dossier.pk]),
        "steps": reverse("scoring:result_steps", args=[dossier.pk]),
        "ranking xlsx": reverse("reports:ranking_xlsx", args=[period.pk]),
        "agency sheet": reverse("reports:agency_sheet", args=[period.pk, dossier.agency.code]),
        "report list": reverse("reports:report_list", args=[period.pk]),
        "admin period": reverse("admin:scoring_scoringperiod_change", args=[period.pk]),
        "admin regulation": reverse("admin:scoring_regulation_change", args=[o["regulation"].pk]),
        "admin agency": reverse("admin:portal_agency_change", args=[o["agency"].pk]),
        "admin user": reverse("admin:portal_user_change", args=[o["user"].pk]),
        "api period": f"/api/v1/periods/{period.pk}/",
        "api ranking": f"/api/v1/periods/{period.pk}/ranking/",
        "api set": f"/api/v1/criteria-sets/{o['set'].pk}/",
    }


# Who tries: each province's administrator, reviewer and leader (username of each province).
PEOPLE = {
    "tay-ninh": ("quantri", "thamdinh.noivu", "lanhdao.tinh"),
    "quang-binh": ("quantri.quangbinh", "thamdinh.quangbinh", "lanhdao.quangbinh"),
}
# Pages each one gets in their own province (the admin is the administrator's only).
OWN = {
    "quantri": ("admin period", "admin regulation", "admin agency", "admin user"),
    "quantri.quangbinh": ("admin period", "admin regulation", "admin agency", "admin user"),
    "thamdinh.noivu": ("period", "ranking", "dossier", "api period", "api set"),
    "thamdinh.quangbinh": ("period", "ranking", "dossier", "steps", "ranking xlsx", "api period", "api ranking"),
    "lanhdao.tinh": ("period", "api period", "api set"),
    "lanhdao.quangbinh": ("period", "ranking", "agency sheet", "api period", "api ranking", "api set"),
}


@pytest.mark.parametrize(("home", "other"), [("quang-binh", "tay-ninh"), ("tay-ninh", "quang-binh")])
def test_a_province_sees_nothing_of_the_other(two_provinces, home, other):
    own, foreign = pages(objects_of(two_provinces[home])), pages(objects_of(two_provinces[other]))
    for username in PEOPLE[home]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name in OWN[username]:
            assert client.get(own[name]).status_code == 200, (username, "own", name)
        for name, url in foreign.items():
            response = client.get(url)
            # The admin sends whoever is not staff to its own login page: denied as well.
            to_admin_login = response.status_code == 302 and response["Location"].startswith("/admin/login/")
            assert response.status_code in DENIED or to_admin_login, (username, other, name, response.status_code)


def test_the_api_lists_only_the_own_province(two_provinces):
    client = Client()
    client.force_login(User.objects.get(username="quantri.quangbinh"))
    periods = client.get("/api/v1/periods/").json()["results"]
    assert {p["year"] for p in periods} == {scoring_demo.YEAR}
    sets = {s["library_code"] for s in client.get("/api/v1/criteria-sets/").json()["results"]}
    assert sets == {"qb-3140-2022:01", "qb-3140-2022:02"}
    agencies = {a["code"] for a in client.get("/api/v1/agencies/?on=2023-12-01").json()["results"]}
    assert "x-sen-thuy" in agencies and "vp-ubnd" not in agencies  # vp-ubnd is Tây Ninh's
