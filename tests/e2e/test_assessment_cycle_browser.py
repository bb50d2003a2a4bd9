"""The whole assessment cycle in Chromium on the demo province (this year's period on 1563, open for
self-assessment): staff fills in and attaches evidence, the head submits, VP UBND co-scores criterion
4, the reviewer scores the rest, the agency explains one criterion, the reviewer accepts, the period
is finalized, and the ranking shows the class and rank computed here from the numbers entered."""

from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.demo import demo_pdf
from scoring import services
from scoring.models import Adjustment, CriterionScore, Result, ScoringPeriod
from tests.e2e.browser import log_in
from tests.scoring.cycle_helpers import fill_complete

SELF = {  # what Sở Tư pháp's staff types: (widget, value); 1.1, 3.3, 4.1 and 4.2 the portal fills in
    "1.2": ("input", "4"),
    "1.3": ("select", "dung_han"),
    "2.1": ("input", "4"),
    "2.2": ("input", "95"),
    "2.3": ("select", "true"),
    "3.1": ("select", "true"),
    "3.2": ("input", "9,5"),
    "4.3": ("input", "99"),
    "5.1": ("select", "true"),
    "5.2": ("input", "4,5"),
    "5.3": ("input", "5"),
    "5.4": ("select", "true"),
    "6": ("input", "18"),
}
COREVIEWER = {"4.1": "90", "4.2": "85", "4.3": "97"}  # VP UBND: criterion 4
REVIEWER = {"1.2": "3,5", "1.3": "tre_han", "2.1": "4", "2.2": "85", "2.3": "true", "3.1": "true", "3.2": "8",
            "5.1": "true", "5.2": "4", "5.3": "5", "5.4": "true", "6": "17"}  # fmt: skip


def expected_total(plan_points: D, dvk_points: D, bonus: D) -> D:
    """Computed by hand from the marks above, as decision 1563 (as reconstructed) says; the unit's plan
    (1.1), its "Dân vận khéo" model (3.3) and the bonus T1 come from the portal's records."""
    c1 = plan_points + D("3.5") + D("1.5")  # 1.3 marked late: 1.5
    c2 = 4 + 3 + 2  # 2.2: 85 % → band ≥ 80 → 3
    c3 = 5 + D("9.5") + dvk_points  # 3.2 raised from 8 to 9.5 after the explanation
    c4 = 10 * D("0.90") + 5 * D("0.85") + 3  # 4.3: 97 % → band ≥ 95 → 3
    c5 = 5 + 4 + 5 + 5
    c6 = D(17)
    return min(c1 + c2 + c3 + c4 + c5 + c6 + bonus, D(100))


def shown(number: D) -> str:
    """A number as the ranking prints it: a decimal comma, no trailing zeros."""
    text = format(number, "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")


def row(page: Page, code: str):
    return page.locator(f'tr[data-code="{code}"]')


def autosaved(page: Page, path: str):
    """Waits for the autosave request the next action triggers, and checks it was accepted."""
    return page.expect_response(lambda r: path in r.url and r.request.method == "POST" and r.status == 200)


def save_self(page: Page, code: str, widget: str, value: str) -> None:
    target = row(page, code)
    with autosaved(page, "/tu-cham/"):
        if widget == "select":
            target.locator('select[name^="raw_"]').select_option(value)
        else:
            field = target.locator('input[name^="raw_"]')
            field.fill(value)
            field.press("Tab")
    expect(row(page, code).locator(".saved-flag")).to_be_visible()


def explain_missing_evidence(page: Page, code: str) -> None:
    with autosaved(page, "/tu-cham/"):
        field = row(page, code).locator('textarea[name^="why_"]')
        field.fill("Kết quả thể hiện trong báo cáo năm của đơn vị")
        field.press("Tab")
    expect(row(page, code).locator(".cell-error")).to_have_count(0)


def enter_mark(page: Page, code: str, value: str) -> None:
    with autosaved(page, "/tham-dinh/"):
        listed = row(page, code).locator('select[name^="mark_"]')
        if listed.count():  # levels and yes/no: the agency's list (the value of the label chosen)
            listed.select_option(value)
        else:
            field = row(page, code).locator('input[name^="mark_"]')
            field.fill(value)
            field.press("Tab")
    expect(row(page, code).locator(".cell-error")).to_have_count(0)


