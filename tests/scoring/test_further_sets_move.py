"""Adding or removing a further criteria set of a period moves the existing dossiers of the groups it
names to their new set (services.period_sets, and the admin's inline through it): what was typed
carries over by criterion code as a version change does, the rest stays on the old criteria and is
listed, the change is recorded with who and why; nothing typed is lost, and moving back restores
every row; once the period is final the change is refused with a message in Vietnamese."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from scoring import services
from scoring.models import CriteriaSet, CriterionScore, Dossier, PeriodCriteriaSet, PeriodVersionChange, ScoringPeriod
from scoring.selectors import criteria_set_by_code, criteria_set_for, dossier_data
from scoring.selectors.regulations import forget_criteria_sets
from scoring.services.period_sets import further_sets_problems, period_further_sets_change
from tests.scoring.cycle_helpers import LIBRARY, fill_complete
from tests.scoring.test_period_version_page import change_form, client_of, inline_data

FINAL = "The period is final: the criteria sets it applies and the set of each dossier stay as they are."


@pytest.fixture
def world(cycle):
    """The 2021 period on 731, which now applies to every group; 1743 loaded for the provincial
    departments (khoi-so) alone; the Department of Justice has typed its dossier."""
    province = cycle["province"]
    services.regulation_import_file(
        province=province, name="1743.yaml", content=(LIBRARY / "tay-ninh-1743-2021.yaml").read_bytes()
    )
    new_set = criteria_set_by_code(province=province, code="tn-1743-2021")
    CriteriaSet.objects.filter(pk=cycle["period"].criteria_set_id).update(applies_to_groups=[])
    CriteriaSet.objects.filter(pk=new_set.pk).update(applies_to_groups=["khoi-so"])
    forget_criteria_sets()
    new_set.refresh_from_db()
    cycle["period"].criteria_set.refresh_from_db()
    justice = cycle["dossiers"]["so-tu-phap"]
    fill_complete(justice, cycle["people"]["staff"], {"5.2": "4", "2.5": "co_dang_ky"})
    return {**cycle, "new_set": new_set}


def rows(period, dossier_ids) -> list[tuple]:
    """Every self-score of those dossiers: (id, criterion, what was typed)."""
    scores = CriterionScore.objects.filter(dossier_id__in=dossier_ids)
    return sorted(scores.values_list("pk", "criterion_id", "self_raw", "note"))


def test_adding_a_set_moves_its_groups_dossiers_and_carries_by_code(world):
    period, reviewer, new_set = world["period"], world["people"]["reviewer"], world["new_set"]
    justice = world["dossiers"]["so-tu-phap"]
    home = period.dossiers.exclude(group__code="khoi-so").select_related("period").first()  # another group
    ids = list(period.dossiers.values_list("pk", flat=True))
    before = rows(period, ids)
    record = period_further_sets_change(period=period, further_sets=[new_set], by=reviewer, reason="Bộ riêng khối sở")
    justice.refresh_from_db()
    home.refresh_from_db()
    assert criteria_set_for(justice).library_code == "tn-1743-2021:01"  # khoi-so: the new set
    assert criteria_set_for(home).library_code == "tn-731-2019:01"  # another group: stays
    assert len(rows(period, ids)) == len(before)  # nothing typed is lost
    data = dossier_data(justice)
    assert data.scores["5.2"].self_raw == "4"  # carried by code
    assert "2.5" not in data.scores  # 1743 has no 2.5: the row stays on 731's criterion, listed
    kept = CriterionScore.objects.get(dossier=justice, self_raw="co_dang_ky")
    assert kept.criterion.criteria_set_id == period.criteria_set_id
    assert ("2.5", "tn-731-2019:01") in {(e["code"], e["set"]) for e in record.left_behind if e["kind"] == "score"}
    assert (record.by, record.reason, record.from_sets, record.to_sets) == (
        reviewer, "Bộ riêng khối sở", ["tn-731-2019:01"], ["tn-731-2019:01", "tn-1743-2021:01"]
    )  # fmt: skip
    assert record.carried["score"] > 0
    assert justice.history.first().history_change_reason.startswith("criteria sets → tn-731-2019:01, tn-1743-2021")
    assert list(PeriodCriteriaSet.objects.filter(period=period).values_list("criteria_set_id", flat=True)) == [
        new_set.pk
    ]


def test_removing_the_set_moves_them_back_and_every_row_is_as_it_was(world):
    period, reviewer, new_set = world["period"], world["people"]["reviewer"], world["new_set"]
    ids = list(period.dossiers.values_list("pk", flat=True))
    before = rows(period, ids)
    period_further_sets_change(period=period, further_sets=[new_set], by=reviewer, reason="Thêm bộ")
    assert rows(period, ids) != before  # moved to 1743's criteria
    period_further_sets_change(period=period, further_sets=[], by=reviewer, reason="Bỏ bộ")
    assert rows(period, ids) == before  # every row back on its criterion, as typed
    assert not Dossier.objects.filter(pk__in=ids, criteria_set__isnull=False).exists()
    assert PeriodVersionChange.objects.filter(period=period).count() == 2
    # The same sets again: nothing to do, nothing recorded.
    assert period_further_sets_change(period=period, further_sets=[], by=reviewer, reason="Lại") is None


def test_a_final_period_refuses_in_vietnamese_and_nothing_changes(world):
    period, reviewer, new_set = world["period"], world["people"]["reviewer"], world["new_set"]
    ScoringPeriod.objects.filter(pk=period.pk).update(phase="final")
    period.refresh_from_db()
    ids = list(period.dossiers.values_list("pk", flat=True))
    before = rows(period, ids)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        period_further_sets_change(period=period, further_sets=[new_set], by=reviewer, reason="Thử")
    with translation.override("vi"):
        assert refused.value.messages == [translation.gettext(FINAL)]
    assert rows(period, ids) == before
    assert not PeriodCriteriaSet.objects.exists() and not PeriodVersionChange.objects.exists()


def test_an_agency_user_cannot_change_the_sets(world):
    with pytest.raises(ValidationError):
        period_further_sets_change(
            period=world["period"], further_sets=[world["new_set"]], by=world["people"]["staff"], reason="Thử"
        )
    assert not PeriodCriteriaSet.objects.exists()


def test_a_group_with_dossiers_is_never_left_without_a_set(world):
    period, new_set = world["period"], world["new_set"]
    CriteriaSet.objects.filter(pk=period.criteria_set_id).update(applies_to_groups=["khoi-huyen"])
    period.criteria_set.refresh_from_db()
    problems = further_sets_problems(period, [new_set])
    assert any("Khối đơn vị sự nghiệp" in problem for problem in problems)  # khoi-dvsn: no set any more


def test_the_admin_inline_moves_the_dossiers_while_agencies_fill_in(world):
    period, new_set = world["period"], world["new_set"]
    justice = world["dossiers"]["so-tu-phap"]
    client = client_of(world["people"]["admin"])
    page, data = change_form(client, period)
    reason = "Khối sở chấm theo Quyết định 1743 từ năm nay"
    saved = client.post(
        page.request["PATH_INFO"], {**data, **inline_data(period, [new_set]), "sets_change_reason": reason}
    )
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    justice.refresh_from_db()
    assert criteria_set_for(justice).library_code == "tn-1743-2021:01"
    assert dossier_data(justice).scores["5.2"].self_raw == "4"
    record = PeriodVersionChange.objects.get(period=period)
    assert (record.by, record.reason) == (world["people"]["admin"], reason)
    # Final: the inline offers nothing to add, change or delete.
    ScoringPeriod.objects.filter(pk=period.pk).update(phase="final")
    page, _data = change_form(client, period)
    inline = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is PeriodCriteriaSet)
    assert not (inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission)
