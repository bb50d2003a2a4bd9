"""The Django admin for a province administrator: their province only, every model, every page.

The administrator of the main province (Role.ADMIN, staff, not a superuser) gets 404 for every
change, history and delete page of an object of the other province, finds none of them in any
list, and cannot choose one in any form; a superuser still sees everything.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.forms import ModelChoiceField
from django.test import Client
from django.urls import NoReverseMatch, reverse

from plans.models import Digest
from portal.admin_scope import ProvinceScopedAdmin
from portal.models import AgencyGroup, Province
from reports.models import DocumentSigner
from tests.factories import (
    AgencyLineageFactory,
    DocumentSignerFactory,
    DocumentTextsFactory,
    ReminderFactory,
    ReminderPolicyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
APPS = {"portal", "plans", "scoring", "reports"}
# Made by the system (the superuser's provinces, a loaded library, the reminder sweep) or by a judge on
# the portal (a judge's marks), never in a form of the admin.
ADDED_ELSEWHERE = {"portal.Province", "scoring.CriteriaSet", "plans.Reminder", "scoring.JudgeMark"}


def registered():
    """(model, its admin) for every model of the portal's apps registered in the admin."""
    return sorted(
        ((m, a) for m, a in admin.site._registry.items() if m._meta.app_label in APPS),
        key=lambda pair: pair[0]._meta.label,
    )


def rows_of(model, model_admin, province):
    path = model_admin.province_path
    return model._default_manager.filter(**{"pk" if path == "pk" else path: province.pk})


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def provinces(world):
    main, other = world.agencies["own"].province, world.agencies["foreign"].province
    # Rows of every admin model the access world does not make, in both provinces.
    for province, user in ((main, world.users["staff"]), (other, world.users["foreign_staff"])):
        versions = [a.versions.get() for a in province.agencies.order_by("code")[:2]]
        AgencyLineageFactory(predecessor=versions[0], successor=versions[1])
        ReminderPolicyFactory(province=province)
        deliverable = world.deliverables["own" if province == main else "foreign"]
        ReminderFactory(recipient=user, deliverable=deliverable)
        Digest.objects.create(recipient=user, day=dt.date(2024, 11, 15))
        DocumentTextsFactory(province=province)
        DocumentSignerFactory(province=province)
    return main, other


def test_every_admin_model_of_the_portal_is_scoped_to_a_province():
    unscoped = [m._meta.label for m, a in registered() if not isinstance(a, ProvinceScopedAdmin)]
    assert unscoped == []


def test_province_admin_gets_404_for_every_object_of_another_province(provinces, clients):
    _main, other = provinces
    client, wrong, checked = clients["admin"], [], set()
    for model, model_admin in registered():
        foreign = list(rows_of(model, model_admin, other))
        assert foreign, f"the test has no {model._meta.label} of the other province"
        for obj in foreign:
            for view in ("change", "history", "delete", "password_change"):
                try:
                    address = url(model, view, obj.pk)
                except NoReverseMatch:
                    continue
                status = client.get(address).status_code
                if status not in (403, 404):
                    wrong.append(f"{model._meta.label} {view} {obj.pk}: {status}")
                checked.add(model._meta.label)
    assert not wrong, "\n".join(wrong)
    assert checked == {m._meta.label for m, _a in registered()}


def test_lists_hold_only_the_own_province(provinces, clients):
    main, other = provinces
    wrong = []
    for model, model_admin in registered():
        response = clients["admin"].get(url(model, "changelist"))
        assert response.status_code == 200, model._meta.label
        listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
        if listed != set(rows_of(model, model_admin, main).values_list("pk", flat=True)):
            wrong.append(f"{model._meta.label}: lists {len(listed)} rows")
        if other.name in response.content.decode():
            wrong.append(f"{model._meta.label}: names the other province")
    assert not wrong, "\n".join(wrong)


def _choice_fields(response):
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [*inline.formset.forms, inline.formset.empty_form]
    for form in forms:
        for name, field in form.fields.items():
            # An inline row's own id lists the rows of its parent, which is the province's already.
            if isinstance(field, ModelChoiceField) and name != form._meta.model._meta.pk.name:
                yield f"{type(form).__name__}.{name}", field.queryset