def move_phase(page: Page, base: str, period: ScoringPeriod, phase: str, reason: str) -> None:
    page.goto(f"{base}/cham-diem/ky/{period.pk}/")
    page.locator('select[name="phase"]').select_option(phase)
    page.locator('textarea[name="reason"]').fill(reason)
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.get_by_text("Đã chuyển giai đoạn.")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_whole_assessment_cycle(page: Page, live_server, demo_province, tmp_path):
    base = live_server.url
    period = ScoringPeriod.objects.get(province=demo_province, program="dvcq", year=timezone.localdate().year)
    justice = period.dossiers.get(agency__code="so-tu-phap")
    # Another department of the same group has submitted its own dossier (self-scores only).
    health = period.dossiers.get(agency__code="so-y-te")
    from portal.models import User

    fill_complete(health, User.objects.get(username="canbo.tuphap"))
    services.dossier_submit(dossier=health, by=User.objects.get(username="lanhdao.tuphap"))
    automatic = {
        s.criterion.code: s.self_points
        for s in CriterionScore.objects.filter(dossier=justice, is_automatic=True).select_related("criterion")
    }
    assert set(automatic) == {"1.1", "3.3", "4.1", "4.2"}
    bonus = sum((D(3) for a in Adjustment.objects.filter(dossier=justice, criterion__code="T1", raw="true")), D(0))

    evidence = tmp_path / "bien-ban-hoi-nghi.pdf"
    evidence.write_bytes(demo_pdf("Bien ban hoi nghi"))

    # 1. Staff fills in the grid (autosave per cell) and attaches evidence.
    log_in(page, base, "canbo.tuphap")
    page.get_by_role("link", name="Chấm điểm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp")
    for code, (widget, value) in SELF.items():
        save_self(page, code, widget, value)
    expect(page.locator("#total-self")).not_to_have_text("0")
    target = row(page, "2.2")
    target.get_by_text("Thêm tài liệu").click()
    target.locator('input[type="file"]').set_input_files(str(evidence))
    target.get_by_role("button", name="Đính kèm").click()
    expect(row(page, "2.2").get_by_role("link", name="bien-ban-hoi-nghi.pdf")).to_be_visible()
    for code in SELF:
        if code != "2.2":
            explain_missing_evidence(page, code)

    # 2. The head approves and submits; the dossier locks.
    log_in(page, base, "lanhdao.tuphap")
    page.goto(f"{base}/cham-diem/ho-so/{justice.pk}/")
    page.get_by_role("button", name="Duyệt và nộp hồ sơ").click()
    page.get_by_role("button", name="Xác nhận nộp").click()  # the confirmation dialog
    expect(page.get_by_text("Hồ sơ đã được nộp và khóa.")).to_be_visible()
    expect(page.get_by_role("heading", name="Giấy biên nhận")).to_be_visible()
    expect(page.locator('select[name^="raw_"]')).to_have_count(0)

    # 3. The reviewer opens appraisal; VP UBND co-scores criterion 4; the reviewer the rest.
    log_in(page, base, "thamdinh.noivu")
    move_phase(page, base, period, "appraisal", "Hết hạn nộp hồ sơ tự chấm")
    log_in(page, base, "phoihop.vpubnd")
    page.goto(f"{base}/cham-diem/ky/{period.pk}/tham-dinh/")
    page.get_by_role("link", name="Sở Tư pháp").click()
    page.wait_for_load_state("load")  # htmx listens once its script ran: a change before that sends nothing
    expect(page.get_by_text("Bạn chỉ xem và chấm các tiêu chí được giao")).to_be_visible()
    expect(row(page, "2.2")).to_have_count(0)
    for code, value in COREVIEWER.items():
        enter_mark(page, code, value)
    log_in(page, base, "thamdinh.noivu")
    page.goto(f"{base}/cham-diem/ho-so/{justice.pk}/")
    for code, value in REVIEWER.items():
        enter_mark(page, code, value)

    # 4. Provisional results go out; the agency explains criterion 3.2; the reviewer accepts.
    move_phase(page, base, period, "explanation", "Công bố kết quả thẩm định tạm thời")
    log_in(page, base, "canbo.tuphap")
    page.goto(f"{base}/cham-diem/ho-so/{justice.pk}/")
    target = row(page, "3.2")
    target.get_by_text("Giải trình tiêu chí này").click()
    target.locator('textarea[name="text"]').fill("Quy chế phối hợp đã được sơ kết đủ hai lần trong năm.")
    target.get_by_role("button", name="Gửi giải trình").click()
    expect(page.get_by_text("Đã gửi giải trình đến cơ quan thẩm định.")).to_be_visible()
    log_in(page, base, "thamdinh.noivu")
    page.goto(f"{base}/cham-diem/ho-so/{justice.pk}/")
    decision = page.locator('.explanation-decision[data-code="3.2"]')
    decision.locator('select[name="decision"]').select_option("accept")
    decision.locator('input[name="new_raw"]').fill("9,5")
    decision.locator('input[name="reason"]').fill("Đã đối chiếu báo cáo sơ kết")
    decision.get_by_role("button", name="Quyết định").click()
    expect(page.get_by_text("Đã lưu quyết định.")).to_be_visible()

    # 5. Settlement and finalization.
    move_phase(page, base, period, "settlement", "Hết hạn giải trình")
    page.get_by_role("button", name="Chốt kết quả kỳ đánh giá").click()
    expect(page.get_by_role("heading", name="Xếp hạng, xếp loại")).to_be_visible()

    # 6. The ranking shows what the regulation gives for the numbers entered.
    total = expected_total(automatic["1.1"], automatic["3.3"], bonus)
    assert total == D("88.75") + automatic["1.1"]  # 3.3 "hiệu quả" (5) and T1 (3): a model the province recognised
    justice_row = page.locator('table.ranking tr[data-agency="so-tu-phap"]')
    expect(justice_row.locator(".total")).to_have_text(shown(total))
    expect(justice_row.locator(".band")).to_have_text("Tốt" if total >= 90 else "Khá")
    health_total = Result.objects.get(dossier=health).total
    expected_rank = "2" if health_total > total else "1"
    expect(justice_row.locator(".rank")).to_have_text(expected_rank)
    # 7. How the total came about: the row's steps are fetched when the reviewer opens them.
    justice_row.get_by_text("Cách tính").click()
    steps = justice_row.locator(".result-steps li")
    expect(steps.first).to_be_visible()
    expect(steps.filter(has_text=shown(total)).first).to_be_visible()
