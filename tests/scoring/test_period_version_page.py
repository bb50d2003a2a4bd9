"""The version-change page: from the period page a reviewer (or the province's administrator)
chooses a newer version of the period's regulation, reads the diff (per kind of row and per agency,
what carries over and what cannot), confirms it with a reason, and the scores are carried; agency
people and a final period are refused with nothing changed. The period's further sets in the admin
(the province's sets only) and in the API."""

import pytest
from django.test import Client
from django.urls import reverse

from portal import demo_quang_binh
from scoring import demo_quang_binh as scoring_demo
from scoring import services
from scoring.models import CriteriaSet, CriterionScore, PeriodCriteriaSet, PeriodVersionChange, Phase, ScoringPeriod
from scoring.selectors import criteria_set_by_code, newer_criteria_sets
from tests.factories import UserFactory
from tests.scoring.cycle_helpers import LIBRARY, criterion, fill_complete


@pytest.fixture
def filled(cycle):
    services.regulation_import_file(
        province=cycle["province"], name="1743.yaml", content=(LIBRARY / "tay-ninh-1743-2021.yaml").read_bytes()
    )
    justice = cycle["dossiers"]["so-tu-phap"]
    fill_complete(justice, cycle["people"]["staff"], {"5.2": "4", "2.5": "co_dang_ky"})
    return {**cycle, "new_set": criteria_set_by_code(province=cycle["province"], code="tn-1743-2021")}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(period, new_set=None) -> str:
    url = reverse("scoring:period_version", args=[period.pk])
    return f"{url}?set={new_set.pk}" if new_set else url


def state(period):
    return (
        sorted(CriterionScore.objects.filter(dossier__period=period).values_list("pk", "criterion_id", "self_raw")),
        ScoringPeriod.objects.get(pk=period.pk).criteria_set_id,
        PeriodVersionChange.objects.count(),
    )


def test_the_newer_versions_follow_the_replaces_chain(filled):
    assert [s.library_code for s in newer_criteria_sets(filled["period"])] == ["tn-1743-2021:01"]


