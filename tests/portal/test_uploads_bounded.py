"""Uploads bounded before they are parsed: the one workbook opener, the zip checks, polyglots, and
the headers downloads carry. Through the pages: tests/scoring/test_uploads_bounded.py."""

import io
import zipfile
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.demo import demo_pdf
from portal.downloads import content_disposition
from portal.spreadsheets import WorkbookRefused, open_uploaded_workbook
from portal.uploads import check_upload, stored_content_type
from tests.portal.xlsx_files import measured, numbered_rows, same_rows, workbook


def refusal(content: bytes) -> str:
    with pytest.raises(WorkbookRefused) as refused, open_uploaded_workbook(content) as book:
        for _row in book.rows("Tự chấm"):
            pass
    return refused.value.messages[0]


def test_the_50_kb_workbook_of_300000_rows_is_refused_at_once_and_in_little_memory():
    bomb = workbook(same_rows(300_000))
    assert len(bomb) < 100_000
    message, elapsed, peak = measured(lambda: refusal(bomb))
    assert "bom zip" in message and "tối đa 100 lần" in message
    assert elapsed < 1
    assert peak < 5 * 1024 * 1024  # the upload itself was 710 MB of rows


def test_rows_past_the_cap_are_refused_while_reading_although_the_dimension_says_ten():
    content = workbook(numbered_rows(300_000), dimension="A1:H10")  # expands only ~10×
    message, elapsed, peak = measured(lambda: refusal(content))
    assert message == "Một trang tính của bảng tính có hơn 20.000 dòng; chỉ chấp nhận tối đa 20.000 dòng."
    assert elapsed < 5
    assert peak < 20 * 1024 * 1024


def test_a_dimension_past_the_caps_is_refused():
    assert "20.000 dòng" in refusal(workbook(numbered_rows(3), dimension="A1:H1048576"))
    assert "200 cột" in refusal(workbook(numbered_rows(3), dimension="A1:ZZ3"))


def test_columns_past_the_cap_are_refused_by_reference_and_by_count():
    far = '<row r="1"><c r="ZZ1"><v>1</v></c></row>'
    many = '<row r="1">' + "<c><v>1</v></c>" * 201 + "</row>"
    assert "hơn 200 cột" in refusal(workbook(far))
    assert "hơn 200 cột" in refusal(workbook(many))


def test_the_caps_are_settings(settings):
    settings.UPLOAD_XLSX_MAX_ROWS = 5
    assert "hơn 5 dòng" in refusal(workbook(numbered_rows(6)))
    with open_uploaded_workbook(workbook(numbered_rows(5), dimension="A1:A5")) as book:
        assert [row[0].value for row in book.rows("Tự chấm")] == [1, 2, 3, 4, 5]
    settings.UPLOAD_XLSX_MAX_SECONDS = 0
    assert "vượt quá 0 giây" in refusal(workbook(numbered_rows(5)))


def test_too_many_xml_elements_are_refused_before_openpyxl_loads_them(settings):
    settings.UPLOAD_XLSX_MAX_ELEMENTS = 1000
    strings = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "<si><t>a</t></si>" * 600
    message = refusal(workbook(numbered_rows(2), extra={"xl/sharedStrings.xml": strings + "</sst>"}))
    assert message == "Bảng tính chứa quá nhiều nội dung (hơn 1.000 phần tử XML); hãy chia thành các tệp nhỏ hơn."


def test_a_workbook_not_starting_as_a_zip_is_refused():
    message = refusal(b"<html><body>hi</body></html>" + workbook(numbered_rows(2)))
    assert message == "Tệp không phải là tệp .xlsx thật (nội dung tệp không bắt đầu đúng như loại tệp này)."
    assert "không phải là tệp .xlsx thật" in refusal(b"PK\x03\x04 not really a zip")


