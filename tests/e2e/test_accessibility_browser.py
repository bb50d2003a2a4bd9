"""axe-core in Chromium on each main page, as each role sees it, on a phone (390 px) and a desktop:
no serious or critical violation, and every table column has a header a screen reader can read.

axe-core comes bundled in the PyPI package axe-playwright-python (pinned in requirements.txt), so
nothing is fetched at run time.
"""

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.e2e.browser import log_in

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
FAILING_IMPACTS = {"serious", "critical"}

# A table column whose header cell has no readable text (or that has no header cell at all).
HEADERLESS_COLUMNS = """() => {
  const problems = [];
  const width = (row) => Array.from(row.cells).reduce((n, c) => n + (c.colSpan || 1), 0);
  document.querySelectorAll("main table").forEach((table, t) => {
    const body = Array.from(table.tBodies).flatMap((b) => Array.from(b.rows));
    const columns = Math.max(0, ...body.filter((r) => r.cells.length > 1 || r.cells[0].colSpan === 1).map(width));
    const head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    const name = table.id || table.dataset.group || table.className || String(t);
    if (!head) { if (columns) problems.push(`table ${name}: no header row`); return; }
    let column = 0;
    Array.from(head.cells).forEach((cell) => {
      const named = cell.querySelector("[aria-label]");  // e.g. a "select all" box with its name
      const text = (cell.textContent || "").trim() || cell.getAttribute("aria-label") || (named && named.getAttribute("aria-label")) || "";
      if (cell.tagName !== "TH" || !text) problems.push(`table ${name}: column ${column + 1} has no header text`);
      column += cell.colSpan || 1;
    });
    if (column < columns) problems.push(`table ${name}: ${columns - column} column(s) without a header`);
  });
  return problems;
}"""


@dataclass
class MainPage:
    username: str | None  # None: signed out
    name: str
    path: str
    ready: str = "main"  # a selector present once the page has drawn itself


def main_pages() -> list[MainPage]:
    """The main pages of every role, on the demo province (periods and dossiers looked up, not guessed)."""
    from scoring.demo import demo_periods
    from scoring.models import Dossier

    open_period, final_period = demo_periods()
    own = Dossier.objects.get(period=open_period, agency__code="so-tu-phap")
    appraised = Dossier.objects.get(period=final_period, agency__code="so-tu-phap")
    return [
        MainPage(None, "login", "/tai-khoan/login/"),
        MainPage("canbo.tuphap", "agency home", "/don-vi/"),
        MainPage("canbo.tuphap", "grid", f"/cham-diem/ho-so/{own.pk}/"),
        MainPage("canbo.tuphap", "notifications", "/thong-bao/"),
        MainPage("lanhdao.tuphap", "grid (head)", f"/cham-diem/ho-so/{own.pk}/"),
        MainPage("thamdinh.noivu", "reviewer home", "/tham-dinh/"),
        MainPage("thamdinh.noivu", "queue", f"/cham-diem/ky/{open_period.pk}/tham-dinh/"),
        MainPage("thamdinh.noivu", "appraisal page", f"/cham-diem/ho-so/{appraised.pk}/"),
        MainPage("thamdinh.noivu", "ranking", f"/cham-diem/ky/{final_period.pk}/xep-hang/"),
        MainPage("phoihop.vpubnd", "co-reviewer home", "/tham-dinh/"),
        MainPage("lanhdao.tinh", "leader home", "/lanh-dao/"),
        MainPage(
            "lanhdao.tinh", "dashboard", f"/bao-cao/?year={final_period.year}", 'canvas[data-chart][data-drawn="1"]'
        ),
        MainPage("lanhdao.tinh", "documents list", f"/bao-cao/ky/{final_period.pk}/van-ban/"),
        MainPage("quantri", "administration home", "/quan-tri/"),
    ]


def open_menu(page: Page) -> None:
    """On a phone the header menu is folded: open it, so its links are checked too."""
    toggler = page.locator(".navbar-toggler")
    if toggler.count() and toggler.is_visible():
        toggler.click()
        page.locator("#nav.show").wait_for()
        page.wait_for_timeout(400)  # the collapse animation (0.35 s): colours are read when it ends


def problems_on(page: Page, axe: Axe) -> list[str]:
    results = axe.run(page, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in FAILING_IMPACTS:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"[{violation['impact']}] {violation['id']} ({violation['help']}): {targets}")
    found.extend(page.evaluate(HEADERLESS_COLUMNS))
    return found


def check_every_page(browser: Browser, base: str, viewport: str) -> list[str]:
    axe = Axe()
    report: list[str] = []
    pages = main_pages()
    for username in dict.fromkeys(p.username for p in pages):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
        page = context.new_page()
        if username:
            log_in(page, base, username)
        for main in (p for p in pages if p.username == username):
            response = page.goto(base + main.path)
            assert response.status == 200, f"{main.name} ({username}): {response.status}"
            page.wait_for_load_state("networkidle")
            page.locator(main.ready).first.wait_for()
            if viewport == "phone":
                open_menu(page)
            report.extend(f"{viewport} · {main.name} ({username or 'signed out'}): {p}" for p in problems_on(page, axe))
        context.close()
    return report


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_accessibility_violation_on_phone_and_desktop(
    browser: Browser, live_server, demo_province
):
    report = check_every_page(browser, live_server.url, "phone") + check_every_page(browser, live_server.url, "desktop")
    assert report == [], "\n".join(report)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_check_fails_on_low_contrast_and_a_headerless_column(page: Page, live_server, demo_core):
    """The check above can fail: a grey-on-white text and a table without headers are reported."""
    page.goto(f"{live_server.url}/tai-khoan/login/")
    page.evaluate(
        """() => {
        const main = document.querySelector("main");
        const p = document.createElement("p"); p.textContent = "Chữ mờ"; p.style.color = "#bbbbbb";
        const table = document.createElement("table");
        table.innerHTML = "<tbody><tr><td>Sở Tư pháp</td><td>93,84</td></tr></tbody>";
        main.append(p, table);
    }"""
    )
    problems = problems_on(page, Axe())
    assert any(p.startswith("[serious] color-contrast") for p in problems), problems
    assert any("no header row" in p for p in problems), problems
