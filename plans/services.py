"""State changes of the plans app: issue and copy plans, submit and review deliverables, and the
reminder outbox (plan → claim → send), each safe to run twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import AgencyVersion, User
from portal.services import notification_send
from portal.uploads import check_upload

from . import selectors
from .models import Deliverable, DeliverableType, Digest, Plan, PlanSection, Reminder, Target, Task
from .schedule import shifted_due

logger = logging.getLogger(__name__)
STUCK_AFTER = dt.timedelta(minutes=15)


def _add_year(day: dt.date | None, years: int = 1) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02
        return day.replace(year=day.year + years, day=28)


# --- plans ---------------------------------------------------------------------------------------


@transaction.atomic
def plan_issue(*, plan: Plan, by: User | None = None) -> int:
    """Marks the plan issued and creates each required deliverable for every agency in scope.

    Agencies are taken as they were on each deadline (their version then); deadlines on a day off
    move per the reminder policy. Re-issuing adds only what is missing. Returns how many were created.
    """
    plan.status = Plan.Status.ISSUED
    plan.save(update_fields=["status"])
    policy = selectors.policy_of(plan)
    created = 0
    for deliverable_type in plan.deliverable_types.prefetch_related("groups"):
        groups = list(deliverable_type.groups.all())
        versions = AgencyVersion.objects.valid_on(deliverable_type.due_on).filter(
            agency__province_id=plan.province_id, group__isnull=False
        )
        if groups:
            versions = versions.filter(group__in=groups)
        due = shifted_due(deliverable_type.due_on, policy)
        for version in versions.select_related("agency"):
            _, was_created = Deliverable.objects.get_or_create(
                type=deliverable_type,
                agency=version.agency,
                defaults={"agency_version": version, "due_on": due},
            )
            created += was_created
    return created


@transaction.atomic
def plan_copy(*, plan: Plan, year: int | None = None, by: User | None = None) -> Plan:
    """Starts next year's plan as a draft copy of this one: sections, tasks, targets, deliverables.

    Dates move forward by the number of years between the plans; nothing is issued.
    """
    year = year or plan.year + 1
    shift = year - plan.year
    new = Plan.objects.create(
        province=plan.province,
        year=year,
        program=plan.program,
        title=plan.title.replace(str(plan.year), str(year)),
        issuer=plan.issuer,
        reminder_policy=plan.reminder_policy,
        copied_from=plan,
    )
    PlanSection.objects.bulk_create(
        PlanSection(plan=new, order=s.order, heading=s.heading, body=s.body.replace(str(plan.year), str(year)))
        for s in plan.sections.all()
    )
    for task in plan.tasks.prefetch_related("owners", "owner_groups"):
        copy = Task.objects.create(
            plan=new,
            code=task.code,
            title=task.title,
            description=task.description,
            due_on=_add_year(task.due_on, shift),
            lead=task.lead,
            criterion_codes=task.criterion_codes,
            order=task.order,
        )
        copy.owners.set(task.owners.all())
        copy.owner_groups.set(task.owner_groups.all())
    Target.objects.bulk_create(
        Target(
            plan=new,
            code=t.code,
            title=t.title,
            metric=t.metric,
            metric_param=t.metric_param,
            comparison=t.comparison,
            threshold=t.threshold,
            order=t.order,
        )
        for t in plan.targets.all()
    )
    for deliverable_type in plan.deliverable_types.prefetch_related("groups"):
        copy = DeliverableType.objects.create(
            plan=new,
            code=deliverable_type.code,
            title=deliverable_type.title.replace(str(plan.year), str(year)),
            due_on=_add_year(deliverable_type.due_on, shift),
            order=deliverable_type.order,
        )
        copy.groups.set(deliverable_type.groups.all())
    return new


# --- deliverables --------------------------------------------------------------------------------


@transaction.atomic
def deliverable_submit(
    *, deliverable: Deliverable, upload, so_ky_hieu: str, document_date: dt.date, by: User
) -> Deliverable:
    """Stores the agency's document and stamps the submission time (late is allowed, and marked)."""
    checked = check_upload(upload)
    if document_date and document_date > timezone.localdate():
        raise ValidationError({"document_date": _("The document date cannot be in the future.")})
    deliverable.document.save(checked.name, upload, save=False)
    deliverable.document_name = checked.name
    deliverable.document_sha256 = checked.sha256
    deliverable.so_ky_hieu = so_ky_hieu.strip()
    deliverable.document_date = document_date
    deliverable.submitted_at = timezone.now()
    deliverable.submitted_by = by
    deliverable.review = Deliverable.Review.PENDING
    deliverable.review_comment = ""
    deliverable._change_reason = "submitted"
    deliverable.save()
    return deliverable


