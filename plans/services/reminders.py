"""The reminder outbox: planned set-wise, queued once, sent exactly once (claims, batches, catch-up)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.services import notification_send

from .. import selectors
from ..models import Digest, Reminder, SweepDay

logger = logging.getLogger(__name__)
ONE_DAY = dt.timedelta(days=1)
# --- reminders -----------------------------------------------------------------------------------


def _missed_days(day: dt.date) -> list[dt.date]:
    last = SweepDay.objects.order_by("-day").values_list("day", flat=True).first()
    # The first sweep ever replays no history; a replay of an earlier day (send_reminders --on) catches nothing up.
    if last is None or last >= day - ONE_DAY:
        return []
    first = max(last + ONE_DAY, day - dt.timedelta(days=settings.REMINDER_CATCH_UP_DAYS))
    return [first + dt.timedelta(days=n) for n in range((day - first).days)]


def reminders_create(*, day: dt.date) -> None:
    """Writes the outbox rows planned for `day` and catches up the days the sweep missed; records `day`
    as swept. A second run (or a second beat) creates nothing: the outbox's unique key decides.

    Catch-up policy, for days on which no sweep completed (server down), at most
    REMINDER_CATCH_UP_DAYS back: per person and deliverable still open, only the most recent missed
    reminder is sent, dated `day` (so it counts the days left from today), and none when `day`'s
    own plan already reminds that person of that deliverable.
    """
    planned = selectors.planned_reminders({day})
    missed = _missed_days(day)
    if missed:
        planned += selectors.reminders_missed(days=missed, today=day, today_plan=planned)
    Reminder.objects.bulk_create(
        (
            Reminder(
                recipient_id=p.recipient_id,
                deliverable_id=p.deliverable_id,
                kind=p.kind,
                due_on=p.due_on,
                scheduled_on=p.scheduled_on,
                by_email=p.by_email,
                in_digest=p.in_digest,
            )
            for p in planned
        ),
        batch_size=5000,
        ignore_conflicts=True,  # the unique key (recipient, deliverable, kind, due date) decides
    )
    SweepDay.objects.bulk_create([SweepDay(day=day)], ignore_conflicts=True)


SWEEP_LOCK_SECONDS = 5 * 60


@contextmanager
def sweep_lock(*, day: dt.date) -> Iterator[bool]:
    """True for the one sweep of `day` running now; a second one (another beat, a replay) gets False.

    The outbox's unique key already makes a second sweep harmless; the lock saves it the work. If
    the cache is away the sweep runs anyway (harmless, only slower).
    """
    key, token = f"plans:reminder-sweep:{day.isoformat()}", uuid.uuid4().hex
    try:
        acquired = cache.add(key, token, timeout=SWEEP_LOCK_SECONDS)
    except Exception:  # noqa: BLE001 — no cache, no lock: correctness does not depend on it
        logger.warning("Reminder sweep runs without its lock: the cache is unavailable", exc_info=True)
        yield True
        return
    try:
        yield acquired
    finally:
        if acquired:
            try:
                if cache.get(key) == token:
                    cache.delete(key)
            except Exception:  # noqa: BLE001 — the lock expires by itself
                logger.warning("Reminder sweep lock not released", exc_info=True)


def _stuck_before() -> dt.datetime:
    # Longer than a send task's hard time limit (checked at start-up): a claim this old has no live worker.
    return timezone.now() - dt.timedelta(seconds=settings.REMINDER_STUCK_AFTER)


def _to_queue(model, rows: Q) -> list[int]:
    stuck_before = _stuck_before()
    waiting = Q(state=Reminder.State.PENDING) | Q(state=Reminder.State.SENDING, claimed_at__lt=stuck_before)
    not_on_queue = Q(queued_at__isnull=True) | Q(queued_at__lt=stuck_before)
    with transaction.atomic():
        # Two sweeps at once: rows one of them holds are skipped by the other, so each is queued once.
        ids = list(
            model.objects.filter(rows, waiting, not_on_queue)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        model.objects.filter(pk__in=ids).update(queued_at=timezone.now())
    return ids


def reminders_to_queue(*, day: dt.date) -> list[int]:
    """Ids of reminders due by `day` waiting to be sent (or stuck with a dead worker) that no live send
    on the queue covers; marks them queued, so each is returned once per REMINDER_STUCK_AFTER."""
    return _to_queue(Reminder, Q(scheduled_on__lte=day, in_digest=False))


def _message_id(key: str) -> str:
    # Deterministic: a resend after a crash carries the same id, so mail systems fold it into one.
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@dvcq.portal>"


def _claim(model, pk: int) -> bool:
    return bool(
        model.objects.filter(pk=pk)
        .filter(Q(state=Reminder.State.PENDING) | Q(state=Reminder.State.SENDING, claimed_at__lt=_stuck_before()))
        .update(state=Reminder.State.SENDING, claimed_at=timezone.now())
    )


def _retry_later(model, pk: int, attempts: int, error: Exception, retry_in: dt.timedelta) -> None:
    # Back to pending, counted as on the queue until its retry is due: the sweep leaves it to that retry.
    model.objects.filter(pk=pk).update(
        state=Reminder.State.PENDING,
        attempts=attempts + 1,
        last_error=str(error)[:1000],
        queued_at=timezone.now() + retry_in,
    )


def _reminder_context(reminder: Reminder) -> dict:
    deliverable = reminder.deliverable
    # Counted from the day the reminder is for (a replayed sweep says what that day would have said;
    # a caught-up one is dated the day it is sent, so it says today's days left).
    today = reminder.scheduled_on
    days_left = (deliverable.due_on - today).days
    return {
        "reminder": reminder,
        "deliverable": deliverable,
        "agency_name": deliverable.agency_version.name,
        "title": deliverable.type.title,
        "due_on": deliverable.due_on,
        "days_left": days_left,
        "overdue": reminder.kind.startswith("overdue_") or days_left < 0,
        "url": settings.SITE_URL.rstrip("/") + reverse("plans:my_duties"),
    }


def reminder_send(*, reminder_id: int, retry_in: dt.timedelta = dt.timedelta(0), connection=None) -> str:
    """Sends one reminder exactly once: claims the row, posts the in-app notice, sends the e-mail.

    Returns the final state. An SMTP error puts the row back to pending (the task retries it after
    `retry_in`) and raises; the caller decides when to give up (reminder_give_up).
    """
    if not _claim(Reminder, reminder_id):
        return "skipped"  # someone else has it, or it is done
    reminder = Reminder.objects.select_related(
        "recipient", "deliverable__type__plan", "deliverable__agency_version"
    ).get(pk=reminder_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = _reminder_context(reminder)
        subject = render_to_string("plans/email/reminder_subject.txt", context).strip()
        body = render_to_string("plans/email/reminder_body.txt", context)
        notification_send(recipient=reminder.recipient, key=reminder.key, title=subject, body=body, url=context["url"])
    if reminder.by_email:
        try:
            message = EmailMultiAlternatives(
                subject,
                body,
                to=[reminder.recipient.email],
                headers={"Message-ID": _message_id(reminder.key)},
                connection=connection,  # a batch shares one SMTP session
            )
            message.send()
        except Exception as error:
            _retry_later(Reminder, reminder_id, reminder.attempts, error, retry_in)
            raise
    Reminder.objects.filter(pk=reminder_id).update(
        state=Reminder.State.SENT, sent_at=timezone.now(), attempts=reminder.attempts + 1, last_error=""
    )
    return Reminder.State.SENT


def reminder_give_up(*, reminder_id: int, error: str) -> None:
    """After the last retry: the row ends visibly failed (admin list, reviewer warnings)."""
    Reminder.objects.filter(pk=reminder_id).exclude(state=Reminder.State.SENT).update(
        state=Reminder.State.FAILED, last_error=error[:1000]
    )


def digests_create(*, day: dt.date) -> None:
    """One digest row per person who asked for a digest and has reminders today (unique per day)."""
    recipients = (
        Reminder.objects.filter(scheduled_on=day, in_digest=True).values_list("recipient_id", flat=True).distinct()
    )
    for recipient_id in recipients:
        try:
            with transaction.atomic():
                Digest.objects.get_or_create(recipient_id=recipient_id, day=day)
        except IntegrityError:
            pass


def digests_to_queue(*, day: dt.date) -> list[int]:
    """Ids of `day`'s digests to queue, each once per REMINDER_STUCK_AFTER (as reminders_to_queue)."""
    return _to_queue(Digest, Q(day=day))


