"""A day's work on the production stack, in Chromium through nginx: the agency fills its grid, the
leader gets the decision as PDF (rendered by a Celery worker) and the ranking as a spreadsheet."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import log_in


def open_own_dossier(page: Page) -> None:
    page.goto("/cham-diem/")
    page.locator("main a[href*='/cham-diem/ho-so/']").first.click()
    expect(page.locator("tr.criterion-row").first).to_be_visible()


def numeric_rows(page: Page):
    return page.locator("tr.criterion-row:has(input[type=text][name^='raw_'])")


def test_agency_staff_autosaves_and_the_value_survives_a_reload(stack, page: Page, problems):
    log_in(page, "canbo.tuphap")
    open_own_dossier(page)
    row = numeric_rows(page).first
    code = row.get_attribute("data-code")
    field = row.locator("input[name^='raw_']")
    current = field.input_value()
    new_value = "2" if current.strip() != "2" else "3"
    with page.expect_response(lambda r: "/tu-cham/" in r.url and r.request.method == "POST") as saved:
        field.fill(new_value)
        field.press("Tab")
    assert saved.value.status == 200
    page.reload()
    expect(page.locator(f'tr[data-code="{code}"] input[name^="raw_"]')).to_have_value(new_value)
    assert problems.items == []


def test_leader_gets_the_decision_pdf_from_the_workers_and_the_ranking_spreadsheet(stack, page: Page, problems):
    log_in(page, "lanhdao.tinh")
    page.goto("/bao-cao/")
    page.get_by_role("button", name=re.compile("Quyết định")).first.click()
    download_link = page.locator("#download-report")
    expect(download_link).to_be_visible(timeout=90_000)  # polled by htmx while a worker renders
    response = page.request.get(download_link.get_attribute("href"))
    assert response.status == 200
    assert response.body().startswith(b"%PDF-")
    assert "attachment" in response.headers["content-disposition"]
    page.goto("/bao-cao/")
    xlsx = page.locator("a[href$='xep-hang.xlsx']").first
    spreadsheet = page.request.get(xlsx.get_attribute("href"))
    assert spreadsheet.status == 200
    assert spreadsheet.body().startswith(b"PK")  # an .xlsx is a zip
    assert problems.items == []
