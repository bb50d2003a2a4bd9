"""Browser journey: agency staff logs in and sees the agency home in Vietnamese."""

import pytest
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_agency_staff_logs_in_and_sees_agency_home_in_vietnamese(page: Page, live_server, demo_province):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("canbo.tuphap")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{live_server.url}/don-vi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp")
    expect(page.get_by_text("Trang chủ đơn vị")).to_be_visible()
    expect(page.get_by_role("link", name="Đơn vị của tôi")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "vi"
