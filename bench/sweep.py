"""The reminder sweep of the bench day (~10 reminders per agency nationally) against PostgreSQL
inserting the same outbox rows, and the Celery messages it queues, counted in the bench's own
Redis queue. The first round sweeps twice, as beat does a minute later, to show any re-queueing."""

from __future__ import annotations

import base64
import datetime as dt
import json

from django.conf import settings
from django.db import connection

from .stats import summary, timed

SNAPSHOT = "bench_reminder_rows"
COLUMNS = "recipient_id, deliverable_id, kind, due_on, scheduled_on, by_email, in_digest"


def _reset(day: dt.date, redis_client) -> None:
    """No outbox rows, nothing queued, and yesterday's sweep done (so no catch-up is due)."""
    redis_client.delete(settings.CELERY_TASK_DEFAULT_QUEUE)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM plans_reminder")
        cursor.execute("DELETE FROM plans_digest")
        cursor.execute("DELETE FROM plans_sweepday")
        cursor.execute(
            "INSERT INTO plans_sweepday (day, completed_at) VALUES (%s, now())", [day - dt.timedelta(days=1)]
        )


def queued(redis_client) -> tuple[int, int]:
    """(messages, reminders they carry) on the bench's queue: a message may carry one reminder id
    or a batch of them."""
    messages = redis_client.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1)
    reminders = 0
    for raw in messages:
        message = json.loads(raw)
        body = message["body"]
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args = json.loads(body)[0]
        reminders += len(args[0]) if args and isinstance(args[0], list) else 1
    return len(messages), reminders


class _Counter:
    """Counts SQL statements without keeping them (a sweep sends thousands)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def sweep(day: dt.date, rounds: int, profile: bool) -> dict:
    import redis

    from plans.models import Reminder
    from plans.tasks import reminder_sweep

    from .inproc import profile_top

    queue = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    portal_s, second_s, anchor_s, messages, second_messages, planned, statements = [], [], [], [], [], [], []
    for i in range(rounds):
        _reset(day, queue)
        counter = _Counter()
        with connection.execute_wrapper(counter):
            seconds, _count = timed(lambda: reminder_sweep(day.isoformat()))
        portal_s.append(seconds)
        statements.append(counter.n)
        messages.append(queued(queue))
        planned.append(Reminder.objects.filter(scheduled_on=day).count())
        if i == 0:
            seconds, _count = timed(lambda: reminder_sweep(day.isoformat()))
            second_s.append(seconds)
            second_messages.append(queued(queue))
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {SNAPSHOT}")
                cursor.execute(f"CREATE TABLE {SNAPSHOT} AS SELECT {COLUMNS} FROM plans_reminder")  # noqa: S608
        # The anchor replays the rows the portal planned, so it always runs after it.
        _reset(day, queue)

        def insert():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO plans_reminder ({COLUMNS}, state, attempts, last_error, created_at) "  # noqa: S608
                    f"SELECT {COLUMNS}, 'pending', 0, '', now() FROM {SNAPSHOT} ON CONFLICT DO NOTHING"
                )
                return cursor.rowcount

        seconds, inserted = timed(insert)
        anchor_s.append(seconds)
    result = {
        "portal": summary(portal_s), "anchor": summary(anchor_s), "second_sweep": summary(second_s),
        "planned": planned[-1], "anchor_rows": inserted, "messages_after_first": messages[0][0],
        "messages_after_second": second_messages[0][0], "reminders_after_first": messages[0][1],
        "reminders_after_second": second_messages[0][1], "queries": statements[0],
    }  # fmt: skip
    if profile:
        from plans.selectors import reminders_on

        result["profile"] = profile_top(lambda: reminders_on(day))
    _reset(day, queue)
    return result
