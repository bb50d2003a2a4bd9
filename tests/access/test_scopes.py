"""Tenant isolation in the query layer: province-owned models answer only inside a province scope."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django_scopes import ScopeError, scope

from plans.models import Exemplar, Plan, ReportEntry, ReportForm
from portal.models import Agency, AgencyGroup
from portal.scopes import ProvinceScopeMiddleware, province_scope
from reports.models import DocumentTexts, GeneratedReport
from scoring.models import Dossier, ScoringPeriod

SCOPED = [
    Agency,
    AgencyGroup,
    ScoringPeriod,
    Dossier,
    Plan,
    GeneratedReport,
    DocumentTexts,
    Exemplar,
    ReportForm,
    ReportEntry,
]


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_a_query_with_no_province_scope_is_refused(model, db):
    with scope():  # as new code would run if it forgot the province: scopes on, no province named
        with pytest.raises(ScopeError):
            list(model.objects.all())


def test_a_scope_shows_one_province_whatever_the_query_asks(world, db):
    own, foreign = world.agencies["own"], world.agencies["foreign"]
    staff = world.users["staff"]
    with province_scope(staff):
        # An unfiltered query, as a view that forgot the province would write it.
        assert set(Agency.objects.values_list("province_id", flat=True)) == {own.province_id}
        assert not Agency.objects.filter(pk=foreign.pk).exists()
        assert set(ScoringPeriod.objects.values_list("province_id", flat=True)) == {own.province_id}
        assert not Dossier.objects.filter(period__province=foreign.province).exists()
        assert Dossier.objects.filter(agency=own).exists()


def test_the_anonymous_see_no_province_and_a_superuser_every_province(world, db):
    with province_scope(None):
        assert not Agency.objects.exists()
    superuser = world.users["admin"].__class__(is_superuser=True)
    with province_scope(superuser):
        assert Agency.objects.filter(pk=world.agencies["foreign"].pk).exists()
        assert Agency.objects.filter(pk=world.agencies["own"].pk).exists()


def test_a_request_runs_in_the_users_province(world, db, rf):
    # What a view sees when it forgets the province: the middleware's scope filters it all the same.
    def forgetful_view(request):
        return HttpResponse(",".join(sorted({str(p) for p in Agency.objects.values_list("province_id", flat=True)})))

    request = rf.get("/")
    for key, expected in (("reviewer", "own"), ("foreign_staff", "foreign")):
        request.user = world.users[key]
        body = ProvinceScopeMiddleware(forgetful_view)(request).content.decode()
        assert body == str(world.agencies[expected].province_id), key
    request.user = AnonymousUser()
    assert ProvinceScopeMiddleware(forgetful_view)(request).content.decode() == ""


def test_the_api_scopes_a_token_user_after_authenticating_them(world, db, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.users["reviewer"])
    response = client.get("/api/v1/periods/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    provinces = {ScoringPeriod.objects.get(pk=row["id"]).province_id for row in rows}
    assert provinces == {world.agencies["own"].province_id}


def test_a_process_can_switch_scopes_off_for_good(world, db):
    import gc
    import threading

    from portal.scopes import scopes_off_from_now_on

    seen = []

    def bench_like():  # a new thread starts with scopes on, as a new process does
        scopes_off_from_now_on()
        gc.collect()  # the switch must survive the garbage collector
        seen.append(Agency.objects.count())

    thread = threading.Thread(target=bench_like)
    thread.start()
    thread.join()
    assert seen == [Agency.objects.count()]