def test_nested_archives_doctypes_and_too_many_parts_are_refused(settings):
    inner = workbook(numbered_rows(1))
    assert "chứa một tệp nén khác" in refusal(workbook(numbered_rows(1), extra={"xl/media/image1.png": inner}))
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><sst xmlns="x">&lol;</sst>'
    assert refusal(workbook(numbered_rows(1), extra={"xl/sharedStrings.xml": laughs})) == (
        "Không đọc được tệp dưới dạng bảng tính Excel (.xlsx)."
    )
    settings.UPLOAD_ZIP_MAX_MEMBERS = 5
    assert refusal(workbook(numbered_rows(1), extra={"docProps/app.xml": "<a/>"})) == (
        "Tệp gồm 6 thành phần; chỉ chấp nhận tối đa 5 thành phần."
    )


def flag_encrypted(content: bytes, member: str) -> bytes:
    """Sets the 'encrypted' bit of a member in the central directory (zipfile cannot write one)."""
    data = bytearray(content)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length] == member.encode():
            data[at + 8] |= 0x01
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(member)


def test_an_encrypted_part_is_refused():
    content = flag_encrypted(workbook(numbered_rows(1)), "xl/worksheets/sheet1.xml")
    assert refusal(content) == (
        "Tệp được đặt mật khẩu hoặc đã mã hóa; hãy lưu lại tệp không đặt mật khẩu rồi tải lên lại."
    )


def test_a_normal_workbook_reads_with_cell_references():
    with open_uploaded_workbook(workbook(numbered_rows(3, columns=2))) as book:
        rows = list(book.rows("Tự chấm", min_row=2, max_col=4))
    assert [[c.value for c in row] for row in rows] == [[2, 2, None, None], [3, 3, None, None]]
    assert [c.coordinate for c in rows[0]] == ["A2", "B2", "C2", "D2"]


# --- uploads kept as evidence or deliverables -----------------------------------------------------


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


HTML = "Phần đầu tệp chứa mã trang web (HTML hoặc script); không chấp nhận loại tệp này."
NOT_ACCEPTED = "không phải loại văn bản được chấp nhận"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.docx", b"<html><script>alert(1)</script></html>\n" + docx_bytes(), HTML),
        ("bao-cao.docx", b"<!DOCTYPE html><p>x</p>" + docx_bytes(), HTML),
        ("bao-cao.docx", b"JUNK" * 64 + docx_bytes(), NOT_ACCEPTED),
        ("bao-cao.pdf", b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF", HTML),
        ("bao-cao.pdf", b"%PDF-1.4\n%<SVG onload=alert(1)>\n%%EOF", HTML),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"<iframe src=x>", HTML),
        ("bao-cao.pdf", b"  %PDF-1.4\n%%EOF", NOT_ACCEPTED),
    ],
)
def test_polyglots_and_files_with_bytes_before_their_signature_are_refused(name, content, message):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    assert message in refused.value.messages[0]


def test_honest_documents_pass_and_an_encrypted_docx_does_not():
    assert check_upload(upload("bao-cao.docx", docx_bytes())).kind == "docx"
    assert check_upload(upload("bao-cao.pdf", demo_pdf("Bao cao"))).kind == "pdf"
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("bao-cao.docx", flag_encrypted(docx_bytes(), "word/document.xml")))
    assert "đặt mật khẩu hoặc đã mã hóa" in refused.value.messages[0]


def test_a_stored_file_is_served_as_its_content_not_its_name():
    assert stored_content_type(io.BytesIO(demo_pdf("x")), "a.pdf") == "application/pdf"
    assert stored_content_type(io.BytesIO(docx_bytes()), "a.docx") == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    # stored before today's checks: HTML named .pdf, a zip named .pdf
    assert stored_content_type(io.BytesIO(b"%PDF-1.4 <script>x</script>"), "a.pdf") == "application/octet-stream"
    assert stored_content_type(io.BytesIO(docx_bytes()), "a.pdf") == "application/octet-stream"


def test_download_names_follow_rfc_6266_with_an_ascii_fallback():
    header = content_disposition('Báo cáo "quý" 3;\r\nđợt 2.pdf')
    assert "\r" not in header and "\n" not in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "Bao cao _quy_ 3_dot 2.pdf"
    assert header.startswith('attachment; filename="')
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == "Báo cáo _quý_ 3_đợt 2.pdf"
