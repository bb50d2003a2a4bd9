"""Browser journey on the demo province: Sở Tư pháp's staff registers a "Dân vận khéo" model and
reports progress with a document; Sở Nội vụ accepts it and records its recognition at province
level; the provincial leader finds it in the registry by typing without diacritics."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.demo import demo_pdf
from plans.models import DvkModel
from tests.e2e.browser import log_in

NAME = "Dân vận khéo trong hòa giải ở cơ sở gắn với phổ biến pháp luật"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_unit_registers_reviewer_recognises_leader_finds(page: Page, live_server, demo_province, tmp_path):
    base, today = live_server.url, timezone.localdate()
    evidence = tmp_path / "bao-cao-tien-do.pdf"
    evidence.write_bytes(demo_pdf("Bao cao tien do"))

    # The unit registers its model from the menu.
    log_in(page, base, "canbo.tuphap")
    page.locator("nav").get_by_role("link", name="Dân vận khéo").click()
    page.get_by_role("link", name="Đăng ký mô hình").click()
    page.locator("#id_name").fill(NAME)
    page.locator("#id_field").select_option("building")
    page.locator("#id_goal").fill("Giảm vụ việc phải đưa ra tòa")
    page.locator("#id_lead").fill("Phòng Phổ biến, giáo dục pháp luật")
    page.locator("#id_participants").fill("Hòa giải viên ở cơ sở")
    page.locator("#id_starts_on").fill(f"01/01/{today.year}")
    page.locator("#id_ends_on").fill(f"31/12/{today.year}")
    page.locator("#id_expected_result").fill("90% vụ việc hòa giải thành")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp mô hình.")).to_be_visible()
    page.get_by_role("button", name="Gửi đăng ký mô hình").click()
    expect(page.locator("#dvk-status")).to_have_text("Đã đăng ký, chờ duyệt")

    # …and reports its progress with a document.
    page.get_by_text("Báo cáo tiến độ", exact=True).click()
    page.locator("#id_reported_on").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_text").fill("Đã tập huấn 120 hòa giải viên")
    page.locator("#id_document").set_input_files(str(evidence))
    page.get_by_role("button", name="Lưu báo cáo tiến độ").click()
    expect(page.get_by_text("Đã lưu báo cáo tiến độ.")).to_be_visible()
    expect(page.locator("#dvk-progress")).to_contain_text("Đã tập huấn 120 hòa giải viên")
    expect(page.locator("#dvk-progress").get_by_role("link", name="bao-cao-tien-do.pdf")).to_be_visible()
    model = DvkModel.objects.get(name=NAME)

    # Sở Nội vụ accepts the registration and records the province's recognition.
    log_in(page, base, "thamdinh.noivu")
    page.goto(f"{base}/ke-hoach/dan-van-kheo/?q=hoa+giai")
    page.locator("#dvk-registry").get_by_role("link", name=NAME).click()
    page.locator("#dvk-review select[name=decision]").select_option("approve")
    page.locator("#dvk-review").get_by_role("button", name="Lưu").click()
    expect(page.locator("#dvk-status")).to_have_text("Đang thực hiện")
    page.get_by_text("Ghi nhận quyết định công nhận", exact=True).click()
    page.locator("#id_level").select_option("province")
    page.locator("#id_decision_number").fill("88-QĐ/BDVTU")
    page.locator("#id_decision_date").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_issuer").fill("Ban Dân vận Tỉnh ủy")
    page.get_by_role("button", name="Ghi nhận công nhận").click()
    expect(page.locator("#dvk-level")).to_have_text("Cấp tỉnh")
    expect(page.locator("#dvk-recognitions")).to_contain_text(f"Cấp tỉnh: 88-QĐ/BDVTU, {today:%d/%m/%Y}")

    # The leader finds it typing without diacritics, filtered by level; the counts follow.
    log_in(page, base, "lanhdao.tinh")
    page.locator("nav").get_by_role("link", name="Dân vận khéo").click()
    page.locator("#id_q").fill("hoa giai o co so pho bien phap luat")
    page.locator("#id_level").select_option("province")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("#dvk-registry tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NAME)
    expect(rows.first).to_contain_text("Sở Tư pháp")
    expect(page.locator('#dvk-by-level tr[data-level="province"] td.text-end')).to_have_text("1")
    rows.first.get_by_role("link", name=NAME).click()
    expect(page).to_have_url(f"{base}/ke-hoach/dan-van-kheo/{model.pk}/")
    expect(page.get_by_text("Đã tập huấn 120 hòa giải viên")).to_be_visible()
