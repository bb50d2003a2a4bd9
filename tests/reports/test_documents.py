"""The documents generated for a period: found again on one page (an agency sees only what it may),
opened in the browser's PDF viewer with the protective headers, numbered by version, and kept or
deleted by the retention policy."""

import datetime as dt
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.demo import demo_pdf
from portal.models import Role, User
from reports import archive, services, tasks
from reports.models import GeneratedReport
from scoring.models import ScoringPeriod
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db
State = GeneratedReport.State


@pytest.fixture
def periods(demo_db):
    return {p.year: p for p in ScoringPeriod.objects.filter(program="dvcq")}


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def stored(period, kind="decision", *, agency=None, state=State.DONE, minutes_ago=0, content=None, **fields):
    """A generated document as a finished job leaves it (a real small PDF, and a Word file for the decision)."""
    dossier = period.dossiers.get(agency__code=agency) if agency else None
    created = timezone.now() - dt.timedelta(minutes=minutes_ago)
    report = GeneratedReport.objects.create(
        period=period,
        kind=kind,
        dossier=dossier,
        scope=str(dossier.pk) if dossier else "",
        content_hash=f"{kind}{agency}{minutes_ago}{fields.get('version', 1)}".ljust(64, "0"),
        state=state,
        requested_by=User.objects.get(username="lanhdao.tinh"),
        **fields,
    )
    if state == State.DONE:
        report.file.save(f"{kind}.pdf", ContentFile(content or demo_pdf(kind)), save=False)
        if kind == "decision":
            report.docx.save(f"{kind}.docx", ContentFile(b"PK\x03\x04"), save=False)
        report.save()
    GeneratedReport.objects.filter(pk=report.pk).update(created_at=created, requested_at=created)
    report.refresh_from_db()
    return report


