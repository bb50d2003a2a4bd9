"""The province's document texts and signers: edited by its administrator in the admin, printed in
every year-end document, in correct Vietnamese (read back with poppler)."""

import re
import subprocess

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.demo import DEMO_USERS
from portal.models import User
from reports import pdf, selectors
from reports.models import DocumentSigner, DocumentTexts
from scoring.models import ScoringPeriod

pytestmark = pytest.mark.django_db
CHAIRMAN = DEMO_USERS["lanhdao.tinh"][0]


def text_of(kind, period, dossier=None, tmp_path=None, layout=False) -> str:
    path = tmp_path / f"{kind}-{period.year}.pdf"
    path.write_bytes(pdf.render_pdf(kind, pdf.document_context(kind, period, dossier)))
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return text if layout else " ".join(text.split())


@pytest.fixture
def periods(demo_db):
    return {p.year: p for p in ScoringPeriod.objects.filter(program="dvcq")}


@pytest.fixture
def province_admin(demo_db, client):
    """The demo's administrator: the province's, staff by the role, not a superuser."""
    user = User.objects.get(username="quantri")
    assert user.is_staff and not user.is_superuser
    client.force_login(user)
    return client


def form_data(response) -> dict:
    form = response.context["adminform"].form
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def test_texts_and_signer_edited_by_the_province_admin_are_printed(province_admin, periods, tmp_path):
    texts = DocumentTexts.objects.get(province=periods[2021].province, valid_from_year=2019)
    address = reverse("admin:reports_documenttexts_change", args=[texts.pk])
    data = form_data(province_admin.get(address))
    data["legal_bases"] += "\nCăn cứ Nghị quyết số 25/NQ-HĐND ngày 08 tháng 12 năm {year} của Hội đồng nhân dân tỉnh"
    data["decision_recipients"] = data["decision_recipients"].replace("Lưu: VT, SNV.", "Sở Tư pháp\nLưu: VT, SNV, TH")
    assert province_admin.post(address, data).status_code == 302
    assert texts.history.count() == 2 and texts.history.first().history_user.username == "quantri"
    signer = {"province": texts.province_id, "program": "dvcq", "kind": "decision", "valid_from_year": 2021,
              "authority": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Trần Thị Thu"}  # fmt: skip
    assert province_admin.post(reverse("admin:reports_documentsigner_add"), signer).status_code == 302

    decision = text_of("decision", periods[2021], tmp_path=tmp_path)
    assert "Căn cứ Nghị quyết số 25/NQ-HĐND ngày 08 tháng 12 năm 2021 của Hội đồng nhân dân tỉnh;" in decision
    assert "- Sở Tư pháp; - Lưu: VT, SNV, TH." in decision
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Thị Thu" in decision
    # The year before keeps its own signer.
    earlier = text_of("decision", periods[2020], tmp_path=tmp_path)
    assert f"CHỦ TỊCH {CHAIRMAN}" in earlier and "Trần Thị Thu" not in earlier


def test_the_decision_names_the_years_signer_the_demos_chairman(periods, tmp_path):
    assert User.objects.get(username="lanhdao.tinh").full_name == CHAIRMAN
    for year in (2019, 2020, 2021):
        signature = pdf.document_context("decision", periods[year])["paper"]["signer"]
        assert signature == {"lines": ["CHỦ TỊCH"], "name": CHAIRMAN}, year
    assert f"Lưu: VT, SNV. CHỦ TỊCH {CHAIRMAN}" in text_of("decision", periods[2021], tmp_path=tmp_path)


def test_a_new_years_texts_leave_the_earlier_years_as_they_were(province_admin, periods):
    add = reverse("admin:reports_documenttexts_add")
    data = form_data(province_admin.get(add))
    latest = DocumentTexts.objects.filter(province=periods[2021].province).first()
    assert data["legal_bases"] == latest.legal_bases  # a new version starts from the latest one
    data.update(valid_from_year=2021, legal_bases="Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
                "Căn cứ Kế hoạch số 12/KH-UBND ngày 05 tháng 01 năm {year} của Ủy ban nhân dân tỉnh;")  # fmt: skip
    assert province_admin.post(add, data).status_code == 302
    bases = {year: pdf.document_context("decision", periods[year])["paper"]["legal_bases"] for year in (2020, 2021)}
    assert bases[2021][1] == "Căn cứ Kế hoạch số 12/KH-UBND ngày 05 tháng 01 năm 2021 của Ủy ban nhân dân tỉnh;"
    assert bases[2020][1].startswith("Căn cứ Quyết định số 731/QĐ-UBND ngày 26 tháng 3 năm 2019")


def test_a_placeholder_the_documents_cannot_fill_is_refused(province_admin, periods):
    texts = DocumentTexts.objects.get(province=periods[2021].province, valid_from_year=2019)
    address = reverse("admin:reports_documenttexts_change", args=[texts.pk])
    data = form_data(province_admin.get(address))
    data["legal_bases"] = "Căn cứ Quyết định số {so_quyet_dinh};"
    response = province_admin.post(address, data)
    assert response.status_code == 200 and "legal_bases" in response.context["adminform"].form.errors
    texts.refresh_from_db()
    assert "{so_quyet_dinh}" not in texts.legal_bases


def test_proposal_in_correct_vietnamese(periods, tmp_path):
    text = text_of("proposal", periods[2021], tmp_path=tmp_path)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Tây Ninh." in text
    assert "Tỉnh tây ninh" not in text
    assert "Nơi nhận: - Như trên; - Ban Dân vận Tỉnh ủy; - Lưu: VT, XDCQ. GIÁM ĐỐC Lê Văn Phúc" in text
    assert "(Kèm theo Tờ trình số 245/TTr-SNV ngày 10 tháng 12 năm 2021 của Sở Nội vụ)" in text


def test_decision_appendix_dated_as_officials_write_it(periods, tmp_path):
    text = text_of("decision", periods[2021], tmp_path=tmp_path)
    assert "(Kèm theo Quyết định số 3120/QĐ-UBND ngày 15 tháng 12 năm 2021 của Chủ tịch Ủy ban nhân dân tỉnh)" in text
    note = pdf.document_context("decision", periods[timezone.localdate().year])["paper"]["appendix_note"]
    assert note == "Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Chủ tịch Ủy ban nhân dân tỉnh"


def test_summary_carries_a_full_signature_block(periods, tmp_path):
    text = text_of("summary", periods[2021], tmp_path=tmp_path)
    assert "Số: …/BC-SNV" in text
    assert "Nơi nhận: - UBND tỉnh; - Ban Dân vận Tỉnh ủy; - Lưu: VT, XDCQ. GIÁM ĐỐC Lê Văn Phúc" in text


def test_score_sheet_signature_and_recipients(periods, tmp_path):
    dossier = periods[2021].dossiers.get(agency__code="so-tu-phap")
    text = text_of("scoresheet", periods[2021], dossier, tmp_path=tmp_path)
    assert f"Số: {dossier.pk:03d}/PĐ-SNV" in text
    assert "Nơi nhận: - Sở Tư pháp; - Lưu: VT, XDCQ. KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Nguyễn Thanh Sơn" in text
    assert "Điểm thưởng +3,00 Điểm trừ 0,00 Tổng điểm 94,12 Tốt, xếp hạng 1" in text


def test_score_sheet_has_no_internal_codes_or_english(periods, tmp_path):
    # The steps come from scoring/explain.py (the co-scorers' step once printed "so-noi-vu: 12,9 (average)").
    dossier = periods[2021].dossiers.get(agency__code="so-tu-phap")
    text = text_of("scoresheet", periods[2021], dossier, tmp_path=tmp_path)
    for word in ("so-noi-vu", "vp-ubnd", "average", "median", "min", "max"):
        assert not re.search(rf"\b{word}\b", text), word


NUMBER = re.compile(r"^\d+,\d{2}$")


def test_one_number_format_per_column_with_the_sets_decimals(periods):
    period = periods[2021]
    assert period.criteria_set.rounding == 2
    rows = [row for group in selectors.decision_context(period)["groups"] for row in group["rows"]]
    for row in rows:
        assert all(NUMBER.match(row[c]) for c in ("self", "appraised", "total")), row
        assert re.match(r"^([+−]\d+,\d{2}|0,00)$", row["adjustment"]), row
    sheet = selectors.scoresheet_context(period.dossiers.get(agency__code="so-tu-phap"))
    for row in sheet["rows"]:
        assert all(NUMBER.match(row[c]) or row[c] == "—" for c in ("max", "self", "appraised", "final")), row


def test_not_classified_is_translated_and_documents_are_always_vietnamese(periods):
    period = periods[2021]
    with translation.override("en"):
        assert ("", "Not classified", 1) in selectors.band_counts(period)
        context = pdf.document_context("decision", period)
    assert ("Không xếp loại", 1) in context["counts"]
    assert any(row["band"] == "Không xếp loại" for group in context["groups"] for row in group["rows"])


def test_no_inline_style_in_the_pdf_templates(periods):
    dossier = periods[2021].dossiers.get(agency__code="so-tu-phap")
    for kind, template in pdf.TEMPLATES.items():
        html = render_to_string(template, pdf.document_context(kind, periods[2021], dossier))
        assert "style=" not in html.replace("<style>", ""), kind


def test_a_province_without_texts_prints_the_defaults(periods):
    period = periods[2021]
    DocumentTexts.objects.filter(province=period.province).delete()
    DocumentSigner.objects.filter(province=period.province).delete()
    paper = pdf.document_context("proposal", period)["paper"]
    assert paper["addressee"] == "Ủy ban nhân dân tỉnh Tây Ninh"
    assert paper["issuer_lines"] == ["SỞ NỘI VỤ"] and paper["parent"] == "UBND TỈNH TÂY NINH"
    assert paper["signer"] == {"lines": ["GIÁM ĐỐC"], "name": ""}