@transaction.atomic
def deliverable_review(*, deliverable: Deliverable, accept: bool, comment: str, by: User) -> Deliverable:
    """Accepts the document, or returns it with a comment (then it counts as not submitted)."""
    if not deliverable.submitted_at:
        raise ValidationError(_("Nothing has been submitted yet."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say why the document is returned.")})
    deliverable.review = Deliverable.Review.ACCEPTED if accept else Deliverable.Review.RETURNED
    deliverable.review_comment = comment.strip()
    deliverable.reviewed_by = by
    deliverable.reviewed_at = timezone.now()
    deliverable._change_reason = comment.strip() or "accepted"
    deliverable.save()
    if not accept:
        for user in selectors.reminder_recipients(deliverable.agency, overdue=True, escalate=True):
            notification_send(
                recipient=user,
                key=f"deliverable-returned:{deliverable.pk}:{deliverable.reviewed_at.isoformat()}",
                title=_("%(doc)s was returned for correction") % {"doc": deliverable.type.title},
                body=comment.strip(),
                url=reverse("plans:my_duties"),
            )
    return deliverable


# --- reminders -----------------------------------------------------------------------------------


def reminders_create(*, day: dt.date) -> list[int]:
    """Writes the outbox rows planned for `day` (a second run creates nothing) and returns the ids
    of rows of that day still waiting to be sent."""
    planned = selectors.reminders_on(day)
    Reminder.objects.bulk_create(
        [
            Reminder(
                recipient=p.recipient,
                deliverable=p.deliverable,
                kind=p.kind,
                due_on=p.due_on,
                scheduled_on=p.scheduled_on,
                by_email=p.recipient.email_reminders and bool(p.recipient.email),
                in_digest=p.recipient.reminder_digest,
            )
            for p in planned
        ],
        ignore_conflicts=True,  # the unique key (recipient, deliverable, kind, due date) decides
    )
    stuck_before = timezone.now() - STUCK_AFTER
    return list(
        Reminder.objects.filter(scheduled_on__lte=day, in_digest=False)
        .filter(Q(state=Reminder.State.PENDING) | Q(state=Reminder.State.SENDING, claimed_at__lt=stuck_before))
        .values_list("pk", flat=True)
    )


def _message_id(key: str) -> str:
    # Deterministic: a resend after a crash carries the same id, so mail systems fold it into one.
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@dvcq.portal>"


def _claim(model, pk: int) -> bool:
    stuck_before = timezone.now() - STUCK_AFTER
    return bool(
        model.objects.filter(pk=pk)
        .filter(Q(state=Reminder.State.PENDING) | Q(state=Reminder.State.SENDING, claimed_at__lt=stuck_before))
        .update(state=Reminder.State.SENDING, claimed_at=timezone.now())
    )


def _reminder_context(reminder: Reminder) -> dict:
    deliverable = reminder.deliverable
    # Counted from the day the reminder is for (a replayed sweep says what that day would have said).
    today = reminder.scheduled_on
    return {
        "reminder": reminder,
        "deliverable": deliverable,
        "agency_name": deliverable.agency_version.name,
        "title": deliverable.type.title,
        "due_on": deliverable.due_on,
        "days_left": (deliverable.due_on - today).days,
        "overdue": reminder.kind.startswith("overdue_"),
        "url": settings.SITE_URL.rstrip("/") + reverse("plans:my_duties"),
    }


def reminder_send(*, reminder_id: int) -> str:
    """Sends one reminder exactly once: claims the row, posts the in-app notice, sends the e-mail.

    Returns the final state. An SMTP error puts the row back to pending (the task retries it)
    and raises; the caller decides when to give up (reminder_give_up).
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
                subject, body, to=[reminder.recipient.email], headers={"Message-ID": _message_id(reminder.key)}
            )
            message.send()
        except Exception as error:
            Reminder.objects.filter(pk=reminder_id).update(
                state=Reminder.State.PENDING, attempts=reminder.attempts + 1, last_error=str(error)[:1000]
            )
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


def digests_create(*, day: dt.date) -> list[int]:
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
    return list(Digest.objects.filter(day=day, state=Reminder.State.PENDING).values_list("pk", flat=True))


def digest_send(*, digest_id: int) -> str:
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
            Digest.objects.filter(pk=digest_id).update(
                state=Reminder.State.PENDING, attempts=digest.attempts + 1, last_error=str(error)[:1000]
            )
            raise
    now = timezone.now()
    Digest.objects.filter(pk=digest_id).update(state=Reminder.State.SENT, sent_at=now, attempts=digest.attempts + 1)
    Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(state=Reminder.State.SENT, sent_at=now)
    return Reminder.State.SENT
