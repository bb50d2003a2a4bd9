"""The reviewer's day (issue 13): marks entered with the agency's widgets, the queue searched without
diacritics, sorted, filtered, exported and used to remind agencies, counts as on the home page."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.models import Notification, Role, User
from scoring import services
from scoring.models import AppraisalMark, Dossier, DossierReminder, Phase, ScoringPeriod
from scoring.services._base import period_label
from tests.factories import AgencyFactory, AgencyGroupFactory, ProvinceFactory, UserFactory
from tests.scoring.cycle_helpers import criterion, fill_complete

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def appraisal(cycle):
    """Sở Tư pháp and Sở Y tế have submitted (Sở Y tế late); the period is in appraisal."""
    people = cycle["people"]
    for code, staff, head in (("so-tu-phap", "staff", "head"), ("so-y-te", "other_staff", "other_head")):
        fill_complete(cycle["dossiers"][code], people[staff])
        services.dossier_submit(dossier=cycle["dossiers"][code], by=people[head])
    Dossier.objects.filter(pk=cycle["dossiers"]["so-y-te"].pk).update(is_late=True, late_days=2)
    services.period_set_phase(period=cycle["period"], phase=Phase.APPRAISAL, by=people["reviewer"], reason="Hết hạn")
    return cycle


def select_html(page: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no list named {name}"
    return found.group(1)


def options(page: str, name: str) -> list[tuple[str, str]]:
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select_html(page, name))


def queue_page(client, period, **query) -> str:
    return client.get(reverse("scoring:queue", args=[period.pk]), query).content.decode()


def agencies_in(page: str) -> list[str]:
    return re.findall(r'<tr data-agency="([^"]+)"', page)


# --- marks with the agency's widgets ---------------------------------------------------------------


def test_reviewer_marks_levels_and_yes_no_by_label_and_the_choice_round_trips(client, appraisal):
    dossier = appraisal["dossiers"]["so-tu-phap"]
    client.force_login(appraisal["people"]["reviewer"])
    url = reverse("scoring:dossier", args=[dossier.pk])
    level, yes_no = criterion(dossier, "2.1"), criterion(dossier, "5.1")
    page = client.get(url).content.decode()
    # The same lists the agency had: levels by their labels (with their points), yes/no as Có/Không.
    assert options(page, f"mark_{level.pk}")[1:] == [
        ("dung_han", "Đúng hạn (3)"),
        ("tre_han", "Trễ hạn (1,5)"),
        ("khong", "Không ban hành (0)"),
    ]
    assert [text for _value, text in options(page, f"mark_{yes_no.pk}")[1:]] == ["Có", "Không"]
    assert "dung_han ·" not in page and "true · false" not in page  # no internal codes to type
    assert f'<input type="text" inputmode="decimal" id="mark-{level.pk}"' not in page

    response = client.post(
        reverse("scoring:mark_cell", args=[dossier.pk, level.pk]),
        {f"mark_{level.pk}": "tre_han", f"comment_{level.pk}": "Nộp trễ 3 ngày", f"mv_{level.pk}": "0"},
        **HX,
    )
    assert response.status_code == 200
    mark = AppraisalMark.objects.get(dossier=dossier, criterion=level)
    assert (mark.raw, mark.points) == ("tre_han", 1.5)
    client.post(
        reverse("scoring:mark_cell", args=[dossier.pk, yes_no.pk]),
        {f"mark_{yes_no.pk}": "false", f"mv_{yes_no.pk}": "0"},
        **HX,
    )
    page = client.get(url).content.decode()
    chosen = dict((v, t) for v, t in re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', page))
    assert chosen["tre_han"] == "Trễ hạn (1,5)"
    assert chosen["false"] == "Không"


def test_penalty_items_are_chosen_as_co_khong_in_the_adjustments_form(client, appraisal):
    dossier = appraisal["dossiers"]["so-tu-phap"]
    client.force_login(appraisal["people"]["reviewer"])
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    assert [text for _value, text in options(page, "adj_TR1")[1:]] == ["Có", "Không"]


def test_a_not_applicable_criterion_takes_no_mark(client, appraisal):
    dossier = appraisal["dossiers"]["so-tu-phap"]
    reviewer = appraisal["people"]["reviewer"]
    c = criterion(dossier, "2.2")
    services.criterion_set_not_applicable(
        dossier=dossier, criterion=c, value=True, reason="Đơn vị không có nhiệm vụ này", by=reviewer
    )
    client.force_login(reviewer)
    page = client.get(reverse("scoring:dossier", args=[dossier.pk])).content.decode()
    row = page.split('id="row-2.2"')[1].split("</tr>")[0]
    assert f'name="mark_{c.pk}"' not in row
    assert _("Not applicable to this agency: no mark.") in row
    response = client.post(
        reverse("scoring:mark_cell", args=[dossier.pk, c.pk]), {f"mark_{c.pk}": "3", f"mv_{c.pk}": "0"}, **HX
    )
    assert response.status_code == 422
    assert _("This criterion does not apply to this agency; it takes no mark.") in response.content.decode()
    assert not AppraisalMark.objects.filter(dossier=dossier, criterion=c).exists()


# --- the queue -------------------------------------------------------------------------------------


def test_search_without_diacritics_finds_the_agency(client, appraisal):
    period = appraisal["period"]
    client.force_login(appraisal["people"]["reviewer"])
    assert agencies_in(queue_page(client, period, q="so tu phap")) == ["so-tu-phap"]
    assert agencies_in(queue_page(client, period, q="SỞ TƯ  PHÁP")) == ["so-tu-phap"]
    assert agencies_in(queue_page(client, period, q="tu phap so")) == ["so-tu-phap"]  # words in any order
    assert "so-y-te" in agencies_in(queue_page(client, period, q="y te"))
    page = queue_page(client, period, q="khong co don vi nay")
    assert agencies_in(page) == [] and _("No dossiers match.") in page


@pytest.mark.parametrize("column", ["agency", "group", "status", "submitted", "progress", "explanations", "reminded"])
def test_every_column_sorts_both_ways(client, appraisal, column):
    period = appraisal["period"]
    reviewer = appraisal["people"]["reviewer"]
    client.force_login(reviewer)
    # Something to tell the rows apart in each column: a mark, an explanation-free reminder.
    services.mark_save(
        dossier=appraisal["dossiers"]["so-y-te"],
        criterion=criterion(appraisal["dossiers"]["so-y-te"], "2.2"),
        scorer=reviewer.agency,
        raw="3",
        by=reviewer,
        version=0,
    )
    services.dossiers_remind(period=period, dossier_ids=[appraisal["dossiers"]["so-tu-phap"].pk], by=reviewer)
    up = agencies_in(queue_page(client, period, sort=column))
    down = agencies_in(queue_page(client, period, sort=f"-{column}"))
    assert sorted(up) == sorted(down) and len(up) > 3
    if column == "submitted":  # the submitted ones first, the oldest first; "not yet" last both ways
        assert set(up[:2]) == {"so-tu-phap", "so-y-te"} and set(down[:2]) == {"so-tu-phap", "so-y-te"}
    elif column == "progress":
        assert down[0] == "so-y-te" and up[-1] == "so-y-te"
    elif column == "reminded":
        assert up[0] == "so-tu-phap" and down[0] == "so-tu-phap"
    elif column == "agency":
        assert up == list(reversed(down))
    elif column == "status":
        submitted = {"so-tu-phap", "so-y-te"}
        assert set(up[-2:]) == submitted and set(down[:2]) == submitted
    elif column == "group":
        assert up != down  # the province's groups, in their order, then reversed
    page = queue_page(client, period, sort=f"-{column}")
    assert 'aria-sort="descending"' in page


def test_filter_is_labelled_in_vietnamese_and_narrows_the_queue(client, appraisal):
    period = appraisal["period"]
    client.force_login(appraisal["people"]["reviewer"])
    page = queue_page(client, period)
    for label in (_("Search"), _("Group (khối)"), _("Status"), _("Late")):
        assert f">{label}</label>" in page
    assert 'class="form-select form-select-sm"' in page
    assert sorted(agencies_in(queue_page(client, period, status="submitted"))) == ["so-tu-phap", "so-y-te"]
    assert agencies_in(queue_page(client, period, status="submitted", late="1")) == ["so-y-te"]
    assert agencies_in(queue_page(client, period, status="submitted", late="0", q="y te")) == []


def test_excel_export_holds_the_rows_shown(client, appraisal):
    period = appraisal["period"]
    client.force_login(appraisal["people"]["reviewer"])
    response = client.get(
        reverse("scoring:queue", args=[period.pk]), {"status": "submitted", "sort": "-agency", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert [r[1] for r in rows] == ["Sở Y tế", "Sở Tư pháp"]
    by_name = {r[1]: r for r in rows}
    assert by_name["Sở Y tế"][4] == _("Yes") and by_name["Sở Tư pháp"][4] == _("No")
    assert isinstance(by_name["Sở Tư pháp"][5], dt.datetime)  # a date, not text
    assert isinstance(by_name["Sở Tư pháp"][7], int) and by_name["Sở Tư pháp"][7] > 0
    assert ws.cell(row=3, column=2).value == _("Agency")


def test_queue_counts_are_the_home_pages(client, appraisal):
    period = appraisal["period"]
    client.force_login(appraisal["people"]["reviewer"])
    home = client.get(reverse("review_home")).content.decode()
    queue = queue_page(client, period)
    home_counts = re.search(r'class="queue-counts">(.*?)</p>', home, re.S).group(1)
    queue_counts = re.search(r'id="queue-counts"[^>]*>(.*?) · ', queue, re.S).group(1)
    assert home_counts.strip() == queue_counts.strip()
    expected = Dossier.objects.filter(period=period).exclude(agency=appraisal["agency"]["so-noi-vu"])
    numbers = [int(n) for n in re.findall(r"\d+", home_counts)]
    assert numbers == [2, expected.count(), 1]  # submitted, of all, late
    assert len(agencies_in(queue)) == expected.count()


def test_queue_page_queries_stay_flat_with_search_and_sort(client, appraisal):
    period = appraisal["period"]
    client.force_login(appraisal["people"]["reviewer"])
    counts = []
    for codes in (["so-tu-phap"], ["so-tu-phap", "so-y-te", "so-tai-chinh"]):
        Dossier.objects.filter(period=period).update(status="draft")
        Dossier.objects.filter(period=period, agency__code__in=codes).update(status="submitted")
        services.dossiers_remind(
            period=period, dossier_ids=Dossier.objects.filter(period=period).values_list("pk", flat=True),
            by=appraisal["people"]["reviewer"],
        )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            client.get(
                reverse("scoring:queue", args=[period.pk]), {"q": "so", "sort": "-reminded", "status": "submitted"}
            )
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15


# --- the bulk reminder -----------------------------------------------------------------------------


@pytest.fixture
def foreign_dossier(appraisal):
    """A dossier of another province's period, with a person who must never hear of this queue."""
    other = ProvinceFactory()
    agency = AgencyFactory(province=other)
    group = AgencyGroupFactory(province=other)
    period = appraisal["period"]
    foreign = ScoringPeriod.objects.create(
        province=other,
        year=period.year,
        name="Kỳ của tỉnh khác",
        criteria_set=period.criteria_set,
        self_assessment_opens_on=period.self_assessment_opens_on,
        self_assessment_due_on=period.self_assessment_due_on,
        appraisal_due_on=period.appraisal_due_on,
        explanation_due_on=period.explanation_due_on,
        phase=Phase.APPRAISAL,
    )
    person = UserFactory(agency=agency, province=other, roles=[Role.AGENCY_HEAD], email="ld@khac.test")
    dossier = Dossier.objects.create(period=foreign, agency=agency, agency_version=agency.versions.get(), group=group)
    return dossier, person


