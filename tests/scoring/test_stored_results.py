"""Stored results (issue 10): every write keeps each dossier's ProvisionalResult equal to what the
engine computes from its rows now, and everything that shows results (ranking page, dashboard, API,
Excel, best-class share) reads those rows — with the queries of the pages and the cell saves counted
on a small and a larger period (the same number, within budget)."""

from __future__ import annotations

import html
import io
import threading
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from portal.models import Role
from portal.text import vi_sort_key
from reports import excel
from scoring import services
from scoring.engine import evaluate_group
from scoring.models import (
    AppraisalMark,
    CriterionScore,
    Dossier,
    IndexValue,
    Phase,
    ProvisionalResult,
    Result,
)
from scoring.rules import is_dossier_submitted_or_closed
from scoring.selectors import best_band_share, criteria_set_spec, period_dossier_data, ranking
from tests.factories import UserFactory
from tests.scoring.cycle_helpers import LIBRARY, criterion, fill_complete, period_on

HX = {"HTTP_HX_REQUEST": "true"}
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


from tests.scoring.stored_helpers import _flags_count, appraised_period  # noqa: F401,E402 (autouse)

# --- the reference: the engine over every dossier's rows, read as model objects --------------------


def engine_now(period) -> dict[str, object]:
    """What the engine says of every dossier of the period from its rows as they are now (read the
    slow way: model objects), a private draft counting as empty — ranked per group."""
    period.refresh_from_db()
    data = period_dossier_data(period)
    spec = criteria_set_spec(period.criteria_set)
    by_group = defaultdict(list)
    for item in data:
        if not is_dossier_submitted_or_closed.test(None, item.dossier):
            item = replace(item, scores={}, marks={}, adjustments={})
        by_group[item.dossier.group.code].append(item.engine_input())
    return {r.key: r for inputs in by_group.values() for r in evaluate_group(spec, inputs, vi_sort_key)}


def stored_now(period) -> dict[str, dict]:
    rows = ProvisionalResult.objects.filter(dossier__period=period).select_related("dossier__agency")
    return {
        row.dossier.agency.code: {
            "self_total": row.self_total, "appraised_total": row.appraised_total, "bonus": row.bonus,
            "penalty": row.penalty, "total": row.total, "band": row.band_code or None, "classified": row.classified,
            "penalty_count": row.penalty_count,
        }
        for row in rows
    }  # fmt: skip


def assert_stored_is_the_engines(period) -> None:
    """Every dossier has its stored row, equal to the engine's result now; the ranking (ranks, the
    class after quotas) is the engine's ranking of the group."""
    computed = engine_now(period)
    stored = stored_now(period)
    assert set(stored) == set(computed) == set(period.dossiers.values_list("agency__code", flat=True))
    for code, r in computed.items():
        expected = {
            "self_total": r.self_total, "appraised_total": r.appraised_total, "bonus": r.bonus,
            "penalty": r.penalty, "total": r.total, "band": None, "classified": r.classified,
            "penalty_count": r.penalty_count,
        }  # fmt: skip
        got = dict(stored[code])
        # The stored class is the one before the group's quota; the ranking applies the quota.
        got["band"] = None
        assert got == expected, code
    if period.phase == Phase.FINAL:
        return
    shown = {row.dossier.agency.code: row for _g, rows in ranking(period) for row in rows}
    assert {code: (row.rank, row.band, row.classified, row.total) for code, row in shown.items()} == {
        code: (r.rank, r.band, r.classified, r.total) for code, r in computed.items()
    }


def assert_final_results_are_the_ranking(period) -> None:
    shown = {row.dossier.agency.code: row for _g, rows in ranking(period) for row in rows}
    results = {
        r.dossier.agency.code: r
        for r in Result.objects.filter(dossier__period=period).select_related("dossier__agency")
    }
    assert set(shown) == set(results)
    for code, result in results.items():
        row = shown[code]
        assert (row.rank, row.band, row.classified, row.total) == (
            result.rank, result.band_code, result.classified, result.total
        )  # fmt: skip


# --- every kind of write -----------------------------------------------------------------------------


