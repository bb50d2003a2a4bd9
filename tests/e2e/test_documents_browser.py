"""Browser journey: the leader asks for the decision, opens it in Chromium's own PDF viewer (served
inline, under the download sandbox), downloads the Word file, and finds it again on the period's
documents page."""

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from tests.e2e.browser import log_in


def pdf_viewer_title(page: Page) -> str:
    """The title Chromium's PDF viewer shows (the PDF's own title): there only once it loaded the
    file. A file the browser refused to show would have been a download, or a blocked page."""
    for _ in range(100):
        viewer = next((f for f in page.frames if f.url.startswith("chrome-extension://")), None)
        if viewer is not None:
            title = viewer.locator("viewer-toolbar #title")
            expect(title).not_to_be_empty()
            return title.inner_text()
        page.wait_for_timeout(100)
    raise AssertionError(f"no PDF viewer in {[f.url for f in page.frames]}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_decision_opens_in_the_browser_and_is_found_again(page: Page, live_server, demo_province):
    log_in(page, live_server.url, "lanhdao.tinh")
    page.get_by_role("link", name="Mở bảng điều khiển").click()
    page.get_by_role("button", name="Quyết định (PDF)").click()
    expect(page.get_by_text("Văn bản đã sẵn sàng.")).to_be_visible()

    with page.expect_popup() as popup:
        page.locator("#view-report").click()  # opens in a new tab
    viewer = popup.value
    viewer.wait_for_load_state()
    assert viewer.url.endswith("/xem/")
    assert pdf_viewer_title(viewer) == "Quyết định 3218/QĐ-UBND"
    viewer.close()

    with page.expect_download() as download:
        page.locator("#download-docx").click()
    assert download.value.suggested_filename.endswith(" 2022.docx")
    doc = Document(download.value.path())
    assert [p.text for p in doc.paragraphs if p.text][0] == "QUYẾT ĐỊNH"

    page.locator("a[href$='/van-ban/']").click()  # the period's documents
    rows = page.locator("#documents tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Quyết định")
    expect(rows.first).to_contain_text("Võ Đức Thành")
