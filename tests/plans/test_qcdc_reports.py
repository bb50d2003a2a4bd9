"""Grassroots democracy (QCDC): the six-month report filled in as a form (draft, submit, Vietnamese
refusals that keep what was typed), who reads which report, the collection's statuses, figures and
totals; the exemplary collectives and individuals (nominate, recognise, who sees them, the registry
tab and the second sheet of the registry's Excel export, read back by LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from plans import selectors, services
from plans.models import Deliverable, DeliverableType, DvkField, DvkLevel, Exemplar, ReportEntry, ReportForm
from portal.models import Role
from tests.factories import ProvinceFactory, UserFactory
from tests.helpers import xlsx_resaved_by_libreoffice

YEAR = timezone.localdate().year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def figures(**changes) -> dict[str, str]:
    values = {code: "0" for code, _l, kind, _u in services.DEFAULT_FIELDS if kind == "number"}
    values.update(results="Đã quán triệt Luật Thực hiện dân chủ ở cơ sở.", shortcomings="Chưa có.", proposals="Không.")
    values.update(changes)
    return values


@pytest.fixture
def qcdc(world):
    """An issued QCDC plan whose six-month report is a form, due 15/06 (past for the year: Sở Tư pháp,
    Sở Y tế and Sở Nội vụ must report)."""
    from tests.factories import PlanFactory

    plan = PlanFactory(province=world["province"], year=YEAR, program="qcdc")
    deliverable_type = DeliverableType.objects.create(
        plan=plan, code="qcdc_6_months", title=f"Báo cáo QCDC 6 tháng {YEAR}", due_on=dt.date(YEAR, 1, 15)
    )
    deliverable_type.groups.set([world["group"]])
    form = services.report_form_create(deliverable_type=deliverable_type, kind=ReportForm.Kind.SIX_MONTHS)
    services.plan_issue(plan=plan)
    steering = UserFactory(username="bcd", agency=None, province=world["province"], roles=[Role.STEERING_COMMITTEE])
    deliverables = {
        d.agency.code: d for d in Deliverable.objects.filter(type=deliverable_type).select_related("agency")
    }
    return {**world, "plan": plan, "type": deliverable_type, "form": form, "d": deliverables, "steering": steering}


def test_the_shipped_form_asks_the_plans_figures_and_texts(qcdc):
    fields = list(qcdc["form"].fields.all())
    codes = [f.code for f in fields]
    assert codes[:2] == ["documents_issued", "regulations_issued"]
    assert {"dialogues_held", "citizens_received", "petitions_received", "petitions_resolved"} <= set(codes)
    assert [f.code for f in fields if not f.is_number] == ["results", "shortcomings", "proposals"]
    assert next(f for f in fields if f.code == "citizens_received").unit == "lượt"
    assert qcdc["form"].title == f"Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm {YEAR}"
    # Asked again, the same form.
    assert services.report_form_create(deliverable_type=qcdc["type"], kind="annual") == qcdc["form"]


def test_numbers_as_units_type_them():
    assert services.parse_number("12") == 12
    assert services.parse_number(" 1.250 ") == 1250
    assert services.parse_number("1 250") == 1250
    for bad in ("-3", "2,5", "mười", "12a", "1.25"):
        with pytest.raises(ValueError):
            services.parse_number(bad)


def test_a_draft_keeps_partial_values_and_submitting_needs_every_line(qcdc):
    deliverable = qcdc["d"]["so-tu-phap"]
    services.report_entry_save(deliverable=deliverable, raw={"citizens_received": "1.250", "results": "Đang làm"},
                               by=qcdc["staff"])  # fmt: skip
    entry = ReportEntry.objects.get(deliverable=deliverable)
    assert entry.values == {"citizens_received": "1250", "results": "Đang làm"}
    assert entry.submitted_values == {}
    deliverable.refresh_from_db()
    assert deliverable.submitted_at is None

    with pytest.raises(ValidationError) as refused:
        services.report_entry_submit(deliverable=deliverable, raw={"citizens_received": "12"}, by=qcdc["staff"])
    errors = refused.value.message_dict
    assert errors["dialogues_held"] == [_("Enter the figure (0 if there was none).")]
    assert errors["results"] == [_("Write this part of the report.")]
    assert "exemplars_commended" not in errors  # optional in the shipped form
    with pytest.raises(ValidationError) as refused:
        services.report_entry_save(deliverable=deliverable, raw={"dialogues_held": "ba"}, by=qcdc["staff"])
    assert refused.value.message_dict["dialogues_held"][0].startswith("“ba” ")
    assert ReportEntry.objects.get(deliverable=deliverable).values["citizens_received"] == "1250"  # unchanged

    services.report_entry_submit(deliverable=deliverable, raw=figures(citizens_received="40"), by=qcdc["staff"])
    deliverable.refresh_from_db()
    assert deliverable.is_submitted and deliverable.status_on(timezone.localdate()) == "late"
    assert deliverable.submitted_by == qcdc["staff"]
    assert ReportEntry.objects.get(deliverable=deliverable).submitted_values["citizens_received"] == "40"
    with pytest.raises(ValidationError):
        services.report_entry_save(deliverable=deliverable, raw=figures(), by=qcdc["staff"])
    # Returned by Sở Nội vụ: the unit may correct it and submit again.
    services.deliverable_review(deliverable=deliverable, accept=False, comment="Thiếu số liệu", by=qcdc["reviewer"])
    deliverable.refresh_from_db()
    assert qcdc["staff"].has_perm("plans.fill_qcdc_report", deliverable)
    services.report_entry_submit(deliverable=deliverable, raw=figures(citizens_received="41"), by=qcdc["staff"])


def test_an_upload_is_refused_for_a_report_filled_as_a_form(qcdc):
    with pytest.raises(
        ValidationError, match=re.escape(_("This report is filled in as a form on the portal, not uploaded."))
    ):
        services.deliverable_submit(
            deliverable=qcdc["d"]["so-tu-phap"], upload=SimpleUploadedFile("bc.pdf", PDF), so_ky_hieu="1/BC",
            document_date=dt.date(YEAR, 1, 10), by=qcdc["staff"],
        )  # fmt: skip


def test_who_fills_and_who_reads_a_report(qcdc):
    own, other = qcdc["d"]["so-tu-phap"], qcdc["d"]["so-y-te"]
    staff, health, reviewer, steering = qcdc["staff"], qcdc["health_staff"], qcdc["reviewer"], qcdc["steering"]
    assert staff.has_perm("plans.fill_qcdc_report", own)
    assert not staff.has_perm("plans.fill_qcdc_report", other)
    assert not reviewer.has_perm("plans.fill_qcdc_report", own)
    # A draft: its unit only.
    services.report_entry_save(deliverable=own, raw={"dialogues_held": "3"}, by=staff)
    own.refresh_from_db()
    assert staff.has_perm("plans.view_qcdc_report", own)
    for person in (health, reviewer, steering, qcdc["leader"]):
        assert not person.has_perm("plans.view_qcdc_report", own)
    services.report_entry_submit(deliverable=own, raw=figures(), by=staff)
    own.refresh_from_db()
    for person in (reviewer, steering, qcdc["leader"], staff):
        assert person.has_perm("plans.view_qcdc_report", own)
    assert not health.has_perm("plans.view_qcdc_report", own)
    assert not staff.has_perm("plans.fill_qcdc_report", own)
    # The collection and the draft report.
    plan = qcdc["plan"]
    assert steering.has_perm("plans.view_qcdc_collection", plan) and reviewer.has_perm(
        "plans.view_qcdc_collection", plan
    )
    assert not staff.has_perm("plans.view_qcdc_collection", plan)
    assert steering.has_perm("plans.download_qcdc_summary", plan) and reviewer.has_perm(
        "plans.download_qcdc_summary", plan
    )
    assert not qcdc["leader"].has_perm("plans.download_qcdc_summary", plan)
    foreign = UserFactory(
        username="bcd.khac", agency=None, province=ProvinceFactory(code="khac"), roles=[Role.STEERING_COMMITTEE]
    )
    assert not foreign.has_perm("plans.view_qcdc_collection", plan)
    assert not foreign.has_perm("plans.view_qcdc_report", own)


def test_the_collection_shows_statuses_figures_per_unit_and_the_totals(qcdc, client):
    services.report_entry_submit(deliverable=qcdc["d"]["so-tu-phap"], by=qcdc["staff"],
                                 raw=figures(citizens_received="1.200", petitions_received="35"))  # fmt: skip
    services.report_entry_submit(deliverable=qcdc["d"]["so-y-te"], by=qcdc["health_staff"],
                                 raw=figures(citizens_received="345", petitions_received="7"))  # fmt: skip
    Deliverable.objects.filter(pk=qcdc["d"]["so-y-te"].pk).update(
        submitted_at=timezone.make_aware(dt.datetime(YEAR, 1, 14, 9))
    )
    # Sở Nội vụ typed a draft: neither counted nor shown.
    services.report_entry_save(
        deliverable=qcdc["d"]["so-noi-vu"], raw={"citizens_received": "999"}, by=qcdc["reviewer"]
    )

    collection = selectors.qcdc_collection(deliverable_type=qcdc["type"], today=timezone.localdate())
    codes = [f.code for f in collection.number_fields]
    totals = dict(zip(codes, collection.totals, strict=True))
    assert totals["citizens_received"] == "1.545" and totals["petitions_received"] == "42"
    assert collection.counts == {"late": 1, "on_time": 1, "missing": 1}

    client.force_login(qcdc["steering"])
    page = client.get(reverse("plans:qcdc_collection")).content.decode()
    assert "2 of 3 units submitted" in page or "2/3" in page or "2 trên 3" in page
    assert "1.545" in page and "999" not in page
    assert reverse("reports:qcdc_summary", args=[qcdc["type"].pk]) in page
    client.force_login(qcdc["staff"])
    assert client.get(reverse("plans:qcdc_collection")).status_code == 403


def test_the_unit_fills_its_form_in_the_browser_and_keeps_what_it_typed(qcdc, client):
    deliverable = qcdc["d"]["so-tu-phap"]
    url = reverse("plans:qcdc_report", args=[deliverable.pk])
    client.force_login(qcdc["staff"])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"action": "submit", "citizens_received": "mười hai", "results": "Kết quả tốt"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "is not a figure" in page or "không phải là số" in page
    assert 'value="mười hai"' in page and "Kết quả tốt" in page  # nothing typed lost
    saved = client.post(url, {"action": "save", "citizens_received": "12", "results": "Kết quả tốt"})
    assert saved.status_code == 302
    assert ReportEntry.objects.get(deliverable=deliverable).values == {
        "citizens_received": "12",
        "results": "Kết quả tốt",
    }
    assert client.post(url, {"action": "submit", **figures(citizens_received="12")}).status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.submitted_at is not None
    # Another unit's report answers 404; Sở Nội vụ reads the submitted one.
    client.force_login(qcdc["health_staff"])
    assert client.get(url).status_code == 404
    client.force_login(qcdc["reviewer"])
    assert "Đã quán triệt Luật Thực hiện dân chủ ở cơ sở." in client.get(url).content.decode()
    assert client.post(url, {"action": "save"}).status_code == 403


# --- exemplars -------------------------------------------------------------------------------------


def nominate(world, name="Phòng Tiếp công dân", agency=None, by=None, **changes) -> Exemplar:
    data = services.ExemplarData(**{"year": YEAR, "name": name, "kind": "collective", "field": DvkField.BUILDING,
                                    "achievements": "Giải quyết dứt điểm kiến nghị", **changes})  # fmt: skip
    return services.exemplar_nominate(agency=agency or world["justice"], data=data, by=by or world["staff"])


def test_exemplars_are_nominated_recognised_and_seen_by_the_right_people(world):
    exemplar = nominate(world)
    assert exemplar.province_id == world["province"].pk and exemplar.history.count() == 1
    with pytest.raises(ValidationError) as refused:
        nominate(world, name="", kind="group", field="sport")
    assert set(refused.value.message_dict) == {"name", "kind", "field"}
    health = world["health_staff"]
    assert world["staff"].has_perm("plans.view_exemplar", exemplar)
    assert not health.has_perm("plans.view_exemplar", exemplar)
    assert world["reviewer"].has_perm("plans.recognise_exemplar", exemplar)
    assert not world["staff"].has_perm("plans.recognise_exemplar", exemplar)
    with pytest.raises(ValidationError) as refused:
        services.exemplar_recognise(exemplar=exemplar, level="galaxy", decision_number="", decision_date=None,
                                    by=world["reviewer"])  # fmt: skip
    assert set(refused.value.message_dict) == {"level", "decision_number", "decision_date"}
    services.exemplar_recognise(exemplar=exemplar, level=DvkLevel.PROVINCE, decision_number="245/QĐ-SNV",
                                decision_date=dt.date(YEAR, 1, 2), by=world["reviewer"])  # fmt: skip
    exemplar.refresh_from_db()
    assert exemplar.is_recognised and exemplar.history.count() == 2
    assert health.has_perm("plans.view_exemplar", exemplar)
    assert not world["reviewer"].has_perm("plans.recognise_exemplar", exemplar)
    assert set(selectors.exemplars_visible_to(health)) == {exemplar}


def test_the_registry_tab_filters_exemplars_and_the_export_has_their_sheet(world, client, tmp_path):
    recognised = nominate(world, name="Bà Nguyễn Thị Hồng", kind="individual", field=DvkField.ADMIN_REFORM)
    services.exemplar_recognise(exemplar=recognised, level=DvkLevel.PROVINCE, decision_number="245/QĐ-SNV",
                                decision_date=dt.date(YEAR, 1, 2), by=world["reviewer"])  # fmt: skip
    nominate(world, name="Ban Thanh tra nhân dân", agency=world["health"], by=world["health_staff"])
    client.force_login(world["reviewer"])
    page = client.get(reverse("plans:exemplar_list"), {"kind": "individual"}).content.decode()
    assert "Bà Nguyễn Thị Hồng" in page and "Ban Thanh tra nhân dân" not in page
    page = client.get(reverse("plans:exemplar_list"), {"q": "thanh tra nhan dan"}).content.decode()
    assert "Ban Thanh tra nhân dân" in page and "Bà Nguyễn Thị Hồng" not in page
    assert reverse("plans:exemplar_list") in client.get(reverse("plans:dvk_registry")).content.decode()

    response = client.get(reverse("plans:dvk_registry"), {"format": "xlsx"})
    path = tmp_path / "so-dang-ky.xlsx"
    path.write_bytes(response.content)
    book = load_workbook(xlsx_resaved_by_libreoffice(path, tmp_path))
    assert book.sheetnames == ["Mô hình", "Gương điển hình"]
    sheet = book["Gương điển hình"]
    assert sheet.cell(row=1, column=1).value == "Danh sách gương điển hình tiên tiến"
    assert [c.value for c in sheet[3]][:6] == [
        "STT",
        "Năm",
        "Tập thể, cá nhân",
        "Tập thể/cá nhân",
        "Lĩnh vực",
        "Đơn vị đề xuất",
    ]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert set(rows) == {"Bà Nguyễn Thị Hồng", "Ban Thanh tra nhân dân"}
    assert rows["Bà Nguyễn Thị Hồng"][7] == "Cấp tỉnh" and rows["Bà Nguyễn Thị Hồng"][8] == "245/QĐ-SNV"
    assert rows["Bà Nguyễn Thị Hồng"][9] == f"02/01/{YEAR}" and rows["Bà Nguyễn Thị Hồng"][1] == YEAR
    assert rows["Ban Thanh tra nhân dân"][7] == "Chưa công nhận"
    # The exemplar tab's own export filters both sheets the same way.
    filtered = client.get(reverse("plans:exemplar_list"), {"format": "xlsx", "q": "thanh tra"})
    sheet = load_workbook(io.BytesIO(filtered.content))["Gương điển hình"]
    assert [r[2] for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]] == ["Ban Thanh tra nhân dân"]
    # A unit sees recognised exemplars and its own nominations only.
    client.force_login(world["staff"])
    listed = client.get(reverse("plans:exemplar_list")).content.decode()
    assert "Bà Nguyễn Thị Hồng" in listed and "Ban Thanh tra nhân dân" not in listed


def test_a_unit_nominates_with_evidence_and_sod_noi_vu_recognises_through_the_pages(world, client):
    client.force_login(world["staff"])
    refused = client.post(reverse("plans:exemplar_create"), {"year": str(YEAR), "name": "Tổ hòa giải ấp 3"})
    assert refused.status_code == 400 and "Tổ hòa giải ấp 3" in refused.content.decode()
    response = client.post(reverse("plans:exemplar_create"), {
        "year": str(YEAR), "name": "Tổ hòa giải ấp 3", "kind": "collective", "field": DvkField.NEW_COUNTRYSIDE,
        "achievements": "Hòa giải thành 30 vụ việc", "evidence": SimpleUploadedFile("thanh-tich.pdf", PDF),
    })  # fmt: skip
    exemplar = Exemplar.objects.get(name="Tổ hòa giải ấp 3")
    assert response.status_code == 302 and exemplar.evidence_name == "thanh-tich.pdf"
    assert client.get(reverse("plans:exemplar_file", args=[exemplar.pk])).status_code == 200
    client.force_login(world["health_staff"])
    assert client.get(reverse("plans:exemplar_detail", args=[exemplar.pk])).status_code == 404
    client.force_login(world["reviewer"])
    url = reverse("plans:exemplar_detail", args=[exemplar.pk])
    assert (
        client.post(
            url, {"level": "province", "decision_number": "12/QĐ-SNV", "decision_date": "31/02/2026"}
        ).status_code
        == 400
    )
    assert client.post(url, {"level": "province", "decision_number": "12/QĐ-SNV",
                             "decision_date": f"02/01/{YEAR}"}).status_code == 302  # fmt: skip
    exemplar.refresh_from_db()
    assert exemplar.level == "province" and exemplar.decision_number == "12/QĐ-SNV"
    client.force_login(world["health_staff"])
    assert "12/QĐ-SNV" in client.get(url).content.decode()


def test_the_demo_collects_the_six_month_report_and_has_exemplars(demo_province):
    six_months = DeliverableType.objects.get(plan__province=demo_province, plan__year=YEAR, code="qcdc_6_months")
    collection = selectors.qcdc_collection(deliverable_type=six_months, today=timezone.localdate())
    assert collection.counts.get("late") == 2
    assert collection.counts.get("missing") == 3  # Sở Tư pháp's among them: the walkthrough fills it
    assert collection.submitted == collection.expected - 3
    assert Exemplar.objects.filter(province=demo_province, year=YEAR).exclude(level="").count() == 2
    assert Exemplar.objects.filter(province=demo_province, year=YEAR, level="").count() == 2
    # Idempotent.
    from plans import demo_qcdc

    demo_qcdc.load(demo_province)
    assert Exemplar.objects.filter(province=demo_province).count() == 4
    again = selectors.qcdc_collection(deliverable_type=six_months, today=timezone.localdate())
    assert again.counts == collection.counts and again.totals == collection.totals