def test_every_kind_of_write_keeps_the_stored_results_equal_to_the_engine(client, cycle):
    period, people, dossiers = cycle["period"], cycle["people"], cycle["dossiers"]
    justice, health = dossiers["so-tu-phap"], dossiers["so-y-te"]
    check = lambda: assert_stored_is_the_engines(period)  # noqa: E731
    check()  # opening the period stored a row for every dossier

    # Self-assessment: cells through the page (one refused), the Excel form, evidence.
    client.force_login(people["staff"])
    c22 = criterion(justice, "2.2")
    assert client.post(reverse("scoring:self_cell", args=[justice.pk, c22.pk]), {f"raw_{c22.pk}": "3,5", f"v_{c22.pk}": "0"}, **HX).status_code == 200  # fmt: skip
    assert client.post(reverse("scoring:self_cell", args=[justice.pk, c22.pk]), {f"raw_{c22.pk}": "9", f"v_{c22.pk}": "1"}, **HX).status_code == 422  # fmt: skip
    check()
    services.dossier_apply_workbook(
        dossier=justice, by=people["staff"], versions={"2.3": 0},
        changes=[{"code": "2.3", "field": "raw", "after": "4"}, {"code": "2.3", "field": "note", "after": "Ghi chú"}],
    )  # fmt: skip
    check()
    # Another agency's draft is private while self-assessment is open: it counts as empty.
    services.self_score_save(dossier=health, criterion=criterion(health, "2.2"), by=people["other_staff"], raw="4", version=0)  # fmt: skip
    check()
    assert stored_now(period)["so-y-te"]["total"] == 0 and not stored_now(period)["so-y-te"]["classified"]
    fill_complete(justice, people["staff"], {"1.1": "90", "2.5": "co_dang_ky"})
    services.dossier_submit(dossier=justice, by=people["head"])
    check()
    assert stored_now(period)["so-tu-phap"]["classified"]

    # Appraisal: the drafts count from now on; marks through the page, the reviewer's form.
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=people["reviewer"], reason="Hết hạn")
    check()
    assert stored_now(period)["so-y-te"]["self_total"] > 0
    client.force_login(people["reviewer"])
    for code, value in (("1.1", "80"), ("2.2", "2"), ("2.5", "hieu_qua")):
        c = criterion(justice, code)
        assert client.post(reverse("scoring:mark_cell", args=[justice.pk, c.pk]), {f"mark_{c.pk}": value, f"mv_{c.pk}": "0"}, **HX).status_code == 200  # fmt: skip
    check()
    client.force_login(people["coreviewer"])
    c11 = criterion(justice, "1.1")
    client.post(reverse("scoring:mark_cell", args=[justice.pk, c11.pk]), {f"mark_{c11.pk}": "70", f"mv_{c11.pk}": "0"}, **HX)  # fmt: skip
    check()
    client.force_login(people["reviewer"])
    client.post(
        reverse("scoring:adjustments", args=[justice.pk]),
        {"adj_T1": "true", "adj_TR1": "true", "flags": "ky_luat", "na": ["3"], "reason": "Theo biên bản kiểm tra"},
    )
    check()
    assert stored_now(period)["so-tu-phap"]["penalty_count"] == 1
    assert not stored_now(period)["so-tu-phap"]["classified"]  # the flag's gate
    services.adjustment_save(dossier=justice, criterion=criterion(justice, "TR1"), raw="", reason="Gỡ", by=people["reviewer"])  # fmt: skip
    services.criterion_set_not_applicable(dossier=justice, criterion=criterion(justice, "3"), value=False, reason="Sai", by=people["reviewer"])  # fmt: skip
    services.dossier_set_flags(dossier=justice, flags=[], reason="Gỡ cờ", by=people["reviewer"])
    check()
    assert stored_now(period)["so-tu-phap"]["classified"]

    # The explanation round: an accepted explanation changes the mark.
    services.period_set_phase(period=period, phase=Phase.EXPLANATION, by=people["reviewer"], reason="Công bố")
    explanation = services.explanation_submit(dossier=justice, criterion=criterion(justice, "2.2"), text="Xin xem lại", by=people["staff"])  # fmt: skip
    services.explanation_decide(explanation=explanation, accept=True, reason="Đã đối chiếu", new_raw="4", by=people["reviewer"])  # fmt: skip
    check()

    # The portal's own marks, filled in again from imported indexes.
    IndexValue.objects.create(province=cycle["province"], source="PAR", year=2020, agency=justice.agency, value="61.5")
    services.dossier_prefill(justice)
    check()

    # Finalization freezes Results equal to the engine; a change after it recomputes both.
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=people["reviewer"], reason="Hết hạn")
    services.period_finalize(period=period, by=people["reviewer"])
    period.refresh_from_db()
    check()
    assert_final_results_are_the_ranking(period)
    c23 = criterion(justice, "2.3")
    version = AppraisalMark.objects.filter(dossier=justice, criterion=c23).values_list("version", flat=True).first()
    services.final_mark_change(dossier=justice, criterion=c23, raw="1", reason="Sửa sai sót", by=people["reviewer"], version=version or 0)  # fmt: skip
    check()
    assert_final_results_are_the_ranking(period)


