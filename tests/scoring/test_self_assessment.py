"""Self-assessment in the browser's terms: autosave per cell, errors beside the cell, submit, lock."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from scoring import services
from scoring.models import CriterionScore, Dossier
from tests.scoring.cycle_helpers import criterion, fill_complete

HX = {"HTTP_HX_REQUEST": "true"}


def save_cell(client, dossier, code, raw=None, note=None, version="current", why=None):
    """Posts one cell as the page does, with the version the page shows (or the one given; None sends none)."""
    c = criterion(dossier, code)
    if version == "current":
        version = CriterionScore.objects.filter(dossier=dossier, criterion=c).values_list("version", flat=True).first()
        version = version or 0
    data = {}
    if raw is not None:
        data[f"raw_{c.pk}"] = raw
    if note is not None:
        data[f"note_{c.pk}"] = note
    if why is not None:
        data[f"why_{c.pk}"] = why
    if version is not None:
        data[f"v_{c.pk}"] = str(version)
    return client.post(reverse("scoring:self_cell", args=[dossier.pk, c.pk]), data, **HX)


def test_autosave_saves_the_cell_and_updates_subtotal_and_total(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    response = save_cell(client, dossier, "2.2", raw="3,5")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã lưu" in page
    assert (
        '<span id="self-c2" hx-swap-oob="true">3,5</span>' in page.replace("self-2", "self-c2")
        or 'id="self-2" hx-swap-oob="true">3,5<' in page
    )
    score = CriterionScore.objects.get(dossier=dossier, criterion__code="2.2")
    assert (score.self_raw, score.self_points) == ("3.5", 3.5)
    assert score.history.first().history_user == cycle["people"]["staff"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("5", "Điểm phải từ 0 đến 4"),
        ("-1", "Điểm phải từ 0 đến 4"),
        ("3,25", "bội số của 0,5"),
        ("ba", "“ba” không phải là số"),
    ],
)
def test_marks_outside_the_range_or_off_step_are_refused_beside_the_cell(client, cycle, raw, message):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    response = save_cell(client, dossier, "2.2", raw=raw)
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert f'value="{raw}"' in page  # what was typed stays in the box
    assert not CriterionScore.objects.filter(dossier=dossier, criterion__code="2.2").exclude(self_raw="").exists()


def test_stale_concurrent_save_is_refused_and_the_first_value_kept(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    staff, head = cycle["people"]["staff"], cycle["people"]["head"]
    client.force_login(staff)
    save_cell(client, dossier, "2.3", raw="4", version=0)  # both opened the page at version 0
    client.force_login(head)
    response = save_cell(client, dossier, "2.3", raw="5", version=0)
    page = response.content.decode()
    assert response.status_code == 409
    assert "chưa được lưu" in page and 'value="5"' in page
    assert CriterionScore.objects.get(dossier=dossier, criterion__code="2.3").self_raw == "4"


def test_notes_are_rendered_inert(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    save_cell(client, dossier, "2.2", raw="3", note='<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


def test_submit_lists_what_is_missing_then_locks(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    client.force_login(people["head"])
    confirmed = {"confirmed": "1"}
    response = client.post(reverse("scoring:submit", args=[dossier.pk]), confirmed, follow=True)
    page = response.content.decode()
    assert "Hồ sơ chưa được nộp: còn thiếu" in page
    assert '<a href="#row-1.1" class="missing-link" data-code="1.1">' in page and "chưa có điểm tự chấm" in page
    fill_complete(dossier, people["staff"])
    # A score without evidence needs a written explanation.
    services.evidence_remove(evidence=dossier.evidence.filter(criterion__code="5.2").get(), by=people["staff"])
    page = client.post(reverse("scoring:submit", args=[dossier.pk]), confirmed, follow=True).content.decode()
    assert '<li data-code="5.2">' in page and "chưa có tài liệu hoặc giải trình" in page
    client.force_login(people["staff"])
    save_cell(client, dossier, "5.2", why="Hội nghị tổ chức trực tuyến, biên bản đang chờ ký")
    client.force_login(people["head"])
    page = client.post(reverse("scoring:submit", args=[dossier.pk]), confirmed, follow=True).content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED and not dossier.is_late
    assert "đã được nộp và khóa" in page


def test_staff_cannot_submit_and_nothing_changes_after_lock(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    fill_complete(dossier, people["staff"])
    client.force_login(people["staff"])
    assert client.post(reverse("scoring:submit", args=[dossier.pk])).status_code == 403
    services.dossier_submit(dossier=dossier, by=people["head"])
    assert save_cell(client, dossier, "2.2", raw="1").status_code == 403
    client.force_login(people["head"])
    assert client.post(reverse("scoring:submit", args=[dossier.pk])).status_code == 403
    assert CriterionScore.objects.get(dossier=dossier, criterion__code="2.2").self_raw == "4"


def test_submission_in_the_grace_days_is_marked_late(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    fill_complete(dossier, people["staff"])
    period = cycle["period"]
    with time_machine.travel(
        dt.datetime.combine(
            period.self_assessment_due_on + dt.timedelta(days=2), dt.time(9), tzinfo=timezone.get_current_timezone()
        )
    ):
        services.dossier_submit(dossier=dossier, by=people["head"])
    dossier.refresh_from_db()
    assert (dossier.is_late, dossier.late_days) == (True, 2)


def test_reviewer_reopens_with_a_reason_and_the_agency_is_told(client, cycle):
    dossier = cycle["dossiers"]["so-tu-phap"]
    people = cycle["people"]
    fill_complete(dossier, people["staff"])
    services.dossier_submit(dossier=dossier, by=people["head"])
    client.force_login(people["reviewer"])
    client.post(reverse("scoring:reopen", args=[dossier.pk]), {"reason": "Thiếu tài liệu tiêu chí 2.5"})
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.REOPENED
    assert dossier.history.first().history_change_reason == "Thiếu tài liệu tiêu chí 2.5"
    assert people["staff"].notifications.filter(body="Thiếu tài liệu tiêu chí 2.5").exists()
    client.force_login(people["staff"])
    assert save_cell(client, dossier, "2.2", raw="3").status_code == 200


def test_automatic_marks_come_from_plan_deliverables_and_indexes(cycle):
    from plans import services as plan_services
    from scoring.models import IndexValue
    from tests.factories import DeliverableTypeFactory, PlanFactory

    province, justice = cycle["province"], cycle["agency"]["so-tu-phap"]
    plan = PlanFactory(province=province, year=2021)
    DeliverableTypeFactory(plan=plan, code="report_annual", due_on=dt.date(2021, 11, 22)).groups.set(
        province.groups.all()
    )
    plan_services.plan_issue(plan=plan)
    IndexValue.objects.create(province=province, source="PAR", year=2020, agency=justice, value="87.5")
    dossier = cycle["dossiers"]["so-tu-phap"]
    services.dossier_prefill(dossier)
    scores = {s.criterion.code: s for s in dossier.scores.select_related("criterion")}
    assert (scores["2.6.b"].self_raw, scores["2.6.b"].is_automatic) == ("khong_gui", True)  # nothing sent by 22/11/2021
    assert scores["3"].self_raw == "87.50" and scores["3"].self_points == 17.5


def test_plan_tasks_linked_to_a_criterion_are_offered_while_self_scoring(client, cycle):
    from plans.models import Plan
    from tests.factories import PlanFactory, TaskFactory

    plan = PlanFactory(province=cycle["province"], year=2021, status=Plan.Status.ISSUED)
    task = TaskFactory(plan=plan, code="II.1", title="Quán triệt chủ trương về dân vận", criterion_codes=["2.2"])
    task.owner_groups.set(cycle["province"].groups.filter(code="khoi-so"))
    dossier = cycle["dossiers"]["so-tu-phap"]
    client.force_login(cycle["people"]["staff"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    row = page.split('id="row-2.2"')[1].split("</tr>")[0]
    assert "Nhiệm vụ của kế hoạch gắn với tiêu chí: II.1 Quán triệt chủ trương về dân vận" in row
    assert "II.1" not in page.split('id="row-2.3"')[1].split("</tr>")[0]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("bien-ban.pdf", b"MZ\x90\x00" + b"\x00" * 300, "không phải loại văn bản được chấp nhận"),
        ("../../../etc/passwd.pdf", b"%PDF-1.4\n%%EOF\n", "không được chứa đường dẫn"),
        ("C:\\Users\\canbo\\bien-ban.pdf", b"%PDF-1.4\n%%EOF\n", "không được chứa đường dẫn"),
    ],
)
def test_evidence_upload_refuses_disguised_files_and_paths(client, cycle, filename, content, message):
    dossier = cycle["dossiers"]["so-tu-phap"]
    c = criterion(dossier, "2.2")
    client.force_login(cycle["people"]["staff"])
    boundary = "ev-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST", reverse("scoring:evidence_add", args=[dossier.pk, c.pk]), body,
        content_type=f"multipart/form-data; boundary={boundary}", **HX,
    )  # fmt: skip
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not dossier.evidence.exists()


def test_evidence_upload_refuses_an_oversize_file(client, cycle, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.demo import demo_pdf

    settings.UPLOAD_MAX_BYTES = 200
    dossier = cycle["dossiers"]["so-tu-phap"]
    c = criterion(dossier, "2.2")
    client.force_login(cycle["people"]["staff"])
    response = client.post(
        reverse("scoring:evidence_add", args=[dossier.pk, c.pk]),
        {"file": SimpleUploadedFile("bb.pdf", demo_pdf("x" * 50))},
        **HX,
    )
    assert response.status_code == 422
    assert "giới hạn là 200\xa0byte" in response.content.decode()
    assert not dossier.evidence.exists()


def test_evidence_file_is_hashed_and_served_only_through_the_portal(client, cycle):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.demo import demo_pdf

    dossier = cycle["dossiers"]["so-tu-phap"]
    c = criterion(dossier, "2.2")
    content = demo_pdf("Bien ban")
    client.force_login(cycle["people"]["staff"])
    response = client.post(
        reverse("scoring:evidence_add", args=[dossier.pk, c.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", content)},
        **HX,
    )
    assert response.status_code == 200 and "bien-ban.pdf" in response.content.decode()
    evidence = dossier.evidence.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest() and evidence.content_kind == "pdf"
    download = client.get(reverse("scoring:evidence_file", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == content
