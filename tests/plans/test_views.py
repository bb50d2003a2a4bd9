"""Plan pages: an agency's deadlines and upload, the reviewer's matrix, review, copy, permissions."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from plans import services
from plans.demo import demo_pdf
from plans.models import Deliverable, Plan
from tests.factories import DeliverableTypeFactory, PlanFactory, TargetFactory
from tests.helpers import xlsx_to_csv_rows

NOW = dt.datetime(2021, 11, 15, 9, tzinfo=dt.UTC)


@pytest.fixture
def plan(world):
    with time_machine.travel(NOW, tick=False):
        plan = PlanFactory(province=world["province"], year=2021)
        annual = DeliverableTypeFactory(
            plan=plan, code="report_annual", title="Báo cáo năm 2021", due_on=dt.date(2021, 11, 22)
        )
        annual.groups.set([world["group"]])
        DeliverableTypeFactory(plan=plan, code="agency_plan", title="Kế hoạch của đơn vị", due_on=dt.date(2021, 3, 1))
        TargetFactory(
            plan=plan,
            title="Đơn vị nộp báo cáo năm đúng hạn",
            metric="deliverable_on_time",
            metric_param="report_annual",
            threshold=100,
        )
        services.plan_issue(plan=plan)
    return plan


def upload(name="bao-cao.pdf", content=None):
    return SimpleUploadedFile(name, content or demo_pdf("Bao cao nam 2021"), content_type="application/pdf")


def post_upload(client, deliverable, file, number="125/BC-STP", date="12/11/2021"):
    prefix = f"d{deliverable.pk}"
    return client.post(
        reverse("plans:deliverable_submit", args=[deliverable.pk]),
        {f"{prefix}-document": file, f"{prefix}-so_ky_hieu": number, f"{prefix}-document_date": date},
    )


def annual_of(world, key="justice"):
    return Deliverable.objects.get(type__code="report_annual", agency=world[key])


@time_machine.travel(NOW, tick=False)
def test_agency_sees_its_deadlines_with_countdown(client, world, plan):
    client.force_login(world["staff"])
    page = client.get(reverse("plans:my_duties"), {"year": 2021}).content.decode()
    assert "Báo cáo năm 2021" in page
    assert "còn 7 ngày" in page
    assert "Sắp đến hạn" in page


@time_machine.travel(NOW, tick=False)
def test_upload_marks_the_deliverable_submitted_on_time(client, world, plan):
    client.force_login(world["staff"])
    response = post_upload(client, annual_of(world), upload())
    assert response.status_code == 302
    deliverable = annual_of(world)
    assert deliverable.status_on(dt.date(2021, 11, 15)) == "on_time"
    assert deliverable.so_ky_hieu == "125/BC-STP"
    assert len(deliverable.document_sha256) == 64
    assert deliverable.history.first().history_user == world["staff"]


def raw_multipart_upload(client, deliverable, filename: str, content: bytes, number: str):
    """Posts a file exactly as a browser or a script could name it (the test client strips folders)."""
    boundary = "dvcq-boundary"
    prefix = f"d{deliverable.pk}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{prefix}-so_ky_hieu"\r\n\r\n{number}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="{prefix}-document_date"\r\n\r\n12/11/2021\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="{prefix}-document"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return client.generic(
        "POST",
        reverse("plans:deliverable_submit", args=[deliverable.pk]),
        b"".join(parts),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200, "không phải loại văn bản được chấp nhận"),
        ("bao-cao.exe", b"MZ\x90\x00" + b"\x00" * 200, "không phải loại văn bản được chấp nhận"),
        ("../../etc/bao-cao.pdf", demo_pdf("x"), "không được chứa đường dẫn"),
        ("C:\\Users\\canbo\\bao-cao.pdf", demo_pdf("x"), "không được chứa đường dẫn"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_files_are_refused_and_what_was_typed_is_kept(client, world, plan, filename, content, message):
    client.force_login(world["staff"])
    response = raw_multipart_upload(client, annual_of(world), filename, content, number="125/BC-STP")
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="125/BC-STP"' in page
    assert annual_of(world).submitted_at is None


@time_machine.travel(NOW, tick=False)
def test_oversize_file_is_refused(client, world, plan, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(world["staff"])
    page = post_upload(client, annual_of(world), upload()).content.decode()
    assert "giới hạn là 100\xa0byte" in page
    assert annual_of(world).submitted_at is None


@time_machine.travel(NOW, tick=False)
def test_future_document_date_is_refused_in_vietnamese(client, world, plan):
    client.force_login(world["staff"])
    page = post_upload(client, annual_of(world), upload(), date="20/12/2021").content.decode()
    assert "Ngày văn bản không được sau ngày hôm nay" in page


@time_machine.travel(NOW, tick=False)
def test_another_agency_cannot_submit_or_see_a_deliverable(client, world, plan):
    client.force_login(world["health_staff"])
    theirs = annual_of(world)
    assert post_upload(client, theirs, upload()).status_code == 404
    assert client.get(reverse("plans:deliverable_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("plans:deliverable_document", args=[theirs.pk])).status_code == 404
    assert theirs.submitted_at is None


@time_machine.travel(NOW, tick=False)
def test_agency_cannot_open_the_province_matrix(client, world, plan):
    client.force_login(world["staff"])
    assert client.get(reverse("plans:plan_matrix", args=[plan.pk])).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_reviewer_matrix_shows_status_per_agency_and_filters(client, world, plan):
    services.deliverable_submit(
        deliverable=annual_of(world),
        upload=upload(),
        so_ky_hieu="1/BC",
        document_date=dt.date(2021, 11, 10),
        by=world["staff"],
    )
    client.force_login(world["reviewer"])
    page = client.get(reverse("plans:plan_matrix", args=[plan.pk])).content.decode()
    assert 'data-agency="so-tu-phap"' in page
    justice_row = page.split('data-agency="so-tu-phap"')[1].split("</tr>")[0]
    assert 'data-status="on_time"' in justice_row
    filtered = client.get(reverse("plans:plan_matrix", args=[plan.pk]), {"status": "due_soon"}).content.decode()
    assert 'data-agency="so-tu-phap"' not in filtered
    assert 'data-agency="so-y-te"' in filtered


@time_machine.travel(NOW, tick=False)
def test_matrix_exports_to_excel_that_libreoffice_reads(client, world, plan, tmp_path):
    services.deliverable_submit(
        deliverable=annual_of(world),
        upload=upload(),
        so_ky_hieu="1/BC",
        document_date=dt.date(2021, 11, 10),
        by=world["staff"],
    )
    client.force_login(world["reviewer"])
    response = client.get(reverse("plans:plan_matrix", args=[plan.pk]), {"format": "xlsx"})
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(response.content)
    assert load_workbook(path).active.freeze_panes == "C4"
    rows = xlsx_to_csv_rows(path, tmp_path)
    justice = next(r for r in rows if len(r) > 1 and r[1] == "Sở Tư pháp")
    assert justice[3] == "Chưa nộp"  # the agency plan was due on 01/03
    assert justice[4] == "Đã nộp đúng hạn — 15/11/2021"


@time_machine.travel(NOW, tick=False)
def test_reviewer_returns_with_a_reason_and_the_agency_is_told(client, world, plan):
    deliverable = services.deliverable_submit(
        deliverable=annual_of(world),
        upload=upload(),
        so_ky_hieu="1/BC",
        document_date=dt.date(2021, 11, 10),
        by=world["staff"],
    )
    client.force_login(world["reviewer"])
    url = reverse("plans:deliverable_detail", args=[deliverable.pk])
    page = client.post(url, {"decision": "return", "comment": ""}).content.decode()
    assert "Ghi rõ lý do trả lại văn bản" in page
    client.post(url, {"decision": "return", "comment": "Thiếu phụ lục số liệu"})
    deliverable.refresh_from_db()
    assert deliverable.review == Deliverable.Review.RETURNED
    assert deliverable.status_on(dt.date(2021, 11, 15)) == "due_soon"
    assert world["staff"].notifications.filter(body="Thiếu phụ lục số liệu").exists()


@time_machine.travel(NOW, tick=False)
def test_agency_cannot_review(client, world, plan):
    deliverable = services.deliverable_submit(
        deliverable=annual_of(world),
        upload=upload(),
        so_ky_hieu="1/BC",
        document_date=dt.date(2021, 11, 10),
        by=world["staff"],
    )
    client.force_login(world["head"])
    response = client.post(reverse("plans:deliverable_detail", args=[deliverable.pk]), {"decision": "accept"})
    assert response.status_code == 403


@time_machine.travel(NOW, tick=False)
def test_target_computed_from_deliverables(client, world, plan):
    services.deliverable_submit(
        deliverable=annual_of(world),
        upload=upload(),
        so_ky_hieu="1/BC",
        document_date=dt.date(2021, 11, 10),
        by=world["staff"],
    )
    client.force_login(world["reviewer"])
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    # 1 of 3 agencies of the group submitted on time: 33,33 % against a target of 100 %
    assert "33,33%" in page
    assert "Chưa đạt" in page


def test_copy_last_years_plan(client, world, plan):
    client.force_login(world["reviewer"])
    response = client.post(reverse("plans:plan_copy", args=[plan.pk]))
    new = Plan.objects.get(year=2022)
    assert response.url == reverse("plans:plan_detail", args=[new.pk])
    assert new.status == Plan.Status.DRAFT
    assert list(new.deliverable_types.values_list("code", "due_on")) == [
        ("agency_plan", dt.date(2022, 3, 1)),
        ("report_annual", dt.date(2022, 11, 22)),
    ]
    assert new.targets.get().metric == "deliverable_on_time"
    again = client.post(reverse("plans:plan_copy", args=[plan.pk]), follow=True)
    assert "Đã có kế hoạch năm 2022" in again.content.decode()
    assert Plan.objects.filter(year=2022).count() == 1


def test_copying_onto_an_existing_year_is_refused_by_the_service_itself(world, plan):
    from django.core.exceptions import ValidationError

    services.plan_copy(plan=plan, by=world["reviewer"])
    with pytest.raises(ValidationError):
        services.plan_copy(plan=plan, by=world["reviewer"])
    assert Plan.objects.filter(year=2022).count() == 1


def test_draft_plan_is_hidden_from_agencies(client, world):
    draft = PlanFactory(province=world["province"], year=2022)
    client.force_login(world["staff"])
    assert client.get(reverse("plans:plan_detail", args=[draft.pk])).status_code == 404


def test_preview_command_lists_without_sending(world, plan, mailoutbox):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("preview_reminders", "--on", "2021-11-15", stdout=out)
    text = out.getvalue()
    assert "before_7   canbo" in text
    assert "canbo.yte" in text
    assert mailoutbox == []
    from plans.models import Reminder

    assert Reminder.objects.count() == 0


def test_admin_preview_page(client, world, plan):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:plans_reminder_preview"), {"day": "2021-11-15"}).content.decode()
    assert "canbo@tp.test" in page
    assert "before_7" in page


def test_matrix_query_count_does_not_grow_with_agencies(client, world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AgencyFactory

    client.force_login(world["reviewer"])
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("plans:plan_matrix", args=[plan.pk])).status_code == 200
        counts.append(len(queries))
        for _ in range(3):
            AgencyFactory(province=world["province"], version__group=world["group"])
        services.plan_issue(plan=plan)
    assert counts[0] == counts[1]
