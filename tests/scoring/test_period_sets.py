"""A period applying two criteria sets (Quảng Bình 3140: set 01 for the departments, set 02 for the
district and commune committees): each dossier scored against its group's set, ranked per set and
group (ranks never compare units of two sets), an 85-point unit classified on 100, and the set's
unclassified rank and total honoured by the ranking page, the annex, the Excel sheet and the API."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal import demo_quang_binh
from portal.models import Agency, User
from reports import excel
from reports.selectors import decision_context
from scoring import demo_quang_binh as scoring_demo
from scoring import services
from scoring.explain import fmt
from scoring.models import CriteriaSet, Phase, ProvisionalResult, Result, ScoringPeriod
from scoring.selectors import criteria_set_by_code, criteria_set_for, dossier_computation, ranking
from scoring.selectors.regulations import forget_criteria_sets


@pytest.fixture
def quang_binh(db):
    province = demo_quang_binh.load()
    scoring_demo.load_regulation(province)
    return province


@pytest.fixture
def people(quang_binh):
    return {u.username: u for u in User.objects.filter(province=quang_binh)}


def qb_set(province, code: str) -> CriteriaSet:
    return criteria_set_by_code(province=province, code=f"qb-3140-2022:{code}")


def open_period(province, year: int = 2024) -> ScoringPeriod:
    today = timezone.localdate()
    period = services.period_create(
        province=province,
        year=year,
        criteria_set=qb_set(province, "01"),
        further_sets=[qb_set(province, "02")],
        name=f"Đánh giá năm {year}",
        self_assessment_opens_on=today - dt.timedelta(days=3),
        self_assessment_due_on=today + dt.timedelta(days=10),
        appraisal_due_on=today + dt.timedelta(days=20),
        explanation_due_on=today + dt.timedelta(days=25),
    )
    services.period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=None)
    return period


def fill(dossier, by, percent: str = "90", skip: tuple[str, ...] = ()) -> None:
    """Self-scores every criterion of the dossier's own set at `percent`, each with a reference."""
    known = criteria_set_for(dossier)
    for node in known.spec.walk():
        if not node.is_leaf or node.code in skip:
            continue
        criterion = known.criteria[node.code]
        score = dossier.scores.filter(criterion=criterion).first()
        version = score.version if score else 0
        services.self_score_save(dossier=dossier, criterion=criterion, by=by, raw=percent, version=version)
        services.evidence_add(
            dossier=dossier, criterion=criterion, by=by, doc_number="5/BC", doc_date=dt.date(2024, 10, 1),
            summary=f"Báo cáo tiêu chí {node.code}",
        )  # fmt: skip


def row_cells(page: str, agency_code: str) -> str:
    return page.split(f'data-agency="{agency_code}"')[1].split("</tr>")[0]


def cell(row: str, css: str) -> str:
    return row.split(f'class="{css}')[1].split(">", 1)[1].split("</td>")[0].strip()


def test_each_dossier_is_scored_against_the_set_of_its_group(quang_binh):
    period = open_period(quang_binh)
    sets = {d.agency.code: criteria_set_for(d).library_code for d in period.dossiers.select_related("agency", "period")}
    assert sets["so-tu-phap"] == sets["so-y-te"] == "qb-3140-2022:01"
    assert sets["tp-dong-hoi"] == sets["h-bo-trach"] == sets["x-sen-thuy"] == "qb-3140-2022:02"
    assert "ubnd-tinh" not in sets  # no group: no set applies
    assert [(cs.code, groups) for cs, groups in period.sets()] == [
        ("01", ("khoi-so",)),
        ("02", ("khoi-huyen", "khoi-xa")),
    ]


