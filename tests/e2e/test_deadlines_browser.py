"""Browser journey: agency staff sees its deadlines, uploads the annual report, the matrix turns green."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.demo import demo_pdf
from plans.models import Plan
from tests.e2e.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_uploads_annual_report_and_matrix_turns_green(page: Page, live_server, demo_province, tmp_path):
    year = timezone.localdate().year
    report = tmp_path / "bao-cao-nam.pdf"
    report.write_bytes(demo_pdf("Bao cao nam"))

    log_in(page, live_server.url, "canbo.tuphap")
    expect(page.get_by_text("Thời hạn trong năm")).to_be_visible()
    page.get_by_role("link", name="Nhiệm vụ và thời hạn").first.click()
    card = page.locator(".card", has_text=f"Báo cáo kết quả năm {year}")
    expect(card.get_by_text("Sắp đến hạn")).to_be_visible()
    expect(card.locator(".countdown")).to_contain_text("còn")
    card.get_by_text("Nộp văn bản").click()
    card.locator("input[type=file]").set_input_files(str(report))
    card.get_by_label("Số, ký hiệu").fill("215/BC-STP")
    card.get_by_label("Ngày văn bản").fill(timezone.localdate().strftime("%d/%m/%Y"))
    card.get_by_role("button", name="Nộp").click()
    expect(page.get_by_text("Đã nhận “Báo cáo kết quả năm")).to_be_visible()
    expect(page.locator(".card", has_text=f"Báo cáo kết quả năm {year}").get_by_text("Đã nộp đúng hạn")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, live_server.url, "thamdinh.noivu")
    plan = Plan.objects.get(year=year, program="dvcq")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/theo-doi/")
    row = page.locator('tr[data-agency="so-tu-phap"]')
    annual_column = [t.code for t in plan.deliverable_types.order_by("order", "due_on")].index("report_annual")
    cell = row.locator("td").nth(annual_column)
    expect(cell).to_have_attribute("data-status", "on_time")
    expect(cell).to_have_class("status-on_time text-bg-success")
