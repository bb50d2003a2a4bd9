"""The "Dân vận khéo" registry: search without diacritics, filters, counts, Excel read back by
LibreOffice, queries that do not grow; criterion 2.5 and the bonus fed from the registry."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from plans import selectors, services
from plans.models import DvkField, DvkLevel
from tests.factories import AgencyFactory
from tests.helpers import xlsx_to_csv_rows
from tests.plans.dvk_helpers import YEAR, data, names_in, recognise, registered

# --- the registry ----------------------------------------------------------------------------------


@pytest.fixture
def registry(world):
    """Four models of two units in three fields, two recognised (province, district)."""
    a = registered(world, name="Dân vận khéo trong cải cách thủ tục hành chính")
    b = registered(world, name="Phụ nữ giúp nhau phát triển kinh tế", field=DvkField.CULTURE_ECONOMY)
    c = registered(world, agency=world["health"], by=world["health_staff"], name="Đường hoa nông thôn mới",
                   field=DvkField.NEW_COUNTRYSIDE)  # fmt: skip
    d = registered(world, agency=world["health"], by=world["health_staff"], name="Khéo vận động tiêm chủng",
                   field=DvkField.CULTURE_ECONOMY)  # fmt: skip
    recognise(world, a)
    recognise(world, c, level=DvkLevel.DISTRICT, number="7/QĐ-UBND")
    return {"a": a, "b": b, "c": c, "d": d}


def test_leader_searches_without_diacritics_and_filters(client, world, registry):
    client.force_login(world["leader"])
    url = reverse("plans:dvk_registry")
    assert names_in(client.get(url, {"q": "dan van kheo"}).content.decode()) == [
        "Dân vận khéo trong cải cách thủ tục hành chính"
    ]
    assert names_in(client.get(url, {"q": "SO Y TE kheo"}).content.decode()) == ["Khéo vận động tiêm chủng"]
    assert names_in(client.get(url, {"field": "culture_economy"}).content.decode()) == [
        "Khéo vận động tiêm chủng", "Phụ nữ giúp nhau phát triển kinh tế",
    ]  # fmt: skip
    assert names_in(client.get(url, {"level": "province"}).content.decode()) == [
        "Dân vận khéo trong cải cách thủ tục hành chính"
    ]
    assert names_in(client.get(url, {"level": "none", "unit": world["health"].pk}).content.decode()) == [
        "Khéo vận động tiêm chủng"
    ]
    assert names_in(client.get(url, {"year": YEAR + 5}).content.decode()) == names_in(client.get(url).content.decode())
    assert len(names_in(client.get(url, {"year": YEAR}).content.decode())) == 4


def test_registry_counts_per_field_and_level(client, world, registry):
    counts = selectors.dvk_counts(province=world["province"], year=YEAR)
    assert counts.total == 4
    assert [n for _c, _l, n in counts.by_field] == [0, 1, 1, 2]
    assert [(c, n) for c, _l, n in counts.by_level] == [
        ("unit", 0), ("district", 1), ("province", 1), ("national", 0), ("none", 2),
    ]  # fmt: skip
    client.force_login(world["leader"])
    page = client.get(reverse("plans:dvk_registry"), {"field": "culture_economy"}).content.decode()
    by_level = page.split('id="dvk-by-level"')[1].split("</table>")[0]
    assert '<tr data-level="none"><td class="small">Chưa được công nhận</td><td class="text-end">2</td>' in by_level


def test_excel_export_read_back_by_libreoffice(client, world, registry, tmp_path):
    client.force_login(world["leader"])
    response = client.get(reverse("plans:dvk_registry"), {"format": "xlsx", "q": "kheo"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "mo-hinh.xlsx"
    path.write_bytes(response.content)
    rows = xlsx_to_csv_rows(path, tmp_path)
    assert rows[0][0] == "Danh sách mô hình “Dân vận khéo”"
    header = rows[2]
    assert header[:5] == ["STT", "Năm", "Tên mô hình", "Lĩnh vực", "Cơ quan, đơn vị"]
    body = {row[2]: row for row in rows[3:] if row and row[0]}
    assert set(body) == {"Dân vận khéo trong cải cách thủ tục hành chính", "Khéo vận động tiêm chủng"}
    first = body["Dân vận khéo trong cải cách thủ tục hành chính"]
    assert first[4] == "Sở Tư pháp" and first[12] == "Cấp tỉnh"
    assert first[13] == f"Cấp tỉnh: 58-QĐ/BDVTU ngày 20/01/{YEAR} (Ban Dân vận Tỉnh ủy)"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=4, column=2).value == YEAR  # the year is a number


def test_registry_queries_do_not_grow_with_the_models(client, world, registry):
    client.force_login(world["leader"])
    url = reverse("plans:dvk_registry")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        m = registered(world, name=f"Mô hình thêm {n}", field=DvkField.BUILDING)
        recognise(world, m, level=DvkLevel.UNIT, number=f"{n}/QĐ")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Mô hình thêm 5" in response.content.decode()
    assert len(few) == len(many) <= 15


# --- criteria fed from the registry ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "status"),
    [(None, "registered"), (DvkLevel.DISTRICT, "recognised_district"), (DvkLevel.PROVINCE, "recognised_province")],
)
def test_the_registry_reports_the_units_status_for_a_criterion(world, level, status):
    today = timezone.localdate()
    assert selectors.criterion_source_status(agency=world["justice"], year=YEAR, source="dvk_models", today=today) == (
        "none"
    )
    services.dvk_model_save(agency=world["justice"], data=data(name="Nháp"), by=world["staff"])  # a draft: not yet
    assert selectors.criterion_source_status(agency=world["justice"], year=YEAR, source="dvk_models", today=today) == (
        "none"
    )
    model = registered(world)
    if level:
        recognise(world, model, level=level)
    assert selectors.criterion_source_status(agency=world["justice"], year=YEAR, source="dvk_models", today=today) == (
        status
    )
    records = selectors.criterion_source_records(agency=world["justice"], year=YEAR, sources=["dvk_models", "x"])
    assert list(records) == ["dvk_models"] and records["dvk_models"] == [model]


def test_criterion_25_and_the_bonus_are_filled_from_the_registry_as_the_regulation_says(client, world):
    """Decision 731's file names the source of 2.5 and T1 (auto_source: dvk_models, auto_map):
    the marks follow the registry, and the models show beside them as evidence."""
    from scoring import services as scoring_services
    from scoring.models import Adjustment, CriterionScore, Phase
    from tests.scoring.cycle_helpers import LIBRARY, period_on

    for code in ("vp-ubnd", "thanh-tra"):  # the co-scorers the regulation names
        AgencyFactory(province=world["province"], code=code)
    scoring_services.regulation_import_file(
        province=world["province"], name="731.yaml", content=(LIBRARY / "tay-ninh-731-2019.yaml").read_bytes()
    )
    model = registered(world, name="Dân vận khéo trong tiếp công dân")
    period = period_on(world["province"], "tn-731-2019", year=YEAR, agencies_as_of=dt.date(YEAR, 1, 1))
    dossier = period.dossiers.get(agency=world["justice"])
    score = CriterionScore.objects.get(dossier=dossier, criterion__code="2.5")
    assert (score.self_raw, score.is_automatic) == ("co_dang_ky", True)  # registered, not yet recognised
    assert not Adjustment.objects.filter(dossier=dossier).exists()
    other = period.dossiers.get(agency=world["health"])  # no model: the unit scores 2.5 itself
    assert not CriterionScore.objects.filter(dossier=other, criterion__code="2.5").exists()

    recognise(world, model, level=DvkLevel.PROVINCE)
    scoring_services.dossier_prefill(dossier)
    score.refresh_from_db()
    assert score.self_raw == "hieu_qua" and score.self_points == 6
    bonus = Adjustment.objects.get(dossier=dossier, criterion__code="T1")
    assert bonus.raw == "true" and bonus.entered_by is None

    client.force_login(world["staff"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    row = page.split('data-code="2.5"')[1].split("</tr>")[0]
    link = f'<a href="{reverse("plans:dvk_detail", args=[model.pk])}">Dân vận khéo trong tiếp công dân (Cấp tỉnh)</a>'
    assert link in row
    for phase in (Phase.SELF_ASSESSMENT, Phase.APPRAISAL):
        period.refresh_from_db()
        if period.phase != phase:
            scoring_services.period_set_phase(period=period, phase=phase, by=world["reviewer"], reason="Thẩm định")
    client.force_login(world["reviewer"])  # the appraisal page: beside 2.5 and beside the bonus T1
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert link in page.split('data-code="2.5"')[1].split("</tr>")[0]
    assert link in page.split('for="adj-T1"')[1].split('id="adj-T1"')[0]

    client.force_login(world["leader"])  # the leader's dashboard: this year's models per field and level
    panel = client.get(reverse("reports:dashboard")).content.decode().split('id="dvk-panel"')[1].split("</section>")[0]
    assert f"Mô hình “Dân vận khéo” năm {YEAR}" in panel
    assert '<tr data-field="building"><td class="small">Xây dựng Đảng' in panel
    assert '<tr data-level="province"><td class="small">Cấp tỉnh</td><td class="text-end">1</td>' in panel
    assert f'href="{reverse("plans:dvk_registry")}?year={YEAR}"' in panel


def test_a_model_registered_during_self_assessment_fills_the_open_dossier_at_once(world):
    """The registry feeds the criterion while the unit fills its dossier: registering, then a
    recognition, change the automatic mark without waiting for submission; another unit's dossier
    and a submitted one keep theirs."""
    from scoring import services as scoring_services
    from scoring.models import CriterionScore, Dossier, Phase
    from tests.scoring.cycle_helpers import LIBRARY, period_on

    for code in ("vp-ubnd", "thanh-tra"):
        AgencyFactory(province=world["province"], code=code)
    scoring_services.regulation_import_file(
        province=world["province"], name="731.yaml", content=(LIBRARY / "tay-ninh-731-2019.yaml").read_bytes()
    )
    period = period_on(world["province"], "tn-731-2019", year=YEAR, agencies_as_of=dt.date(YEAR, 1, 1))
    scoring_services.period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=world["reviewer"], reason="Mở")
    dossier = period.dossiers.get(agency=world["justice"])
    assert not CriterionScore.objects.filter(dossier=dossier, criterion__code="2.5").exists()  # no model yet

    model = registered(world, name="Dân vận khéo trong trợ giúp pháp lý")
    score = CriterionScore.objects.get(dossier=dossier, criterion__code="2.5")
    assert (score.self_raw, score.is_automatic) == ("co_dang_ky", True)
    other = period.dossiers.get(agency=world["health"])
    assert not CriterionScore.objects.filter(dossier=other, criterion__code="2.5").exists()

    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.SUBMITTED)  # submitted: kept as sent
    recognise(world, model, level=DvkLevel.PROVINCE)
    score.refresh_from_db()
    assert score.self_raw == "co_dang_ky"
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.DRAFT)
    recognise(world, model, level=DvkLevel.NATIONAL, number="12-QĐ/TW")
    score.refresh_from_db()
    assert (score.self_raw, score.self_points) == ("hieu_qua", 6)
