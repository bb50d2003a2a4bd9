"""The steering committee's draft QCDC report: the figures summed over the units' submitted reports
and each unit's texts, read back as a user reads them — the PDF with poppler (pdftotext), the Word
file with python-docx — in the Decree 30 layout with the province's QCDC texts and signer once
entered; who may download it."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from plans import services
from plans.models import Deliverable, DeliverableType, ReportForm
from portal.models import Role
from reports.models import DocumentSigner, DocumentTexts
from reports.selectors import default_texts
from tests.factories import (
    AgencyFactory,
    AgencyGroupFactory,
    PlanFactory,
    ProvinceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def figures(**changes) -> dict[str, str]:
    values = {code: "1" for code, _l, kind, _u in services.DEFAULT_FIELDS if kind == "number"}
    values.update(results="", shortcomings="Chưa có.", proposals="Không.")
    values.update(changes)
    return values


@pytest.fixture
def reports():
    province = ProvinceFactory(code="tay-ninh", name="Tây Ninh", place_name="Tây Ninh")
    group = AgencyGroupFactory(province=province, code="khoi-so")

    def agency(code, name):
        return AgencyFactory(province=province, code=code, version__name=name, version__group=group,
                             version__valid_from=dt.date(2019, 1, 1))  # fmt: skip

    units = {
        "tp": agency("so-tu-phap", "Sở Tư pháp"),
        "yt": agency("so-y-te", "Sở Y tế"),
        "xd": agency("so-xay-dung", "Sở Xây dựng"),
        "ct": agency("so-cong-thuong", "Sở Công Thương"),
    }
    plan = PlanFactory(province=province, year=YEAR, program="qcdc")
    deliverable_type = DeliverableType.objects.create(
        plan=plan, code="qcdc_6_months", title=f"Báo cáo QCDC 6 tháng {YEAR}", due_on=dt.date(YEAR, 6, 15)
    )
    deliverable_type.groups.set([group])
    services.report_form_create(deliverable_type=deliverable_type, kind=ReportForm.Kind.SIX_MONTHS)
    services.plan_issue(plan=plan)
    d = {key: Deliverable.objects.get(type=deliverable_type, agency=a) for key, a in units.items()}
    people = {key: UserFactory(agency=a, roles=[Role.AGENCY_STAFF]) for key, a in units.items()}
    tz = timezone.get_current_timezone()
    services.report_entry_submit(deliverable=d["tp"], by=people["tp"], raw=figures(
        citizens_received="1.250", petitions_received="40", petitions_resolved="38", dialogues_held="4",
        results="Tổ chức đối thoại với Nhân dân về thủ tục hộ tịch.\nSửa đổi quy chế dân chủ của Sở.",
    ))  # fmt: skip
    services.report_entry_submit(deliverable=d["yt"], by=people["yt"], raw=figures(
        citizens_received="375", petitions_received="12", petitions_resolved="12", dialogues_held="2",
        results="Công khai giá dịch vụ khám bệnh tại các bệnh viện.",
    ))  # fmt: skip
    Deliverable.objects.filter(pk=d["yt"].pk).update(submitted_at=dt.datetime(YEAR, 6, 10, 9, tzinfo=tz))
    # Sở Xây dựng's draft is its own: neither summed nor quoted; Sở Công Thương sent nothing.
    services.report_entry_save(deliverable=d["xd"], by=people["xd"],
                               raw={"citizens_received": "9000", "results": "Bản nháp bí mật"})  # fmt: skip
    steering = UserFactory(username="bcd.tn", agency=None, province=province, roles=[Role.STEERING_COMMITTEE])
    reviewer = UserFactory(agency=agency("so-noi-vu", "Sở Nội vụ"), roles=[Role.REVIEWER])
    return {"province": province, "type": deliverable_type, "steering": steering, "reviewer": reviewer,
            "staff": people["tp"]}  # fmt: skip


def pdf_text(content: bytes, tmp_path, layout: bool = False) -> str:
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(content)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_the_committee_downloads_the_pdf_with_the_summed_figures(reports, client, tmp_path):
    client.force_login(reports["steering"])
    response = client.get(reverse("reports:qcdc_summary", args=[reports["type"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content), tmp_path, layout=True)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "BAN CHỈ ĐẠO THỰC HIỆN" in text and "Số: …/BC-BCĐ" in text
    assert "Kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm" in text
    assert "DỰ THẢO" in text
    # 1.250 + 375 citizens; 40 + 12 petitions received, 38 + 12 resolved; 4 + 2 dialogues.
    assert "6 Lượt công dân được tiếp lượt 1.625" in lines
    assert any(line.startswith("7 Đơn khiếu nại, tố cáo, kiến nghị, phản ánh đã tiếp nhận đơn 52") for line in lines)
    assert any(line.startswith("8 Đơn khiếu nại, tố cáo, kiến nghị, phản ánh đã giải quyết đơn 50") for line in lines)
    assert "5 Hội nghị đối thoại, tiếp xúc trực tiếp với Nhân dân cuộc 6" in lines
    assert "9.000" not in text and "10.625" not in text and "Bản nháp bí mật" not in text
    flat = " ".join(text.split())
    assert "tổng hợp báo cáo của 2/4 cơ quan, đơn vị" in flat
    assert "Sở Tư pháp: Tổ chức đối thoại với Nhân dân về thủ tục hộ tịch." in flat
    assert "Sở Y tế: Công khai giá dịch vụ khám bệnh tại các bệnh viện." in flat
    assert "Gửi chậm so với thời hạn: Sở Tư pháp." in flat
    assert "Chưa gửi báo cáo: Sở Công Thương, Sở Xây dựng." in flat
    assert "TM. BAN CHỈ ĐẠO" in text and "TRƯỞNG BAN" in text


def test_the_word_file_says_the_same_with_the_provinces_qcdc_texts_and_signer(reports, client):
    province = reports["province"]
    texts = default_texts(province, "qcdc", YEAR)
    texts.update(department_parent="TỈNH ỦY TÂY NINH", department_name="BAN CHỈ ĐẠO THỰC HIỆN\nDÂN CHỦ Ở CƠ SỞ TỈNH",
                 summary_symbol="BC/BCĐ", summary_recipients="Ban Dân vận Trung ương (b/c);\nLưu: VT.")  # fmt: skip
    DocumentTexts.objects.create(province=province, program="qcdc", valid_from_year=YEAR, **texts)
    DocumentSigner.objects.create(province=province, program="qcdc", kind="summary", valid_from_year=YEAR,
                                  authority="TM. BAN CHỈ ĐẠO", title="PHÓ TRƯỞNG BAN", name="Nguyễn Văn Trung")  # fmt: skip
    client.force_login(reports["reviewer"])
    response = client.get(reverse("reports:qcdc_summary", args=[reports["type"].pk]), {"format": "docx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    header, figures_table, closing = doc.tables
    left = [line for p in header.rows[0].cells[0].paragraphs for line in p.text.split("\n") if line.strip()]
    assert left == ["TỈNH ỦY TÂY NINH", "BAN CHỈ ĐẠO THỰC HIỆN", "DÂN CHỦ Ở CƠ SỞ TỈNH", "Số: …/BC/BCĐ"]
    rows = {row.cells[1].text: row.cells[3].text for row in figures_table.rows[1:]}
    assert rows["Lượt công dân được tiếp"] == "1.625"
    assert rows["Đơn khiếu nại, tố cáo, kiến nghị, phản ánh đã giải quyết"] == "50"
    assert [c.text for c in figures_table.rows[0].cells] == ["STT", "Nội dung", "Đơn vị tính", "Số lượng"]
    body = [p.text for p in doc.paragraphs if p.text.strip()]
    assert "III. HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN" in body
    assert "Sở Tư pháp: Tổ chức đối thoại với Nhân dân về thủ tục hộ tịch." in body
    signature = closing.rows[0].cells[1].text
    assert "PHÓ TRƯỞNG BAN" in signature and "Nguyễn Văn Trung" in signature
    assert "Ban Dân vận Trung ương (b/c)" in closing.rows[0].cells[0].text


def test_who_may_download_the_draft_report(reports, client):
    url = reverse("reports:qcdc_summary", args=[reports["type"].pk])
    client.force_login(reports["staff"])
    assert client.get(url).status_code == 404
    foreign = UserFactory(agency=None, province=ProvinceFactory(code="khac"), roles=[Role.STEERING_COMMITTEE])
    client.force_login(foreign)
    assert client.get(url).status_code == 404
    leader = UserFactory(agency=AgencyFactory(province=reports["province"], code="ubnd-tinh"), roles=[Role.LEADER])
    client.force_login(leader)
    assert client.get(url).status_code == 403  # reads the collection, does not draft the report
