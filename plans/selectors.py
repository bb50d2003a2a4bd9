"""Read-only queries of the plans app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.models import Agency, AgencyVersion, Province, Role, User
from portal.text import vi_sort_key

from .models import Deliverable, DeliverableType, Plan, Reminder, Target, Task
from .schedule import Policy, is_overdue_kind, reminder_dates

STATUS_LABELS = {
    "not_due": _("Not due yet"),
    "due_soon": _("Due soon"),
    "on_time": _("Submitted on time"),
    "late": _("Submitted late"),
    "missing": _("Missing"),
}
STATUS_COLOURS = {
    "not_due": "secondary",
    "due_soon": "warning",
    "on_time": "success",
    "late": "info",
    "missing": "danger",
}


def policy_of(plan: Plan) -> Policy:
    """The plan's reminder policy as plain data (the defaults when none is set)."""
    p = plan.reminder_policy
    if p is None:
        return Policy()
    return Policy(
        days_before=tuple(int(d) for d in p.days_before),
        on_due_day=p.on_due_day,
        overdue_every_days=p.overdue_every_days,
        overdue_max=p.overdue_max,
        escalate_to_head=p.escalate_to_head,
        shift_due_to_working_day=p.shift_due_to_working_day,
    )


def plans_of(*, province: Province) -> QuerySet[Plan]:
    return Plan.objects.filter(province=province).order_by("-year", "program")


def plan_for_year(*, province: Province, year: int, program: str = "dvcq") -> Plan | None:
    return Plan.objects.filter(province=province, year=year, program=program).first()


def deliverables_of_plan(*, plan: Plan) -> QuerySet[Deliverable]:
    return Deliverable.objects.filter(type__plan=plan).select_related(
        "type", "agency", "agency_version__group", "agency_version__agency"
    )


@dataclass
class MatrixRow:
    version: AgencyVersion
    cells: list[tuple[Deliverable, str] | None]  # (deliverable, status) per deliverable type


def deliverable_matrix(
    *, plan: Plan, today: dt.date, group_id: int | None = None, status: str | None = None
) -> tuple[list[DeliverableType], list[tuple[object, list[MatrixRow]]]]:
    """Agency × deliverable grid of a plan, grouped by khối and sorted by Vietnamese collation.

    Filtering by status keeps the agencies with at least one deliverable in that status.
    """
    types = list(plan.deliverable_types.order_by("order", "due_on"))
    rows: dict[int, MatrixRow] = {}
    for deliverable in deliverables_of_plan(plan=plan):
        version = deliverable.agency_version
        if group_id and version.group_id != group_id:
            continue
        row = rows.setdefault(version.agency_id, MatrixRow(version, [None] * len(types)))
        row.cells[[t.pk for t in types].index(deliverable.type_id)] = (deliverable, deliverable.status_on(today))
    if status:
        rows = {k: r for k, r in rows.items() if any(c and c[1] == status for c in r.cells)}
    groups: dict[object, list[MatrixRow]] = {}
    for row in sorted(rows.values(), key=lambda r: vi_sort_key(r.version.name)):
        groups.setdefault(row.version.group, []).append(row)
    ordered = sorted(groups.items(), key=lambda item: (item[0].order if item[0] else 99, str(item[0])))
    return types, ordered


def agency_duties(*, agency: Agency, year: int) -> tuple[list[Deliverable], list[Task]]:
    """What an agency must deliver this year, and the plan's tasks assigned to it or to its group."""
    deliverables = list(
        Deliverable.objects.filter(agency=agency, type__plan__year=year, type__plan__status=Plan.Status.ISSUED)
        .select_related("type__plan")
        .order_by("due_on")
    )
    version = agency.version_on(dt.date(year, 12, 31)) or agency.versions.valid_in_year(year).last()
    group_id = version.group_id if version else None
    tasks = list(
        Task.objects.filter(plan__province_id=agency.province_id, plan__year=year, plan__status=Plan.Status.ISSUED)
        .filter(Q(owners=agency) | Q(lead=agency) | Q(owner_groups__id=group_id))
        .distinct()
        .select_related("plan", "lead")
        .order_by("due_on", "code")
    )
    return deliverables, tasks


def tasks_by_criterion(*, agency: Agency, year: int) -> dict[str, list[Task]]:
    """The agency's tasks of the year by the scoring criterion they serve (their results are the
    evidence to cite when self-scoring that criterion)."""
    _, tasks = agency_duties(agency=agency, year=year)
    linked: dict[str, list[Task]] = {}
    for task in tasks:
        for code in task.criterion_codes or []:
            linked.setdefault(code, []).append(task)
    return linked


