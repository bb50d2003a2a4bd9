"""Documents never hang: a request that was never queued, never started, whose worker died or which
ran too long ends failed with its reason within a bound, stops the polling, and can be asked again."""

import datetime as dt
import re
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from reports import pdf, services, tasks
from reports.models import GeneratedReport
from tests.processes import broker_fixture, celery_worker, require_postgresql, wait_for  # noqa: F401
from tests.scoring.cycle_helpers import period_2021_on_731

State = GeneratedReport.State


@pytest.fixture
def period(demo_core):
    """The demo province's agencies and a 2021 period on Decision 731 (no scores: a quick document)."""
    return period_2021_on_731(demo_core)


@pytest.fixture
def leader(period) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="lanhdao.tinh"))
    return client


@pytest.fixture
def request_decision(leader, period, django_capture_on_commit_callbacks):
    """Posts the request (or "Thử lại", the same form) as the leader; returns the row it answers with."""

    def request() -> GeneratedReport:
        with django_capture_on_commit_callbacks(execute=True):  # the queueing runs after the commit
            response = leader.post(reverse("reports:report_request", args=[period.pk, "decision"]))
        assert response.status_code == 302
        report = GeneratedReport.objects.get(period=period, kind="decision")
        assert response["Location"] == reverse("reports:report_status", args=[report.pk])
        return report

    return request


