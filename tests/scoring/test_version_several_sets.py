"""Moving a two-set period (Quảng Bình 3140: set 01 for the departments, set 02 for the district and
commune committees) to a newer regulation: every set moves to the newer regulation's set of the
same code, shown first as a diff the reviewer confirms; every score whose criterion carries over
(by code) is kept on the new set, the others stay on the old criteria, listed; who, when and why
are recorded; a newer regulation that lacks one of the sets is refused with nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from portal import demo_quang_binh
from portal.models import User
from scoring import demo_quang_binh as scoring_demo
from scoring import services
from scoring.models import CriterionScore, PeriodCriteriaSet, PeriodVersionChange, ScoringPeriod
from scoring.selectors import criteria_set_by_code, criteria_set_for, newer_criteria_sets, ranking
from scoring.services.versions import period_change_version, period_version_diff
from tests.scoring.cycle_helpers import LIBRARY
from tests.scoring.test_period_sets import open_period

QB = (LIBRARY / "quang-binh-3140-2022.yaml").read_text(encoding="utf-8")


def newer_regulation(code: str = "qb-2025-thu", *, only_set_01: bool = False) -> bytes:
    """A newer Quảng Bình regulation replacing 3140: the same two sets, except that set 02's
    criterion 6 became criterion 7 (its scores cannot carry over); or set 01 alone."""
    text = QB.replace("  code: qb-3140-2022\n", f"  code: {code}\n  replaces: qb-3140-2022\n")
    text = text.replace("so_ky_hieu: 3140/QĐ-UBND", "so_ky_hieu: 25/QĐ-UBND")
    text = text.replace("issued_on: 2022-11-15", "issued_on: 2025-01-10")
    head, set_02 = text.split('  - code: "02"\n')
    set_02 = set_02.replace('      - code: "6"\n', '      - code: "7"\n')
    return (head if only_set_01 else head + '  - code: "02"\n' + set_02).encode()


@pytest.fixture
def world(db):
    province = demo_quang_binh.load()
    scoring_demo.load_regulation(province)
    services.regulation_import_file(province=province, name="qb-2025.yaml", content=newer_regulation())
    people = {u.username: u for u in User.objects.filter(province=province)}
    period = open_period(province)
    dossiers = {d.agency.code: d for d in period.dossiers.select_related("agency", "agency_version", "period")}
    typed = {"so-tu-phap": {"1": "80", "6": "70"}, "tp-dong-hoi": {"1": "90", "6": "60"}}
    staff = {"so-tu-phap": people["canbo.qb.tuphap"], "tp-dong-hoi": people["canbo.qb.donghoi"]}
    for agency, marks in typed.items():
        dossier = dossiers[agency]
        known = criteria_set_for(dossier)
        for code, raw in marks.items():
            criterion = known.criteria[code]
            score = dossier.scores.filter(criterion=criterion).first()
            services.self_score_save(
                dossier=dossier, criterion=criterion, by=staff[agency], raw=raw, version=score.version if score else 0
            )
    return {
        "province": province,
        "people": people,
        "period": period,
        "dossiers": dossiers,
        "new_01": criteria_set_by_code(province=province, code="qb-2025-thu:01"),
        "new_02": criteria_set_by_code(province=province, code="qb-2025-thu:02"),
    }


def typed(dossier) -> dict[str, tuple[str, str]]:
    """The dossier's typed self-scores: code → (raw, library code of the criterion's set)."""
    rows = CriterionScore.objects.filter(dossier=dossier).exclude(self_raw="").select_related("criterion__criteria_set")
    return {r.criterion.code: (r.self_raw, r.criterion.criteria_set.regulation.code) for r in rows}


def everything(period) -> list[tuple]:
    return sorted(CriterionScore.objects.filter(dossier__period=period).values_list("pk", "criterion_id", "self_raw"))


def test_the_diff_pairs_every_set_by_code_and_lists_what_cannot_carry(world):
    diff = period_version_diff(period=world["period"], new_set=world["new_01"])
    assert diff.problems == []
    assert diff.from_sets == ["qb-3140-2022:01", "qb-3140-2022:02"]
    assert diff.to_sets == ["qb-2025-thu:01", "qb-2025-thu:02"]
    left = {(e["agency"], e["code"], e["set"]) for e in diff.left_behind if e["kind"] == "score"}
    assert left == {("Ủy ban nhân dân thành phố Đồng Hới", "6", "qb-3140-2022:02")}
    assert diff.dropped_codes == ["02: 6"] and diff.new_codes == ["02: 7"]
    per_set = {m.old.library_code: (len(m.dossiers), m.left) for m in diff.sets}
    period = world["period"]
    assert per_set["qb-3140-2022:01"] == (period.dossiers.filter(criteria_set__isnull=True).count(), 0)
    assert per_set["qb-3140-2022:02"] == (period.dossiers.filter(criteria_set__isnull=False).count(), 1)


def test_moving_moves_every_set_and_keeps_every_score(world):
    period, reviewer = world["period"], world["people"]["thamdinh.quangbinh"]
    justice, dong_hoi = world["dossiers"]["so-tu-phap"], world["dossiers"]["tp-dong-hoi"]
    before = len(everything(period))
    diff = period_version_diff(period=period, new_set=world["new_01"])
    record = period_change_version(
        period=period, new_set=world["new_01"], by=reviewer, reason="Áp dụng Quyết định 25/QĐ-UBND",
        confirmed=diff.digest,
    )  # fmt: skip
    period.refresh_from_db()
    assert period.criteria_set_id == world["new_01"].pk
    assert list(PeriodCriteriaSet.objects.filter(period=period).values_list("criteria_set_id", flat=True)) == [
        world["new_02"].pk
    ]
    assert len(everything(period)) == before  # nothing typed is lost
    assert typed(justice) == {"1": ("80", "qb-2025-thu"), "6": ("70", "qb-2025-thu")}
    # Set 02's criterion 6 is not in the new set 02: its score stays on the old criterion, listed.
    assert typed(dong_hoi) == {"1": ("90", "qb-2025-thu"), "6": ("60", "qb-3140-2022")}
    dong_hoi.refresh_from_db()
    justice.refresh_from_db()
    assert criteria_set_for(dong_hoi).library_code == "qb-2025-thu:02"
    assert criteria_set_for(justice).library_code == "qb-2025-thu:01"
    assert (record.by, record.reason, record.from_sets, record.to_sets) == (
        reviewer, "Áp dụng Quyết định 25/QĐ-UBND",
        ["qb-3140-2022:01", "qb-3140-2022:02"], ["qb-2025-thu:01", "qb-2025-thu:02"],
    )  # fmt: skip
    assert [(e["code"], e["set"]) for e in record.left_behind if e["kind"] == "score"] == [("6", "qb-3140-2022:02")]
    assert dong_hoi.history.first().history_change_reason.startswith("version qb-3140-2022:01, qb-3140-2022:02 →")
    # The ranking now names the new sets, still per set and group.
    assert {s.criteria_set.library_code for s in ranking(period)} == {"qb-2025-thu:01", "qb-2025-thu:02"}


def test_a_newer_regulation_without_one_of_the_sets_is_refused_and_nothing_changes(world):
    period, reviewer = world["period"], world["people"]["thamdinh.quangbinh"]
    services.regulation_import_file(
        province=world["province"], name="qb-only-01.yaml", content=newer_regulation("qb-2026-mot", only_set_01=True)
    )
    only_01 = criteria_set_by_code(province=world["province"], code="qb-2026-mot:01")
    diff = period_version_diff(period=period, new_set=only_01)
    assert any("qb-3140-2022:02" in problem for problem in diff.problems)
    before = everything(period)
    with pytest.raises(ValidationError):
        period_change_version(period=period, new_set=only_01, by=reviewer, reason="Thử", confirmed=diff.digest)
    assert everything(period) == before and not PeriodVersionChange.objects.exists()
    assert ScoringPeriod.objects.get(pk=period.pk).criteria_set.regulation.code == "qb-3140-2022"
    # The page lists the problem and offers no confirmation.
    client = Client()
    client.force_login(reviewer)
    url = reverse("scoring:period_version", args=[period.pk])
    page = client.get(f"{url}?set={only_01.pk}").content.decode()
    assert 'id="diff-problems"' in page and "qb-3140-2022:02" in page.split('id="diff-problems"')[1]
    assert 'id="confirm-version"' not in page


def test_the_reviewer_confirms_the_two_set_move_on_the_page(world):
    period, reviewer = world["period"], world["people"]["thamdinh.quangbinh"]
    # One choice per newer regulation: every set moves.
    assert [s.library_code for s in newer_criteria_sets(period)] == ["qb-2025-thu:01"]
    client = Client()
    client.force_login(reviewer)
    url = reverse("scoring:period_version", args=[period.pk])
    page = client.get(f"{url}?set={world['new_01'].pk}").content.decode()
    sets = page.split('id="diff-sets"')[1].split("</table>")[0]
    assert "qb-3140-2022:01" in sets and "qb-2025-thu:01" in sets
    assert "qb-3140-2022:02" in sets and "qb-2025-thu:02" in sets
    left = page.split('id="diff-left"')[1].split("</table>")[0]
    assert "Ủy ban nhân dân thành phố Đồng Hới" in left and "qb-3140-2022:02" in left
    digest = page.split('name="confirmed" value="')[1].split('"')[0]
    no_reason = client.post(url, {"criteria_set": world["new_01"].pk, "confirmed": digest, "reason": ""})
    assert no_reason.status_code == 200 and not PeriodVersionChange.objects.exists()
    done = client.post(url, {"criteria_set": world["new_01"].pk, "confirmed": digest, "reason": "Quy định mới"})
    assert done.status_code == 302
    record = PeriodVersionChange.objects.get()
    assert record.to_sets == ["qb-2025-thu:01", "qb-2025-thu:02"] and record.by == reviewer
    period.refresh_from_db()
    assert period.criteria_set_id == world["new_01"].pk


def test_a_final_two_set_period_does_not_move(world):
    period, reviewer = world["period"], world["people"]["thamdinh.quangbinh"]
    ScoringPeriod.objects.filter(pk=period.pk).update(
        phase="final", finalized_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    period.refresh_from_db()
    diff = period_version_diff(period=period, new_set=world["new_01"])
    with pytest.raises(ValidationError):
        period_change_version(period=period, new_set=world["new_01"], by=reviewer, reason="Thử", confirmed=diff.digest)
    assert not PeriodVersionChange.objects.exists()
