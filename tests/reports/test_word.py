"""The decision and the proposal as Word files (.docx): read back with python-docx, as a records
clerk's Word would open them — same texts, table rows and signer as the PDF, in Decree 30's layout."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from portal.models import User
from reports import pdf, services, word
from reports.models import DocumentSigner, GeneratedReport
from scoring.models import ScoringPeriod
from scoring.selectors import ranking

pytestmark = pytest.mark.django_db


@pytest.fixture
def period_2021(demo_db):
    return ScoringPeriod.objects.get(year=2021)


def docx_of(kind, period, dossier=None) -> Document:
    return Document(io.BytesIO(word.render_docx(kind, pdf.document_context(kind, period, dossier))))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def cell_lines(cell) -> list[str]:
    return [line for p in cell.paragraphs for line in p.text.split("\n") if line.strip()]


def test_decision_reads_back_with_the_header_articles_appendix_and_signer(period_2021):
    signer = DocumentSigner.objects.filter(province=period_2021.province, kind="decision").latest("valid_from_year")
    doc = docx_of("decision", period_2021)
    header, closing, appendix = doc.tables
    left, right = header.rows[0].cells
    assert cell_lines(left) == ["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH", "Số: 3120/QĐ-UBND"]
    assert cell_lines(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tây Ninh, ngày 15 tháng 12 năm 2021",
    ]
    assert all(run.bold for run in left.paragraphs[0].runs)  # the issuing body in bold
    motto = right.paragraphs[1].runs[0]
    assert motto.bold and motto.underline
    assert right.paragraphs[2].runs[0].italic

    body = texts(doc)
    assert body[:2] == [
        "QUYẾT ĐỊNH",
        "Về việc công nhận kết quả đánh giá, xếp loại\ncông tác dân vận chính quyền năm 2021",
    ]
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TÂY NINH" in body
    assert any(t.startswith("Căn cứ Quyết định số 1743/QĐ-UBND ngày 02 tháng 8 năm 2021") for t in body)
    assert any(t.startswith("Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 245/TTr-SNV") for t in body)
    assert "QUYẾT ĐỊNH:" in body
    article_1 = next(p for p in doc.paragraphs if p.text.startswith("Điều 1."))
    assert article_1.runs[0].text == "Điều 1." and article_1.runs[0].bold
    assert "đối với 44 cơ quan, đơn vị" in article_1.text
    assert any(t.startswith("Điều 3.") and t.endswith("./.") for t in body)

    recipients, signature = closing.rows[0].cells
    assert cell_lines(recipients)[0] == "Nơi nhận:" and cell_lines(recipients)[-1] == "- Lưu: VT, SNV."
    assert cell_lines(signature) == [*[line.upper() for line in signer.authority.splitlines() if line.strip()],
                                     signer.title, signer.name]  # fmt: skip

    # The appendix: "Phụ lục", its table with the header row repeated on every page, one row per
    # group (merged across) and per agency, in the ranking's order.
    assert "Phụ lục" in body and "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM 2021" in body
    assert [c.text for c in appendix.rows[0].cells] == [
        "STT", "Cơ quan, đơn vị", "Tự chấm", "Thẩm định", "Thưởng/Trừ", "Tổng", "Xếp loại", "Xếp hạng",
    ]  # fmt: skip
    assert appendix.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    groups = ranking(period_2021)
    assert len(appendix.rows) == 1 + len(groups) + sum(len(rows) for _g, rows in groups)
    names = [row.cells[1].text for row in appendix.rows[1:] if row.cells[0].text.isdigit()]
    assert names == [r.dossier.agency_version.name for _g, rows in groups for r in rows]
    justice = next(row for row in appendix.rows if row.cells[1].text == "Sở Tư pháp")
    result = period_2021.dossiers.get(agency__code="so-tu-phap").result
    assert justice.cells[5].text == f"{result.total:.2f}".replace(".", ",")


def test_decision_page_layout_follows_decree_30(period_2021):
    doc = docx_of("decision", period_2021)
    first, appendix = doc.sections
    assert first.orientation == WD_ORIENT.PORTRAIT and round(first.page_width.mm) == 210
    assert (round(first.left_margin.mm), round(first.right_margin.mm)) == (30, 15)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE and round(appendix.page_width.mm) == 297
    # The page number is a field centred in the header, not on the first page.
    assert first.different_first_page_header_footer and not appendix.different_first_page_header_footer
    assert "PAGE" in first.header.paragraphs[0]._p.xml
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Times New Roman"
    article = next(p for p in doc.paragraphs if p.text.startswith("Điều 2."))
    assert article.paragraph_format.first_line_indent == Mm(12.7)
    assert doc.core_properties.title == "Quyết định 3120/QĐ-UBND"


def test_proposal_reads_back_with_its_addressee_and_signer(period_2021):
    doc = docx_of("proposal", period_2021)
    body = texts(doc)
    assert body[0] == "TỜ TRÌNH"
    assert "Kính gửi: Ủy ban nhân dân tỉnh Tây Ninh." in body
    left = doc.tables[0].rows[0].cells[0]
    assert cell_lines(left) == ["UBND TỈNH TÂY NINH", "SỞ NỘI VỤ", "Số: 245/TTr-SNV"]
    assert cell_lines(doc.tables[1].rows[0].cells[1])[0] == "GIÁM ĐỐC"
    assert "(Kèm theo Tờ trình số 245/TTr-SNV ngày 10 tháng 12 năm 2021 của Sở Nội vụ)" in body


def test_a_draft_says_so_in_red(demo_db):
    doc = docx_of("decision", ScoringPeriod.objects.get(year=timezone.localdate().year, program="dvcq"))
    label = doc.paragraphs[0]
    assert label.text == "DỰ THẢO — chưa có kết quả chính thức"
    assert label.runs[0].font.color.rgb is not None


def test_every_document_template_converts(period_2021):
    """The score sheet and the summary are not offered in Word yet; their templates convert, so
    offering them is one line (word.DOCX_KINDS)."""
    dossier = period_2021.dossiers.get(agency__code="so-tu-phap")
    sheet = docx_of("scoresheet", period_2021, dossier)
    assert "PHIẾU ĐIỂM" in texts(sheet) and sheet.tables[1].rows[1].cells[0].text == "1"
    assert any(t.startswith("1. ") for t in texts(sheet))  # the steps, numbered
    assert "BÁO CÁO" in texts(docx_of("summary", period_2021))


def test_markup_the_writer_does_not_know_is_refused():
    with pytest.raises(word.UnknownMarkup):
        word.html_to_docx("<html><body><div class='marquee'>x</div></body></html>")
    with pytest.raises(word.UnknownMarkup):
        word.html_to_docx("<html><body><p>a <img src='x.png'></p></body></html>")


def test_the_job_stores_a_word_file_for_the_decision_only(period_2021, django_capture_on_commit_callbacks):
    dossier = period_2021.dossiers.get(agency__code="so-tu-phap")
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.report_request(period=period_2021, kind="decision", by=None)
        sheet = services.report_request(period=period_2021, kind="scoresheet", dossier=dossier, by=None)
    decision.refresh_from_db()
    sheet.refresh_from_db()
    assert decision.state == sheet.state == GeneratedReport.State.DONE
    assert decision.docx.name.endswith(".docx") and not sheet.docx
    client = Client()
    client.force_login(User.objects.get(username="lanhdao.tinh"))
    response = client.get(reverse("reports:report_docx", args=[decision.pk]))
    assert response["Content-Type"] == word.DOCX_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert texts(doc)[0] == "QUYẾT ĐỊNH"
    assert client.get(reverse("reports:report_docx", args=[sheet.pk])).status_code == 404
    status = client.get(reverse("reports:report_status", args=[decision.pk])).content.decode()
    assert reverse("reports:report_docx", args=[decision.pk]) in status
    assert reverse("reports:report_view", args=[decision.pk]) in status
