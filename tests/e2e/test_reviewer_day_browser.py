"""The reviewer's day in Chromium on the demo province: the queue searched without diacritics, sorted,
two agencies picked and reminded (with the confirmation), and a level criterion marked by its label."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.models import Notification, Role, User
from scoring import services
from scoring.models import AppraisalMark, DossierReminder, Phase, ScoringPeriod
from tests.e2e.test_assessment_cycle_browser import autosaved, log_in, row
from tests.factories import UserFactory
from tests.scoring.cycle_helpers import criterion, fill_complete


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_searches_sorts_reminds_and_marks_by_label(page: Page, live_server, demo_province):
    base = live_server.url
    period = ScoringPeriod.objects.get(province=demo_province, program="dvcq", year=timezone.localdate().year)
    staff, head = User.objects.get(username="canbo.tuphap"), User.objects.get(username="lanhdao.tuphap")
    justice = period.dossiers.get(agency__code="so-tu-phap")
    health = period.dossiers.get(agency__code="so-y-te")
    for dossier in (justice, health):
        fill_complete(dossier, staff)
        services.dossier_submit(dossier=dossier, by=head)
    UserFactory(username="lanhdao.yte", agency=health.agency, roles=[Role.AGENCY_HEAD])  # someone to remind there
    reviewer = User.objects.get(username="thamdinh.noivu")
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=reviewer, reason="Hết hạn nộp hồ sơ")
    queue_url = f"{base}/cham-diem/ky/{period.pk}/tham-dinh/"

    log_in(page, base, "thamdinh.noivu")
    page.goto(queue_url)
    total = page.locator("tbody tr[data-agency]").count()
    assert total > 3

    # Search as typed on a keyboard without Vietnamese input: "so tu phap" finds "Sở Tư pháp".
    page.locator('input[name="q"]').fill("so tu phap")
    page.locator('input[name="q"]').press("Enter")
    expect(page.locator("tbody tr[data-agency]")).to_have_count(1)
    expect(page.locator('tr[data-agency="so-tu-phap"]')).to_be_visible()

    # Sort by the agency's name, then the other way: the header says which.
    page.goto(queue_url)
    header = page.locator("thead th").nth(1)
    header.locator("a").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    names = page.locator("tbody tr[data-agency] td:nth-child(2)").all_inner_texts()
    header = page.locator("thead th").nth(1)
    header.locator("a").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert page.locator("tbody tr[data-agency] td:nth-child(2)").all_inner_texts() == list(reversed(names))

    # Pick two agencies and remind them; the confirmation says how many.
    button = page.locator("#remind-button")
    expect(button).to_be_disabled()
    page.locator('tr[data-agency="so-tu-phap"] input.pick').check()
    page.locator('tr[data-agency="so-y-te"] input.pick').check()
    expect(page.locator("#remind-count")).to_have_text("2")
    page.locator("#remind-message").fill("Đề nghị rà soát hồ sơ trước ngày 30/11.")
    button.click()
    confirmation = page.locator(".alert-success")
    expect(confirmation).to_be_visible()
    assert re.findall(r"\d+", confirmation.inner_text())[0] == "2"
    expect(page.locator("thead th").nth(1)).to_have_attribute("aria-sort", "descending")  # the sort was kept
    assert sorted(r.dossier.agency.code for r in DossierReminder.objects.all()) == ["so-tu-phap", "so-y-te"]
    reminded = set(
        Notification.objects.filter(key__startswith="dossier-reminder:").values_list(
            "recipient__agency__code", flat=True
        )
    )
    assert reminded == {"so-tu-phap", "so-y-te"}
    expect(page.locator('tr[data-agency="so-tu-phap"] td').last).not_to_have_text("—")

    # Open the dossier and mark a level criterion by its label, as the agency chose it.
    page.get_by_role("link", name="Sở Tư pháp").click()
    page.wait_for_url(f"**/ho-so/{justice.pk}/")
    page.wait_for_load_state("load")  # htmx listens once its script ran: a change before that sends nothing
    level = row(page, "1.3").locator('select[name^="mark_"]')  # 1563: the annual report on time
    with autosaved(page, "/tham-dinh/"):
        level.select_option(label="Trễ hạn (1,5)")
    expect(row(page, "1.3").locator(".cell-error")).to_have_count(0)
    mark = AppraisalMark.objects.get(dossier=justice, criterion=criterion(justice, "1.3"), scorer=reviewer.agency)
    assert mark.raw == "tre_han"
    page.reload()
    expect(row(page, "1.3").locator('select[name^="mark_"] option:checked')).to_have_text("Trễ hạn (1,5)")
