"""The self-assessment grid as an official uses it (issue 13): numbers come back as typed ("8,5")
with their unit, a refused save says why and never "Đã lưu", the deadline and ONE list of what is
missing linked to its rows, a confirmed submission ending with a receipt (page, e-mail, PDF), and a
criterion declared not applicable that the reviewer accepts or refuses."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from scoring import services
from scoring.models import CriterionScore, Dossier, Phase
from scoring.models.cycle import NAStatus, SubmissionReceipt
from scoring.services.not_applicable import not_applicable_decide
from tests.scoring.cycle_helpers import criterion, fill_complete

HX = {"HTTP_HX_REQUEST": "true"}


def post_cell(client, dossier, code, raw, version=None):
    c = criterion(dossier, code)
    if version is None:
        version = CriterionScore.objects.filter(dossier=dossier, criterion=c).values_list("version", flat=True).first()
    data = {f"raw_{c.pk}": raw, f"v_{c.pk}": str(version or 0)}
    return client.post(reverse("scoring:self_cell", args=[dossier.pk, c.pk]), data, **HX)


def box_value(page: str, dossier, code: str) -> str:
    c = criterion(dossier, code)
    match = re.search(rf'<input[^>]*id="raw-{c.pk}"[^>]*value="([^"]*)"', page)
    assert match, f"no score box for {code}"
    return match.group(1)


def test_decimal_comma_comes_back_as_typed_with_its_unit(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    response = post_cell(client, dossier, "2.2", "3,5")  # points in a range, step 0,5
    assert response.status_code == 200
    assert box_value(response.content.decode(), dossier, "2.2") == "3,5"
    assert CriterionScore.objects.get(dossier=dossier, criterion__code="2.2").self_raw == "3.5"  # stored canonical
    post_cell(client, dossier, "1.1", "87,5")  # a percentage
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert box_value(page, dossier, "2.2") == "3,5"
    assert box_value(page, dossier, "1.1") == "87,5"
    assert "3.5" not in re.sub(r'value="\d+"', "", page.split('id="grid"')[1].split("</table>")[0])
    row_11 = page.split('id="row-1.1"')[1].split("</tr>")[0]
    assert '<span class="input-group-text unit">%</span>' in row_11
    row_12 = page.split('id="row-1.2"')[1].split("</tr>")[0]
    assert '<span class="input-group-text unit">trường hợp</span>' in row_12
    row_22 = page.split('id="row-2.2"')[1].split("</tr>")[0]
    assert '<span class="input-group-text unit">điểm</span>' in row_22


def test_a_save_shows_the_time_it_was_saved_and_the_last_save_of_the_page(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert "chưa lưu lần nào" in page
    page = post_cell(client, dossier, "2.2", "3").content.decode()
    saved = CriterionScore.objects.get(dossier=dossier, criterion__code="2.2").updated_at
    from django.utils import timezone

    hhmm = timezone.localtime(saved).strftime("%H:%M")
    assert f'<span class="text-success saved-flag">Đã lưu lúc {hhmm}</span>' in page
    assert f'<span id="last-saved" hx-swap-oob="true">đã lưu lúc {hhmm}' in page
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert f"đã lưu lúc {hhmm}" in page


def test_a_change_from_a_page_opened_before_the_head_submitted_is_refused_with_the_reason(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    fill_complete(dossier, people["staff"])
    version = CriterionScore.objects.get(dossier=dossier, criterion__code="2.2").version
    services.dossier_submit(dossier=dossier, by=people["head"])
    client.force_login(people["staff"])
    response = post_cell(client, dossier, "2.2", "2,5", version=version)
    page = response.content.decode()
    assert response.status_code == 403
    assert response["X-Cell-Refusal"] == "1"
    assert "Hồ sơ đã được" in page and "nộp lúc" in page and "đã bị khóa" in page
    assert "Thay đổi của bạn chưa được lưu; giá trị vẫn còn trong ô." in page
    assert box_value(page, dossier, "2.2") == "2,5"  # what was typed, kept
    assert "Đã lưu" not in page
    assert CriterionScore.objects.get(dossier=dossier, criterion__code="2.2").self_raw == "4"


def test_a_change_after_self_assessment_closed_says_so(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    period = cycle["period"]
    client.force_login(cycle["people"]["staff"])
    post_cell(client, dossier, "2.2", "3")
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=cycle["people"]["reviewer"], reason="Hết hạn")
    response = post_cell(client, dossier, "2.2", "1,5")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Đã hết thời gian tự chấm" in page and "Đã lưu" not in page
    assert box_value(page, dossier, "2.2") == "1,5"


def test_a_stale_save_is_refused_beside_the_cell_without_saved(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    post_cell(client, dossier, "2.2", "3")
    response = post_cell(client, dossier, "2.2", "1", version=0)  # a tab loaded before that save
    page = response.content.decode()
    assert response.status_code == 409
    assert 'class="invalid-feedback d-block cell-error"' in page and "Đã lưu" not in page
    assert box_value(page, dossier, "2.2") == "1"


def test_others_are_still_simply_refused(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    fill_complete(dossier, cycle["people"]["staff"])
    services.dossier_submit(dossier=dossier, by=cycle["people"]["head"])
    client.force_login(cycle["people"]["reviewer"])
    response = post_cell(client, dossier, "2.2", "1")
    assert response.status_code == 403 and "X-Cell-Refusal" not in response


def test_deadline_and_one_missing_list_linked_to_rows_and_submit_only_when_complete(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    client.force_login(people["head"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert "Hạn nộp" in page or "Hạn" in page
    assert "còn 10 ngày" in page
    missing = page.split('id="missing-list"')[1].split("</ul>")[0]
    assert missing.count("<li ") == len(re.findall(r'class="missing-link"', missing)) > 1
    assert '<a href="#row-1.1" class="missing-link" data-code="1.1">' in missing
    assert page.count('class="alert alert-danger"') == 0
    assert (
        '<button type="button" class="btn btn-success" id="submit-dossier" data-dialog="submit-confirm" disabled'
        in page
    )
    # The list shrinks with each save, in the save's answer.
    fill_complete(dossier, people["staff"], marks={"2.2": "3"})
    services.evidence_remove(evidence=dossier.evidence.filter(criterion__code="2.2").get(), by=people["staff"])
    client.force_login(people["staff"])
    answer = post_cell(client, dossier, "2.2", "3,5").content.decode()
    assert '<section id="submit-panel"' in answer and '<li data-code="2.2">' in answer
    client.force_login(people["head"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert '<li data-code="2.2">' in page and 'id="submit-dossier" data-dialog="submit-confirm" disabled' in page
    c = criterion(dossier, "2.2")
    services.self_score_save(
        dossier=dossier, criterion=c, by=people["staff"], no_evidence_reason="Biên bản đang chờ ký",
        version=CriterionScore.objects.get(dossier=dossier, criterion=c).version,
    )  # fmt: skip
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert 'id="missing-list"' not in page
    assert 'id="submit-dossier" data-dialog="submit-confirm">' in page
    assert '<dialog id="submit-confirm"' in page and 'name="confirmed" value="1"' in page


def test_submitting_needs_the_confirmation(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    fill_complete(dossier, cycle["people"]["staff"])
    client.force_login(cycle["people"]["head"])
    page = client.post(reverse("scoring:submit", args=[dossier.pk]), follow=True).content.decode()
    assert "Hãy xác nhận trong hộp thoại" in page
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DRAFT


def test_submission_ends_with_a_receipt_on_screen_by_email_and_as_pdf(
    client, cycle, django_capture_on_commit_callbacks
):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    fill_complete(dossier, people["staff"], marks={"2.2": "3,5"})
    client.force_login(people["head"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scoring:submit", args=[dossier.pk]), {"confirmed": "1"}, follow=True)
    receipt = SubmissionReceipt.objects.get(dossier=dossier)
    assert response.redirect_chain[-1][0] == reverse("scoring:receipt", args=[dossier.pk])
    page = response.content.decode()
    assert receipt.code == f"BN-2021-{dossier.pk:06d}-1"
    assert f'<strong class="receipt-code">{receipt.code}</strong>' in page
    assert receipt.submitted_by_name == (people["head"].get_full_name() or "ld.tp")
    assert receipt.submitted_by_name in page
    assert receipt.self_total == Decimal("99.5")  # full marks but 2.2: 3,5 of 4
    assert '<dd class="col-sm-8 receipt-total">99,5 / 100 điểm</dd>' in page
    assert "Hồ sơ đã được nộp và khóa." in page
    # E-mail to the agency's head and staff, once.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    agency_people = {u.email for u in dossier.agency.users.all()} if hasattr(dossier.agency, "users") else set()
    assert {"cb.tp@example.test", "ld.tp@example.test"} <= set(message.to)
    assert "cb.yt@example.test" not in message.to  # another agency's people get nothing
    assert not agency_people or set(message.to) <= agency_people
    assert receipt.code in message.subject and receipt.code in message.body
    assert receipt.submitted_by_name in message.body
    assert services_receipt_send_again(receipt) == 0 and len(mail.outbox) == 1
    # The PDF, in the browser.
    pdf = client.get(reverse("reports:receipt_pdf", args=[dossier.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF-")


def services_receipt_send_again(receipt) -> int:
    from scoring.services.receipts import receipt_send

    return receipt_send(receipt_id=receipt.pk)


def test_receipt_pdf_reads_the_receipt(client, cycle, tmp_path):
    import shutil
    import subprocess

    dossier = cycle["dossiers"]["so-tu-phap"]
    fill_complete(dossier, cycle["people"]["staff"])
    services.dossier_submit(dossier=dossier, by=cycle["people"]["head"])
    client.force_login(cycle["people"]["staff"])
    pdf = client.get(reverse("reports:receipt_pdf", args=[dossier.pk]))
    path = tmp_path / "r.pdf"
    path.write_bytes(b"".join(pdf.streaming_content))
    assert shutil.which("pdftotext"), "poppler-utils is needed (CI installs it)"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    receipt = SubmissionReceipt.objects.get(dossier=dossier)
    assert "GIẤY BIÊN NHẬN" in text and receipt.code in text and "Sở Tư pháp" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_another_agency_never_sees_the_receipt(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    fill_complete(dossier, cycle["people"]["staff"])
    services.dossier_submit(dossier=dossier, by=cycle["people"]["head"])
    client.force_login(cycle["people"]["other_staff"])
    assert client.get(reverse("scoring:receipt", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("reports:receipt_pdf", args=[dossier.pk])).status_code == 404


def test_not_applicable_declared_with_a_reason_then_decided_by_the_reviewer(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    c3 = criterion(dossier, "3")  # PAR Index: na_policy exclude
    client.force_login(people["staff"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    row_3 = page.split('id="row-3"')[1].split("</tr>")[0]
    assert "Tiêu chí không áp dụng với đơn vị?" in row_3
    row_22 = page.split('id="row-2.2"')[1].split("</tr>")[0]
    assert "Tiêu chí không áp dụng với đơn vị?" not in row_22  # the regulation gives 2.2 no N/A policy
    url = reverse("scoring:na_declare", args=[dossier.pk, c3.pk])
    page = client.post(url, {"reason": "", "version": "0"}, follow=True).content.decode()
    assert "Nêu lý do tiêu chí không áp dụng đối với đơn vị." in page
    reason = "Đơn vị mới thành lập năm 2021, chưa được xác định Chỉ số CCHC"
    page = client.post(url, {"reason": reason, "version": "0"}, follow=True).content.decode()
    assert "Đã đề nghị không áp dụng" in page
    score = CriterionScore.objects.get(dossier=dossier, criterion=c3)
    assert score.na_status == NAStatus.PENDING and score.not_applicable and score.na_reason == reason
    assert '<li data-code="3">' not in page  # no longer missing
    # 2.2 may not be declared not applicable.
    c22 = criterion(dossier, "2.2")
    page = client.post(
        reverse("scoring:na_declare", args=[dossier.pk, c22.pk]), {"reason": "x", "version": "0"}, follow=True
    ).content.decode()
    assert "Quy định không cho phép đề nghị không áp dụng tiêu chí này." in page
    # The reviewer sees the declaration and its reason, and refuses it with a reason.
    fill_complete(dossier, people["staff"], marks={"3": "80"})
    score.refresh_from_db()
    services.dossier_submit(dossier=dossier, by=people["head"])
    services.period_set_phase(period=cycle["period"], phase=Phase.APPRAISAL, by=people["reviewer"], reason="Hết hạn")
    client.force_login(people["reviewer"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert 'id="na-pending"' in page and reason in page
    decide = reverse("scoring:na_decide", args=[dossier.pk, c3.pk])
    page = client.post(decide, {"decision": "refuse", "reason": ""}, follow=True).content.decode()
    assert "Nêu lý do không chấp nhận đề nghị." in page
    page = client.post(
        decide, {"decision": "refuse", "reason": "Đơn vị đã có Chỉ số CCHC năm 2020"}, follow=True
    ).content.decode()
    assert "Đã lưu quyết định: tiêu chí được chấm điểm." in page
    score.refresh_from_db()
    assert score.na_status == NAStatus.REFUSED and not score.not_applicable
    assert score.na_decided_by == people["reviewer"]
    client.force_login(people["staff"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert "Cơ quan thẩm định không chấp nhận đề nghị" in page and "Đơn vị đã có Chỉ số CCHC năm 2020" in page


def test_an_accepted_declaration_takes_the_criterion_out_of_the_total(cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    c3 = criterion(dossier, "3")
    from scoring.services.not_applicable import not_applicable_declare

    saved = not_applicable_declare(
        dossier=dossier, criterion=c3, by=people["staff"], reason="Chưa có chỉ số", version=0
    )
    assert saved.computation.result.criteria["3"].self_points == 0
    fill_complete(dossier, people["staff"])
    services.dossier_submit(dossier=dossier, by=people["head"])
    services.period_set_phase(period=cycle["period"], phase=Phase.APPRAISAL, by=people["reviewer"], reason="Hết hạn")
    score = not_applicable_decide(dossier=dossier, criterion=c3, by=people["reviewer"], accept=True)
    assert score.na_status == NAStatus.ACCEPTED and score.not_applicable
    receipt = SubmissionReceipt.objects.get(dossier=dossier)
    assert receipt.criteria_not_applicable == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_the_cell_save_and_the_grid_stay_on_their_query_budget(client, cycle, django_assert_max_num_queries, rows):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    for code in ["2.2", "2.3", "5.2"][:rows]:
        post_cell(client, dossier, code, "3")
    post_cell(client, dossier, "2.2", "2")  # warm
    c, version = criterion(dossier, "2.2"), CriterionScore.objects.get(dossier=dossier, criterion__code="2.2").version
    data = {f"raw_{c.pk}": "2,5", f"v_{c.pk}": str(version)}
    url = reverse("scoring:self_cell", args=[dossier.pk, c.pk])
    # The budget of tests/access/test_query_budget.py (10) and its savepoint and release.
    with django_assert_max_num_queries(12):
        assert client.post(url, data, **HX).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("scoring:dossier", args=[dossier.pk])).status_code == 200
