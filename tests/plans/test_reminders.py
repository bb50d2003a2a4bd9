"""Reminders walk a whole year with a frozen clock: exactly the expected ones, exactly once."""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from plans import services, tasks
from plans.models import Deliverable, Digest, Reminder
from plans.schedule import is_working_day
from portal.models import Notification
from tests.factories import DeliverableTypeFactory, PlanFactory, ReminderPolicyFactory

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


@pytest.fixture(autouse=True)
def commit_hooks(django_capture_on_commit_callbacks, monkeypatch):
    """Each sweep's on_commit hooks (queueing the sends) run when it returns, as after a real commit."""
    original = tasks.reminder_sweep

    def sweep(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(*args, **kwargs)

    monkeypatch.setattr(tasks, "reminder_sweep", sweep)


@pytest.fixture
def plan_2021(world):
    policy = ReminderPolicyFactory(province=world["province"])
    plan = PlanFactory(province=world["province"], year=2021, reminder_policy=policy)
    for code, due in [("agency_plan", D(2021, 2, 15)), ("report_6_months", D(2021, 6, 15)),
                      ("report_annual", D(2021, 11, 20))]:  # fmt: skip
        DeliverableTypeFactory(plan=plan, code=code, title=code, due_on=due).groups.set([world["group"]])
    with time_machine.travel(at(D(2021, 1, 4)), tick=False):
        services.plan_issue(plan=plan)
    return plan


def submit(world, code: str, when: dt.datetime) -> None:
    deliverable = Deliverable.objects.get(type__code=code, agency=world["justice"])
    with time_machine.travel(when, tick=False):
        deliverable.submitted_at = timezone.now()
        deliverable.save()


def walk(start: dt.date, end: dt.date, on_day=None, sweeps_per_day: int = 2):
    """Runs the sweep (several times a day, like beat) for each day; returns e-mails by day."""
    sent: dict[dt.date, list] = defaultdict(list)
    day = start
    while day <= end:
        if on_day:
            on_day(day)
        for hour in range(8, 8 + sweeps_per_day):
            before = len(mail.outbox)
            with time_machine.travel(at(day, hour), tick=False):
                tasks.reminder_sweep()
            sent[day].extend(mail.outbox[before:])
        day += dt.timedelta(days=1)
    return sent


def test_a_year_of_reminders(world, plan_2021):
    def on_day(day):
        if day == D(2021, 6, 10):
            submit(world, "report_6_months", at(day, 10))
        if day == D(2021, 11, 24):
            submit(world, "report_annual", at(day, 7))

    sent = walk(D(2021, 1, 1), D(2021, 12, 31), on_day)
    staff, head = "canbo@tp.test", "gd@tp.test"
    got = sorted((day, m.to[0], m.subject) for day, mails in sent.items() for m in mails if m.to[0] in (staff, head))
    expected_days = {
        # agency plan: due 15/02 (Tết) → 17/02; overdue every 3 days, the head copied from the first
        D(2021, 2, 9): [staff], D(2021, 2, 17): [staff], D(2021, 2, 22): [staff, head], D(2021, 2, 25): [staff, head],
        D(2021, 3, 1): [staff, head], D(2021, 3, 4): [staff, head], D(2021, 3, 8): [staff, head],
        # 6-month report: one reminder, then the agency submitted on 10/06
        D(2021, 6, 8): [staff],
        # annual report: due 20/11 (Saturday) → 22/11; submitted 24/11 before the first overdue reminder
        D(2021, 11, 15): [staff], D(2021, 11, 19): [staff], D(2021, 11, 22): [staff],
    }  # fmt: skip
    assert sorted((day, to) for day, to, _ in got) == sorted(
        (day, to) for day, people in expected_days.items() for to in people
    )
    assert all(is_working_day(day) for day, _, _ in got)
    # The other agency's staff hears about its own deliverables only.
    health = [m for mails in sent.values() for m in mails if m.to[0] == "yt@yt.test"]
    assert health and all("Sở Y tế" in m.body and "Sở Tư pháp" not in m.body for m in health)
    subjects = {day: subject for day, to, subject in got if to == staff}
    assert subjects[D(2021, 2, 9)] == "[Cổng DVCQ] agency_plan còn 8 ngày đến hạn (17/02/2021)"
    assert subjects[D(2021, 2, 17)] == "[Cổng DVCQ] Hôm nay là hạn cuối: agency_plan"
    assert subjects[D(2021, 2, 22)] == "[Cổng DVCQ] Quá hạn: agency_plan (hạn 17/02/2021)"
    # Every reminder is also an in-app notification, once.
    assert (
        Notification.objects.filter(recipient=world["staff"]).count()
        == Reminder.objects.filter(recipient=world["staff"]).count()
    )
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


def test_rerunning_the_sweep_sends_nothing_new(world, plan_2021):
    day = D(2021, 2, 9)
    with time_machine.travel(at(day), tick=False):
        tasks.reminder_sweep()
        first = len(mail.outbox)
        tasks.reminder_sweep()
        services.reminders_create(day=day)
        for reminder in Reminder.objects.all():
            assert services.reminder_send(reminder_id=reminder.pk) == "skipped"
    assert first == len(mail.outbox) == Reminder.objects.count() == 2  # Tư pháp and Y tế staff


def test_a_message_stuck_in_sending_after_a_crash_is_resent_with_the_same_message_id(world, plan_2021):
    day = D(2021, 2, 9)
    with time_machine.travel(at(day), tick=False):
        services.reminders_create(day=day)
        reminder = Reminder.objects.get(recipient=world["staff"])
        Reminder.objects.exclude(pk=reminder.pk).delete()
        # A worker claimed it, sent the mail and died before marking it sent.
        services.reminder_send(reminder_id=reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.SENDING, claimed_at=timezone.now())
        assert services.reminder_send(reminder_id=reminder.pk) == "skipped"  # too fresh: it may still be running
    with time_machine.travel(at(day, 9), tick=False):
        tasks.reminder_sweep()
    mine = [m for m in mail.outbox if m.to == ["canbo@tp.test"]]
    assert len(mine) == 2
    assert mine[0].extra_headers["Message-ID"] == mine[1].extra_headers["Message-ID"]
    assert Notification.objects.filter(recipient=world["staff"]).count() == 1


def test_smtp_failure_retries_then_ends_visibly_failed(world, plan_2021, settings):
    settings.EMAIL_BACKEND = "tests.backends.FailingEmailBackend"
    with time_machine.travel(at(D(2021, 2, 9)), tick=False):
        services.reminders_create(day=D(2021, 2, 9))
        reminder = Reminder.objects.get(recipient=world["staff"])
        # As the worker does: each retry is a new run with the retry count.
        outcomes = []
        for attempt in range(tasks.MAX_RETRIES + 1):
            try:
                outcomes.append(tasks.send_reminder.apply(args=[reminder.pk], retries=attempt).get())
            except Retry:
                outcomes.append("retry")
        assert outcomes == ["retry"] * tasks.MAX_RETRIES + ["failed"]
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.FAILED
    assert reminder.attempts == tasks.MAX_RETRIES + 1
    assert "Máy chủ thư không phản hồi" in reminder.last_error
    # The in-app notice still reached the person.
    assert Notification.objects.filter(recipient=world["staff"]).count() == 1


def test_email_opt_out_keeps_in_app_notifications(world, plan_2021):
    world["staff"].email_reminders = False
    world["staff"].save()
    with time_machine.travel(at(D(2021, 2, 9)), tick=False):
        tasks.reminder_sweep()
    assert [m.to for m in mail.outbox] == [["yt@yt.test"]]
    assert Notification.objects.filter(recipient=world["staff"]).count() == 1


def test_digest_sends_one_email_a_day_listing_everything(world, plan_2021):
    # Two deadlines on the same day for the same person.
    for deliverable_type in plan_2021.deliverable_types.exclude(code="agency_plan"):
        deliverable_type.deliverables.update(due_on=D(2021, 2, 17))
    world["staff"].reminder_digest = True
    world["staff"].save()
    with time_machine.travel(at(D(2021, 2, 17)), tick=False):
        tasks.reminder_sweep()
        tasks.reminder_sweep()
    mine = [m for m in mail.outbox if m.to == ["canbo@tp.test"]]
    assert len(mine) == 1
    body = mine[0].body
    assert "agency_plan" in body and "report_6_months" in body and "report_annual" in body
    assert Digest.objects.get().state == Reminder.State.SENT
    assert Notification.objects.filter(recipient=world["staff"]).count() == 3


def test_no_reminders_for_a_draft_plan(world):
    plan = PlanFactory(province=world["province"], year=2021)
    DeliverableTypeFactory(plan=plan, due_on=D(2021, 2, 17))
    with time_machine.travel(at(D(2021, 2, 9)), tick=False):
        tasks.reminder_sweep()
    assert Reminder.objects.count() == 0


def test_returned_document_is_chased_again(world, plan_2021):
    submit(world, "report_annual", at(D(2021, 11, 10)))
    deliverable = Deliverable.objects.get(type__code="report_annual", agency=world["justice"])
    deliverable.review = Deliverable.Review.RETURNED
    deliverable.save()
    with time_machine.travel(at(D(2021, 11, 15)), tick=False):
        tasks.reminder_sweep()
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo@tp.test", "yt@yt.test"]