def deliverable_status_for_agency(*, agency: Agency, year: int, type_code: str, today: dt.date) -> str | None:
    """Status of one deliverable of an agency ("on_time", "late", "missing" …), None if not required."""
    deliverable = Deliverable.objects.filter(agency=agency, type__plan__year=year, type__code=type_code).first()
    return deliverable.status_on(today) if deliverable else None


# --- reminders ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedReminder:
    recipient: User
    deliverable: Deliverable
    kind: str
    due_on: dt.date
    scheduled_on: dt.date


def reminder_recipients(agency: Agency, overdue: bool, escalate: bool) -> list[User]:
    """Who is reminded: the agency's staff, and its head too once overdue (or when no staff)."""
    members = list(
        User.objects.filter(agency=agency, is_active=True, groups__name__in=[Role.AGENCY_STAFF, Role.AGENCY_HEAD])
        .prefetch_related("groups")
        .distinct()
    )
    staff = [u for u in members if Role.AGENCY_STAFF in u.roles]
    heads = [u for u in members if Role.AGENCY_HEAD in u.roles and u not in staff]
    if not staff:
        return heads  # nobody else to tell: the head hears from the start
    return staff + heads if (overdue and escalate) else staff


def reminders_on(day: dt.date, province: Province | None = None) -> list[PlannedReminder]:
    """Every reminder the policy plans for `day`: only open deliverables of issued plans."""
    deliverables = (
        Deliverable.objects.filter(type__plan__status=Plan.Status.ISSUED)
        .filter(Q(submitted_at__isnull=True) | Q(review=Deliverable.Review.RETURNED))
        .select_related("type__plan__reminder_policy", "agency", "agency_version")
    )
    if province is not None:
        deliverables = deliverables.filter(agency__province=province)
    planned: list[PlannedReminder] = []
    recipients_cache: dict[tuple[int, bool], list[User]] = {}
    for deliverable in deliverables:
        policy = policy_of(deliverable.type.plan)
        for kind, scheduled in reminder_dates(deliverable.due_on, policy):
            if scheduled != day:
                continue
            overdue = is_overdue_kind(kind)
            key = (deliverable.agency_id, overdue and policy.escalate_to_head)
            if key not in recipients_cache:
                recipients_cache[key] = reminder_recipients(deliverable.agency, overdue, policy.escalate_to_head)
            for user in recipients_cache[key]:
                planned.append(PlannedReminder(user, deliverable, kind, deliverable.due_on, day))
    return planned


def reminders_failed(*, province: Province) -> QuerySet[Reminder]:
    return Reminder.objects.filter(state=Reminder.State.FAILED, deliverable__agency__province=province)


# --- targets -------------------------------------------------------------------------------------

MetricFunction = Callable[[Plan, str, dt.date], Decimal | None]
METRICS: dict[str, tuple[str, MetricFunction]] = {}


def register_metric(code: str, label: str, function: MetricFunction) -> None:
    """Lets an app add a metric targets can be measured by (scoring adds the share rated Tốt)."""
    METRICS[code] = (label, function)


def _share_on_time(plan: Plan, type_code: str, today: dt.date) -> Decimal | None:
    deliverables = list(deliverables_of_plan(plan=plan).filter(type__code=type_code))
    if not deliverables:
        return None
    on_time = sum(1 for d in deliverables if d.status_on(today) == "on_time")
    return Decimal(on_time * 100) / Decimal(len(deliverables))


register_metric("deliverable_on_time", str(_("Share of agencies that submitted on time")), _share_on_time)


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    value: Decimal | None
    is_met: bool | None
    computed: bool


def target_progress(target: Target, today: dt.date) -> TargetProgress:
    """The target's current value (computed or entered) and whether it is met."""
    computed = target.metric in METRICS
    if computed:
        value = METRICS[target.metric][1](target.plan, target.metric_param, today)
    else:
        value = target.manual_value
    if value is None:
        return TargetProgress(target, None, None, computed)
    value = value.quantize(Decimal("0.01"))
    is_met = {
        "gte": value >= target.threshold,
        "gt": value > target.threshold,
        "lte": value <= target.threshold,
    }[target.comparison]
    return TargetProgress(target, value, is_met, computed)


def plan_targets(*, plan: Plan, today: dt.date) -> list[TargetProgress]:
    return [target_progress(t, today) for t in plan.targets.order_by("order", "code")]


def plan_with_details(*, plan_id: int, province: Province) -> Plan:
    return (
        Plan.objects.filter(pk=plan_id, province=province)
        .prefetch_related(
            "sections",
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related("lead").prefetch_related(
                    "lead__versions", "owners__versions", "owner_groups"
                ),
            ),
        )
        .get()
    )
