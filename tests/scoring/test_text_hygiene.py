"""Text people type is stored NFC, without control characters, within length limits; numbers are
ASCII digits (the Vietnamese decimal comma keeps working). Through the cell saves, forms and the
Excel import."""

import html
import io
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scoring import services
from scoring.models import AppraisalMark, CriterionScore, Phase
from tests.scoring.cycle_helpers import criterion, fill_complete

HX = {"HTTP_HX_REQUEST": "true"}
NOTE_NFD = unicodedata.normalize("NFD", "Đã quán triệt tại hội nghị ngày 15/3")


def save_cell(client, dossier, code, **fields):
    c = criterion(dossier, code)
    version = CriterionScore.objects.filter(dossier=dossier, criterion=c).values_list("version", flat=True).first()
    data = {f"v_{c.pk}": str(version or 0)}
    names = {"raw": "raw", "note": "note", "why": "why"}
    data.update({f"{names[k]}_{c.pk}": v for k, v in fields.items()})
    return client.post(reverse("scoring:self_cell", args=[dossier.pk, c.pk]), data, **HX)


def stored(dossier, code) -> CriterionScore | None:
    return CriterionScore.objects.filter(dossier=dossier, criterion=criterion(dossier, code)).first()


def test_a_note_is_stored_nfc_without_control_characters(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    assert NOTE_NFD != unicodedata.normalize("NFC", NOTE_NFD)
    response = save_cell(client, dossier, "2.2", raw="3", note=f"  {NOTE_NFD}\x00\x07\r\ndòng 2\t ")
    assert response.status_code == 200
    assert stored(dossier, "2.2").note == "Đã quán triệt tại hội nghị ngày 15/3\ndòng 2"


def test_a_too_long_note_is_refused_in_vietnamese_and_the_typed_text_kept(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    save_cell(client, dossier, "2.2", raw="3", note="Ghi chú cũ")
    typed = "Nội dung rất dài " * 120  # 2,040 characters
    response = save_cell(client, dossier, "2.2", raw="3", note=typed)
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert "Ghi chú quá dài: tối đa 2.000 ký tự (hiện có 2.039). Hãy rút gọn rồi lưu lại." in page
    assert typed.strip() in page  # still in the box
    assert stored(dossier, "2.2").note == "Ghi chú cũ"


def test_the_length_is_counted_after_nfc(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    composed = "ệ" * 2000
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) == 6000
    assert save_cell(client, dossier, "2.2", raw="3", why=decomposed).status_code == 200
    assert stored(dossier, "2.2").no_evidence_reason == composed


@pytest.mark.parametrize("raw", ["٣", "５", "３,５", "৩"])
def test_marks_in_other_scripts_digits_are_refused(client, cycle, raw):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    response = save_cell(client, dossier, "2.2", raw=raw)
    assert response.status_code == 422
    assert "chỉ nhập chữ số 0–9" in html.unescape(response.content.decode())
    assert stored(dossier, "2.2") is None or stored(dossier, "2.2").self_raw == ""


def test_the_vietnamese_decimal_comma_still_works(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    assert save_cell(client, dossier, "1.1", raw="8,5").status_code == 200
    assert save_cell(client, dossier, "2.2", raw="3,5").status_code == 200
    assert (stored(dossier, "1.1").self_raw, str(stored(dossier, "1.1").self_points)) == ("8.5", "1.28")
    assert stored(dossier, "2.2").self_raw == "3.5"


def test_appraisal_comment_limit_and_digits(client, cycle):
    people = cycle["people"]
    dossier = cycle["dossiers"]["so-tu-phap"]
    fill_complete(dossier, people["staff"])
    services.dossier_submit(dossier=dossier, by=people["head"])
    services.period_set_phase(period=cycle["period"], phase=Phase.APPRAISAL, by=people["reviewer"], reason="Hết hạn")
    client.force_login(people["reviewer"])
    c = criterion(dossier, "2.2")
    url = reverse("scoring:mark_cell", args=[dossier.pk, c.pk])
    long_comment = "x" * 2001
    response = client.post(url, {f"mark_{c.pk}": "3", f"comment_{c.pk}": long_comment, f"mv_{c.pk}": "0"}, **HX)
    assert response.status_code == 422
    assert "Nhận xét quá dài: tối đa 2.000 ký tự (hiện có 2.001)" in response.content.decode()
    assert long_comment in response.content.decode()
    response = client.post(url, {f"mark_{c.pk}": "٣", f"comment_{c.pk}": "", f"mv_{c.pk}": "0"}, **HX)
    assert response.status_code == 422 and "chỉ nhập chữ số 0–9" in html.unescape(response.content.decode())
    assert not AppraisalMark.objects.filter(dossier=dossier, criterion=c).exists()
    response = client.post(url, {f"mark_{c.pk}": "3,5", f"comment_{c.pk}": NOTE_NFD, f"mv_{c.pk}": "0"}, **HX)
    assert response.status_code == 200
    saved = AppraisalMark.objects.get(dossier=dossier, criterion=c)
    assert (saved.raw, saved.comment) == ("3.5", unicodedata.normalize("NFC", NOTE_NFD))


def test_a_too_long_reason_through_a_form_gets_the_limit_in_vietnamese(client, cycle):
    people = cycle["people"]
    dossier = cycle["dossiers"]["so-tu-phap"]
    fill_complete(dossier, people["staff"])
    services.dossier_submit(dossier=dossier, by=people["head"])
    client.force_login(people["reviewer"])
    url = reverse("scoring:reopen", args=[dossier.pk])
    page = client.post(url, {"reason": "y" * 2001}, follow=True).content.decode()
    assert "Lý do quá dài: tối đa 2.000 ký tự (hiện có 2.001). Hãy rút gọn rồi lưu lại." in page
    dossier.refresh_from_db()
    assert dossier.is_locked
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Ghi rõ lý do mở lại hồ sơ." in page


def test_the_excel_import_refuses_other_digits_and_long_notes_cell_by_cell(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    wb = load_workbook(io.BytesIO(client.get(reverse("scoring:excel_download", args=[dossier.pk])).content))
    ws = wb["Tự chấm"]
    by_code = {str(r[0].value): r for r in ws.iter_rows(min_row=5) if r[0].value}
    by_code["2.2"][5].value = "３"
    by_code["2.3"][6].value = "z" * 2001
    by_code["5.2"][5].value = "4,5"
    by_code["5.2"][6].value = NOTE_NFD
    out = io.BytesIO()
    wb.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "phieu.xlsx"
    page = html.unescape(
        client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"file": upload}).content.decode()
    )
    assert f"Ô {by_code['2.2'][5].coordinate} (2.2): “３” không phải là số hợp lệ: chỉ nhập chữ số 0–9." in page
    assert f"Ô {by_code['2.3'][6].coordinate} (2.3): Ghi chú quá dài: tối đa 2.000 ký tự" in page
    assert "Tệp có lỗi; chưa lưu gì" in page
    assert not CriterionScore.objects.filter(dossier=dossier).exclude(is_automatic=True).exists()
