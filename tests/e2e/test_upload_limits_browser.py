"""Browser journey: evidence too large for one upload is refused before the server reads it; the
reason appears above the form, which keeps the chosen file, and the grid keeps what was saved."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.demo import demo_pdf
from scoring.models import ScoringPeriod
from tests.e2e.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_oversized_evidence_upload_is_refused_above_its_form(
    page: Page, live_server, demo_province, tmp_path, settings
):
    settings.UPLOAD_REQUEST_MAX_BYTES = 50_000
    justice = ScoringPeriod.objects.get(
        province=demo_province, program="dvcq", year=timezone.localdate().year
    ).dossiers.get(agency__code="so-tu-phap")
    big = tmp_path / "bien-ban-day-du.pdf"
    big.write_bytes(demo_pdf("Bien ban " * 20_000))

    log_in(page, live_server.url, "canbo.tuphap")
    page.goto(f"{live_server.url}/cham-diem/ho-so/{justice.pk}/")
    row = page.locator('tr[data-code="2.2"]')
    row.get_by_text("Thêm tài liệu").click()
    row.locator('input[type="file"]').set_input_files(str(big))
    with page.expect_response(lambda r: "/tai-lieu/" in r.url and r.request.method == "POST") as answer:
        row.get_by_role("button", name="Đính kèm").click()
    assert answer.value.status == 413
    alert = row.locator(".upload-refused")
    expect(alert).to_contain_text("Dữ liệu gửi lên quá lớn: mỗi lần chỉ được gửi tối đa 48,8 KB.")
    expect(alert).to_have_attribute("role", "alert")
    assert row.locator('input[type="file"]').evaluate("input => input.files.length") == 1
    assert not justice.evidence.exists()