def poll(client: Client, report: GeneratedReport, n: int = 0) -> str:
    """What the page's htmx poll receives."""
    response = client.get(reverse("reports:report_status", args=[report.pk]), {"n": n}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def pending(period, content_hash: str = "x" * 64, **fields) -> GeneratedReport:
    """A row as a request leaves it when its job is lost before any worker sees it."""
    return GeneratedReport.objects.create(period=period, kind="decision", content_hash=content_hash, **fields)


def shows_failure(html: str, text: str, code: str) -> None:
    assert "Không tạo được văn bản." in html
    assert text in html
    assert f"(mã: {code})" in html
    assert "Thử lại" in html
    assert "hx-get" not in html  # polling has stopped


# --- bounds, decided by one service, seen on the page and by beat ----------------------------------


def test_a_job_no_worker_started_fails_after_the_start_timeout_and_can_be_requested_again(
    leader, period, request_decision, settings
):
    report = pending(period, pdf.content_hash("decision", pdf.document_context("decision", period)))
    assert "hx-get" in poll(leader, report)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.REPORT_START_TIMEOUT + 1)):
        html = poll(leader, report)
    shows_failure(html, "Không có tiến trình xử lý nền nào bắt đầu công việc trong thời gian cho phép.", "not_started")
    # "Thử lại" posts the same request; the test settings run the task eagerly, as a live worker would.
    again = request_decision()
    assert (again.pk, again.attempt, again.state, again.failure) == (report.pk, 2, State.DONE, "")
    download = leader.get(reverse("reports:report_file", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_silent_worker_means_a_lost_job_and_a_long_one_is_stopped(leader, period, settings):
    now = timezone.now()
    silent = pending(period, state=State.RUNNING, started_at=now, content_hash="a" * 64)
    too_long = pending(period, state=State.RUNNING, started_at=now, content_hash="b" * 64)
    alive = pending(period, state=State.RUNNING, started_at=now, content_hash="c" * 64)
    hard_limit = services.time_limits()[1]
    later = now + dt.timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT + 1)
    GeneratedReport.objects.filter(pk=silent.pk).update(updated_at=now)
    GeneratedReport.objects.filter(pk__in=[too_long.pk, alive.pk]).update(updated_at=later)
    GeneratedReport.objects.filter(pk=too_long.pk).update(started_at=later - dt.timedelta(seconds=hard_limit + 1))
    with time_machine.travel(later, tick=False):
        assert tasks.reports_expire() == 2  # what beat runs every minute
        assert tasks.reports_expire() == 0
    states = dict(GeneratedReport.objects.values_list("pk", "failure"))
    assert states == {silent.pk: "worker_lost", too_long.pk: "time_limit", alive.pk: ""}
    shows_failure(poll(leader, silent), "Tiến trình xử lý nền đã dừng giữa chừng khi đang tạo văn bản.", "worker_lost")
    shows_failure(
        poll(leader, too_long), "Việc tạo văn bản kéo dài quá thời gian cho phép nên đã bị dừng.", "time_limit"
    )


def test_a_late_run_of_an_old_attempt_changes_nothing(request_decision):
    report = request_decision()
    assert report.state == State.DONE
    GeneratedReport.objects.filter(pk=report.pk).update(state=State.FAILED, failure="worker_lost")
    retried = request_decision()
    assert (retried.attempt, retried.state) == (2, State.DONE)
    # The broker redelivers attempt 1 after its worker died: it finds its claim gone.
    assert tasks.generate_report.apply(args=[report.pk, 1]).get() == "skipped"
    assert tasks.generate_report.apply(args=[report.pk, 2]).get() == "skipped"  # and a duplicate of the new one
    after = GeneratedReport.objects.get(pk=report.pk)
    assert (after.state, after.attempt, after.file.name, after.failure) == (
        State.DONE,
        2,
        retried.file.name,
        "",
    )


def test_a_ready_document_is_not_generated_again(request_decision):
    first = request_decision()
    again = request_decision()
    assert (again.pk, again.attempt, again.file.name) == (first.pk, 1, first.file.name)


# --- the page polls with back-off and stops -----------------------------------------------------


def delay_of(html: str) -> str | None:
    match = re.search(r'hx-trigger="load delay:(\d+)ms"', html)
    return match and match.group(1)


def test_polling_backs_off_from_one_to_ten_seconds_and_stops_at_the_limit(leader, period, settings):
    report = pending(period)
    page = leader.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    assert delay_of(page) == "1000" and "?n=1" in page
    assert [delay_of(poll(leader, report, n)) for n in (1, 2, 3, 5, 6, 7, 30)] == [
        "1500", "2250", "3375", "7593", "10000", "10000", "10000"
    ]  # fmt: skip
    assert "?n=31" in poll(leader, report, 30)
    last = poll(leader, report, settings.REPORT_POLL_LIMIT)
    assert "hx-get" not in last and "hx-trigger" not in last
    assert "Văn bản vẫn chưa sẵn sàng và trang này đã ngừng kiểm tra." in last
    assert "Thử lại" in last
    # No inline script or style: the page works under a strict Content-Security-Policy.
    assert "<script" not in last and "style=" not in last and "hx-on" not in last
    assert delay_of(poll(leader, report, "x" * 5000)) == "1000"  # nonsense counts as the first poll


# --- real processes: a worker killed mid-render, a time limit, Redis stopped ----------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_render_fails_within_the_bound_and_try_again_gives_the_pdf(
    leader, request_decision, broker, settings, tmp_path
):
    require_postgresql()
    settings.REPORT_HEARTBEAT_TIMEOUT = 2
    with celery_worker(broker.url, tmp_path, REPORT_HEARTBEAT_TIMEOUT="2") as first:
        report = request_decision()
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).state == State.RUNNING, 30, 0.02, "rendering")
        first.kill()
    killed_at = time.monotonic()
    wait_for(lambda: "Không tạo được văn bản." in poll(leader, report), 10, 0.2, "the failure on the page")
    assert time.monotonic() - killed_at <= 2 + 2  # the heartbeat bound, plus a poll on a busy machine
    shows_failure(poll(leader, report), "Tiến trình xử lý nền đã dừng giữa chừng khi đang tạo văn bản.", "worker_lost")

    with celery_worker(broker.url, tmp_path, REPORT_HEARTBEAT_TIMEOUT="2"):
        assert request_decision().pk == report.pk  # "Thử lại"
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).state == State.DONE, 60, 0.2, "the PDF")
        # The dead worker's message, redelivered late, finds its attempt gone.
        assert tasks.generate_report.apply_async((report.pk, 1)).get(timeout=20) == "skipped"
    report.refresh_from_db()
    assert (report.state, report.attempt, report.failure) == (State.DONE, 2, "")
    assert 'id="download-report"' in poll(leader, report)
    download = leader.get(reverse("reports:report_file", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_render_past_the_time_limit_is_stopped_with_its_reason(leader, request_decision, broker, settings, tmp_path):
    require_postgresql()
    # The request carries the limits; prefork enforces them (solo cannot). A fifth of a second is
    # less than loading WeasyPrint alone (~0.5 s in a fresh worker process), let alone rendering.
    settings.REPORT_TIME_LIMIT = 0.2
    with celery_worker(broker.url, tmp_path, pool="prefork"):
        report = request_decision()
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).state == State.FAILED, 30, 0.1, "the time limit")
    shows_failure(poll(leader, report), "Việc tạo văn bản kéo dài quá thời gian cho phép nên đã bị dừng.", "time_limit")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_redis_down_at_request_time_fails_at_once_and_try_again_works_once_it_is_back(
    leader, request_decision, broker, tmp_path
):
    require_postgresql()
    broker.stop()
    report = request_decision()  # no 500
    assert (report.state, report.failure) == (State.FAILED, "not_queued")
    shows_failure(
        poll(leader, report), "Hàng đợi xử lý không nhận yêu cầu (không kết nối được máy chủ hàng đợi).", "not_queued"
    )
    broker.start()
    assert request_decision().state == State.PENDING  # "Thử lại": accepted by the queue now
    with celery_worker(broker.url, tmp_path):
        wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).state == State.DONE, 60, 0.2, "the PDF")
    assert leader.get(reverse("reports:report_file", args=[report.pk])).status_code == 200