def listed(client: Client, period) -> list[str]:
    """The rows of the documents page: "<kind> — <agency>" as shown."""
    response = client.get(reverse("reports:report_list", args=[period.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    rows = re.findall(r"<tr>\s*<td><a href=\"/bao-cao/van-ban/(\d+)/\">", body)
    return [int(pk) for pk in rows]


# --- the documents page ---------------------------------------------------------------------------


def test_an_agency_sees_the_provinces_documents_and_only_its_own_score_sheet(periods):
    final = periods[2021]
    decision = stored(final, "decision")
    own = stored(final, "scoresheet", agency="so-tu-phap", minutes_ago=1)
    other = stored(final, "scoresheet", agency="so-y-te", minutes_ago=2)
    assert listed(client_of("canbo.tuphap"), final) == [decision.pk, own.pk]
    assert listed(client_of("lanhdao.tinh"), final) == [decision.pk, own.pk, other.pk]
    assert listed(client_of("thamdinh.noivu"), final) == [decision.pk, own.pk, other.pk]
    # A co-reviewer reads no agency's detail: the province's documents only.
    assert listed(client_of("phoihop.vpubnd"), final) == [decision.pk]
    # And what the list hides, the document's own pages refuse the same way.
    staff = client_of("canbo.tuphap")
    for name in ("report_status", "report_file", "report_view"):
        assert staff.get(reverse(f"reports:{name}", args=[other.pk])).status_code == 404
        assert staff.get(reverse(f"reports:{name}", args=[own.pk])).status_code == 200


def test_before_the_period_is_final_the_page_is_not_the_agencys(periods):
    open_period = periods[timezone.localdate().year]
    stored(open_period, "decision")
    assert client_of("canbo.tuphap").get(reverse("reports:report_list", args=[open_period.pk])).status_code == 403
    assert len(listed(client_of("lanhdao.tinh"), open_period)) == 1
    stranger = UserFactory(username="la.khac", agency=AgencyFactory(province=ProvinceFactory()), roles=[Role.LEADER])
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("reports:report_list", args=[open_period.pk])).status_code == 404


def test_the_page_says_who_when_which_version_and_state(periods):
    final = periods[2021]
    decision = stored(final, "decision", version=2, attempt=3, minutes_ago=5)
    failed = stored(final, "proposal", state=State.FAILED, failure=GeneratedReport.Failure.WORKER_LOST)
    body = client_of("lanhdao.tinh").get(reverse("reports:report_list", args=[final.pk])).content.decode()
    row = re.search(r"<tr>\s*<td><a[^>]*>Quyết định.*?</tr>", body, re.S).group(0)
    cells = [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1:5] == [
        "2",
        "3",
        "Võ Đức Thành",
        timezone.localtime(timezone.now() - dt.timedelta(minutes=5)).strftime("%d/%m/%Y %H:%M"),
    ]
    assert cells[5] == "Đã xong"
    for name in ("report_view", "report_file", "report_docx"):
        assert reverse(f"reports:{name}", args=[decision.pk]) in row
    failed_row = re.search(r"<tr>\s*<td><a[^>]*>Tờ trình.*?</tr>", body, re.S).group(0)
    assert "worker_lost" in failed_row
    assert reverse("reports:report_view", args=[failed.pk]) not in failed_row


def test_versions_count_the_contents_of_one_document(periods, django_capture_on_commit_callbacks):
    final = periods[2021]
    first = services.report_request(period=final, kind="summary", by=None)
    assert first.version == 1
    GeneratedReport.objects.filter(pk=first.pk).update(content_hash="old".ljust(64, "0"))
    second = services.report_request(period=final, kind="summary", by=None)  # the data "changed"
    assert second.pk != first.pk and second.version == 2
    assert services.report_request(period=final, kind="summary", by=None).pk == second.pk  # same content


# --- inline viewing -------------------------------------------------------------------------------


def test_the_pdf_opens_inline_with_the_protective_headers(periods):
    report = stored(periods[2021], "decision")
    response = client_of("lanhdao.tinh").get(reverse("reports:report_view", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(
        r'inline; filename="[ -~]+\.pdf"; filename\*=UTF-8\'\'\S+\.pdf', response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_stored_file_that_is_not_a_pdf_is_never_shown_inline(periods):
    report = stored(periods[2021], "decision", content=b"<html><script>alert(1)</script></html>")
    response = client_of("lanhdao.tinh").get(reverse("reports:report_view", args=[report.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_document_not_ready_has_no_file_to_show(periods):
    report = stored(periods[2021], "decision", state=State.RUNNING)
    client = client_of("lanhdao.tinh")
    for name in ("report_file", "report_view", "report_docx"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404


def test_a_score_sheets_file_is_named_after_its_agency(periods):
    report = stored(periods[2021], "scoresheet", agency="so-tu-phap")
    response = client_of("lanhdao.tinh").get(reverse("reports:report_file", args=[report.pk]))
    assert (
        "Phi%E1%BA%BFu%20%C4%91i%E1%BB%83m%20c%E1%BB%A7a%20%C4%91%C6%A1n%20v%E1%BB%8B%20S%E1%BB%9F%20T%C6%B0%20ph%C3%A1p%202021.pdf"
        in response["Content-Disposition"]
    )


# --- retention ------------------------------------------------------------------------------------


def test_retention_keeps_the_last_versions_of_each_document_and_deletes_the_rest(
    periods, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_KEEP_LAST = 2
    open_period, final = periods[timezone.localdate().year], periods[2021]
    summaries = [stored(open_period, "summary", minutes_ago=m, version=5 - m) for m in range(4)]  # newest first
    sheets = [stored(open_period, "scoresheet", agency="so-tu-phap", minutes_ago=m) for m in range(3)]
    other_sheet = stored(open_period, "scoresheet", agency="so-y-te", minutes_ago=10)
    running = stored(open_period, "summary", state=State.RUNNING, minutes_ago=60)
    failed = stored(open_period, "summary", state=State.FAILED, minutes_ago=70)
    draft_decisions = [stored(open_period, "decision", minutes_ago=m) for m in range(3)]
    final_decisions = [stored(final, "decision", minutes_ago=m) for m in range(4)]  # the record: all kept
    final_proposals = [stored(final, "proposal", minutes_ago=m) for m in range(3)]
    files = [r.file.path for r in summaries[2:] + draft_decisions[2:]] + [draft_decisions[2].docx.path]

    expected_gone = summaries[2:] + sheets[2:] + [failed] + draft_decisions[2:] + final_proposals[2:]
    assert set(archive.documents_to_prune()) == set(expected_gone)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reports_prune() == len(expected_gone)  # what beat runs every night
    kept = set(GeneratedReport.objects.values_list("pk", flat=True))
    assert kept.isdisjoint({r.pk for r in expected_gone})
    assert {r.pk for r in [*summaries[:2], *sheets[:2], other_sheet, running, *final_decisions]} <= kept
    assert not any(os.path.exists(path) for path in files)
    assert kept.issuperset(r.pk for r in final_decisions)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_prune() == 0


def test_a_failed_document_asked_for_again_during_the_prune_is_kept(periods, settings, monkeypatch):
    settings.REPORT_KEEP_LAST = 1
    period = periods[timezone.localdate().year]
    stored(period, "summary")
    old = stored(period, "summary", state=State.FAILED, minutes_ago=5)
    read = list(archive.documents_to_prune())
    assert read == [old]
    # Between the prune's read and its delete, someone asks for that content again (a new attempt).
    GeneratedReport.objects.filter(pk=old.pk).update(state=State.PENDING, attempt=2)
    monkeypatch.setattr(archive, "documents_to_prune", lambda: read)
    assert services.reports_prune() == 0
    assert GeneratedReport.objects.filter(pk=old.pk).exists()


def test_the_nightly_prune_is_scheduled():
    from portal.celery import app

    entry = app.conf.beat_schedule["reports-prune"]
    assert entry["task"] == "reports.tasks.reports_prune"
    assert entry["schedule"].hour == {2}


def test_the_documents_page_asks_the_same_number_of_queries_for_1_and_3_documents(periods):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    final = periods[2021]

    def queries(username: str) -> int:
        client = client_of(username)
        client.get(reverse("reports:report_list", args=[final.pk]))  # the session's first touch
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:report_list", args=[final.pk])).status_code == 200
        return len(captured)

    stored(final, "scoresheet", agency="so-tu-phap")
    one = {name: queries(name) for name in ("canbo.tuphap", "lanhdao.tinh")}
    stored(final, "scoresheet", agency="so-y-te", minutes_ago=1)
    stored(final, "decision", minutes_ago=2)
    assert {name: queries(name) for name in ("canbo.tuphap", "lanhdao.tinh")} == one
