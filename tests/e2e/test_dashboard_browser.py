"""Browser journey: the leader sees the dashboard with its charts, opens an agency, downloads the decision."""

import subprocess

import pytest
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_dashboard_drill_down_and_decision_pdf(page: Page, live_server, demo_province, tmp_path):
    page.goto(f"{live_server.url}/tai-khoan/login/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao.tinh")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Mở bảng điều khiển").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bảng điều khiển — 2021")
    for name in ("classes", "gaps", "criteria", "years"):
        expect(page.locator(f'canvas[data-chart="{name}"][data-drawn="1"]')).to_have_count(1)
    # Each chart has its accessible table.
    page.get_by_text("Bảng số liệu").first.click()
    expect(page.get_by_role("cell", name="Tốt", exact=True)).to_be_visible()
    # Drill down into an agency from the ranking.
    page.get_by_role("link", name="Sở Tư pháp").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp")
    expect(page.locator('canvas[data-chart="trend"][data-drawn="1"]')).to_have_count(1)
    page.get_by_role("button", name="Quyết định (PDF)").click()
    expect(page.get_by_text("Văn bản đã sẵn sàng.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp PDF").click()
    path = tmp_path / "quyet-dinh.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "QUYẾT ĐỊNH" in text and "Sở Tư pháp" in " ".join(text.split())
