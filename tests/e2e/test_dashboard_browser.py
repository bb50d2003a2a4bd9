"""Browser journey: the leader sees the dashboard with its charts, opens an agency, downloads its score sheet."""

import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_dashboard_drill_down_and_the_agencys_score_sheet(page: Page, live_server, demo_province, tmp_path):
    log_in(page, live_server.url, "lanhdao.tinh")
    page.get_by_role("link", name="Mở bảng điều khiển").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bảng điều khiển — 2022")
    for name in ("classes", "gaps", "criteria", "years"):
        expect(page.locator(f'canvas[data-chart="{name}"][data-drawn="1"]')).to_have_count(1)
    # Each chart has its accessible table.
    page.get_by_text("Bảng số liệu").first.click()
    expect(page.get_by_role("cell", name="Tốt", exact=True)).to_be_visible()
    # Drill down into an agency from the ranking.
    page.get_by_role("link", name="Sở Tư pháp").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp")
    expect(page.locator('canvas[data-chart="trend"][data-drawn="1"]')).to_have_count(1)
    # The agency's button makes that agency's score sheet (not the province's decision).
    expect(page.get_by_role("button", name="Quyết định (PDF)")).to_have_count(0)
    page.get_by_role("button", name="Phiếu điểm (PDF)").click()
    expect(page.get_by_text("Văn bản đã sẵn sàng.")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#download-report").click()
    assert download.value.suggested_filename == "Phiếu điểm của đơn vị Sở Tư pháp 2022.pdf"
    path = tmp_path / "phieu-diem.pdf"
    download.value.save_as(path)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "PHIẾU ĐIỂM" in text and "Sở Tư pháp" in text and "QUYẾT ĐỊNH" not in text
