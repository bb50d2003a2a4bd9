"""The units' "Dân vận khéo" models: registering, progress with evidence, review, recognition by
level, keeping and replicating; who sees what; the registry (search without diacritics, filters,
counts, Excel read back by LibreOffice); criterion 2.5 and the bonus fed from the registry."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from plans import selectors, services
from plans.models import DvkField, DvkLevel, DvkModel, DvkProgress, DvkRecognition
from portal.models import AgencyKind, Role
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory
from tests.helpers import xlsx_to_csv_rows

YEAR = timezone.localdate().year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def data(name: str = "Dân vận khéo trong cải cách thủ tục hành chính", **changes) -> services.DvkModelData:
    values = {
        "year": YEAR,
        "name": name,
        "field": DvkField.ADMIN_REFORM,
        "goal": "Giảm thời gian giải quyết hồ sơ",
        "lead": "Giám đốc Sở",
        "participants": "Công chức bộ phận một cửa",
        "starts_on": dt.date(YEAR, 1, 15),
        "ends_on": dt.date(YEAR, 12, 15),
        "expected_result": "100% hồ sơ đúng hạn",
        **changes,
    }
    return services.DvkModelData(**values)


def registered(world, *, agency=None, by=None, approve=True, **changes) -> DvkModel:
    model = services.dvk_model_save(agency=agency or world["justice"], data=data(**changes), by=by or world["staff"])
    services.dvk_model_submit(model=model, by=by or world["staff"])
    if approve:
        services.dvk_model_review(model=model, approve=True, comment="", by=world["reviewer"])
    model.refresh_from_db()
    return model


def recognise(world, model, level=DvkLevel.PROVINCE, number="58-QĐ/BDVTU"):
    return services.dvk_model_recognise(
        model=model, level=level, decision_number=number, decision_date=dt.date(YEAR, 1, 20),
        issuer="Ban Dân vận Tỉnh ủy", by=world["reviewer"],
    )  # fmt: skip


def form_post(**changes) -> dict:
    values = {
        "year": str(YEAR),
        "name": "Dân vận khéo trong xây dựng nông thôn mới",
        "field": DvkField.NEW_COUNTRYSIDE,
        "goal": "Vận động hiến đất làm đường",
        "lead": "Chủ tịch UBND",
        "participants": "Các hội, đoàn thể",
        "starts_on": f"01/02/{YEAR}",
        "ends_on": f"30/11/{YEAR}",
        "expected_result": "5 km đường bê tông",
    }
    values.update(changes)
    return values


# --- register, progress, review, recognise, keep, replicate ----------------------------------------


def test_agency_registers_a_model_through_the_form(client, world):
    client.force_login(world["staff"])
    response = client.post(reverse("plans:dvk_create"), form_post())
    model = DvkModel.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:dvk_detail", args=[model.pk])
    assert (model.agency, model.status, model.year, model.field) == (
        world["justice"], DvkModel.Status.DRAFT, YEAR, DvkField.NEW_COUNTRYSIDE,
    )  # fmt: skip
    page = client.get(reverse("plans:dvk_detail", args=[model.pk])).content.decode()
    assert "Dân vận khéo trong xây dựng nông thôn mới" in page and "Vận động hiến đất làm đường" in page
    client.post(reverse("plans:dvk_submit", args=[model.pk]))
    model.refresh_from_db()
    assert model.status == DvkModel.Status.SUBMITTED and model.submitted_at is not None
    assert [h.history_change_reason for h in model.history.order_by("history_date")] == [
        "registered as a draft",
        "sent for review by canbo",
    ]


def test_bad_registration_keeps_what_was_typed_and_says_why_in_vietnamese(client, world):
    client.force_login(world["staff"])
    response = client.post(reverse("plans:dvk_create"), form_post(ends_on=f"01/01/{YEAR}", field=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chọn lĩnh vực." in page
    assert "Vận động hiến đất làm đường" in page  # nothing typed is lost
    assert not DvkModel.objects.exists()
    response = client.post(reverse("plans:dvk_create"), form_post(ends_on=f"01/01/{YEAR}"))
    assert response.status_code == 400 and "Thời gian kết thúc không được trước thời gian bắt đầu." in (
        response.content.decode()
    )
    assert not DvkModel.objects.exists()


def test_progress_with_evidence_is_checked_and_served_to_those_who_may_see(client, world):
    model = registered(world)
    client.force_login(world["staff"])
    url = reverse("plans:dvk_progress_add", args=[model.pk])
    disguised = SimpleUploadedFile("bao-cao.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(
        url, {"reported_on": f"01/06/{YEAR}", "text": "Đã giảm 30% thời gian", "document": disguised}
    )
    assert response.status_code == 400
    assert "mã trang web" in response.content.decode() and "Đã giảm 30% thời gian" in response.content.decode()
    assert not DvkProgress.objects.exists()
    good = SimpleUploadedFile("bao-cao-6-thang.pdf", PDF, "application/pdf")
    response = client.post(url, {"reported_on": f"01/06/{YEAR}", "text": "Đã giảm 30% thời gian", "document": good})
    assert response.status_code == 302
    progress = DvkProgress.objects.get()
    assert progress.document_name == "bao-cao-6-thang.pdf" and len(progress.document_sha256) == 64
    page = client.get(reverse("plans:dvk_detail", args=[model.pk])).content.decode()
    assert "Đã giảm 30% thời gian" in page and "bao-cao-6-thang.pdf" in page
    file_url = reverse("plans:dvk_progress_file", args=[progress.pk])
    assert b"".join(client.get(file_url).streaming_content) == PDF
    client.force_login(world["health_staff"])  # another unit: the model is not recognised yet
    assert client.get(file_url).status_code == 404


def test_reviewer_returns_then_accepts_and_the_unit_is_told(client, world):
    model = registered(world, approve=False)
    client.force_login(world["reviewer"])
    url = reverse("plans:dvk_review", args=[model.pk])
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 400 and "Nêu lý do trả lại mô hình." in response.content.decode()
    client.post(url, {"decision": "return", "comment": "Bổ sung chỉ tiêu cụ thể"})
    model.refresh_from_db()
    assert model.status == DvkModel.Status.RETURNED and model.review_comment == "Bổ sung chỉ tiêu cụ thể"
    assert world["staff"].notifications.filter(title__contains="trả lại").exists()
    services.dvk_model_save(
        agency=world["justice"], data=data(goal="Giảm 30% thời gian"), by=world["staff"], model=model
    )
    services.dvk_model_submit(model=model, by=world["staff"])
    client.post(url, {"decision": "approve", "comment": ""})
    model.refresh_from_db()
    assert model.status == DvkModel.Status.APPROVED and model.reviewed_by == world["reviewer"]


def test_recognition_by_level_keeps_the_highest_and_each_decision(client, world):
    model = registered(world)
    client.force_login(world["reviewer"])
    url = reverse("plans:dvk_recognise", args=[model.pk])
    response = client.post(url, {"level": "province", "decision_number": "", "decision_date": "", "issuer": "BDV"})
    assert response.status_code == 400
    assert "Nhập số quyết định." in response.content.decode()
    client.post(url, {"level": "district", "decision_number": "12/QĐ-UBND", "decision_date": f"10/01/{YEAR}",
                      "issuer": "UBND huyện"})  # fmt: skip
    client.post(url, {"level": "province", "decision_number": "58-QĐ/BDVTU", "decision_date": f"20/01/{YEAR}",
                      "issuer": "Ban Dân vận Tỉnh ủy"})  # fmt: skip
    model.refresh_from_db()
    assert model.level == DvkLevel.PROVINCE
    assert list(model.recognitions.values_list("level", "decision_number")) == [
        ("district", "12/QĐ-UBND"), ("province", "58-QĐ/BDVTU"),
    ]  # fmt: skip
    page = client.get(reverse("plans:dvk_detail", args=[model.pk])).content.decode()
    assert "58-QĐ/BDVTU, 20/01/" in page and "Cấp tỉnh" in page


def test_superior_unit_reviews_and_recognises_up_to_the_district_level(client, world):
    district = AgencyFactory(province=world["province"], code="ubnd-huyen", version__name="UBND huyện Bến Cầu",
                             version__kind=AgencyKind.UBND_HUYEN)  # fmt: skip
    commune = AgencyFactory(province=world["province"], code="xa-an-thanh", version__name="UBND xã An Thạnh",
                            version__kind=AgencyKind.UBND_XA, version__parent=district)  # fmt: skip
    commune_staff = UserFactory(agency=commune, roles=[Role.AGENCY_STAFF])
    district_staff = UserFactory(agency=district, roles=[Role.AGENCY_STAFF])
    model = registered(world, agency=commune, by=commune_staff, approve=False)
    client.force_login(district_staff)
    client.post(reverse("plans:dvk_review", args=[model.pk]), {"decision": "approve", "comment": ""})
    model.refresh_from_db()
    assert model.status == DvkModel.Status.APPROVED
    url = reverse("plans:dvk_recognise", args=[model.pk])
    refused = client.post(url, {"level": "province", "decision_number": "1/QĐ", "decision_date": f"10/01/{YEAR}",
                                "issuer": "UBND huyện"})  # fmt: skip
    assert refused.status_code == 400 and not DvkRecognition.objects.exists()
    client.post(url, {"level": "district", "decision_number": "1/QĐ", "decision_date": f"10/01/{YEAR}",
                      "issuer": "UBND huyện"})  # fmt: skip
    model.refresh_from_db()
    assert model.level == DvkLevel.DISTRICT


def test_model_kept_into_next_year_and_replicated_by_another_unit(client, world):
    model = registered(world)
    recognise(world, model)
    client.force_login(world["staff"])
    response = client.post(reverse("plans:dvk_carry", args=[model.pk]))
    kept = DvkModel.objects.get(carried_from=model)
    assert response["Location"] == reverse("plans:dvk_detail", args=[kept.pk])
    assert (kept.year, kept.status, kept.name) == (YEAR + 1, DvkModel.Status.DRAFT, model.name)
    client.post(reverse("plans:dvk_carry", args=[model.pk]))  # twice: still one copy
    assert DvkModel.objects.filter(carried_from=model).count() == 1
    client.force_login(world["health_staff"])
    page = client.get(reverse("plans:dvk_detail", args=[model.pk])).content.decode()
    assert "Nhân rộng mô hình này tại đơn vị tôi" in page
    form = client.get(reverse("plans:dvk_create") + f"?nhan-rong={model.pk}").content.decode()
    assert model.name in form and "Sở Tư pháp" in form
    client.post(reverse("plans:dvk_create") + f"?nhan-rong={model.pk}", form_post(name=model.name))
    copy = DvkModel.objects.get(agency=world["health"])
    assert copy.replicated_from == model
    assert selectors.dvk_model_detail(pk=model.pk).replication_count == 1


# --- access --------------------------------------------------------------------------------------


def test_another_agencys_draft_is_404_and_forbidden_posts_change_nothing(client, world):
    draft = services.dvk_model_save(agency=world["justice"], data=data(), by=world["staff"])
    client.force_login(world["health_staff"])
    assert client.get(reverse("plans:dvk_detail", args=[draft.pk])).status_code == 404
    for name in ("dvk_edit", "dvk_submit", "dvk_carry", "dvk_progress_add", "dvk_review", "dvk_recognise"):
        assert client.post(reverse(f"plans:{name}", args=[draft.pk]), form_post()).status_code == 404, name
    client.force_login(world["reviewer"])  # a draft is the unit's own until it is sent
    assert client.get(reverse("plans:dvk_detail", args=[draft.pk])).status_code == 404
    under_way = registered(world, name="Mô hình đang thực hiện")
    client.force_login(world["staff"])  # the unit itself may not review or recognise its model
    before = list(DvkModel.history.values_list("pk", flat=True))
    assert client.post(reverse("plans:dvk_recognise", args=[under_way.pk]), {"level": "province"}).status_code == 403
    client.force_login(world["leader"])  # leaders read
    assert client.get(reverse("plans:dvk_detail", args=[under_way.pk])).status_code == 200
    assert client.post(reverse("plans:dvk_review", args=[under_way.pk]), {"decision": "return"}).status_code == 403
    assert list(DvkModel.history.values_list("pk", flat=True)) == before
    assert not DvkRecognition.objects.exists()
    draft.refresh_from_db()
    assert draft.status == DvkModel.Status.DRAFT and draft.name == data().name


def test_other_units_see_recognised_models_only_and_other_provinces_nothing(client, world):
    under_way = registered(world, name="Mô hình chưa công nhận")
    recognised = registered(world, name="Mô hình được công nhận")
    recognise(world, recognised)
    other_province = ProvinceFactory(code="long-an", name="Long An")
    stranger = UserFactory(agency=AgencyFactory(province=other_province), roles=[Role.REVIEWER])
    client.force_login(world["health_staff"])
    page = client.get(reverse("plans:dvk_registry")).content.decode()
    assert "Mô hình được công nhận" in page and "Mô hình chưa công nhận" not in page
    assert client.get(reverse("plans:dvk_detail", args=[under_way.pk])).status_code == 404
    client.force_login(world["reviewer"])
    page = client.get(reverse("plans:dvk_registry")).content.decode()
    assert "Mô hình được công nhận" in page and "Mô hình chưa công nhận" in page
    client.force_login(stranger)
    page = client.get(reverse("plans:dvk_registry")).content.decode()
    assert names_in(page) == [] and "Không có mô hình nào phù hợp." in page
    assert client.get(reverse("plans:dvk_detail", args=[recognised.pk])).status_code == 404


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


def names_in(page: str) -> list[str]:
    table = page.split('id="dvk-registry"')[1].split("</table>")[0]
    return [m.name for m in DvkModel.objects.order_by("name") if m.name in table]


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