def test_reviewer_sees_the_diff_then_confirms_with_a_reason_and_the_scores_carry(filled):
    period, new_set = filled["period"], filled["new_set"]
    justice = filled["dossiers"]["so-tu-phap"]
    reviewer = client_of(filled["people"]["reviewer"])
    link = reverse("scoring:period_version", args=[period.pk])
    assert link in reviewer.get(reverse("scoring:period", args=[period.pk])).content.decode()
    assert str(new_set) in reviewer.get(link).content.decode()  # the newer version offered

    page = reviewer.get(page_url(period, new_set))
    assert page.status_code == 200
    diff = page.context["diff"]
    html = page.content.decode()
    assert "Sở Tư pháp" in html and "2.5" in html  # per agency; 2.5 is not in 1743
    assert 'id="diff-kinds"' in html and 'id="diff-agencies"' in html and 'id="diff-left"' in html
    assert f'value="{diff.digest}"' in html

    # No reason: refused with the Vietnamese message, nothing changed.
    before = state(period)
    refused = reviewer.post(page_url(period), {"criteria_set": new_set.pk, "confirmed": diff.digest, "reason": " "})
    assert refused.status_code == 200 and state(period) == before
    assert "Cho biết lý do" in refused.content.decode() or refused.context["form"].errors

    old_52 = CriterionScore.objects.get(dossier=justice, criterion=criterion(justice, "5.2"))
    done = reviewer.post(
        page_url(period),
        {"criteria_set": new_set.pk, "confirmed": diff.digest, "reason": "Áp dụng Quyết định 1743"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("scoring:period", args=[period.pk])
    [message] = [m for m in done.context["messages"] if m.level_tag == "success"]
    assert "1743" in str(message)  # the set now applied, and what was carried and kept
    period.refresh_from_db()
    assert period.criteria_set_id == new_set.pk
    moved = CriterionScore.objects.get(pk=old_52.pk)
    assert moved.self_raw == "4" and moved.criterion.criteria_set_id == new_set.pk
    record = PeriodVersionChange.objects.get()
    assert (record.by, record.reason) == (filled["people"]["reviewer"], "Áp dụng Quyết định 1743")

    # The move stays on the page as history: when, who, from and to, why, what carried and what not.
    history = reviewer.get(page_url(period)).content.decode().split('id="version-history"')[1].split("</table>")[0]
    reviewer_name = str(filled["people"]["reviewer"])
    assert record.at.astimezone().strftime("%d/%m/%Y") in history and reviewer_name in history
    assert "tn-731-2019" in history and "tn-1743-2021" in history and "Áp dụng Quyết định 1743" in history
    assert f'<td class="text-end">{record.carried_total}</td>' in history and record.carried_total > 0
    assert "Sở Tư pháp — 2.5" in history  # 2.5 is not in 1743: kept on the old version, and said why


def test_a_confirmation_of_an_older_diff_is_refused_with_the_reason(filled):
    period, new_set = filled["period"], filled["new_set"]
    reviewer = client_of(filled["people"]["reviewer"])
    digest = reviewer.get(page_url(period, new_set)).context["diff"].digest
    fill_complete(filled["dossiers"]["so-y-te"], filled["people"]["other_staff"])  # typed meanwhile
    before = state(period)
    page = reviewer.post(page_url(period), {"criteria_set": new_set.pk, "confirmed": digest, "reason": "Lý do"})
    assert page.status_code == 200 and state(period) == before
    assert page.context["form"].non_field_errors()
    assert page.context["diff"].digest != digest  # the page shows the new diff to confirm


def test_the_administrator_may_open_the_page(filled):
    assert client_of(filled["people"]["admin"]).get(page_url(filled["period"], filled["new_set"])).status_code == 200


@pytest.mark.parametrize("who", ["staff", "head", "coreviewer", "leader"])
def test_agency_people_and_readers_are_refused_and_nothing_changes(filled, who):
    period, new_set = filled["period"], filled["new_set"]
    client = client_of(filled["people"][who])
    assert client.get(page_url(period, new_set)).status_code == 403
    assert (
        reverse("scoring:period_version", args=[period.pk])
        not in client.get(reverse("scoring:period", args=[period.pk])).content.decode()
    )
    before = state(period)
    from scoring.services import period_version_diff

    digest = period_version_diff(period=period, new_set=new_set).digest
    response = client.post(page_url(period), {"criteria_set": new_set.pk, "confirmed": digest, "reason": "Thử"})
    assert response.status_code == 403 and state(period) == before


def test_a_final_period_is_refused_and_nothing_changes(filled):
    period, new_set = filled["period"], filled["new_set"]
    ScoringPeriod.objects.filter(pk=period.pk).update(phase=Phase.FINAL)
    reviewer = client_of(filled["people"]["reviewer"])
    before = state(period)
    assert reviewer.get(page_url(period, new_set)).status_code == 403
    response = reviewer.post(page_url(period), {"criteria_set": new_set.pk, "confirmed": "x", "reason": "Thử"})
    assert response.status_code == 403 and state(period) == before
    assert (
        reverse("scoring:period_version", args=[period.pk])
        not in reviewer.get(reverse("scoring:period", args=[period.pk])).content.decode()
    )


# --- the admin's inline and the API --------------------------------------------------------------


@pytest.fixture
def with_other_province(filled):
    other = demo_quang_binh.load()
    scoring_demo.load_regulation(other)
    ScoringPeriod.objects.filter(pk=filled["period"].pk).update(phase=Phase.PREPARATION)
    admin = UserFactory(username="qt.admin", agency=filled["agency"]["so-noi-vu"], is_staff=True, roles=["admin"])
    return {**filled, "other": other, "admin_client": client_of(admin)}


def inline_data(period, rows):
    data = {
        "further_sets-TOTAL_FORMS": str(len(rows)), "further_sets-INITIAL_FORMS": "0",
        "further_sets-MIN_NUM_FORMS": "0", "further_sets-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, criteria_set in enumerate(rows):
        data.update({f"further_sets-{i}-criteria_set": str(criteria_set.pk), f"further_sets-{i}-order": "1"})
    return data


def change_form(client, period):
    page = client.get(reverse("admin:scoring_scoringperiod_change", args=[period.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if name == "phases":
            import json

            value = json.dumps(value, ensure_ascii=False)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return page, data


def test_admin_inline_saves_a_further_set_and_offers_no_set_of_another_province(with_other_province):
    period, new_set, other = with_other_province["period"], with_other_province["new_set"], with_other_province["other"]
    client = with_other_province["admin_client"]
    page, data = change_form(client, period)
    inline = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is PeriodCriteriaSet)
    offered = inline.formset.empty_form.fields["criteria_set"].queryset
    assert new_set in offered and not offered.filter(regulation__province=other).exists()

    foreign = criteria_set_by_code(province=other, code="qb-3140-2022:01")
    refused = client.post(page.request["PATH_INFO"], {**data, **inline_data(period, [foreign])})
    assert refused.status_code == 200 and not PeriodCriteriaSet.objects.exists()

    # 1743 names the same groups as the period's 731: refused (an agency would be scored twice).
    twice = client.post(page.request["PATH_INFO"], {**data, **inline_data(period, [new_set])})
    assert twice.status_code == 200 and "hai bộ tiêu chí" in str(twice.context["errors"])
    assert not PeriodCriteriaSet.objects.exists()

    CriteriaSet.objects.filter(pk=new_set.pk).update(applies_to_groups=["khoi-rieng"])
    # Dossiers move with the sets: not without the reason, which is then recorded with who and when.
    unexplained = client.post(page.request["PATH_INFO"], {**data, **inline_data(period, [new_set])})
    assert unexplained.status_code == 200 and "Cho biết lý do thay đổi bộ tiêu chí áp dụng thêm" in str(
        unexplained.context["errors"]
    )
    assert not PeriodCriteriaSet.objects.exists() and not PeriodVersionChange.objects.exists()
    reason = "Khối riêng chấm theo Quyết định 1743"
    saved = client.post(
        page.request["PATH_INFO"], {**data, **inline_data(period, [new_set]), "sets_change_reason": reason}
    )
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assert PeriodVersionChange.objects.get(period=period).reason == reason
    assert list(PeriodCriteriaSet.objects.values_list("period_id", "criteria_set_id")) == [(period.pk, new_set.pk)]


def test_the_api_lists_the_periods_sets_with_their_groups(with_other_province):
    period, new_set = with_other_province["period"], with_other_province["new_set"]
    PeriodCriteriaSet.objects.create(period=period, criteria_set=new_set, order=1)
    client = client_of(with_other_province["people"]["reviewer"])
    body = client.get(f"/api/v1/periods/{period.pk}/").json()
    assert [(s["criteria_set"], s["is_main"]) for s in body["criteria_sets"]] == [
        ("tn-731-2019:01", True), ("tn-1743-2021:01", False)
    ]  # fmt: skip
    assert all(isinstance(s["groups"], list) for s in body["criteria_sets"])
    listed = client.get("/api/v1/periods/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert next(p for p in rows if p["id"] == period.pk)["criteria_sets"] == body["criteria_sets"]


# --- the best class's share, per criteria set ------------------------------------------------------


def test_the_best_class_share_is_counted_per_set_against_each_sets_own_bands(db):
    from decimal import Decimal as D

    from scoring.models import ProvisionalResult
    from scoring.selectors import best_band_share, best_band_shares, ranking
    from tests.scoring.test_period_sets import open_period

    province = demo_quang_binh.load()
    scoring_demo.load_regulation(province)
    period = open_period(province)
    stored = ProvisionalResult.objects.filter(dossier__period=period)
    stored.update(band_code="yeu")
    best = {"so-tu-phap", "tp-dong-hoi", "h-bo-trach"}  # one of set 01, two of set 02
    stored.filter(dossier__agency__code__in=best).update(band_code="tot")
    per_set = {s.criteria_set.library_code: (s.total, s.in_best, s.label) for s in best_band_shares(period)}
    in_01 = period.dossiers.filter(criteria_set__isnull=True).count()
    in_02 = period.dossiers.filter(criteria_set__code="02").count()
    assert per_set == {"qb-3140-2022:01": (in_01, 1, "Tốt"), "qb-3140-2022:02": (in_02, 2, "Tốt")}
    share, label = best_band_share(period)
    assert (share, label) == ((D(300) / (in_01 + in_02)).quantize(D("0.01")), "Tốt")
    # The same from the ranking a page already has.
    assert best_band_share(period, ranking(period)) == (share, label)
