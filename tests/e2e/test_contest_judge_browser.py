"""Browser journey of a contest (issue 14): Sở Nội vụ's reviewer sets a "Dân vận khéo" contest up
in the browser (set, rule, prizes, entrants, a panel of two); in its marking phase judge B has
marked a commune; judge A scores the same commune alone, sees the saved total and nothing of B's
(name, comment, total); once the results are published A reads the combined result."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD
from portal.models import Agency, AgencyVersion, Role
from scoring import score_types
from scoring.engine.leaf import score_type_of
from scoring.models import Contest, Phase
from scoring.selectors import criteria_set_by_code
from scoring.selectors.contest import contest_results, entrant_set, sheet_nodes
from scoring.services import period_set_phase, regulation_import_file
from scoring.services.contest import judge_marks_save
from scoring.templatetags.scoring_tags import points
from tests.e2e.browser import log_in
from tests.factories import UserFactory
from tests.scoring.cycle_helpers import LIBRARY

SECRET = "Nhận xét riêng của giám khảo B 7Q"


def person(username: str, full_name: str, agency, role: str):
    user = UserFactory(username=username, full_name=full_name, agency=agency, roles=[role])
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_judge_scores_blind_then_reads_the_combined_result(page: Page, live_server, demo_core):
    base, province = live_server.url, demo_core
    regulation_import_file(
        province=province, name="dvk.yaml", content=(LIBRARY / "dan-van-kheo-2024.yaml").read_bytes()
    )
    home = Agency.objects.get(code="so-noi-vu")
    person("thamdinh.cuocthi", "Trần Văn Tổ Chức", home, Role.REVIEWER)
    judge_a = person("giamkhao.a", "Đặng Văn An", home, Role.AGENCY_STAFF)
    judge_b = person("giamkhao.b", "Hoàng Thị Bích Ngọc", home, Role.AGENCY_STAFF)
    year = timezone.localdate().year  # the units the form offers are the province's of today
    communes = list(
        AgencyVersion.objects.valid_on(timezone.localdate()).filter(agency__province=province, group__code="khoi-xa")
        .order_by("agency__code")[:2]
    )  # fmt: skip

    # The organiser sets the contest up from the menu.
    log_in(page, base, "thamdinh.cuocthi")
    page.locator("nav").get_by_role("link", name="Cuộc thi").click()
    page.locator(f'a[href="{reverse("scoring:contest_create")}"]').click()
    page.locator("#id_name").fill(f"Cuộc thi “Dân vận khéo” năm {year}")
    page.locator("#id_year").fill(str(year))
    page.locator("#id_theme").fill("Chính quyền thân thiện")
    page.locator("#id_criteria_set").select_option(str(criteria_set_by_code(province=province, code="dvk-2024").pk))
    page.locator("input[name=combine][value=average]").check()
    for version in communes:
        page.locator(f"input[name=entrants][value='{version.agency_id}']").check()
    for judge in (judge_a, judge_b):
        page.locator(f"input[name=judges][value='{judge.pk}']").check()
    page.locator("#id_places_nhat").fill("1")
    page.locator("#id_places_khuyen_khich").fill("1")
    page.locator("#contest-form button[type=submit]").click()
    contest = Contest.objects.get(period__year=year)
    expect(page).to_have_url(f"{base}{reverse('scoring:contest', args=[contest.pk])}")
    expect(page.locator("#panel")).to_contain_text("Đặng Văn An")
    expect(page.locator("#contest-rules")).to_contain_text("Giải Nhất: 1")

    # Marking opens (the period's phases); judge B marks the first commune before A.
    period = contest.period
    period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=None)
    period_set_phase(period=period, phase=Phase.APPRAISAL, by=None)
    period.refresh_from_db()
    dossier = period.dossiers.get(agency_id=communes[0].agency_id)
    nodes = sheet_nodes(entrant_set(contest, dossier).spec)
    low = {}
    for node in nodes:
        choices = score_type_of(node).widget(node).choices
        low[node.code] = (
            "0" if node.kind == "bonus" else choices[-1][0] if choices else "5" if node.score_type == "range" else "50"
        )
    seat_b = contest.judges.get(user=judge_b)
    judge_marks_save(contest=contest, judge=seat_b, dossier=dossier, marks=low, comments={"C": SECRET},
                     by=judge_b)  # fmt: skip
    b_total = contest_results(contest).rows[0].judge_totals  # in the panel's order: A, B
    b_total = next(t for t in b_total if t is not None)

    # Judge A opens the commune from the contest page and scores it.
    log_in(page, base, "giamkhao.a")
    page.locator("nav").get_by_role("link", name="Cuộc thi").click()
    page.locator("#contests").get_by_role("link", name=period.name).click()
    row = page.locator("#my-sheets tr", has_text=dossier.agency_version.name)
    row.get_by_role("link", name="Chấm điểm").click()
    expect(page.locator("h1")).to_have_text(dossier.agency_version.name)
    for node in nodes:
        value = score_types.box_value(node, score_type_of(node).full_marks(node))
        field = page.locator(f'[name="mark_{node.code}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Lưu điểm chấm").click()
    results = contest_results(contest)
    a_total = next(r.judge_totals for r in results.rows if r.dossier == dossier)[0]
    assert a_total is not None and a_total != b_total
    expect(page.locator("#my-total")).to_have_text(points(a_total))
    html = page.content()
    for secret in (SECRET, "Hoàng Thị Bích Ngọc", "giamkhao.b", points(b_total)):
        assert secret not in html, secret
    page.goto(f"{base}{reverse('scoring:contest', args=[contest.pk])}")
    expect(page.locator("#results")).to_have_count(0)
    assert "Hoàng Thị Bích Ngọc" in page.locator("#panel").inner_text()  # the panel is public…
    assert points(b_total) not in page.content()  # …its marks are not

    # Results published: A reads both totals and the combined score (the average of the two).
    period_set_phase(period=period, phase=Phase.EXPLANATION, by=None)
    page.reload()
    entrant = next(r for r in contest_results(contest).rows if r.dossier == dossier)
    assert min(a_total, b_total) < entrant.entrant.score < max(a_total, b_total)  # the average of the two
    result_row = page.locator(f"#results tr[data-entrant='{dossier.pk}']")
    expect(result_row).to_contain_text(points(a_total))
    expect(result_row).to_contain_text(points(b_total))
    expect(result_row.locator("td.fw-semibold")).to_have_text(points(entrant.entrant.score))