def test_bulk_reminder_reaches_exactly_the_selected_agencies_of_the_province(
    client, appraisal, foreign_dossier, django_capture_on_commit_callbacks
):
    period, people, dossiers = appraisal["period"], appraisal["people"], appraisal["dossiers"]
    four = {"cb.tp", "ld.tp", "cb.yt", "ld.yt"}
    for person in ("staff", "head", "other_staff", "other_head"):
        people[person].email = f"{people[person].username}@tayninh.test"
        people[person].save()
    # The demo's own people of the two agencies: notified in the portal, but they opted out of e-mail.
    theirs = User.objects.filter(agency__code__in=["so-tu-phap", "so-y-te"], is_active=True).exclude(username__in=four)
    theirs.update(email_reminders=False)
    expected = four | {u.username for u in theirs if u.roles & {Role.AGENCY_STAFF, Role.AGENCY_HEAD}}
    own = dossiers["so-noi-vu"]
    foreign, stranger = foreign_dossier
    client.force_login(people["reviewer"])
    before = Notification.objects.count()
    chosen = [dossiers["so-tu-phap"].pk, dossiers["so-y-te"].pk, own.pk, foreign.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scoring:queue_remind", args=[period.pk]),
            {"dossier": chosen, "message": "Đề nghị bổ sung hồ sơ trước ngày 30/11.", "next": "q=so&sort=-agency"},
            follow=True,
        )
    assert response.redirect_chain[-1][0].endswith("?q=so&sort=-agency")
    page = response.content.decode()
    confirmation = re.search(r'class="alert alert-success"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert [int(n) for n in re.findall(r"\d+", confirmation)] == [2, len(expected), 4]  # agencies, people, e-mails
    # Recorded, one per selected agency of this province; nothing for the own agency or another province.
    reminders = DossierReminder.objects.filter(sent_by=people["reviewer"])
    assert sorted(r.dossier.agency.code for r in reminders) == ["so-tu-phap", "so-y-te"]
    assert Notification.objects.count() - before == len(expected)
    notified = set(
        Notification.objects.filter(key__startswith="dossier-reminder:").values_list("recipient__username", flat=True)
    )
    assert notified == expected
    assert not Notification.objects.filter(recipient=stranger).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"{u}@tayninh.test" for u in four)
    note = Notification.objects.filter(recipient=people["staff"], key__startswith="dossier-reminder:").get()
    assert period_label(period) in note.title and str(period.year) in note.title  # says which period and year
    assert note.body == "Đề nghị bổ sung hồ sơ trước ngày 30/11."
    assert period_label(period) in mail.outbox[0].subject
    # The queue shows when each agency was last reminded.
    queue = queue_page(client, period, q="so tu phap")
    assert reminders.first().sent_at.astimezone().strftime("%d/%m/%Y") in queue


