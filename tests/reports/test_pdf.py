"""The year-end documents, read back with poppler as any PDF reader would."""

import subprocess

import pytest
from django.utils import timezone

from reports import pdf, services
from reports.models import DocumentSigner, GeneratedReport
from scoring.models import Dossier, ScoringPeriod
from scoring.selectors import ranking

pytestmark = pytest.mark.django_db


def render(kind, period, dossier=None, tmp_path=None):
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf.render_pdf(kind, pdf.document_context(kind, period, dossier)))
    return path


def text_of(path, first=None, last=None, layout=False) -> str:
    args = ["pdftotext"] + (["-layout"] if layout else []) + (["-f", str(first), "-l", str(last)] if first else [])
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_sizes(path) -> list[tuple[float, float]]:
    from reports.management.commands.render_report_preview import page_sizes as sizes

    return sizes(path)


@pytest.fixture
def period_2021(demo_db):
    return ScoringPeriod.objects.get(year=2021)


def test_decision_is_a4_with_embedded_liberation_serif(period_2021, tmp_path):
    path = render("decision", period_2021, tmp_path=tmp_path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all("Liberation-Serif" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts)  # emb column
    assert not any("DejaVu" in line for line in fonts)


def test_decision_header_and_body_read_back_in_vietnamese(period_2021, tmp_path):
    path = render("decision", period_2021, tmp_path=tmp_path)
    first = text_of(path, 1, 1)
    for phrase in [
        "ỦY BAN NHÂN DÂN",
        "TỈNH TÂY NINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 3120/QĐ-UBND",
        "Tây Ninh, ngày 15 tháng 12 năm 2021",
        "QUYẾT ĐỊNH",
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 245/TTr-SNV",
        "Nơi nhận:",
        "Lưu: VT, SNV.",
    ]:
        assert phrase in first, phrase
    assert "DỰ THẢO" not in text_of(path)


def test_every_agency_name_is_in_the_appendix_with_diacritics(period_2021, tmp_path):
    path = render("decision", period_2021, tmp_path=tmp_path)
    text = " ".join(text_of(path).split())
    names = {row.dossier.agency_version.name for _g, rows in ranking(period_2021) for row in rows}
    assert len(names) == Dossier.objects.filter(period=period_2021).count()
    for name in names:
        assert name in text, name
    assert "Ủy ban nhân dân thị xã Hòa Thành" in text


def test_page_one_has_no_number_and_the_appendix_is_landscape(period_2021, tmp_path):
    path = render("decision", period_2021, tmp_path=tmp_path)
    sizes = page_sizes(path)
    assert sizes[0][0] < sizes[0][1]  # page 1 portrait
    assert any(w > h for w, h in sizes[1:])  # the appendix is landscape
    first_lines = [line.strip() for line in text_of(path, 1, 1, layout=True).splitlines() if line.strip()]
    assert first_lines[0] != "1"
    second = [line.strip() for line in text_of(path, 2, 2, layout=True).splitlines() if line.strip()]
    assert second[0] == "2"
    # The header row of the table repeats on every appendix page.
    for page in range(2, len(sizes) + 1):
        assert "Cơ quan, đơn vị" in text_of(path, page, page)


def test_draft_watermark_until_final(demo_db, tmp_path):
    open_period = ScoringPeriod.objects.get(year=timezone.localdate().year, program="dvcq")
    assert "DỰ THẢO — chưa có kết quả chính thức" in text_of(render("decision", open_period, tmp_path=tmp_path))


def test_score_sheet_and_summary(period_2021, tmp_path):
    dossier = period_2021.dossiers.get(agency__code="so-tu-phap")
    sheet = " ".join(text_of(render("scoresheet", period_2021, dossier, tmp_path)).split())
    assert "PHIẾU ĐIỂM" in sheet and "Sở Tư pháp" in sheet
    assert f"Tổng điểm {str(dossier.result.total).replace('.', ',').rstrip('0').rstrip(',')}" in sheet
    summary = " ".join(text_of(render("summary", period_2021, tmp_path=tmp_path)).split())
    assert "BÁO CÁO" in summary and "KẾT QUẢ THỰC HIỆN CHỈ TIÊU" in summary
    assert "Cơ quan, đơn vị được xếp loại Tốt" in summary


def test_generation_is_stored_and_reused_until_the_data_changes(period_2021, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_request(period=period_2021, kind="decision", by=None)
    first.refresh_from_db()
    assert (first.state, first.progress) == (GeneratedReport.State.DONE, 100)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_request(period=period_2021, kind="decision", by=None)
    assert again.pk == first.pk
    signer = DocumentSigner.objects.get(province=period_2021.province, kind="decision", valid_from_year=2019)
    DocumentSigner.objects.filter(pk=signer.pk).update(name="Trần Văn Bình")
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.report_request(period=period_2021, kind="decision", by=None)
    assert changed.pk != first.pk
    DocumentSigner.objects.filter(pk=signer.pk).update(name=signer.name)