def test_the_refresh_command_repairs_rows_written_around_the_services(cycle):
    period, people = cycle["period"], cycle["people"]
    justice = cycle["dossiers"]["so-tu-phap"]
    fill_complete(justice, people["staff"])
    services.dossier_submit(dossier=justice, by=people["head"])
    before = stored_now(period)
    # Data written around the services (an import script, a fix by hand): the stored row drifts …
    CriterionScore.objects.filter(dossier=justice, criterion__code="2.2").update(self_raw="0", self_points=0)
    ProvisionalResult.objects.filter(dossier=justice).update(total=D("12.34"))
    out = io.StringIO()
    call_command("refresh_results", "--period", str(period.pk), stdout=out)
    # … and the command stores what the engine says again.
    assert f"{period.dossiers.count()} results stored." in out.getvalue()
    assert_stored_is_the_engines(period)
    assert stored_now(period)["so-tu-phap"]["self_total"] == before["so-tu-phap"]["self_total"] - 4


# --- sequences of writes (hypothesis) ----------------------------------------------------------------

CELLS = {"1.1": ["100", "70", "0"], "1.2": ["0", "2"], "2.2": ["4", "1,5"], "2.5": ["hieu_qua", "khong"], "5.1": ["true", "false"]}  # fmt: skip
AGENCIES = ["so-tu-phap", "so-y-te"]
writes = st.one_of(
    st.tuples(st.just("self"), st.sampled_from(AGENCIES), st.sampled_from(sorted(CELLS)), st.integers(0, 2)),
    st.tuples(st.just("mark"), st.sampled_from(AGENCIES), st.sampled_from(sorted(CELLS)), st.integers(0, 2)),
    st.tuples(st.just("comark"), st.sampled_from(AGENCIES), st.sampled_from(["1.1", "1.2"]), st.integers(0, 2)),
    st.tuples(
        st.just("item"),
        st.sampled_from(AGENCIES),
        st.sampled_from(["T1", "TR1", "TR2"]),
        st.sampled_from(["", "true", "1", "2"]),
    ),  # fmt: skip
    st.tuples(st.just("flags"), st.sampled_from(AGENCIES), st.just(""), st.sampled_from(["", "ky_luat"])),
    st.tuples(st.just("na"), st.sampled_from(AGENCIES), st.sampled_from(["3", "2.5", "5.1"]), st.booleans()),
    st.tuples(st.just("submit"), st.sampled_from(AGENCIES), st.just(""), st.just(0)),
    st.tuples(
        st.just("phase"),
        st.just(""),
        st.just(""),
        st.sampled_from([Phase.SELF_ASSESSMENT, Phase.APPRAISAL, Phase.SETTLEMENT]),
    ),  # fmt: skip
)