def test_bulk_reminder_to_another_provinces_period_is_not_found(client, appraisal, foreign_dossier):
    foreign, stranger = foreign_dossier
    client.force_login(appraisal["people"]["reviewer"])
    response = client.post(reverse("scoring:queue_remind", args=[foreign.period_id]), {"dossier": [foreign.pk]})
    assert response.status_code == 404
    assert not DossierReminder.objects.exists() and not Notification.objects.filter(recipient=stranger).exists()


def test_bulk_reminder_with_nothing_selected_says_so(client, appraisal):
    client.force_login(appraisal["people"]["reviewer"])
    response = client.post(reverse("scoring:queue_remind", args=[appraisal["period"].pk]), {}, follow=True)
    assert _("Choose at least one agency to remind.") in response.content.decode()
    assert not DossierReminder.objects.exists()


@pytest.mark.parametrize("who", ["staff", "head", "coreviewer", "leader"])
def test_bulk_reminder_by_anyone_but_the_reviewer_changes_nothing(client, appraisal, who):
    client.force_login(appraisal["people"][who])
    before = Notification.objects.count()
    response = client.post(
        reverse("scoring:queue_remind", args=[appraisal["period"].pk]),
        {"dossier": [appraisal["dossiers"]["so-y-te"].pk]},
    )
    assert response.status_code == 403
    assert not DossierReminder.objects.exists()
    assert Notification.objects.count() == before and not mail.outbox


