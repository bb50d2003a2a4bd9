"""Browser journey: the steering committee (Ban Chỉ đạo QCDC) logs in, lands on its page, sees each
population's progress, opens the QCDC results and reads each population's ranking; the demo's QCDC
period is final with results from all three scoring bodies."""

import pytest
from playwright.sync_api import Page, expect

from scoring.models import Phase, ScoringPeriod
from scoring.selectors import ranking
from scoring.selectors.steering import qcdc_progress
from scoring.templatetags.scoring_tags import points
from tests.e2e.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_committee_reads_each_populations_ranking(page: Page, live_server, demo_province):
    period = ScoringPeriod.objects.get(province=demo_province, program="qcdc")
    assert period.phase == Phase.FINAL and period.decision_due_on.strftime("%d/%m") == "19/11"
    progress = qcdc_progress(province=demo_province)[0]
    # The demo: every population submitted and appraised by its own scoring body.
    assert [(p.body_codes, p.submitted == p.appraised == p.total > 0) for p in progress.populations] == [
        (("so-noi-vu",), True),
        (("ldld-tinh",), True),
        (("ban-dan-van-tu",), True),
    ]
    sections = {section.group.code: section.rows for section in ranking(period)}
    assert {"khoi-so", "khoi-doanh-nghiep", "khoi-dang-uy"} <= set(sections)

    log_in(page, live_server.url, "bcd.qcdc")
    expect(page).to_have_url(f"{live_server.url}/ban-chi-dao/")
    expect(page.locator("nav a[href='/ban-chi-dao/']")).to_have_count(1)  # the menu's link
    card = page.locator(f".qcdc-period[data-period='{period.pk}']")
    expect(card).to_contain_text(period.name)
    for body in ("Sở Nội vụ", "Liên đoàn Lao động tỉnh Tây Ninh", "Ban Dân vận Tỉnh ủy Tây Ninh"):
        expect(card).to_contain_text(body)
    expect(card.locator("tr[data-set='tn-qcdc-2023:02'] td.appraised")).to_contain_text("4/4")
    card.locator(f"a[href='/cham-diem/ky/{period.pk}/xep-hang/']").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for code in ("khoi-so", "khoi-doanh-nghiep", "khoi-dang-uy"):
        table = page.locator(f"table.ranking[data-group='{code}']")
        for row in sections[code]:
            line = table.locator(f"tr[data-agency='{row.dossier.agency.code}']")
            expect(line).to_contain_text(row.dossier.agency_version.name)
            expect(line.locator("td.total")).to_have_text(points(row.total))  # "92,4", as officials write it
    # The enterprises' table holds the enterprises only, the party committees' the party committees.
    enterprises = page.locator("table.ranking[data-group='khoi-doanh-nghiep']")
    expect(enterprises).to_contain_text("Công ty Cổ phần Cao su Tây Ninh")
    expect(enterprises).not_to_contain_text("Sở Tư pháp")
    expect(page.locator("table.ranking[data-group='khoi-dang-uy']")).to_contain_text("Đảng ủy Công an tỉnh")
    # The committee reads a dossier's score sheet from the ranking.
    page.locator("table.ranking[data-group='khoi-doanh-nghiep'] a", has_text="Công ty Cổ phần Cao su Tây Ninh").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Công ty Cổ phần Cao su Tây Ninh")