def _apply(cycle, write) -> None:
    kind, agency, code, value = write
    people = cycle["people"]
    dossier = Dossier.objects.select_related("period__criteria_set", "agency", "agency_version", "group").get(
        period=cycle["period"], agency__code=agency
    ) if agency else None  # fmt: skip
    staff = {"so-tu-phap": people["staff"], "so-y-te": people["other_staff"]}.get(agency)
    head = {"so-tu-phap": people["head"], "so-y-te": people["other_head"]}.get(agency)
    if kind in ("self", "mark", "comark"):
        c = criterion(dossier, code)
        raw = CELLS[code][value % len(CELLS[code])]
        if kind == "self":
            version = (
                CriterionScore.objects.filter(dossier=dossier, criterion=c).values_list("version", flat=True).first()
            )
            services.self_score_save(dossier=dossier, criterion=c, by=staff, raw=raw, version=version or 0)
        else:
            by = people["reviewer" if kind == "mark" else "coreviewer"]
            mark = AppraisalMark.objects.filter(dossier=dossier, criterion=c, scorer=by.agency).first()
            services.mark_save(dossier=dossier, criterion=c, scorer=by.agency, raw=raw, by=by, version=mark.version if mark else 0)  # fmt: skip
    elif kind == "item":
        services.adjustment_save(dossier=dossier, criterion=criterion(dossier, code), raw=value, reason="Lý do", by=people["reviewer"])  # fmt: skip
    elif kind == "flags":
        services.dossier_set_flags(dossier=dossier, flags=[value] if value else [], reason="Lý do", by=people["reviewer"])  # fmt: skip
    elif kind == "na":
        services.criterion_set_not_applicable(dossier=dossier, criterion=criterion(dossier, code), value=value, reason="Lý do", by=people["reviewer"])  # fmt: skip
    elif kind == "submit":
        fill_complete(dossier, staff)
        services.dossier_submit(dossier=dossier, by=head)
    else:
        period = cycle["period"]
        period.refresh_from_db()
        services.period_set_phase(period=period, phase=value, by=people["reviewer"], reason="Theo kế hoạch")


@settings(max_examples=12, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(writes, min_size=1, max_size=7))
def test_any_sequence_of_writes_keeps_the_stored_results_equal_to_the_engine(cycle, sequence):
    with transaction.atomic():
        for write in sequence:
            try:
                with transaction.atomic():
                    _apply(cycle, write)
            except Exception as refused:  # a refusal (locked, wrong phase, bad value) writes nothing
                assert type(refused).__name__ in ("ValidationError", "ScoreInputError", "StaleEdit"), refused
            assert_stored_is_the_engines(cycle["period"])
        transaction.set_rollback(True)


# --- everything that shows results reads the stored rows ----------------------------------------------


def test_ranking_page_api_excel_and_dashboard_show_the_stored_results(client, cycle):
    period = appraised_period(cycle)
    # Tamper with one stored row: every reader must show it (they read rows, they do not recompute).
    justice = cycle["dossiers"]["so-tu-phap"]
    ProvisionalResult.objects.filter(dossier=justice).update(total=D("77.77"), band_code="kha", classified=True)
    client.force_login(cycle["people"]["leader"])
    page = client.get(reverse("scoring:ranking", args=[period.pk])).content.decode()
    row = page.split('data-agency="so-tu-phap"')[1].split("</tr>")[0]
    assert "77,77" in row and "Khá" in row
    api = {r["agency"]: r for r in client.get(f"/api/v1/periods/{period.pk}/ranking/").json()["results"]}
    assert (api["so-tu-phap"]["total"], api["so-tu-phap"]["band"]) == ("77.77", "kha")
    sheet = load_workbook(io.BytesIO(excel.ranking_workbook(period))).active
    assert any(r[1] == justice.agency_version.name and r[7] == 77.77 for r in sheet.iter_rows(values_only=True))
    dashboard = client.get(reverse("reports:dashboard"), {"year": period.year}).content.decode()
    assert "77,77" in dashboard.split("Xếp hạng theo khối")[1]
    stored = {code: row["total"] for code, row in stored_now(period).items()}
    assert {r["agency"]: D(r["total"]) for r in api.values()} == {code: stored[code] for code in api}


def test_the_share_in_the_best_class_counts_the_stored_classes(cycle):
    period = appraised_period(cycle)
    ProvisionalResult.objects.filter(dossier__period=period).update(band_code="yeu", classified=True)
    ProvisionalResult.objects.filter(dossier=cycle["dossiers"]["so-tu-phap"]).update(band_code="tot", total=95)
    share, label = best_band_share(period)
    assert label == "Tốt" and share == (D(100) / period.dossiers.count()).quantize(D("0.01"))


