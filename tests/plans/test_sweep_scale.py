"""The sweep at scale: planned set-wise (its queries do not grow with agencies or deliverables), sent
in batches over one SMTP session, and a sweep that overlaps another leaves the work to it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.signals import task_prerun
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import selectors, services, tasks
from plans.models import Plan, Reminder
from portal.models import Role
from tests.factories import AgencyFactory, DeliverableTypeFactory, PlanFactory, ReminderPolicyFactory, UserFactory

DAY = dt.date(2021, 11, 15)  # a Monday, 5 days before the deadline: the 7-day reminder falls on it (moved earlier)
MORNING = dt.datetime(2021, 11, 15, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def add_agencies(world, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        agency = AgencyFactory(
            province=world["province"], code=f"don-vi-{i}", version__group=world["group"],
            version__valid_from=dt.date(2019, 1, 1),
        )  # fmt: skip
        for role, name in ((Role.AGENCY_STAFF, "canbo"), (Role.AGENCY_HEAD, "lanhdao")):
            UserFactory(username=f"{name}{i}", agency=agency, roles=[role], email=f"{name}{i}@dv.test")


def issue_plan(world) -> None:
    policy = ReminderPolicyFactory(province=world["province"])
    plan = PlanFactory(province=world["province"], year=2021, reminder_policy=policy)
    for code in ("report_annual", "report_model"):
        DeliverableTypeFactory(plan=plan, code=code, title=code, due_on=dt.date(2021, 11, 22)).groups.set(
            [world["group"]]
        )
    services.plan_issue(plan=plan)


def planning_queries(day: dt.date) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        planned = selectors.planned_reminders({day})
    return len(queries), len(planned)


@pytest.mark.django_db
def test_planning_a_sweep_takes_the_same_queries_for_three_or_thirty_agencies(world):
    add_agencies(world, 1)
    issue_plan(world)
    small_queries, small = planning_queries(DAY)
    add_agencies(world, 27, start=1)
    services.plan_issue(plan=Plan.objects.get(year=2021))  # issuing again adds the new agencies' deliverables
    large_queries, large = planning_queries(DAY)
    assert small > 0 and large > 5 * small
    assert large_queries == small_queries


@pytest.mark.django_db(transaction=True)
def test_a_sweep_sends_in_batches_over_one_smtp_session(world):
    add_agencies(world, 30)
    issue_plan(world)
    batches = []

    def count(task=None, args=(), **kwargs):
        if task.name == tasks.send_reminder_batch.name:
            batches.append(len(args[0]))

    task_prerun.connect(count)
    try:
        with time_machine.travel(MORNING, tick=False):
            queued = tasks.reminder_sweep()
    finally:
        task_prerun.disconnect(count)
    due = Reminder.objects.filter(scheduled_on=DAY, by_email=True).count()
    assert queued == Reminder.objects.filter(scheduled_on=DAY, in_digest=False).count() > tasks.BATCH_SIZE
    assert sum(batches) == queued and max(batches) <= tasks.BATCH_SIZE and len(batches) < queued / 10
    assert len(mail.outbox) == due
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == due  # each once
    assert set(Reminder.objects.filter(scheduled_on=DAY).values_list("state", flat=True)) == {Reminder.State.SENT}


@pytest.mark.django_db
def test_a_sweep_that_overlaps_another_leaves_the_work_to_it(world):
    add_agencies(world, 2)
    issue_plan(world)
    with time_machine.travel(MORNING, tick=False):
        with services.sweep_lock(day=DAY) as first:
            assert first is True
            assert tasks.reminder_sweep() == 0  # the other sweep is still at it
            assert not Reminder.objects.exists()
        assert tasks.reminder_sweep() > 0  # once it is done, the next sweep works normally
