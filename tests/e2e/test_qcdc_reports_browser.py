"""Browser journey on the demo province: Sở Tư pháp fills its six-month grassroots democracy (QCDC)
report in the browser — a figure typed in words is refused beside its field and nothing typed is
lost, a draft is saved and comes back, then the report is submitted (late: the deadline was in
June) — and Sở Nội vụ finds it in the collection with its figures and reads it; the steering
committee opens the collection from its home page and downloads the draft report."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.models import Deliverable, ReportEntry
from tests.e2e.test_dvk_models_browser import log_in

FIGURES = {
    "documents_issued": "2",
    "regulations_issued": "1",
    "propaganda_sessions": "4",
    "propaganda_attendees": "1.250",
    "dialogues_held": "3",
    "citizens_received": "87",
    "petitions_received": "21",
    "petitions_resolved": "20",
    "inspections": "1",
    "trainings": "1",
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_unit_fills_and_submits_its_six_month_report_and_the_reviewer_sees_it(page: Page, live_server, demo_province):
    base, year = live_server.url, timezone.localdate().year
    deliverable = Deliverable.objects.get(
        type__plan__province=demo_province, type__plan__year=year, type__code="qcdc_6_months", agency__code="so-tu-phap"
    )
    report_url = f"{base}/ke-hoach/bao-cao-qcdc/{deliverable.pk}/"

    # The unit opens the report from its duties.
    log_in(page, base, "canbo.tuphap")
    page.goto(f"{base}/ke-hoach/nhiem-vu-cua-toi/")
    page.locator(f'#san-pham-{deliverable.pk} a[href="/ke-hoach/bao-cao-qcdc/{deliverable.pk}/"]').click()
    expect(page).to_have_url(report_url)
    expect(page.locator("#report-status")).to_have_attribute("data-status", "missing")

    # A figure in words: refused beside its field, everything typed is still there.
    page.locator("#id_citizens_received").fill("tám mươi bảy")
    page.locator("#id_results").fill("Tổ chức 3 hội nghị đối thoại với Nhân dân về thủ tục hộ tịch.")
    page.locator("button[value=save]").click()
    expect(page.locator("#id_citizens_received")).to_have_value("tám mươi bảy")
    expect(page.locator("#id_citizens_received")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#qcdc-report-form")).to_contain_text("“tám mươi bảy”")
    expect(page.locator("#id_results")).to_have_value("Tổ chức 3 hội nghị đối thoại với Nhân dân về thủ tục hộ tịch.")

    # Corrected, saved as a draft: it comes back on the next visit; nobody else sees it yet.
    page.locator("#id_citizens_received").fill("87")
    page.locator("button[value=save]").click()
    expect(page).to_have_url(report_url)
    page.goto(report_url)
    expect(page.locator("#id_citizens_received")).to_have_value("87")
    assert ReportEntry.objects.get(deliverable=deliverable).submitted_values == {}

    # Submitting with lines left empty is refused, naming them; then everything filled in, submitted.
    page.locator("button[value=submit]").click()
    expect(page.locator("#id_dialogues_held")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_citizens_received")).to_have_value("87")
    for code, value in FIGURES.items():
        page.locator(f"#id_{code}").fill(value)
    page.locator("#id_shortcomings").fill("Hình thức tuyên truyền chưa đa dạng.")
    page.locator("#id_proposals").fill("Tập huấn Luật Thực hiện dân chủ ở cơ sở.")
    page.locator("button[value=submit]").click()
    expect(page.locator("#report-status")).to_have_attribute("data-status", "late")
    expect(page.locator("#qcdc-report")).to_contain_text("1.250")
    expect(page.locator("#qcdc-report-form")).to_have_count(0)

    # Sở Nội vụ finds it in the collection, with its figures, and reads it.
    log_in(page, base, "thamdinh.noivu")
    page.goto(f"{base}/ke-hoach/bao-cao-qcdc/tong-hop/")
    row = page.locator(f'#qcdc-collection tr[data-unit="{deliverable.agency_id}"]')
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "late")
    expect(row).to_contain_text("87")
    expect(row).to_contain_text("1.250")
    row.get_by_role("link", name="Sở Tư pháp").click()
    expect(page).to_have_url(report_url)
    expect(page.locator("#qcdc-report")).to_contain_text(
        "Tổ chức 3 hội nghị đối thoại với Nhân dân về thủ tục hộ tịch."
    )

    # The steering committee: from its home page to the collection; the draft report opens.
    log_in(page, base, "bcd.qcdc")
    page.goto(f"{base}/ban-chi-dao/")
    page.locator("#qcdc-reports-panel").get_by_role("link", name=deliverable.type.title).click()
    expect(page.locator(f'#qcdc-collection tr[data-unit="{deliverable.agency_id}"]')).to_contain_text("87")
    with page.expect_download() as download:
        page.locator("#qcdc-summary-links a").nth(1).click()
    assert download.value.suggested_filename == f"du-thao-bao-cao-qcdc-{year}-six_months.docx"