def digest_send(*, digest_id: int, retry_in: dt.timedelta = dt.timedelta(0)) -> str:
    """Sends a person's daily digest once; its reminders are posted in-app one by one as usual."""
    if not _claim(Digest, digest_id):
        return "skipped"
    digest = Digest.objects.select_related("recipient").get(pk=digest_id)
    reminders = list(
        Reminder.objects.filter(recipient=digest.recipient, scheduled_on=digest.day, in_digest=True).select_related(
            "deliverable__type__plan", "deliverable__agency_version"
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        items = [_reminder_context(r) for r in reminders]
        for reminder, item in zip(reminders, items, strict=True):
            subject = render_to_string("plans/email/reminder_subject.txt", item).strip()
            notification_send(recipient=digest.recipient, key=reminder.key, title=subject, url=item["url"])
        subject = _("[DVCQ Portal] %(n)s deadlines to watch today") % {"n": len(items)}
        body = render_to_string("plans/email/digest_body.txt", {"items": items, "day": digest.day})
    send_mail = digest.recipient.email_reminders and digest.recipient.email
    if send_mail:
        try:
            EmailMultiAlternatives(
                subject,
                body,
                to=[digest.recipient.email],
                headers={"Message-ID": _message_id(f"digest:{digest.recipient_id}:{digest.day}")},
            ).send()
        except Exception as error:
            _retry_later(Digest, digest_id, digest.attempts, error, retry_in)
            raise
    now = timezone.now()
    Digest.objects.filter(pk=digest_id).update(state=Reminder.State.SENT, sent_at=now, attempts=digest.attempts + 1)
    Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(state=Reminder.State.SENT, sent_at=now)
    return Reminder.State.SENT
