"""A period's phases are data: what each permits, the days the calendar enters them, and which
moves between them are allowed, by whom. A second appraisal round is one more entry, no code."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from scoring import services
from scoring.models import Phase, PhaseChange, ScoringPeriod
from scoring.phases import PHASE_ORDER, Permit, default_phases
from tests.scoring.cycle_helpers import criterion, fill_complete

HX = {"HTTP_HX_REQUEST": "true"}
SECOND = {
    "key": "second_appraisal",
    "name": "Thẩm định lần 2",
    "permits": [Permit.REVIEWERS_MARK, Permit.REVIEWERS_ADJUST, Permit.REVIEWERS_REOPEN],
}


def with_second_appraisal(period: ScoringPeriod, starts_on: dt.date) -> list[dict]:
    phases = [dict(entry) for entry in period.phases]
    at = [entry["key"] for entry in phases].index(Phase.APPRAISAL) + 1
    return [*phases[:at], {**SECOND, "starts_on": starts_on.isoformat()}, *phases[at:]]


def snapshot(period: ScoringPeriod) -> tuple:
    """Everything a refused move or a refused list of phases must leave as it was."""
    period = ScoringPeriod.objects.get(pk=period.pk)
    return period.phase, period.phases, PhaseChange.objects.count(), period.history.count()


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


# --- the default template is what the code permitted before, phase by phase -------------------------

# Phase → (agency edits, appraisers mark, reviewer adjusts, reviewer reopens, published, agency explains,
# reviewer decides explanations, drafts of others readable)
BEFORE = {
    Phase.PREPARATION: (0, 0, 0, 0, 0, 0, 0, 0),
    Phase.SELF_ASSESSMENT: (1, 0, 0, 1, 0, 0, 0, 0),
    Phase.APPRAISAL: (0, 1, 1, 1, 0, 0, 0, 1),
    Phase.EXPLANATION: (0, 0, 1, 0, 1, 1, 1, 1),
    Phase.SETTLEMENT: (0, 0, 1, 0, 1, 0, 1, 1),
    Phase.FINAL: (0, 0, 0, 0, 1, 0, 0, 1),
}


def test_the_default_phases_permit_what_each_phase_permitted_before(cycle):
    from scoring import rules

    period = cycle["period"]
    assert [entry["key"] for entry in period.phases] == PHASE_ORDER
    assert period.phases == default_phases()
    predicates = [
        rules.is_self_assessment_open,
        rules.is_appraisal_open,
        rules.is_review_phase,
        rules.is_reopening_allowed,
        rules.appraisal_is_published,
        rules.is_explanation_open,
        rules.is_settling,
        rules.is_self_assessment_over,
    ]
    for phase, expected in BEFORE.items():
        period.phase = phase
        assert tuple(int(p.test(None, period)) for p in predicates) == expected, phase
    assert rules.is_period_final.test(None, period)


def test_existing_and_new_periods_carry_the_six_phases_with_days_from_their_dates(cycle):
    period = ScoringPeriod.objects.get(pk=cycle["period"].pk)
    table = period.phase_table
    assert [p.label for p in table] == ["Chuẩn bị", "Tự chấm điểm", "Thẩm định", "Giải trình", "Tổng hợp, chốt kết quả", "Chính thức"]  # fmt: skip
    assert [table.starts_on(p.key) for p in table] == [None, day(-3), day(14), day(21), day(26), None]
    assert table.ends_on(Phase.SELF_ASSESSMENT) == day(13)  # the deadline's three days of grace
    assert services.expected_phase(period, day(13)) == Phase.SELF_ASSESSMENT
    assert services.expected_phase(period, day(14)) == Phase.APPRAISAL
    assert services.expected_phase(period, day(90)) == Phase.SETTLEMENT  # final only by finalizing


# --- one more round is data ---------------------------------------------------------------------------


def test_a_second_appraisal_round_is_one_more_phase_in_which_reviewers_mark(client, cycle):
    period, people = cycle["period"], cycle["people"]
    justice = cycle["dossiers"]["so-tu-phap"]
    fill_complete(justice, people["staff"])
    services.dossier_submit(dossier=justice, by=people["head"])
    services.period_set_phases(
        period=period,
        phases=with_second_appraisal(period, day(18)),
        by=people["reviewer"],
        reason="Vòng thẩm định thứ hai",
    )
    period.refresh_from_db()
    assert [p.key for p in period.phase_table][2:4] == [Phase.APPRAISAL, "second_appraisal"]
    assert period.history.first().history_change_reason == "Vòng thẩm định thứ hai"

    # The calendar passes through it: in on its first day, out when the appraisal ends.
    assert [p.phase for p in services.period_auto_switch(day=day(14))] == [Phase.APPRAISAL]
    assert services.period_auto_switch(day=day(17)) == []
    assert [p.phase for p in services.period_auto_switch(day=day(18))] == ["second_appraisal"]
    change = PhaseChange.objects.filter(period=period).last()
    assert (change.from_phase, change.to_phase, change.by) == (Phase.APPRAISAL, "second_appraisal", None)

    # In it the reviewer marks, through the page, and the agency can no longer edit.
    justice = ScoringPeriod.objects.get(pk=period.pk).dossiers.get(agency__code="so-tu-phap")
    assert people["reviewer"].has_perm("scoring.appraise_dossier", justice)
    assert people["coreviewer"].has_perm("scoring.appraise_dossier", justice)
    assert not people["staff"].has_perm("scoring.edit_dossier", justice)
    assert not people["staff"].has_perm("scoring.view_dossier_detail", justice)  # not published yet
    c = criterion(justice, "2.2")
    client.force_login(people["reviewer"])
    saved = client.post(reverse("scoring:mark_cell", args=[justice.pk, c.pk]), {f"mark_{c.pk}": "2", f"mv_{c.pk}": "0"}, **HX)  # fmt: skip
    assert saved.status_code == 200
    assert justice.marks.get(criterion=c).raw == "2"
    assert "Thẩm định lần 2" in client.get(reverse("scoring:queue", args=[period.pk])).content.decode()

    assert [p.phase for p in services.period_auto_switch(day=day(21))] == [Phase.EXPLANATION]
    justice.period.refresh_from_db()
    assert not people["reviewer"].has_perm("scoring.appraise_dossier", justice)


def test_the_period_page_shows_each_phase_its_days_and_what_it_permits_and_only_the_allowed_moves(client, cycle):
    period, people = cycle["period"], cycle["people"]
    services.period_set_phases(period=period, phases=with_second_appraisal(period, day(18)), by=None)
    client.force_login(people["reviewer"])
    page = client.get(reverse("scoring:period", args=[period.pk])).content.decode()
    table = page.split('id="phases"')[1].split("</table>")[0]
    rows = {row.split('"')[0]: row for row in table.split('data-phase="')[1:]}
    assert list(rows) == ["preparation", "self_assessment", "appraisal", "second_appraisal", "explanation", "settlement", "final"]  # fmt: skip
    assert "Thẩm định lần 2" in rows["second_appraisal"]
    assert day(18).strftime("%d/%m/%Y") in rows["second_appraisal"] and day(20).strftime("%d/%m/%Y") in rows["second_appraisal"]  # fmt: skip
    assert "Cơ quan thẩm định, phối hợp chấm điểm thẩm định" in rows["second_appraisal"]
    assert "Đơn vị tự chấm điểm và nộp hồ sơ" in rows["self_assessment"]
    assert "hiện tại" in rows["self_assessment"] and "hiện tại" not in rows["appraisal"]
    assert "chỉ khi chốt kết quả" in rows["final"]
    select = page.split('name="phase"')[1].split("</select>")[0]
    assert select.count("<option") == 2
    assert 'value="appraisal"' in select and 'value="preparation"' in select
    assert "Thẩm định (tiếp theo)" in select and "Chuẩn bị (lùi một bước)" in select
    assert 'id="finalize"' not in page


# --- moves are validated, not only logged -------------------------------------------------------------


def test_a_reviewer_moves_one_step_on_or_back_with_a_reason(cycle):
    period, reviewer = cycle["period"], cycle["people"]["reviewer"]
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=reviewer, reason="Đã nộp đủ")
    services.period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=reviewer, reason="Gia hạn nộp hồ sơ")
    period.refresh_from_db()
    assert period.phase == Phase.SELF_ASSESSMENT
    moves = list(PhaseChange.objects.filter(period=period, by=reviewer).values_list("from_phase", "to_phase", "reason"))
    assert moves == [
        (Phase.SELF_ASSESSMENT, Phase.APPRAISAL, "Đã nộp đủ"),
        (Phase.APPRAISAL, Phase.SELF_ASSESSMENT, "Gia hạn nộp hồ sơ"),
    ]


def test_skipping_a_round_on_the_page_is_refused_in_vietnamese_and_changes_nothing(client, cycle):
    period, people = cycle["period"], cycle["people"]
    before = snapshot(period)
    client.force_login(people["reviewer"])
    url = reverse("scoring:period", args=[period.pk])
    page = client.post(url, {"action": "phase", "phase": Phase.SETTLEMENT, "reason": "Làm nhanh"}).content.decode()
    assert "không được bỏ qua" in page.lower()
    assert "“Tự chấm điểm”" in page and "“Thẩm định”" in page
    assert snapshot(period) == before


@pytest.mark.parametrize(
    ("start", "target", "who", "message"),
    [
        (Phase.SELF_ASSESSMENT, Phase.SETTLEMENT, "reviewer", "Không được bỏ qua"),
        (Phase.SELF_ASSESSMENT, Phase.EXPLANATION, "admin", "Không được bỏ qua"),
        (Phase.SELF_ASSESSMENT, Phase.APPRAISAL, "head", "Chỉ cơ quan thẩm định"),
        (Phase.SELF_ASSESSMENT, Phase.APPRAISAL, "coreviewer", "Chỉ cơ quan thẩm định"),
        (Phase.SETTLEMENT, Phase.FINAL, "reviewer", "Chỉ chốt kết quả mới chuyển"),
        (Phase.FINAL, Phase.SETTLEMENT, "reviewer", "đã chốt"),
        (Phase.FINAL, Phase.SETTLEMENT, None, "đã chốt"),
        (Phase.APPRAISAL, Phase.SELF_ASSESSMENT, None, "Lịch chỉ chuyển"),
        (Phase.SELF_ASSESSMENT, "second_round", "reviewer", "không có giai đoạn"),
    ],
)
def test_a_disallowed_move_is_refused_and_changes_nothing(cycle, start, target, who, message):
    period = cycle["period"]
    ScoringPeriod.objects.filter(pk=period.pk).update(phase=start)
    period.refresh_from_db()
    before = snapshot(period)
    by = cycle["people"][who] if who else None
    with pytest.raises(ValidationError, match=message):
        services.period_set_phase(period=period, phase=target, by=by, reason="Lý do")
    assert snapshot(period) == before


def test_an_agency_cannot_move_the_phase_on_the_page(client, cycle):
    period = cycle["period"]
    before = snapshot(period)
    client.force_login(cycle["people"]["head"])
    url = reverse("scoring:period", args=[period.pk])
    assert client.post(url, {"action": "phase", "phase": Phase.APPRAISAL, "reason": "x"}).status_code == 403
    assert 'name="phase"' not in client.get(url).content.decode()
    assert snapshot(period) == before


def test_finalizing_happens_in_the_last_phase_before_final_whatever_its_key(cycle):
    period, reviewer = cycle["period"], cycle["people"]["reviewer"]
    with pytest.raises(ValidationError, match="Tổng hợp, chốt kết quả"):
        services.period_finalize(period=period, by=reviewer)
    phases = [e for e in period.phases if e["key"] != Phase.SETTLEMENT]
    phases[-2] = {**phases[-2], "name": "Giải trình và chốt"}
    services.period_set_phases(period=period, phases=phases, by=reviewer, reason="Gộp hai giai đoạn")
    for step in (Phase.APPRAISAL, Phase.EXPLANATION):
        services.period_set_phase(period=period, phase=step, by=reviewer, reason="Theo kế hoạch")
    services.period_finalize(period=period, by=reviewer)
    period.refresh_from_db()
    assert period.phase == Phase.FINAL


# --- a list of phases is checked as a whole -----------------------------------------------------------


def _bad_lists(period):
    phases = [dict(e) for e in period.phases]
    return {
        "repeated": [*phases[:3], dict(phases[2]), *phases[3:]],
        "final_not_last": [*phases[:-2], phases[-1], phases[-2]],
        "unknown_switch": [*phases[:2], {**phases[2], "permits": ["may_everything"]}, *phases[3:]],
        "no_name": [*phases[:3], {"key": "vong_2", "permits": []}, *phases[3:]],
        "days_out_of_order": with_second_appraisal(period, day(30)),
        "current_left_out": [e for e in phases if e["key"] != Phase.SELF_ASSESSMENT],
        "bad_date": [*phases[:3], {**SECOND, "starts_on": "31/12/2021"}, *phases[3:]],
        "unknown_field": [*phases[:3], {**SECOND, "can_fly": True}, *phases[3:]],
    }


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("repeated", "appraisal"),
        ("final_not_last", "final"),
        ("unknown_switch", "may_everything"),
        ("no_name", "vong_2"),
        ("days_out_of_order", "Thẩm định lần 2"),
        ("current_left_out", "Tự chấm điểm"),
        ("bad_date", "second_appraisal"),
        ("unknown_field", "can_fly"),
    ],
)
def test_a_wrong_list_of_phases_is_refused_with_its_reason_and_changes_nothing(cycle, case, message):
    period = cycle["period"]
    before = snapshot(period)
    with pytest.raises(ValidationError, match=message):
        services.period_set_phases(period=period, phases=_bad_lists(period)[case], by=cycle["people"]["reviewer"])
    assert snapshot(period) == before


def test_asking_what_a_phase_permits_sends_no_query(cycle, django_assert_num_queries):
    period, people = cycle["period"], cycle["people"]
    dossiers = list(period.dossiers.select_related("period", "agency"))
    reviewer = people["reviewer"]
    reviewer.has_perm("scoring.appraise_dossier", dossiers[0])  # the user's roles, once
    with django_assert_num_queries(0):
        for dossier in dossiers:
            for perm in ("edit_dossier", "appraise_dossier", "adjust_dossier", "explain_dossier", "view_dossier"):
                reviewer.has_perm(f"scoring.{perm}", dossier)
