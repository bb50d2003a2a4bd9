"""Reminders survive a dead worker and a dead server: a claim whose worker died is sent again within
minutes (once, same Message-ID), each waiting reminder sits on the queue once, and days on which the
server was down are caught up on the next sweep by the stated policy, once."""

import datetime as dt
import email
import socket
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from plans import services, tasks
from plans.models import Deliverable, Reminder, SweepDay
from plans.services import reminders as reminders_module
from portal.models import Notification
from tests.factories import (
    DeliverableFactory,
    DeliverableTypeFactory,
    PlanFactory,
    ReminderFactory,
    ReminderPolicyFactory,
)
from tests.processes import broker_fixture, celery_worker, require_postgresql, wait_for  # noqa: F401

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Runs beat's sweep at a moment; its queueing runs after the commit (eagerly: the sends happen)."""

    def run(moment: dt.datetime) -> int:
        with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
            return tasks.reminder_sweep()

    return run


@pytest.fixture
def annual_report(world):
    """Báo cáo năm due Saturday 20/11/2021, moved to Monday 22/11: reminders on 15/11 (7 days),
    19/11 (1 day; the 3-day one falls on the same Friday), 22/11 (due day), then overdue from 25/11."""
    policy = ReminderPolicyFactory(province=world["province"])
    plan = PlanFactory(province=world["province"], year=2021, reminder_policy=policy)
    DeliverableTypeFactory(
        plan=plan, code="report_annual", title="Báo cáo năm 2021", due_on=D(2021, 11, 20)
    ).groups.set([world["group"]])
    with time_machine.travel(at(D(2021, 1, 4)), tick=False):
        services.plan_issue(plan=plan)
    return plan


def sent(world_user) -> list[tuple[str, dt.date, str]]:
    return sorted(
        Reminder.objects.filter(recipient=world_user).values_list("kind", "scheduled_on", "state"),
        key=lambda row: row[1],
    )


# --- missed days ------------------------------------------------------------------------------------


def test_days_the_server_was_down_are_caught_up_once_with_the_latest_missed_reminder(world, annual_report, sweep):
    assert sweep(at(D(2021, 11, 12))) == 0  # the last sweep before the outage: nothing due that day
    # Down from 13/11 to 23/11: the reminders of 15/11, 19/11 and 22/11 never went out. Meanwhile
    # Sở Y tế submitted its report, so it is not chased any more.
    Deliverable.objects.filter(agency=world["health"]).update(submitted_at=at(D(2021, 11, 20)))

    assert sweep(at(D(2021, 11, 24), 9)) == 1
    # Only the most recent missed reminder (the due day's), sent today and saying today's news.
    assert sent(world["staff"]) == [("due", D(2021, 11, 24), Reminder.State.SENT)]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["canbo@tp.test"], "[Cổng DVCQ] Quá hạn: Báo cáo năm 2021 (hạn 22/11/2021)")
    ]
    assert Reminder.objects.filter(recipient__in=[world["head"], world["health_staff"]]).count() == 0

    # Beat again, and a catch-up replayed as if the day had not been recorded: nothing new.
    assert sweep(at(D(2021, 11, 24), 10)) == 0
    SweepDay.objects.filter(day=D(2021, 11, 24)).delete()
    assert sweep(at(D(2021, 11, 24), 11)) == 0
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=world["staff"]).count() == 1


def test_todays_own_reminder_replaces_the_missed_one(world, annual_report, sweep):
    sweep(at(D(2021, 11, 12)))
    sweep(at(D(2021, 11, 25)))  # back on the day of the first overdue reminder
    assert sent(world["staff"]) == [("overdue_1", D(2021, 11, 25), Reminder.State.SENT)]
    assert sent(world["head"]) == [("overdue_1", D(2021, 11, 25), Reminder.State.SENT)]
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo@tp.test", "gd@tp.test", "yt@yt.test"]


def test_catch_up_reaches_back_a_bounded_number_of_days(world, annual_report, sweep, settings):
    settings.REMINDER_CATCH_UP_DAYS = 2
    sweep(at(D(2021, 11, 1)))
    sweep(at(D(2021, 11, 18)))  # looks back to 16/11 only: the reminder of 15/11 is not replayed
    assert Reminder.objects.count() == 0
    sweep(at(D(2021, 11, 23)))  # looks back to 21/11: 22/11's is replayed, 19/11's is not
    assert sent(world["staff"]) == [("due", D(2021, 11, 23), Reminder.State.SENT)]


def test_the_first_sweep_ever_replays_no_history(world, annual_report, sweep):
    assert sweep(at(D(2021, 11, 24))) == 0
    assert Reminder.objects.count() == 0
    assert list(SweepDay.objects.values_list("day", flat=True)) == [D(2021, 11, 24)]


# --- each waiting reminder is on the queue once ----------------------------------------------------


def test_a_waiting_reminder_is_queued_once_until_the_stuck_threshold(world, annual_report, settings):
    day = D(2021, 11, 15)
    with time_machine.travel(at(day), tick=False):
        services.reminders_create(day=day)
        first = services.reminders_to_queue(day=day)
        assert len(first) == 2  # Tư pháp and Y tế staff
        assert services.reminders_to_queue(day=day) == []  # the next minute's sweep
    # The broker lost them (nothing ran): once the threshold has passed they are queued again, once.
    later = at(day) + dt.timedelta(seconds=settings.REMINDER_STUCK_AFTER + 1)
    with time_machine.travel(later, tick=False):
        assert sorted(services.reminders_to_queue(day=day)) == sorted(first)
        assert services.reminders_to_queue(day=day) == []