def test_a_group_named_by_two_sets_is_refused_and_nothing_is_created(quang_binh):
    one = qb_set(quang_binh, "01")
    with pytest.raises(ValidationError) as refused:
        services.period_create(
            province=quang_binh, year=2024, criteria_set=one, further_sets=[one], name="Sai",
            self_assessment_opens_on=dt.date(2024, 11, 1), self_assessment_due_on=dt.date(2024, 11, 20),
            appraisal_due_on=dt.date(2024, 12, 1), explanation_due_on=dt.date(2024, 12, 5),
        )  # fmt: skip
    assert "qb-3140-2022:01" in str(refused.value)
    assert not ScoringPeriod.objects.filter(province=quang_binh).exists()


def test_a_two_set_final_period_is_ranked_per_set_and_group(client, quang_binh, people):
    scoring_demo.load(quang_binh)
    period = ScoringPeriod.objects.get(province=quang_binh, year=scoring_demo.YEAR)
    assert period.is_final
    sections = ranking(period)
    assert [(s.criteria_set.library_code, s.group.code) for s in sections] == [
        ("qb-3140-2022:01", "khoi-so"),
        ("qb-3140-2022:02", "khoi-huyen"),
        ("qb-3140-2022:02", "khoi-xa"),
    ]
    for section in sections:  # every section ranks from 1: units of two sets are never compared
        ranks = [row.rank for row in section.rows]
        assert ranks == list(range(1, len(ranks) + 1)), section.title
    client.force_login(people["lanhdao.quangbinh"])
    page = client.get(reverse("scoring:ranking", args=[period.pk])).content.decode()
    assert "Khối sở, ban, ngành tỉnh — Bộ tiêu chí 01 — sở, ban, ngành cấp tỉnh" in page
    assert "Khối UBND xã, phường, thị trấn — Bộ tiêu chí 02 — UBND cấp huyện, cấp xã" in page
    assert page.count('data-set="qb-3140-2022:02"') == 2
    # The district that sent nothing: unclassified, ranked last in its group (the set: "last").
    row = row_cells(page, scoring_demo.NO_DOSSIER)
    assert cell(row, "text-end rank") == "3" and "Không xếp loại" in row
    api = {r["agency"]: r for r in client.get(f"/api/v1/periods/{period.pk}/ranking/").json()["results"]}
    assert api["x-sen-thuy"]["criteria_set"] == "qb-3140-2022:02"
    assert api["so-y-te"]["criteria_set"] == "qb-3140-2022:01"
    annex = decision_context(period)
    assert [g["name"] for g in annex["groups"]] == [
        "Khối sở, ban, ngành tỉnh — Bộ tiêu chí 01 — sở, ban, ngành cấp tỉnh",
        "Khối UBND huyện, thị xã, thành phố — Bộ tiêu chí 02 — UBND cấp huyện, cấp xã",
        "Khối UBND xã, phường, thị trấn — Bộ tiêu chí 02 — UBND cấp huyện, cấp xã",
    ]


def test_a_commune_without_par_index_is_scored_on_85_points_and_classified_on_100(quang_binh, people):
    period = open_period(quang_binh)
    commune = period.dossiers.get(agency__code="x-sen-thuy")
    known = criteria_set_for(commune)
    assert known.library_code == "qb-3140-2022:02" and known.spec.node("3").max_points == 15
    services.criterion_set_not_applicable(
        dossier=commune, criterion=known.criteria["3"], value=True, reason="Không thuộc đối tượng Chỉ số CCHC",
        by=people["thamdinh.quangbinh"],
    )  # fmt: skip
    staff = User.objects.create(username="cb.senthuy", province=quang_binh, agency=commune.agency)
    fill(commune, staff, "90", skip=("3",))
    # 90 % of the 85 points that apply = 76.5, converted to 100: 90.00 — Tốt (76.5 on 100 is Khá).
    assert dossier_computation(commune).result.self_total == D("90.00")
    services.dossier_submit(dossier=commune, by=staff)
    stored = ProvisionalResult.objects.get(dossier=commune)
    assert (stored.self_total, stored.total, stored.band_code, stored.classified) == (
        D("90.00"),
        D("90.00"),
        "tot",
        True,
    )