def test_quotas_demote_in_rank_order_when_the_stored_group_is_read(tay_ninh):
    """Dân vận khéo: at most 30 % of a group Xuất sắc — applied to the stored rows at read time."""
    services.regulation_import_file(
        province=tay_ninh, name="dvk.yaml", content=(LIBRARY / "dan-van-kheo-2024.yaml").read_bytes()
    )
    period = period_on(tay_ninh, "dvk-2024", year=2024)
    services.period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=None)
    communes = list(period.dossiers.select_related("period__criteria_set", "agency", "agency_version", "group"))
    assert len(communes) >= 4
    spec = criteria_set_spec(period.criteria_set)
    for i, dossier in enumerate(communes):
        staff = UserFactory(username=f"xa{i}", agency=dossier.agency, roles=[Role.AGENCY_STAFF])
        for node in spec.walk():
            if node.is_leaf and node.self_scorable and node.code in ("A.2", "C"):
                raw = str(node.max_points - (i % 3))
                services.self_score_save(dossier=dossier, criterion=criterion(dossier, node.code), by=staff, raw=raw, version=0)  # fmt: skip
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=None)
    ProvisionalResult.objects.filter(dossier__period=period).update(total=95, band_code="xuat_sac", classified=True)
    rows = [row for _g, group in ranking(period) for row in group]
    best = sum(1 for row in rows if row.band == "xuat_sac")
    assert best == int(len(rows) * D("0.3")) and rows[0].band == "xuat_sac"
    assert all(row.band == "tot" for row in rows[best:])
    # The best-class share counts the classes after the quota (not the stored ones, all Xuất sắc).
    assert best_band_share(period) == ((D(best * 100) / len(rows)).quantize(D("0.01")), "Xuất sắc")
    # With the rows the services stored, the ranking is the engine's (quotas included).
    call_command("refresh_results", "--period", str(period.pk), stdout=io.StringIO())
    assert_stored_is_the_engines(period)


# --- the steps behind a total: asked for one row, not printed for all ---------------------------------


def test_the_final_ranking_page_carries_no_steps_and_a_row_opens_its_own(client, cycle):
    period = appraised_period(cycle)
    people = cycle["people"]
    services.period_set_phase(period=period, phase=Phase.EXPLANATION, by=people["reviewer"], reason="Công bố")
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=people["reviewer"], reason="Hết hạn")
    services.period_finalize(period=period, by=people["reviewer"])
    justice = cycle["dossiers"]["so-tu-phap"]
    stored_steps = Result.objects.get(dossier=justice).steps
    assert stored_steps
    client.force_login(people["reviewer"])
    page = client.get(reverse("scoring:ranking", args=[period.pk])).content.decode()
    assert not any(step in html.unescape(page) for step in stored_steps if len(step) > 30)
    url = reverse("scoring:result_steps", args=[justice.pk])
    row = page.split('data-agency="so-tu-phap"')[1].split("</tr>")[0]
    assert f'hx-get="{url}"' in row and f'href="{url}"' in row
    fragment = html.unescape(client.get(url, **HX).content.decode())
    assert fragment.count("<li>") == len(stored_steps) and all(step in fragment for step in stored_steps)
    assert "<html" not in fragment
    assert stored_steps[0] in html.unescape(client.get(url).content.decode())  # without htmx: a page of its own


def test_a_provisional_rows_steps_are_the_engines_with_the_groups_tie_break(client, cycle):
    period = appraised_period(cycle)
    client.force_login(cycle["people"]["reviewer"])
    justice = cycle["dossiers"]["so-tu-phap"]
    text = html.unescape(client.get(reverse("scoring:result_steps", args=[justice.pk]), **HX).content.decode())
    computed = engine_now(period)["so-tu-phap"]
    from scoring.explain import step_text
    from scoring.selectors import band_labels

    bands = band_labels(period)
    assert [step_text(s, bands) for s in computed.steps] == [li.split("</li>")[0] for li in text.split("<li>")[1:]]


# --- the cell's answer --------------------------------------------------------------------------------


