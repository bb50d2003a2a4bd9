"""Uploads bounded through the pages people use: the Excel import, evidence, the library import,
an oversized or chunked body; and every file download carrying the headers that keep it inert."""

import io
import pathlib
import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.demo import demo_pdf
from plans.models import Plan
from reports.models import GeneratedReport
from scoring import services
from scoring.models import CriterionScore, Evidence, Regulation
from tests.factories import DeliverableFactory, DeliverableTypeFactory, PlanFactory, UserFactory
from tests.portal.test_uploads_bounded import docx_bytes
from tests.portal.xlsx_files import measured, same_rows, workbook
from tests.scoring.cycle_helpers import criterion, fill_complete

HX = {"HTTP_HX_REQUEST": "true"}
TOO_LARGE = "Dữ liệu gửi lên quá lớn: mỗi lần chỉ được gửi tối đa"
BOUNDARY = "tep-ranh-gioi"


def multipart(name: str, content: bytes) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


@pytest.fixture
def evidence_url(client, cycle):
    """Sở Tư pháp's staff signed in; the address that attaches evidence to its criterion 2.2."""
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    return reverse("scoring:evidence_add", args=[dossier.pk, criterion(dossier, "2.2").pk])


def test_the_zip_bomb_is_refused_by_the_excel_import_quickly_in_little_memory_and_nothing_is_kept(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    bomb = io.BytesIO(workbook(same_rows(300_000)))
    bomb.name = "phieu.xlsx"
    before = list(CriterionScore.objects.filter(dossier=dossier).values_list("pk", "version"))
    upload = reverse("scoring:excel_upload", args=[dossier.pk])
    response, elapsed, peak = measured(lambda: client.post(upload, {"file": bomb}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "phình to" in page and "bom zip" in page and "tối đa 100 lần" in page
    assert "Tệp có lỗi; chưa lưu gì" in page
    assert elapsed < 5  # was 22 s
    assert peak < 30 * 1024 * 1024  # was 710 MB
    assert f"excel-upload-{dossier.pk}" not in client.session
    client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"apply": "1"})
    assert list(CriterionScore.objects.filter(dossier=dossier).values_list("pk", "version")) == before


def test_the_zip_bomb_is_refused_by_the_library_import_and_nothing_is_loaded(client, cycle):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, province=cycle["province"]))
    bomb = io.BytesIO(workbook(same_rows(300_000), sheet="Tiêu chí"))
    bomb.name = "quy-dinh.xlsx"
    before = Regulation.objects.count()
    page = client.post(
        reverse("admin:scoring_regulation_import"), {"province": cycle["province"].pk, "file": bomb}
    ).content.decode()
    assert "bom zip" in page
    assert Regulation.objects.count() == before


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(client, cycle, evidence_url, settings):
    dossier, url = cycle["dossiers"]["so-tu-phap"], evidence_url
    body = multipart("bien-ban.pdf", demo_pdf("x"))
    # The length announced is far above the limit; the test payload holds only a few hundred bytes
    # and fails the test if anyone tries to read past them: the refusal reads nothing.
    claimed = str(settings.UPLOAD_REQUEST_MAX_BYTES + 1)
    fragment = client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}", CONTENT_LENGTH=claimed, **HX
    )
    assert fragment.status_code == 413
    assert TOO_LARGE in fragment.content.decode() and "21,0\xa0MB" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()  # a fragment the page shows above the form
    page = client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}", CONTENT_LENGTH=claimed,
        HTTP_REFERER=f"http://testserver{reverse('scoring:dossier', args=[dossier.pk])}",
    )  # fmt: skip
    assert page.status_code == 413
    text = page.content.decode()
    assert TOO_LARGE in text and "những gì đã lưu trước đó vẫn giữ nguyên" in text
    assert f'href="http://testserver{reverse("scoring:dossier", args=[dossier.pk])}"' in text
    assert "Quay lại biểu mẫu" in text
    assert not dossier.evidence.exists()


def test_an_honest_body_over_the_limit_is_refused_and_one_under_it_is_kept(client, cycle, evidence_url, settings):
    settings.UPLOAD_REQUEST_MAX_BYTES = 20_000
    dossier, url = cycle["dossiers"]["so-tu-phap"], evidence_url
    big = demo_pdf("x" * 30_000)
    response = client.post(url, {"file": SimpleUploadedFile("lon.pdf", big)}, **HX)
    assert response.status_code == 413 and "19,5\xa0KB" in response.content.decode()
    assert not dossier.evidence.exists()
    assert client.post(url, {"file": SimpleUploadedFile("nho.pdf", demo_pdf("x"))}, **HX).status_code == 200
    assert dossier.evidence.get().file_name == "nho.pdf"


def chunked(client, url: str, body: bytes):
    """A body sent chunked, as gunicorn hands it on: no Content-Length, the input marked as ending."""
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True}, **HX,
    )  # fmt: skip


