"""Browser journey on the demo province: a unit with no "Dân vận khéo" model this year finds the
criterion that asks for one (1563's 3.3) left to itself in its dossier; it registers a model in the
registry, and back in its dossier the portal has filled that criterion in from the registry, with
the model beside it as evidence."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD
from portal.models import Agency, Role, User
from portal.services import user_set_roles
from scoring.models import Dossier, ScoringPeriod
from tests.e2e.browser import log_in

NAME = "Dân vận khéo trong công khai ngân sách đến từng khu phố"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_registered_model_fills_its_criterion_in_the_dossier(page: Page, live_server, demo_province):
    base, today = live_server.url, timezone.localdate()
    finance = Agency.objects.get(province=demo_province, code="so-tai-chinh")  # no model in the demo
    user = User.objects.create_user(
        "canbo.taichinh", password=DEMO_PASSWORD, province=demo_province, agency=finance, full_name="Lê Thị Hoa"
    )
    user_set_roles(user=user, roles=[Role.AGENCY_STAFF])
    period = ScoringPeriod.objects.get(province=demo_province, program="dvcq", year=today.year)
    dossier = period.dossiers.get(agency=finance)
    assert dossier.status == Dossier.Status.DRAFT and period.current_phase.allows("agencies_edit")
    grid = f"{base}{reverse('scoring:dossier', args=[dossier.pk])}"
    row = page.locator('tr[data-code="3.3"]')

    log_in(page, base, "canbo.taichinh")
    page.goto(grid)
    expect(row.locator("select.score-input")).to_be_visible()  # left to the unit: nothing registered
    expect(row).not_to_contain_text("tự động từ dữ liệu của cổng")

    page.locator("nav").get_by_role("link", name="Dân vận khéo").click()
    page.get_by_role("link", name="Đăng ký mô hình").click()
    page.locator("#id_name").fill(NAME)
    page.locator("#id_field").select_option("building")
    page.locator("#id_goal").fill("Người dân theo dõi được chi tiêu của phường")
    page.locator("#id_lead").fill("Phòng Quản lý ngân sách")
    page.locator("#id_participants").fill("Cán bộ Sở, Ban điều hành khu phố")
    page.locator("#id_starts_on").fill(f"01/01/{today.year}")
    page.locator("#id_ends_on").fill(f"31/12/{today.year}")
    page.locator("#id_expected_result").fill("Mọi khu phố niêm yết dự toán")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_role("button", name="Gửi đăng ký mô hình").click()
    expect(page.locator("#dvk-status")).to_have_text("Đã đăng ký, chờ duyệt")

    page.goto(grid)
    expect(row).to_contain_text("Có đăng ký, chưa rõ hiệu quả")
    expect(row).to_contain_text("tự động từ dữ liệu của cổng")
    expect(row.locator("select.score-input")).to_have_count(0)  # the portal's mark, not typed
    expect(row.get_by_role("link", name=NAME, exact=False)).to_be_visible()
