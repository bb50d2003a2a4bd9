"""Annual plans (Kế hoạch thực hiện công tác dân vận chính quyền), their tasks, targets,
deliverables with deadlines, and the reminder outbox that chases them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Agency, AgencyGroup, AgencyVersion, Program, Province
from portal.scopes import ProvinceScopedManager

DUE_SOON_DAYS = 7


class ReminderPolicy(models.Model):
    """Chính sách nhắc việc — when reminders go out around a deadline (data, per province)."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="reminder_policies")
    name = models.CharField(_("name"), max_length=120)
    days_before = models.JSONField(_("days before the deadline"), default=list, help_text=_("e.g. [7, 3, 1]"))
    on_due_day = models.BooleanField(_("remind on the due day"), default=True)
    overdue_every_days = models.PositiveSmallIntegerField(_("overdue: every … days"), default=3)
    overdue_max = models.PositiveSmallIntegerField(_("overdue: at most … reminders"), default=5)
    escalate_to_head = models.BooleanField(_("copy the agency head once overdue"), default=True)
    shift_due_to_working_day = models.BooleanField(
        _("move a deadline on a holiday or weekend to the next working day"), default=True
    )

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """Kế hoạch — the province's annual plan for a programme."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="plans", verbose_name=_("province"))
    year = models.PositiveSmallIntegerField(_("year"))
    program = models.CharField(_("programme"), max_length=10, choices=Program.choices, default=Program.DVCQ)
    title = models.CharField(_("title"), max_length=300)
    so_ky_hieu = models.CharField(_("number and symbol"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    reminder_policy = models.ForeignKey(
        ReminderPolicy, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("reminder policy")
    )
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, editable=False)
    history = HistoricalRecords()
    objects = ProvinceScopedManager()  # a query runs only in a province scope (portal/scopes.py)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["province", "-year", "program"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "program"], name="plan_unique_per_year_program")
        ]

    def __str__(self) -> str:
        return self.title


class PlanSection(models.Model):
    """I. Mục đích, yêu cầu; II. Nội dung; III. Chỉ tiêu; IV. Tổ chức thực hiện."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.heading


class Task(models.Model):
    """Nhiệm vụ — a duty of the plan for named agencies or whole groups, with a deadline."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, help_text=_("Empty for continuous duties."))
    lead = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="led_tasks", verbose_name=_("lead agency")
    )
    owners = models.ManyToManyField(Agency, blank=True, related_name="tasks", verbose_name=_("agencies"))
    owner_groups = models.ManyToManyField(
        AgencyGroup, blank=True, related_name="tasks", verbose_name=_("all agencies of the groups")
    )
    criterion_codes = models.JSONField(
        _("linked criteria"), default=list, blank=True, help_text=_("Codes of the scoring criteria this task serves.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="task_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Target(models.Model):
    """Chỉ tiêu — measurable, computed by the portal where it can, entered by hand where not."""

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", "≥"
        MORE_THAN = "gt", ">"
        AT_MOST = "lte", "≤"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    metric = models.CharField(
        _("measured by"), max_length=60, default="manual", help_text=_("A metric the portal computes, or manual.")
    )
    metric_param = models.CharField(_("metric parameter"), max_length=60, blank=True)
    comparison = models.CharField(_("comparison"), max_length=3, choices=Comparison.choices, default="gte")
    threshold = models.DecimalField(_("target value (%)"), max_digits=6, decimal_places=2)
    manual_value = models.DecimalField(_("value entered (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    manual_note = models.CharField(_("source of the value"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order", "code"]

    def __str__(self) -> str:
        return self.title


class DeliverableType(models.Model):
    """Sản phẩm phải nộp — e.g. the agency's own plan, the 6-month report, the annual report."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deliverable_types")
    code = models.SlugField(_("code"), max_length=40, help_text=_("e.g. report_annual; scoring criteria refer to it."))
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    groups = models.ManyToManyField(
        AgencyGroup, blank=True, verbose_name=_("groups that submit it"), help_text=_("Empty: every ranked agency.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deliverable type")
        verbose_name_plural = _("deliverable types")
        ordering = ["plan", "order", "due_on"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="deliverabletype_unique_code")]

    def __str__(self) -> str:
        return self.title


def deliverable_upload_to(instance: Deliverable, filename: str) -> str:
    return f"plans/{instance.type.plan.year}/{instance.type.code}/{instance.agency.code}/{filename}"


class Deliverable(models.Model):
    """One agency's deliverable: the document it sent, when, and the reviewer's verdict."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for correction")

    type = models.ForeignKey(DeliverableType, on_delete=models.CASCADE, related_name="deliverables")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="deliverables")
    agency_version = models.ForeignKey(AgencyVersion, on_delete=models.PROTECT, related_name="deliverables")
    due_on = models.DateField(_("due on"), help_text=_("The deadline after any shift to a working day."))
    document = models.FileField(_("document"), upload_to=deliverable_upload_to, blank=True)
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    so_ky_hieu = models.CharField(_("number and symbol"), max_length=60, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["type", "agency"]
        constraints = [models.UniqueConstraint(fields=["type", "agency"], name="deliverable_unique_per_agency")]

    def __str__(self) -> str:
        return f"{self.type} — {self.agency_version}"

    @property
    def province_id(self) -> int:
        return self.agency.province_id

    @property
    def is_submitted(self) -> bool:
        # A returned document counts as not submitted until the agency sends it again.
        return self.submitted_at is not None and self.review != self.Review.RETURNED

    @property
    def submitted_on(self) -> dt.date | None:
        from django.utils import timezone

        return timezone.localdate(self.submitted_at) if self.submitted_at else None

    def status_on(self, today: dt.date) -> str:
        """not_due / due_soon / on_time / late / missing (see plans.selectors.STATUS_LABELS)."""
        if self.is_submitted:
            return "on_time" if self.submitted_on <= self.due_on else "late"
        if today > self.due_on:
            return "missing"
        if (self.due_on - today).days <= DUE_SOON_DAYS:
            return "due_soon"
        return "not_due"


class Reminder(models.Model):
    """Outbox row of one reminder. The unique key makes each reminder exist once, whatever
    crashes, retries or duplicate beat processes do; sending claims the row first."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=20, help_text=_("before_7, due, overdue_1 …"))
    due_on = models.DateField(_("deadline"))
    scheduled_on = models.DateField(_("send on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    in_digest = models.BooleanField(_("in the daily digest"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a send of this row was last put on the queue (or its retry is due): the sweep queues a
    # row again only once this is older than REMINDER_STUCK_AFTER, so the queue holds one copy.
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-scheduled_on", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "deliverable", "kind", "due_on"], name="reminder_exactly_once")
        ]
        indexes = [models.Index(fields=["state", "scheduled_on"], name="reminder_outbox")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.scheduled_on})"

    @property
    def key(self) -> str:
        return f"reminder:{self.recipient_id}:{self.deliverable_id}:{self.kind}:{self.due_on.isoformat()}"


class Digest(models.Model):
    """The one digest e-mail of a person for a day (unique), listing that day's reminders."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField(_("day"))
    state = models.CharField(max_length=10, choices=Reminder.State.choices, default=Reminder.State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day}"


class SweepDay(models.Model):
    """A day whose reminder sweep completed; a gap before today means the server was down then
    and the next sweep catches the missed reminders up (plans.services.reminders_create)."""

    day = models.DateField(_("day"), unique=True)
    completed_at = models.DateTimeField(_("completed at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder sweep day")
        verbose_name_plural = _("reminder sweep days")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()