def test_reminder_button_is_offered_only_to_the_reviewer(client, appraisal):
    period = appraisal["period"]
    client.force_login(appraisal["people"]["coreviewer"])
    assert 'id="remind-form"' not in queue_page(client, period)
    client.force_login(appraisal["people"]["reviewer"])
    assert 'id="remind-form"' in queue_page(client, period)


# --- notifications name the period and year; the ranking prints and exports ------------------------


def test_dossier_notices_name_the_period_and_year(appraisal):
    dossier = appraisal["dossiers"]["so-tu-phap"]
    services.evidence_request_create(
        dossier=dossier,
        criterion=criterion(dossier, "2.2"),
        message="Bổ sung văn bản",
        by=appraisal["people"]["reviewer"],
    )
    titles = set(Notification.objects.filter(key__startswith="evidence-request:").values_list("title", flat=True))
    assert titles and all(str(dossier.period.year) in t and dossier.period.name in t for t in titles)


def test_ranking_has_a_print_view_and_excel_exports(client, appraisal):
    period = appraisal["period"]
    client.force_login(appraisal["people"]["reviewer"])
    page = client.get(reverse("scoring:ranking", args=[period.pk])).content.decode()
    assert "css/print.css" in page and 'media="print"' in page and "data-print" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "print-header" in page
    assert reverse("reports:ranking_xlsx", args=[period.pk]) in page
    assert reverse("reports:matrix_xlsx", args=[period.pk]) in page
    assert client.get(reverse("reports:ranking_xlsx", args=[period.pk])).status_code == 200