def _appraisal_with_one_missing(quang_binh, people) -> ScoringPeriod:
    """Two districts submitted, the third (Lệ Thủy) filled its form in but never sent it; the
    period is in appraisal."""
    period = open_period(quang_binh)
    missing = period.dossiers.get(agency__code="h-le-thuy")
    fill(missing, User.objects.create(username="cb.lethuy", province=quang_binh, agency=missing.agency), "83")
    for code in ("tp-dong-hoi", "h-bo-trach"):
        dossier = period.dossiers.get(agency__code=code)
        staff = User.objects.create(username=f"cb.{code}", province=quang_binh, agency=dossier.agency)
        fill(dossier, staff, "95" if code == "tp-dong-hoi" else "80")
        services.dossier_submit(dossier=dossier, by=staff)
    services.period_set_phase(
        period=period, phase=Phase.APPRAISAL, by=people["thamdinh.quangbinh"], reason="Hết hạn tự chấm"
    )
    return period


def _set_02(quang_binh, **fields) -> None:
    criteria_set = qb_set(quang_binh, "02")
    # The same period read under each setting (a real set never changes in place): the stored
    # document is the set's source of truth (CriteriaSet.spec_data), its columns are copies.
    criteria_set.spec_data["criteria_set"].update(fields)
    for name, value in fields.items():
        setattr(criteria_set, name, value)
    criteria_set.save()
    forget_criteria_sets()


@pytest.mark.parametrize(
    ("rank_rule", "show_total", "rank_shown", "total_shown"),
    [
        ("last", True, "3", True),
        ("none", False, "—", False),
        ("by_total", False, "2", False),
        ("none", True, "—", True),
    ],
)
def test_the_unclassified_rank_and_total_follow_the_set(
    client, quang_binh, people, rank_rule, show_total, rank_shown, total_shown
):
    period = _appraisal_with_one_missing(quang_binh, people)
    _set_02(quang_binh, unclassified_rank=rank_rule, show_unclassified_total=show_total)
    missing = period.dossiers.get(agency__code="h-le-thuy")
    total = ProvisionalResult.objects.get(dossier=missing).total
    assert total == D("83.00")
    shown_total = fmt(total)  # as the page writes points
    client.force_login(people["lanhdao.quangbinh"])
    page = client.get(reverse("scoring:ranking", args=[period.pk])).content.decode()
    row = row_cells(page, "h-le-thuy")
    assert cell(row, "text-end rank") == rank_shown
    assert cell(row, "text-end fw-semibold total") == (shown_total if total_shown else "—")
    assert "Không xếp loại" in row
    api = {r["agency"]: r for r in client.get(f"/api/v1/periods/{period.pk}/ranking/").json()["results"]}
    assert api["h-le-thuy"]["rank"] == (None if rank_shown == "—" else int(rank_shown))
    assert api["h-le-thuy"]["total"] == (f"{total:.2f}" if total_shown else None)
    annex = {r["name"]: r for g in decision_context(period)["groups"] for r in g["rows"]}
    name = missing.agency_version.name
    assert str(annex[name]["rank"]) == rank_shown
    assert annex[name]["total"] == ("83,00" if total_shown else "—")  # the set's two decimals
    sheet = load_workbook(io.BytesIO(excel.ranking_workbook(period))).active
    line = next(r for r in sheet.iter_rows(values_only=True) if r[1] == name)
    assert line[9] == (None if rank_shown == "—" else int(rank_shown))
    assert line[7] == (float(total) if total_shown else None)


def test_a_final_period_keeps_the_rank_it_was_given(quang_binh):
    scoring_demo.load(quang_binh)
    period = ScoringPeriod.objects.get(province=quang_binh, year=scoring_demo.YEAR)
    stored = Result.objects.get(
        dossier__period=period, dossier__agency=Agency.objects.get(province=quang_binh, code="h-le-thuy")
    )
    assert (stored.classified, stored.rank) == (False, 3)