def test_forms_offer_no_object_of_another_province(provinces, clients):
    main, other = provinces
    client, wrong, seen = clients["admin"], [], 0
    for model, model_admin in registered():
        own = rows_of(model, model_admin, main).first()
        for address in (url(model, "add"), own and url(model, "change", own.pk)):
            response = client.get(address) if address else None
            if response is None:
                continue
            if response.status_code != 200:  # only what nobody adds by hand refuses its add page
                assert model._meta.label in ADDED_ELSEWHERE and address.endswith("/add/"), address
                continue
            for name, queryset in _choice_fields(response):
                seen += 1
                path = model_admin.province_path_of(queryset.model)
                if path is None:
                    assert queryset.model._meta.label == "auth.Group", name
                    continue
                foreign = queryset.filter(**{"pk" if path == "pk" else path: other.pk})
                if foreign.exists():
                    wrong.append(f"{model._meta.label} {address}: {name} offers {list(foreign)[:3]}")
    assert seen > 20
    assert not wrong, "\n".join(wrong)


def test_a_posted_object_of_another_province_is_refused(provinces, clients):
    main, other = provinces
    client = clients["admin"]
    response = client.post(
        url(AgencyGroup, "add"), {"province": other.pk, "code": "khoi-moi", "name": "Khối mới", "order": 9}
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not AgencyGroup.objects.filter(code="khoi-moi").exists()
    data = {"province": other.pk, "program": "dvcq", "kind": "proposal", "valid_from_year": 2024, "title": "GIÁM ĐỐC",
            "name": "Người Ngoài"}  # fmt: skip
    response = client.post(url(DocumentSigner, "add"), data)
    assert response.status_code == 200 and not DocumentSigner.objects.filter(name="Người Ngoài").exists()
    response = client.post(url(DocumentSigner, "add"), {**data, "province": main.pk, "name": "Người Trong"})
    assert response.status_code == 302
    assert DocumentSigner.objects.get(name="Người Trong").province == main


def test_autocomplete_offers_only_the_own_province(provinces, clients):
    main, _other = provinces
    response = clients["admin"].get(
        reverse("admin:autocomplete"),
        {"app_label": "portal", "model_name": "agencyversion", "field_name": "agency", "term": ""},
    )
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert ids and ids == set(main.agencies.values_list("pk", flat=True))


def test_province_admin_cannot_make_a_superuser_or_see_one(provinces, clients, world):
    main, _other = provinces
    superuser = UserFactory(is_staff=True, is_superuser=True, agency=None, province=main)
    assert clients["admin"].get(url(type(superuser), "change", superuser.pk)).status_code == 404
    page = clients["admin"].get(url(type(superuser), "change", world.users["staff"].pk))
    assert page.status_code == 200
    assert {"is_superuser", "is_staff", "user_permissions"}.isdisjoint(page.context["adminform"].form.fields)


def test_a_superuser_still_sees_every_province(provinces):
    main, other = provinces
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True, agency=None, province=None))
    for model, model_admin in registered():
        response = client.get(url(model, "changelist"))
        listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
        assert set(rows_of(model, model_admin, other).values_list("pk", flat=True)) <= listed, model._meta.label
        foreign = rows_of(model, model_admin, other).first()
        assert client.get(url(model, "change", foreign.pk)).status_code == 200, model._meta.label
    assert Province.objects.count() == 2


def test_province_admin_opens_a_period_with_a_dossier_for_each_agency(provinces, clients, world):
    from scoring.models import ScoringPeriod

    main, _other = provinces
    criteria_set = world.periods["final"].criteria_set
    data = {
        "province": main.pk, "year": 2030, "program": "dvcq", "name": "Đánh giá năm 2030",
        "criteria_set": criteria_set.pk, "self_assessment_opens_on": "2030-10-30",
        "self_assessment_due_on": "2030-11-20", "grace_days": 3, "appraisal_due_on": "2030-12-05",
        "explanation_due_on": "2030-12-10", "decision_due_on": "", "auto_switch": "on",
    }  # fmt: skip
    wrong_order = clients["admin"].post(url(ScoringPeriod, "add"), {**data, "appraisal_due_on": "2030-11-01"})
    assert wrong_order.status_code == 200 and wrong_order.context["adminform"].form.non_field_errors()
    assert clients["admin"].post(url(ScoringPeriod, "add"), data).status_code == 302
    period = ScoringPeriod.objects.get(province=main, year=2030, program="dvcq")  # the world has a 2030 contest too
    assert period.dossiers.count() == world.periods["final"].dossiers.count()
