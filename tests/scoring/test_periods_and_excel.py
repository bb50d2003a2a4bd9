"""Phases by date and by hand, the ranking page, and the agency's Excel round trip."""

import datetime as dt
import io

import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from scoring import services, tasks
from scoring.models import CriterionScore, Phase, PhaseChange
from tests.helpers import xlsx_to_csv_rows
from tests.scoring.cycle_helpers import fill_complete


def test_phases_switch_by_date_only_forward_and_are_logged(cycle):
    period = cycle["period"]
    after_grace = period.self_assessment_due_on + dt.timedelta(days=period.grace_days + 1)
    with time_machine.travel(dt.datetime.combine(after_grace, dt.time(1), tzinfo=timezone.get_current_timezone())):
        assert tasks.phase_switch() == 1
        assert tasks.phase_switch() == 0
    period.refresh_from_db()
    assert period.phase == Phase.APPRAISAL
    change = PhaseChange.objects.filter(period=period).last()
    assert (change.to_phase, change.by) == (Phase.APPRAISAL, None)


def test_moving_a_phase_by_hand_needs_a_reason(client, cycle):
    period = cycle["period"]
    client.force_login(cycle["people"]["reviewer"])
    url = reverse("scoring:period", args=[period.pk])
    page = client.post(url, {"phase": "appraisal", "reason": ""}).content.decode()
    assert "Ghi rõ lý do" in page
    client.post(url, {"phase": "appraisal", "reason": "Các đơn vị đã nộp đủ"})
    period.refresh_from_db()
    assert period.phase == Phase.APPRAISAL
    assert PhaseChange.objects.filter(reason="Các đơn vị đã nộp đủ", by=cycle["people"]["reviewer"]).exists()
    client.force_login(cycle["people"]["staff"])
    assert client.post(url, {"phase": "self_assessment", "reason": "x"}).status_code == 403


def test_ranking_page_shows_groups_classes_and_the_plan_target(client, cycle):
    from plans.models import Target
    from tests.factories import PlanFactory

    people = cycle["people"]
    fill_complete(cycle["dossiers"]["so-tu-phap"], people["staff"])
    services.dossier_submit(dossier=cycle["dossiers"]["so-tu-phap"], by=people["head"])
    plan = PlanFactory(province=cycle["province"], year=2021)
    Target.objects.create(plan=plan, code="6", title="≥ 50 % Tốt", metric="share_rated_tot", threshold=50)
    client.force_login(people["leader"])
    page = client.get(reverse("scoring:ranking", args=[cycle["period"].pk])).content.decode()
    assert "Tạm tính — chưa chính thức" in page
    assert "Khối sở, ban, ngành tỉnh" in page
    justice = page.split('data-agency="so-tu-phap"')[1].split("</tr>")[0]
    assert "Tốt" in justice  # full marks, no penalty
    assert "Chỉ tiêu của kế hoạch" in page and "chưa đạt" in page


def test_excel_form_round_trip_with_preview_and_cell_errors(client, cycle, tmp_path):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    content = client.get(reverse("scoring:excel_download", args=[dossier.pk])).content
    path = tmp_path / "phieu.xlsx"
    path.write_bytes(content)
    rows = xlsx_to_csv_rows(path, tmp_path)
    assert rows[3][:3] == ["STT", "Tiêu chí", "Điểm tối đa"]
    wb = load_workbook(path)
    ws = wb["Tự chấm"]
    by_code = {str(r[0].value): r for r in ws.iter_rows(min_row=5) if r[0].value}
    by_code["2.1"][5].value = "Trễ hạn"
    by_code["2.2"][5].value = "3,5"
    by_code["2.2"][6].value = "Đã quán triệt tại hội nghị 15/3"
    by_code["5.1"][5].value = "Có"
    by_code["2.3"][5].value = "9"  # above the maximum of 5
    out = io.BytesIO()
    wb.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "phieu.xlsx"
    page = client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"file": upload}).content.decode()
    row_23 = by_code["2.3"][5].coordinate
    assert f"Ô {row_23} (2.3): Điểm phải từ 0 đến 5" in page
    assert "Tệp có lỗi; chưa lưu gì" in page
    assert not CriterionScore.objects.filter(dossier=dossier).exclude(is_automatic=True).exists()

    by_code["2.3"][5].value = "4,5"
    out = io.BytesIO()
    wb.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "phieu.xlsx"
    page = client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"file": upload}).content.decode()
    assert "Xem trước các thay đổi" in page and "Trễ hạn" not in page.split("Xem trước")[0]
    client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"apply": "1"})
    scores = {s.criterion.code: s for s in dossier.scores.select_related("criterion")}
    assert scores["2.1"].self_raw == "tre_han"
    assert scores["2.2"].self_raw == "3.5" and scores["2.2"].note == "Đã quán triệt tại hội nghị 15/3"
    assert scores["2.3"].self_raw == "4.5"
    assert scores["5.1"].self_raw == "true"


def test_an_excel_apply_after_someone_changed_a_row_saves_nothing(client, cycle, tmp_path):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    wb = load_workbook(io.BytesIO(client.get(reverse("scoring:excel_download", args=[dossier.pk])).content))
    ws = wb["Tự chấm"]
    by_code = {str(r[0].value): r for r in ws.iter_rows(min_row=5) if r[0].value}
    by_code["2.2"][5].value = "3,5"
    by_code["2.3"][5].value = "4"
    out = io.BytesIO()
    wb.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "phieu.xlsx"
    assert (
        "Xem trước các thay đổi"
        in client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"file": upload}).content.decode()
    )
    # The head types 2.3 in the grid between the preview and the apply.
    criterion_23 = dossier.period.criteria_set.criteria.get(code="2.3")
    services.self_score_save(dossier=dossier, criterion=criterion_23, by=cycle["people"]["head"], raw="2", version=0)
    page = client.post(reverse("scoring:excel_upload", args=[dossier.pk]), {"apply": "1"}, follow=True)
    assert "Hồ sơ đã có người sửa sau khi bạn nạp tệp" in page.content.decode()
    scores = {s.criterion.code: s.self_raw for s in dossier.scores.select_related("criterion")}
    assert scores.get("2.2", "") == ""  # not saved either: all or nothing
    assert scores["2.3"] == "2"  # the head's value stands