def test_a_saved_cell_answers_its_cell_and_totals_and_keeps_the_rest_of_the_row(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    c = criterion(dossier, "2.2")
    answer = client.post(reverse("scoring:self_cell", args=[dossier.pk, c.pk]), {f"raw_{c.pk}": "3", f"v_{c.pk}": "0"}, **HX).content.decode()  # fmt: skip
    # The cell, its points, the version the next save edits, and the box for a missing document.
    assert f'name="v_{c.pk}" value="1"' in answer and "= 3 điểm" in answer
    assert f'id="why-{c.pk}"' in answer
    # What a save of this cell cannot change comes back empty, for htmx to keep from the page.
    for part in ("title", "evidence", "talk"):
        assert f'<div id="cell-{part}-2_2" hx-preserve="true"></div>' in answer
    assert '<span id="total-self" hx-swap-oob="true">3</span>' in answer
    assert '<span id="self-2" hx-swap-oob="true">3</span>' in answer
    # With a document attached, the box for "no evidence" is gone from the cell's answer.
    services.evidence_add(dossier=dossier, criterion=c, by=cycle["people"]["staff"], doc_number="1/BC", summary="Báo cáo")  # fmt: skip
    answer = client.post(reverse("scoring:self_cell", args=[dossier.pk, c.pk]), {f"raw_{c.pk}": "3,5", f"v_{c.pk}": "1"}, **HX).content.decode()  # fmt: skip
    assert f'id="why-{c.pk}"' not in answer and "= 3,5 điểm" in answer
    # Attaching evidence answers the whole row (its list changed).
    whole = client.post(
        reverse("scoring:evidence_add", args=[dossier.pk, c.pk]), {"doc_number": "2/BC", "summary": "Báo cáo quý"}, **HX
    ).content.decode()
    assert "Báo cáo quý" in whole and 'hx-preserve="true"></div>' not in whole


def test_a_bonus_item_is_not_a_cell(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    t1 = criterion(dossier, "T1")
    response = client.post(reverse("scoring:self_cell", args=[dossier.pk, t1.pk]), {f"raw_{t1.pk}": "true", f"v_{t1.pk}": "0"}, **HX)  # fmt: skip
    assert response.status_code == 404 and not CriterionScore.objects.filter(dossier=dossier, criterion=t1).exists()


# --- two cells of one dossier saved at once -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_cells_saved_at_once_leave_the_result_of_both(tay_ninh):
    """The second save waits for the first one's lock on the dossier, then computes with its value."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite writes one at a time anyway)")
    from tests.scoring.cycle_helpers import period_2021_on_731

    period = period_2021_on_731(tay_ninh)
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=None)  # drafts count from now on

    def fresh():
        return Dossier.objects.select_related("period__criteria_set", "agency", "agency_version", "group").get(
            period=period, agency__code="so-tu-phap"
        )

    before = ProvisionalResult.objects.get(dossier=fresh()).self_total
    staff = UserFactory(username="cb.song.song", agency=fresh().agency, roles=[Role.AGENCY_STAFF])
    first_holds_the_lock, second_done = threading.Event(), threading.Event()
    waited = []

    def first():
        dossier = fresh()
        with transaction.atomic():
            services.dossier_lock(dossier)
            first_holds_the_lock.set()
            waited.append(not second_done.wait(1.0))  # the second save cannot get in meanwhile
            services.self_score_save(dossier=dossier, criterion=criterion(dossier, "2.2"), by=staff, raw="4", version=0)  # fmt: skip
        connection.close()

    def second():
        first_holds_the_lock.wait()
        dossier = fresh()
        services.self_score_save(dossier=dossier, criterion=criterion(dossier, "2.3"), by=staff, raw="5", version=0)
        second_done.set()
        connection.close()

    # A new thread starts with province scopes on (portal/scopes.py); these act as the services do.
    threads = [threading.Thread(target=scopes_disabled()(first)), threading.Thread(target=scopes_disabled()(second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert waited == [True]
    stored = ProvisionalResult.objects.get(dossier=fresh()).self_total
    assert stored == before + 9 == engine_now(period)["so-tu-phap"].self_total
