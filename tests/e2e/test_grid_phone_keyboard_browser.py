"""The self-assessment grid in Chromium (issue 13): cards on a 390 px phone with no sideways scroll,
score to score by keyboard, a change from a tab opened before the head submitted refused with its
reason and the typed value kept, and a submission confirmed in a dialog ending on the receipt."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.models import User
from scoring.models import ScoringPeriod
from scoring.models.cycle import SubmissionReceipt
from tests.e2e.browser import log_in
from tests.scoring.cycle_helpers import fill_complete

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def focused_code(page: Page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.dataset.code || null")


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_on_a_phone_by_keyboard_refused_save_and_confirmed_submission(
    page: Page, browser, live_server, demo_province
):
    base = live_server.url
    period = ScoringPeriod.objects.get(province=demo_province, program="dvcq", year=timezone.localdate().year)
    dossier = period.dossiers.get(agency__code="so-tu-phap")
    url = f"{base}/cham-diem/ho-so/{dossier.pk}/"

    # 1. A phone: one card per criterion, nothing cut off, no sideways scroll.
    page.set_viewport_size(PHONE)
    log_in(page, base, "canbo.tuphap")
    page.goto(url)
    card = page.locator('tr[data-code="2.2"]')
    expect(card).to_be_visible()
    assert no_sideways_scroll(page)
    assert page.evaluate("getComputedStyle(document.querySelector('tr[data-code=\"2.2\"]')).display") == "grid"
    box = card.locator(".score-input").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    title = card.locator(".criterion-title").bounding_box()
    assert title and title["width"] > 200  # the title reads as a line, not one word a line

    # 2. A desktop keyboard: Tab and Shift+Tab go score to score, arrows move, Enter saves and goes down.
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    assert page.evaluate("getComputedStyle(document.querySelector('#grid thead')).position") != "absolute"
    first = page.locator('tr[data-code="2.1"] .score-input')
    first.focus()
    page.keyboard.press("Tab")
    assert focused_code(page) == "2.2"
    page.keyboard.press("Tab")
    assert focused_code(page) == "2.3"
    page.keyboard.press("Shift+Tab")
    assert focused_code(page) == "2.2"
    page.keyboard.press("ArrowUp")
    assert focused_code(page) == "2.1"
    page.keyboard.type("3,5")
    with page.expect_response(lambda r: "/tu-cham/" in r.url and r.status == 200):
        page.keyboard.press("Enter")
    assert focused_code(page) == "2.2"
    expect(page.locator('tr[data-code="2.1"] .saved-flag')).to_contain_text("Đã lưu lúc")
    expect(page.locator('tr[data-code="2.1"] .score-input')).to_have_value("3,5")
    page.keyboard.press("ArrowDown")
    assert focused_code(page) == "2.3"
    # Evidence and notes: out of the Tab order, opened with Alt+E, left with Esc.
    page.keyboard.press("Alt+e")
    assert page.evaluate("document.activeElement.closest('tr').dataset.code") == "2.3"
    assert page.evaluate("document.activeElement.closest('td').classList.contains('aside-cell')")
    assert page.evaluate("document.activeElement.tabIndex") == 0  # the row's evidence and note are in reach now
    page.keyboard.press("Escape")
    assert focused_code(page) == "2.3"

    # 3. The rest is filled in; the staff's tab stays open while the head submits in another.
    staff = User.objects.get(username="canbo.tuphap")
    fill_complete(dossier, staff)
    page.goto(url)
    head_context = browser.new_context(locale="en-US", timezone_id="Asia/Ho_Chi_Minh", viewport=DESKTOP)
    head = head_context.new_page()
    log_in(head, base, "lanhdao.tuphap")
    head.goto(url)
    submit = head.get_by_role("button", name="Duyệt và nộp hồ sơ")
    expect(submit).to_be_enabled()
    submit.click()
    dialog = head.locator("#submit-confirm")
    expect(dialog).to_be_visible()
    head.get_by_role("button", name="Hủy").click()
    expect(dialog).to_be_hidden()
    assert not SubmissionReceipt.objects.filter(dossier=dossier).exists()
    submit.click()
    head.get_by_role("button", name="Xác nhận nộp").click()
    expect(head.get_by_role("heading", name="Giấy biên nhận")).to_be_visible()
    receipt = SubmissionReceipt.objects.get(dossier=dossier)
    expect(head.locator(".receipt-code")).to_have_text(receipt.code)
    expect(head.locator(".receipt-who")).to_have_text(receipt.submitted_by_name)
    expect(head.get_by_role("link", name="Giấy biên nhận (PDF)")).to_be_visible()
    head_context.close()

    # 4. The staff's old tab: the change is refused, says why, keeps the value, never "Đã lưu".
    field = page.locator('tr[data-code="2.2"] .score-input')
    field.fill("3,5")
    with page.expect_response(lambda r: "/tu-cham/" in r.url and r.status == 403):
        field.press("Tab")
    row = page.locator('tr[data-code="2.2"]')
    expect(row.locator(".cell-error")).to_contain_text("đã bị khóa")
    expect(row.locator(".score-input")).to_have_value("3,5")
    expect(row.locator(".saved-flag")).to_have_count(0)
    expect(page.locator("#save-banner")).to_be_visible()
    expect(page.locator("#save-banner-list")).to_contain_text("2.2")
