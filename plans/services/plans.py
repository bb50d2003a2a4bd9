"""State changes of the plans app: plans and deliverables (reminders: services/reminders.py)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed, typed_text
from portal.models import AgencyVersion, User
from portal.services import notification_send
from portal.uploads import check_upload

from .. import selectors
from ..models import Deliverable, DeliverableType, Plan, PlanSection, ReportForm, Target, Task
from ..schedule import shifted_due

logger = logging.getLogger(__name__)
ONE_DAY = dt.timedelta(days=1)


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
        for version in versions.select_related("agency", "group"):
            if not version.group.takes_part_in(plan.program):  # a DVCQ plan asks nothing of enterprises
                continue
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
    # Checked here, not only by the page: the unique constraint would otherwise be the message.
    if Plan.objects.filter(province=plan.province, year=year, program=plan.program).exists():
        raise ValidationError(_("A plan for %(year)s already exists.") % {"year": year})
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
    if ReportForm.objects.filter(deliverable_type_id=deliverable.type_id).exists():
        raise ValidationError(_("This report is filled in as a form on the portal, not uploaded."))
    so_ky_hieu = typed_text(Deliverable, "so_ky_hieu", so_ky_hieu)
    checked = check_upload(upload)
    if document_date and document_date > timezone.localdate():
        raise ValidationError({"document_date": _("The document date cannot be in the future.")})
    deliverable.document.save(checked.name, upload, save=False)
    deliverable.document_name = checked.name
    deliverable.document_sha256 = checked.sha256
    deliverable.so_ky_hieu = so_ky_hieu
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
    comment = typed(comment, field="comment", label=_("Comment"), limit=NOTE_MAX_CHARS)
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
        for user in selectors.people_to_remind(deliverable.agency, overdue=True, escalate=True):
            notification_send(
                recipient=user,
                key=f"deliverable-returned:{deliverable.pk}:{deliverable.reviewed_at.isoformat()}",
                title=_("%(doc)s (plan of %(year)s) was returned for correction")
                % {"doc": deliverable.type.title, "year": deliverable.type.plan.year},
                body=comment.strip(),
                url=reverse("plans:my_duties"),
            )
    return deliverable