def test_a_reminder_waiting_for_its_smtp_retry_is_left_to_that_retry(world, annual_report, settings):
    settings.EMAIL_BACKEND = "tests.backends.FailingEmailBackend"
    day = D(2021, 11, 15)
    with time_machine.travel(at(day), tick=False):
        services.reminders_create(day=day)
        reminder_id = services.reminders_to_queue(day=day)[0]
        with pytest.raises(Exception, match="Máy chủ thư không phản hồi"):
            services.reminder_send(reminder_id=reminder_id, retry_in=dt.timedelta(minutes=4))
    assert Reminder.objects.get(pk=reminder_id).state == Reminder.State.PENDING
    stuck = dt.timedelta(seconds=settings.REMINDER_STUCK_AFTER)
    with time_machine.travel(at(day) + dt.timedelta(minutes=4) + stuck - dt.timedelta(seconds=5), tick=False):
        assert reminder_id not in services.reminders_to_queue(day=day)
    with time_machine.travel(at(day) + dt.timedelta(minutes=4) + stuck + dt.timedelta(seconds=5), tick=False):
        assert reminder_id in services.reminders_to_queue(day=day)  # its retry never came


def test_a_stuck_claim_is_taken_over_after_minutes_not_fifteen(world, annual_report, settings):
    assert settings.REMINDER_STUCK_AFTER <= 5 * 60
    day = D(2021, 11, 15)
    with time_machine.travel(at(day), tick=False):
        services.reminders_create(day=day)
        reminder = Reminder.objects.get(recipient=world["staff"])
        Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.SENDING, claimed_at=timezone.now())
        assert services.reminder_send(reminder_id=reminder.pk) == "skipped"  # its worker may still be alive
    later = at(day) + dt.timedelta(seconds=settings.REMINDER_STUCK_AFTER + 1)
    with time_machine.travel(later, tick=False):
        assert reminder.pk in services.reminders_to_queue(day=day)
        assert services.reminder_send(reminder_id=reminder.pk) == Reminder.State.SENT


# --- a real worker killed while the SMTP server holds the message ----------------------------------


class StallingSMTPServer:
    """A minimal SMTP server: the first message is read whole and never answered (the server hangs
    on DATA); later ones are accepted. Records what each connection sent."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stalled: list[bytes] = []
        self.accepted: list[bytes] = []
        self.has_stalled = threading.Event()
        self.closing = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        first = True
        while not self.closing.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection, first), daemon=True).start()
            first = False

    def _serve(self, connection: socket.socket, stall: bool) -> None:
        with connection, connection.makefile("rb") as lines:
            connection.sendall(b"220 test ESMTP\r\n")
            for line in lines:
                command = line[:4].upper()
                if command == b"DATA":
                    connection.sendall(b"354 end with <CRLF>.<CRLF>\r\n")
                    data = b"".join(iter(lines.readline, b".\r\n"))
                    if stall:
                        self.stalled.append(data)
                        self.has_stalled.set()
                        self.closing.wait()  # never answers
                        return
                    self.accepted.append(data)
                    connection.sendall(b"250 queued\r\n")
                elif command == b"QUIT":
                    connection.sendall(b"221 bye\r\n")
                    return
                else:  # EHLO, MAIL, RCPT, RSET, NOOP
                    connection.sendall(b"250 ok\r\n")

    def close(self) -> None:
        self.closing.set()
        self.listener.close()


def message_id(data: bytes) -> str:
    return email.message_from_bytes(data)["Message-ID"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_send_the_reminder_goes_out_once_after_the_stuck_threshold(world, broker, settings, tmp_path):
    require_postgresql()
    settings.REMINDER_STUCK_AFTER = 2
    today = timezone.localdate()
    deliverable = DeliverableFactory(agency=world["justice"], type__due_on=today + dt.timedelta(days=3))
    reminder = ReminderFactory(recipient=world["staff"], deliverable=deliverable, scheduled_on=today)
    smtp = StallingSMTPServer()
    worker_env = {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "REMINDER_STUCK_AFTER": "2",
        "REMINDER_TIME_LIMIT": "1",
    }
    try:
        with celery_worker(broker.url, tmp_path, **worker_env) as first:
            assert tasks.reminder_sweep() == 1
            wait_for(smtp.has_stalled.is_set, 30, what="the first worker to hand over the message")
            first.kill()
        assert Reminder.objects.get(pk=reminder.pk).state == Reminder.State.SENDING
        assert tasks.reminder_sweep() == 0  # too fresh to tell a dead worker from a slow one
        time.sleep(2.2)
        assert tasks.reminder_sweep() == 1
        with celery_worker(broker.url, tmp_path, **worker_env):
            wait_for(lambda: Reminder.objects.get(pk=reminder.pk).state == Reminder.State.SENT, 30, 0.1, "the resend")
            time.sleep(0.5)  # a duplicate would arrive now
            assert tasks.reminder_sweep() == 0
    finally:
        smtp.close()
    assert len(smtp.accepted) == 1
    assert message_id(smtp.accepted[0]) == message_id(smtp.stalled[0]) == reminders_module._message_id(reminder.key)
    assert Notification.objects.filter(recipient=world["staff"], key=reminder.key).count() == 1