def test_a_chunked_body_is_cut_at_the_limit_by_the_upload_handler(client, cycle, evidence_url, settings):
    settings.UPLOAD_REQUEST_MAX_BYTES = 20_000
    dossier, url = cycle["dossiers"]["so-tu-phap"], evidence_url
    response = chunked(client, url, multipart("lon.pdf", demo_pdf("x" * 200_000)))
    assert response.status_code == 413 and TOO_LARGE in response.content.decode()
    assert not dossier.evidence.exists()
    assert chunked(client, url, multipart("nho.pdf", demo_pdf("x"))).status_code == 200
    assert dossier.evidence.get().file_name == "nho.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.docx", b"<html><body><script>alert(document.cookie)</script>" + docx_bytes(), "mã trang web"),
        ("bao-cao.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n", "mã trang web"),
        ("bao-cao.docx", b"MZ" + b"\x00" * 200 + docx_bytes(), "không phải loại văn bản được chấp nhận"),
    ],
)
def test_polyglot_evidence_is_refused_beside_the_cell(client, cycle, evidence_url, name, content, message):
    response = client.post(evidence_url, {"file": SimpleUploadedFile(name, content)}, **HX)
    assert response.status_code == 422 and message in response.content.decode()
    assert not cycle["dossiers"]["so-tu-phap"].evidence.exists()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def assert_inert_download(response, content_type: str, name: str) -> None:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    fallback, encoded = re.fullmatch(
        r'attachment; filename="([ -~]+)"; filename\*=UTF-8\'\'(\S+)', disposition
    ).groups()
    assert unquote(encoded) == name and fallback.isascii()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]


def test_every_file_download_is_an_inert_attachment(client, cycle):
    people, province, period = cycle["people"], cycle["province"], cycle["period"]
    dossier = cycle["dossiers"]["so-tu-phap"]
    c = criterion(dossier, "2.2")
    client.force_login(people["staff"])
    client.post(reverse("scoring:evidence_add", args=[dossier.pk, c.pk]), {"file": SimpleUploadedFile("Biên bản.pdf", demo_pdf("x"))}, **HX)  # fmt: skip
    evidence = dossier.evidence.get()
    assert_inert_download(
        client.get(reverse("scoring:evidence_file", args=[evidence.pk])), "application/pdf", "Biên bản.pdf"
    )
    # A file stored before today's checks (HTML named .pdf) is served as plain bytes.
    legacy = Evidence(dossier=dossier, criterion=c, kind=Evidence.Kind.FILE, file_name="cu.pdf", phase=period.phase)
    legacy.file.save("cu.pdf", ContentFile(b"%PDF-1.4\n<html><script>alert(1)</script>"), save=True)
    assert_inert_download(
        client.get(reverse("scoring:evidence_file", args=[legacy.pk])), "application/octet-stream", "cu.pdf"
    )
    assert_inert_download(
        client.get(reverse("scoring:excel_download", args=[dossier.pk])), XLSX, "tu-cham-2021-so-tu-phap.xlsx"
    )

    plan = PlanFactory(province=province, year=2021, status=Plan.Status.ISSUED)
    kind = DeliverableTypeFactory(plan=plan, title="Báo cáo năm")
    deliverable = DeliverableFactory(type=kind, agency=cycle["agency"]["so-tu-phap"])
    url = reverse("plans:deliverable_submit", args=[deliverable.pk])
    prefix = f"d{deliverable.pk}"
    client.post(url, {f"{prefix}-document": SimpleUploadedFile("bao-cao.docx", docx_bytes()),
                      f"{prefix}-so_ky_hieu": "12/BC-STP", f"{prefix}-document_date": "01/10/2021"})  # fmt: skip
    assert_inert_download(
        client.get(reverse("plans:deliverable_document", args=[deliverable.pk])), DOCX, "bao-cao.docx"
    )

    fill_complete(dossier, people["staff"])
    services.dossier_submit(dossier=dossier, by=people["head"])  # marks of a submitted dossier are readable
    client.force_login(people["leader"])
    report = GeneratedReport.objects.create(period=period, kind="decision", content_hash="a" * 64, state="done")
    report.file.save("qd.pdf", ContentFile(demo_pdf("Quyet dinh")))
    response = client.get(reverse("reports:report_file", args=[report.pk]))
    assert_inert_download(response, "application/pdf", f"{report.get_kind_display()} 2021.pdf")
    assert_inert_download(client.get(reverse("reports:ranking_xlsx", args=[period.pk])), XLSX, "xep-hang-2021.xlsx")
    assert_inert_download(client.get(reverse("reports:matrix_xlsx", args=[period.pk])), XLSX, "ma-tran-diem-2021.xlsx")
    client.force_login(people["reviewer"])
    response = client.get(reverse("plans:plan_matrix", args=[kind.plan.pk]), {"format": "xlsx"})
    assert_inert_download(response, XLSX, "theo-doi-2021.xlsx")

    client.force_login(UserFactory(is_staff=True, is_superuser=True, province=province))
    criteria_set = period.criteria_set
    name = f"{criteria_set.regulation.code}-{criteria_set.code}"
    for fmt, content_type in (("xlsx", XLSX), ("yaml", "application/yaml; charset=utf-8")):
        response = client.get(reverse("admin:scoring_regulation_export", args=[criteria_set.pk, fmt]))
        assert_inert_download(response, content_type, f"{name}.{fmt}")


def test_no_view_builds_a_download_without_the_shared_headers():
    """A new download must go through portal.downloads (the test above lists today's ones)."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("portal", "plans", "scoring", "reports"):
        for path in (root / app).rglob("*.py"):
            if path.name == "downloads.py" or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"FileResponse\(|Content-Disposition|as_attachment", text):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
