"""Moving a period that is not final from 731 to 1743: the diff comes first and is what gets done,
scores carry over by criterion code (points recomputed on the new criterion), what cannot is kept
on the old criterion and listed, who and why are recorded, and the forbidden moves (an agency's
people, a final period, an unconfirmed diff) change nothing."""

import pytest
from django.core.exceptions import ValidationError

from scoring import services
from scoring.models import CriterionScore, Evidence, PeriodVersionChange, Phase, ScoringPeriod
from scoring.selectors import criteria_set_by_code, criteria_set_for, dossier_data
from scoring.services.versions import period_change_version, period_version_diff
from tests.scoring.cycle_helpers import LIBRARY, criterion, fill_complete


@pytest.fixture
def filled(cycle):
    services.regulation_import_file(
        province=cycle["province"], name="1743.yaml", content=(LIBRARY / "tay-ninh-1743-2021.yaml").read_bytes()
    )
    justice = cycle["dossiers"]["so-tu-phap"]
    fill_complete(justice, cycle["people"]["staff"], {"5.2": "4", "2.5": "co_dang_ky"})
    return {**cycle, "new_set": criteria_set_by_code(province=cycle["province"], code="tn-1743-2021")}


def state(period):
    """Everything typed in the period, as rows (criterion id included), to compare before and after."""
    return (
        sorted(CriterionScore.objects.filter(dossier__period=period).values_list("pk", "criterion_id", "self_raw")),
        sorted(Evidence.objects.filter(dossier__period=period).values_list("pk", "criterion_id", "doc_number")),
        ScoringPeriod.objects.get(pk=period.pk).criteria_set_id,
    )


def test_the_diff_lists_what_carries_over_and_what_cannot_per_agency(filled):
    diff = period_version_diff(period=filled["period"], new_set=filled["new_set"])
    assert (diff.from_set, diff.to_set) == ("tn-731-2019:01", "tn-1743-2021:01")
    justice = next(a for a in diff.agencies if a.name == "Sở Tư pháp")
    assert justice.carried > 0 and justice.left > 0
    left_codes = {e["code"] for e in diff.left_behind if e["agency"] == "Sở Tư pháp"}
    assert "2.5" in left_codes  # 1743 has no criterion 2.5
    assert "1.1" in left_codes  # a percentage in 731, levels in 1743: the mark would change meaning
    assert not {"5.1", "5.2"} & left_codes  # scored alike in both
    assert diff.carried["score"] + diff.carried["evidence"] == justice.carried


def test_moving_keeps_every_score_carries_by_code_and_records_who_and_why(filled):
    period, reviewer = filled["period"], filled["people"]["reviewer"]
    justice = filled["dossiers"]["so-tu-phap"]
    before = CriterionScore.objects.filter(dossier__period=period).count()
    old_52 = CriterionScore.objects.get(dossier=justice, criterion=criterion(justice, "5.2"))
    old_25 = CriterionScore.objects.get(dossier=justice, criterion=criterion(justice, "2.5"))
    diff = period_version_diff(period=period, new_set=filled["new_set"])
    record = period_change_version(
        period=period, new_set=filled["new_set"], by=reviewer, reason="Áp dụng Quyết định 1743", confirmed=diff.digest
    )
    period.refresh_from_db()
    assert period.criteria_set_id == filled["new_set"].pk
    assert CriterionScore.objects.filter(dossier__period=period).count() == before  # nothing lost
    moved = CriterionScore.objects.get(pk=old_52.pk)
    assert moved.self_raw == "4" and moved.criterion.criteria_set_id == filled["new_set"].pk  # carried by code
    kept = CriterionScore.objects.get(pk=old_25.pk)
    assert kept.criterion_id == old_25.criterion_id  # left on the old criterion, listed
    assert {"kind": "score", "id": kept.pk, "code": "2.5"}.items() <= next(
        e for e in record.left_behind if e["id"] == kept.pk and e["kind"] == "score"
    ).items()
    assert (record.by, record.reason, record.from_sets, record.to_sets) == (
        reviewer, "Áp dụng Quyết định 1743", ["tn-731-2019:01"], ["tn-1743-2021:01"]
    )  # fmt: skip
    assert moved.history.first().history_change_reason.startswith("version tn-731-2019:01 → tn-1743-2021:01")
    # The dossier now reads the new set: 5.2 is there with its mark, 2.5 is not a criterion of it.
    justice.refresh_from_db()
    data = dossier_data(justice)
    assert criteria_set_for(justice).library_code == "tn-1743-2021:01"
    assert data.scores["5.2"].self_raw == "4" and "2.5" not in data.scores


@pytest.mark.parametrize("who", ["staff", "head", "leader"])
def test_an_agency_or_a_reader_cannot_move_the_period_and_nothing_changes(filled, who):
    period = filled["period"]
    before = state(period)
    diff = period_version_diff(period=period, new_set=filled["new_set"])
    with pytest.raises(ValidationError):
        period_change_version(
            period=period, new_set=filled["new_set"], by=filled["people"][who], reason="Thử", confirmed=diff.digest
        )
    assert state(period) == before and not PeriodVersionChange.objects.exists()


def test_a_final_period_cannot_move_and_nothing_changes(filled):
    period = filled["period"]
    ScoringPeriod.objects.filter(pk=period.pk).update(phase=Phase.FINAL)
    period.refresh_from_db()
    before = state(period)
    diff = period_version_diff(period=period, new_set=filled["new_set"])
    with pytest.raises(ValidationError, match="đã chốt kết quả"):
        period_change_version(
            period=period, new_set=filled["new_set"], by=filled["people"]["reviewer"], reason="Thử",
            confirmed=diff.digest,
        )  # fmt: skip
    assert state(period) == before and not PeriodVersionChange.objects.exists()


def test_a_move_not_matching_the_diff_shown_or_without_reason_changes_nothing(filled):
    period, reviewer = filled["period"], filled["people"]["reviewer"]
    diff = period_version_diff(period=period, new_set=filled["new_set"])
    # Someone types one more score after the diff was shown: the reviewer must look again.
    fill_complete(filled["dossiers"]["so-y-te"], filled["people"]["other_staff"])
    before = state(period)
    with pytest.raises(ValidationError, match="hãy xem lại và xác nhận lần nữa"):
        period_change_version(
            period=period, new_set=filled["new_set"], by=reviewer, reason="Lý do", confirmed=diff.digest
        )
    fresh = period_version_diff(period=period, new_set=filled["new_set"])
    with pytest.raises(ValidationError):
        period_change_version(
            period=period, new_set=filled["new_set"], by=reviewer, reason="  ", confirmed=fresh.digest
        )
    assert state(period) == before and not PeriodVersionChange.objects.exists()
