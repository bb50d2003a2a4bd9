"""When a service goes away under the production stack: Redis stopped when a document is requested,
PostgreSQL restarted while an official is typing. Clear messages, nothing typed lost, nothing
half-written, and everything works again once the service is back."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import log_in
from .test_journeys import numeric_rows, open_own_dossier


def history_rows(page: Page, url: str) -> int:
    body = page.request.get(url).text()
    return body.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>") if "No changes" not in body else 0


def test_a_document_requested_while_redis_is_down_fails_visibly_and_can_be_requested_again(stack, page: Page, problems):
    log_in(page, "lanhdao.tinh")
    page.goto("/bao-cao/?year=2020")  # a document no other test asks for (documents are kept once made)
    stack.stop_redis()
    try:
        page.get_by_role("button", name=re.compile("Tờ trình")).first.click()
        failure = page.locator("#report-failure")
        expect(failure).to_be_visible(timeout=30_000)
        expect(failure).to_contain_text("hàng đợi")  # the reason, in Vietnamese
        # The rest of the portal keeps working without Redis (sessions and locks are in PostgreSQL).
        assert page.request.get("/bao-cao/").status == 200
    finally:
        stack.start_redis()
    page.locator("#retry-report").click()
    expect(page.locator("#download-report")).to_be_visible(timeout=90_000)
    assert page.request.get(page.locator("#download-report").get_attribute("href")).body().startswith(b"%PDF-")
    assert [p for p in problems.items if "503" not in p] == []  # the refusal itself is expected


def test_a_save_while_postgresql_restarts_keeps_the_typed_value_and_lands_once_it_is_back(stack, page: Page, problems):
    log_in(page, "canbo.tuphap")
    open_own_dossier(page)
    row = numeric_rows(page).nth(1)
    code = row.get_attribute("data-code")
    field = row.locator("input[name^='raw_']")
    typed = "1" if field.input_value().strip() != "1" else "2"
    history_url = row.locator("a", has_text="Lịch sử").get_attribute("href")
    changes_before = history_rows(page, history_url)
    stack.postgres("stop")
    try:
        with page.expect_response(lambda r: "/tu-cham/" in r.url and r.request.method == "POST") as refused:
            field.fill(typed)
            field.press("Tab")
        assert refused.value.status == 503
        banner = page.locator("#unsaved-banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("cơ sở dữ liệu")  # why, in Vietnamese
        expect(field).to_have_value(typed)  # nothing typed is lost
    finally:
        stack.postgres("start")
    # The page sends the kept value again by itself; it lands once the database is back.
    with page.expect_response(
        lambda r: "/tu-cham/" in r.url and r.request.method == "POST" and r.status == 200, timeout=60_000
    ):
        pass
    expect(banner).to_be_hidden()
    page.reload()
    expect(page.locator(f'tr[data-code="{code}"] input[name^="raw_"]')).to_have_value(typed)
    # Nothing half-written, nothing twice: the criterion's history has exactly one more change.
    assert history_rows(page, history_url) == changes_before + 1
    assert [p for p in problems.items if "503" not in p] == []  # the refusal itself is expected
