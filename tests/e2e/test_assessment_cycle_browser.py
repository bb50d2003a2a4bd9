"""The whole assessment cycle in Chromium on the demo province (2022 period, open for self-assessment):
staff fills in and attaches evidence, the head submits, VP UBND co-scores criteria 1, 3, 4, the
reviewer scores the rest, the agency explains one criterion, the reviewer accepts, the period is
finalized, and the ranking shows the class and rank computed here from the numbers entered."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import Page, expect

from plans.demo import demo_pdf
from portal.demo import DEMO_PASSWORD
from scoring import services
from scoring.models import IndexValue, ScoringPeriod
from tests.scoring.cycle_helpers import fill_complete

SELF = {  # what Sở Tư pháp's staff types: (widget, value)
    "1.1": ("input", "95"),
    "1.2": ("input", "0"),
    "2.1": ("select", "dung_han"),
    "2.2": ("input", "4"),
    "2.3": ("input", "5"),
    "2.4": ("input", "95"),
    "2.5": ("select", "hieu_qua"),
    "2.6.a": ("select", "dung_han"),
    "2.6.b": ("select", "dung_han"),
    "5.1": ("select", "true"),
    "5.2": ("input", "4,5"),
    "5.3": ("select", "true"),
}
COREVIEWER = {"1.1": "90", "1.2": "1", "3": "85", "4": "90"}  # VP UBND: criteria 1, 3, 4
REVIEWER = {"2.1": "dung_han", "2.2": "3,5", "2.3": "4,5", "2.4": "85", "2.5": "co_dang_ky", "2.6.a": "dung_han",
            "2.6.b": "tre_han", "5.1": "true", "5.2": "4", "5.3": "true"}  # fmt: skip


def expected_total() -> D:
    """Computed by hand from the marks above, as the regulation (BRIEF §4) says."""
    c1 = 15 * D("0.90") + (5 - 1)  # 1.1 is 90 % of 15; 1.2 loses one point per overdue task
    c2 = 3 + D("3.5") + D("4.5") + 4 + 6 + 3 + D("1.5")  # 2.4: 85 % → band ≥ 80 → 4; 2.5 raised to 6 after explanation
    c3 = 20 * D("0.85")
    c4 = 15 * D("0.90")
    c5 = 5 + 4 + 5
    return c1 + c2 + c3 + c4 + c5  # = 87.5


def row(page: Page, code: str):
    return page.locator(f'tr[data-code="{code}"]')


def log_in(page: Page, base: str, username: str) -> None:
    # Let the last autosaves finish first: their responses carry the previous person's session.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"{base}/tai-khoan/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("nav")).to_be_visible()


def autosaved(page: Page, path: str):
    """Waits for the autosave request the next action triggers, and checks it was accepted."""
    return page.expect_response(lambda r: path in r.url and r.request.method == "POST" and r.status == 200)


def save_self(page: Page, code: str, widget: str, value: str) -> None:
    target = row(page, code)
    with autosaved(page, "/tu-cham/"):
        if widget == "select":
            target.locator('select[name^="raw_"]').select_option(value)
        else:
            field = target.locator('input[name^="raw_"]')
            field.fill(value)
            field.press("Tab")
    expect(row(page, code).locator(".saved-flag")).to_be_visible()


def explain_missing_evidence(page: Page, code: str) -> None:
    with autosaved(page, "/tu-cham/"):
        field = row(page, code).locator('textarea[name^="why_"]')
        field.fill("Kết quả thể hiện trong báo cáo năm của đơn vị")
        field.press("Tab")
    expect(row(page, code).locator(".cell-error")).to_have_count(0)


def enter_mark(page: Page, code: str, value: str) -> None:
    with autosaved(page, "/tham-dinh/"):
        listed = row(page, code).locator('select[name^="mark_"]')
        if listed.count():  # levels and yes/no: the agency's list (the value of the label chosen)
            listed.select_option(value)
        else:
            field = row(page, code).locator('input[name^="mark_"]')
            field.fill(value)
            field.press("Tab")
    expect(row(page, code).locator(".cell-error")).to_have_count(0)


def move_phase(page: Page, base: str, period: ScoringPeriod, phase: str, reason: str) -> None:
    page.goto(f"{base}/cham-diem/ky/{period.pk}/")
    page.locator('select[name="phase"]').select_option(phase)
    page.locator('textarea[name="reason"]').fill(reason)
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.get_by_text("Đã chuyển giai đoạn.")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_whole_assessment_cycle(page: Page, live_server, demo_province, tmp_path):
    base = live_server.url
    period = ScoringPeriod.objects.get(province=demo_province, year=2022)
    justice = period.dossiers.get(agency__code="so-tu-phap")
    # Another department of the same group has submitted its own dossier (self-scores only).
    health = period.dossiers.get(agency__code="so-y-te")
    from portal.models import User

    fill_complete(health, User.objects.get(username="canbo.tuphap"))
    services.dossier_submit(dossier=health, by=User.objects.get(username="lanhdao.tuphap"))
    par = IndexValue.objects.get(agency__code="so-y-te", source="PAR", year=2021).value
    sipas = IndexValue.objects.get(agency__code="so-y-te", source="SIPAS", year=2021).value
    health_total = 20 + 30 + 20 * par / 100 + 15 * sipas / 100 + 15

    evidence = tmp_path / "bien-ban-hoi-nghi.pdf"
    evidence.write_bytes(demo_pdf("Bien ban hoi nghi"))

    # 1. Staff fills in the grid (autosave per cell) and attaches evidence.
    log_in(page, base, "canbo.tuphap")
    page.get_by_role("link", name="Chấm điểm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp")
    for code, (widget, value) in SELF.items():
        save_self(page, code, widget, value)
    expect(page.locator("#total-self")).not_to_have_text("0")
    target = row(page, "2.2")
    target.get_by_text("Thêm tài liệu").click()
    target.locator('input[type="file"]').set_input_files(str(evidence))
    target.get_by_role("button", name="Đính kèm").click()
    expect(row(page, "2.2").get_by_role("link", name="bien-ban-hoi-nghi.pdf")).to_be_visible()
    for code in SELF:
        if code != "2.2":
            explain_missing_evidence(page, code)

    # 2. The head approves and submits; the dossier locks.
    log_in(page, base, "lanhdao.tuphap")
    page.goto(f"{base}/cham-diem/ho-so/{justice.pk}/")
    page.get_by_role("button", name="Duyệt và nộp hồ sơ").click()
    page.get_by_role("button", name="Xác nhận nộp").click()  # the confirmation dialog
    expect(page.get_by_text("Hồ sơ đã được nộp và khóa.")).to_be_visible()
    expect(page.get_by_role("heading", name="Giấy biên nhận")).to_be_visible()
    expect(page.locator('select[name^="raw_"]')).to_have_count(0)

    # 3. The reviewer opens appraisal; VP UBND co-scores criteria 1, 3, 4; the reviewer the rest.
    log_in(page, base, "thamdinh.noivu")
    move_phase(page, base, period, "appraisal", "Hết hạn nộp hồ sơ tự chấm")
    log_in(page, base, "phoihop.vpubnd")
    page.goto(f"{base}/cham-diem/ky/{period.pk}/tham-dinh/")
    page.get_by_role("link", name="Sở Tư pháp").click()
    expect(page.get_by_text("Bạn chỉ xem và chấm các tiêu chí được giao")).to_be_visible()
    expect(row(page, "2.2")).to_have_count(0)
    for code, value in COREVIEWER.items():
        enter_mark(page, code, value)
    log_in(page, base, "thamdinh.noivu")
    page.goto(f"{base}/cham-diem/ho-so/{justice.pk}/")
    for code, value in REVIEWER.items():
        enter_mark(page, code, value)

    # 4. Provisional results go out; the agency explains criterion 2.5; the reviewer accepts.
    move_phase(page, base, period, "explanation", "Công bố kết quả thẩm định tạm thời")
    log_in(page, base, "canbo.tuphap")
    page.goto(f"{base}/cham-diem/ho-so/{justice.pk}/")
    target = row(page, "2.5")
    target.get_by_text("Giải trình tiêu chí này").click()
    target.locator('textarea[name="text"]').fill("Mô hình đã được Ban Dân vận Tỉnh ủy công nhận năm 2022.")
    target.get_by_role("button", name="Gửi giải trình").click()
    expect(page.get_by_text("Đã gửi giải trình đến cơ quan thẩm định.")).to_be_visible()
    log_in(page, base, "thamdinh.noivu")
    page.goto(f"{base}/cham-diem/ho-so/{justice.pk}/")
    decision = page.locator('.explanation-decision[data-code="2.5"]')
    decision.locator('select[name="decision"]').select_option("accept")
    decision.locator('input[name="new_raw"]').fill("hieu_qua")
    decision.locator('input[name="reason"]').fill("Đã đối chiếu quyết định công nhận mô hình")
    decision.get_by_role("button", name="Quyết định").click()
    expect(page.get_by_text("Đã lưu quyết định.")).to_be_visible()

    # 5. Settlement and finalization.
    move_phase(page, base, period, "settlement", "Hết hạn giải trình")
    page.get_by_role("button", name="Chốt kết quả kỳ đánh giá").click()
    expect(page.get_by_role("heading", name="Xếp hạng, xếp loại")).to_be_visible()

    # 6. The ranking shows what the regulation gives for the numbers entered.
    total = expected_total()
    assert total == D("87.5")
    justice_row = page.locator('table.ranking tr[data-agency="so-tu-phap"]')
    expect(justice_row.locator(".total")).to_have_text("87,5")
    expect(justice_row.locator(".band")).to_have_text("Khá")
    expected_rank = "2" if health_total > total else "1"
    expect(justice_row.locator(".rank")).to_have_text(expected_rank)
    # 7. How the total came about: the row's steps are fetched when the reviewer opens them.
    justice_row.get_by_text("Cách tính").click()
    steps = justice_row.locator(".result-steps li")
    expect(steps.first).to_be_visible()
    expect(steps.filter(has_text="87,5").first).to_be_visible()
