"""A real Celery worker on the real broker (Redis in CI) delivers the reminders."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail

from plans import services, tasks
from plans.models import Reminder
from portal.celery import app
from portal.models import Notification
from tests.factories import DeliverableTypeFactory, PlanFactory, ReminderPolicyFactory


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_on_the_broker_sends_each_reminder_once(world):
    policy = ReminderPolicyFactory(province=world["province"])
    plan = PlanFactory(province=world["province"], year=2021, reminder_policy=policy)
    DeliverableTypeFactory(
        plan=plan, code="report_annual", title="Báo cáo năm 2021", due_on=dt.date(2021, 11, 20)
    ).groups.set([world["group"]])
    services.plan_issue(plan=plan)
    app.conf.task_always_eager = False
    try:
        with time_machine.travel(dt.datetime(2021, 11, 15, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))):
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                tasks.reminder_sweep.delay().get(timeout=30)
                tasks.reminder_sweep.delay().get(timeout=30)  # a second beat process, or a re-run
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    if Reminder.objects.exclude(state=Reminder.State.SENT).count() == 0 and len(mail.outbox) >= 2:
                        break
                    time.sleep(0.2)
                time.sleep(1)  # anything sent twice would arrive now
    finally:
        app.conf.task_always_eager = True
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo@tp.test", "yt@yt.test"]
    assert set(Reminder.objects.values_list("kind", "state")) == {("before_7", Reminder.State.SENT)}
    assert Notification.objects.filter(recipient=world["staff"]).count() == 1
    assert "Báo cáo năm 2021" in mail.outbox[0].subject
