"""Read-only queries of the plans app: plans, deliverables, duties, reminders and targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from portal.models import Agency, AgencyVersion, Province, Role, User
from portal.text import vi_sort_key

from ..models import Deliverable, DeliverableType, Plan, Reminder, Target, Task
from ..schedule import Policy, is_overdue_kind, reminder_dates

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


def plan_to_follow(*, province: Province, year: int, program: str = "dvcq") -> Plan | None:
    """The plan the home pages follow: the programme's plan of `year`, else the newest; one query."""
    this_year = Case(When(year=year, program=program, then=Value(0)), default=Value(1))
    return (
        Plan.objects.filter(province=province)
        .select_related("province")
        .order_by(this_year, "-year", "program")
        .first()
    )


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
        .select_related("type__plan", "type__report_form")
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
    """One reminder the policy plans, by ids: planning a national deadline day (tens of thousands of
    reminders) builds no model objects."""

    recipient_id: int
    deliverable_id: int
    kind: str
    due_on: dt.date
    scheduled_on: dt.date
    by_email: bool
    in_digest: bool


@dataclass(frozen=True)
class _Member:
    pk: int
    by_email: bool
    in_digest: bool


def _members_by_agency(agency_ids: set[int]) -> dict[int, tuple[list[_Member], list[_Member]]]:
    """(staff, heads that are not also staff) of each agency, in one query."""
    rows = (
        User.objects.filter(
            agency_id__in=agency_ids, is_active=True, groups__name__in=[Role.AGENCY_STAFF, Role.AGENCY_HEAD]
        )
        .order_by("pk")
        .values_list("pk", "agency_id", "email", "email_reminders", "reminder_digest", "groups__name")
    )
    roles: dict[int, set[str]] = {}
    members: dict[int, _Member] = {}
    agency_of: dict[int, int] = {}
    for pk, agency_id, email, email_reminders, digest, role in rows:
        roles.setdefault(pk, set()).add(role)
        members[pk] = _Member(pk, bool(email_reminders and email), bool(digest))
        agency_of[pk] = agency_id
    result: dict[int, tuple[list[_Member], list[_Member]]] = {a: ([], []) for a in agency_ids}
    for pk, member in members.items():
        staff, heads = result[agency_of[pk]]
        (staff if Role.AGENCY_STAFF in roles[pk] else heads).append(member)
    return result


def reminder_recipients(staff: list, heads: list, overdue: bool, escalate: bool) -> list:
    """Who is reminded: the agency's staff, and its head too once overdue (or when no staff)."""
    if not staff:
        return heads  # nobody else to tell: the head hears from the start
    return staff + heads if (overdue and escalate) else staff


def people_to_remind(agency: Agency, *, overdue: bool, escalate: bool) -> list[User]:
    """The users `reminder_recipients` picks in one agency (for a returned document, say)."""
    staff, heads = _members_by_agency({agency.pk})[agency.pk]
    chosen = reminder_recipients(staff, heads, overdue, escalate)
    users = User.objects.in_bulk([m.pk for m in chosen])
    return [users[m.pk] for m in chosen]


def planned_reminders(days: set[dt.date], province: Province | None = None) -> list[PlannedReminder]:
    """Every reminder the policies plan for `days`: only open deliverables of issued plans.

    Set-wise: reminder dates depend only on a deliverable's plan (its policy) and deadline, so they
    are computed once per distinct (plan, deadline) pair; the deliverables and recipients of the
    pairs that have a reminder on `days` are then read in one query each.
    """
    if not days:
        return []
    open_deliverables = Deliverable.objects.filter(type__plan__status=Plan.Status.ISSUED).filter(
        Q(submitted_at__isnull=True) | Q(review=Deliverable.Review.RETURNED)
    )
    if province is not None:
        open_deliverables = open_deliverables.filter(agency__province=province)
    pairs = set(open_deliverables.values_list("type__plan_id", "due_on").distinct())
    plans = Plan.objects.select_related("reminder_policy").in_bulk({plan_id for plan_id, _due in pairs})
    policies = {plan_id: policy_of(plan) for plan_id, plan in plans.items()}
    kinds: dict[tuple[int, dt.date], list[tuple[str, dt.date]]] = {}
    for plan_id, due_on in pairs:
        hits = [(kind, day) for kind, day in reminder_dates(due_on, policies[plan_id]) if day in days]
        if hits:
            kinds[(plan_id, due_on)] = hits
    if not kinds:
        return []
    matching = Q()
    for plan_id, due_on in kinds:
        matching |= Q(type__plan_id=plan_id, due_on=due_on)
    deliverables = list(
        open_deliverables.filter(matching).order_by("pk").values_list("pk", "agency_id", "due_on", "type__plan_id")
    )
    members = _members_by_agency({agency_id for _pk, agency_id, _due, _plan in deliverables})
    planned: list[PlannedReminder] = []
    for pk, agency_id, due_on, plan_id in deliverables:
        escalate = policies[plan_id].escalate_to_head
        staff, heads = members[agency_id]
        for kind, day in kinds[(plan_id, due_on)]:
            for member in reminder_recipients(staff, heads, is_overdue_kind(kind), escalate):
                planned.append(PlannedReminder(member.pk, pk, kind, due_on, day, member.by_email, member.in_digest))
    return planned


@dataclass(frozen=True)
class ReminderPreview:
    """A planned reminder with the people and documents it names, for the preview pages."""

    recipient: User
    deliverable: Deliverable
    kind: str
    due_on: dt.date
    scheduled_on: dt.date


def reminders_on(day: dt.date, province: Province | None = None) -> list[ReminderPreview]:
    """What the sweep would send on `day`, to whom (the admin preview and `preview_reminders`)."""
    planned = planned_reminders({day}, province)
    users = User.objects.in_bulk({p.recipient_id for p in planned})
    deliverables = Deliverable.objects.select_related("type", "agency_version").in_bulk(
        {p.deliverable_id for p in planned}
    )
    return [
        ReminderPreview(users[p.recipient_id], deliverables[p.deliverable_id], p.kind, p.due_on, p.scheduled_on)
        for p in planned
    ]


def reminders_missed(
    *, days: list[dt.date], today: dt.date, today_plan: list[PlannedReminder]
) -> list[PlannedReminder]:
    """The catch-up of reminder days the sweep missed (server down), re-dated `today`.

    Per recipient and deliverable only the most recent missed reminder, and none when `today_plan`
    (today's own reminders) already reminds that person of that deliverable. Deliverables are taken
    as they are now: one submitted since is not chased.
    """
    latest: dict[tuple[int, int], PlannedReminder] = {}
    for planned in sorted(planned_reminders(set(days)), key=lambda p: p.scheduled_on):
        latest[(planned.recipient_id, planned.deliverable_id)] = planned
    for planned in today_plan:
        latest.pop((planned.recipient_id, planned.deliverable_id), None)
    return [replace(planned, scheduled_on=today) for planned in latest.values()]


def reminders_failed(*, province: Province) -> QuerySet[Reminder]:
    return Reminder.objects.filter(state=Reminder.State.FAILED, deliverable__agency__province=province)


# --- targets -------------------------------------------------------------------------------------

# A metric measures a plan's targets set-wise: given the parameters of all its targets that use it,
# it answers each one's value in a fixed number of queries, however many targets ask.
MetricFunction = Callable[[Plan, frozenset[str], dt.date], Mapping[str, Decimal | None]]
METRICS: dict[str, tuple[str, MetricFunction]] = {}


def register_metric(code: str, label: str, function: MetricFunction) -> None:
    """Lets an app add a metric targets can be measured by (scoring adds the share rated Tốt)."""
    METRICS[code] = (label, function)


def _shares_on_time(plan: Plan, type_codes: frozenset[str], today: dt.date) -> dict[str, Decimal | None]:
    """Share of the plan's deliverables of each type submitted on time, in one query."""
    statuses: dict[str, list[str]] = {code: [] for code in type_codes}
    for deliverable in Deliverable.objects.filter(type__plan=plan, type__code__in=type_codes).select_related("type"):
        statuses[deliverable.type.code].append(deliverable.status_on(today))
    return {
        code: Decimal(found.count("on_time") * 100) / Decimal(len(found)) if found else None
        for code, found in statuses.items()
    }


register_metric("deliverable_on_time", str(_("Share of agencies that submitted on time")), _shares_on_time)


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    value: Decimal | None
    is_met: bool | None
    computed: bool


def target_is_met(target: Target, value: Decimal | None) -> bool | None:
    """Whether `value` (a percentage) meets the target, by the target's own comparison; None when
    there is nothing to compare yet. The one place every page asks (dashboard, ranking, plan)."""
    if value is None:
        return None
    value = value.quantize(Decimal("0.01"))
    return {
        Target.Comparison.AT_LEAST: value >= target.threshold,
        Target.Comparison.MORE_THAN: value > target.threshold,
        Target.Comparison.AT_MOST: value <= target.threshold,
    }[target.comparison]


def _progress(target: Target, measured: Mapping[tuple[str, str], Decimal | None]) -> TargetProgress:
    computed = target.metric in METRICS
    value = measured.get((target.metric, target.metric_param)) if computed else target.manual_value
    if value is not None:
        value = value.quantize(Decimal("0.01"))
    return TargetProgress(target, value, target_is_met(target, value), computed)


def _measure(plan: Plan, targets: list[Target], today: dt.date) -> dict[tuple[str, str], Decimal | None]:
    """The computed value of each (metric, parameter) the targets use: each metric asked once."""
    params: dict[str, set[str]] = {}
    for target in targets:
        if target.metric in METRICS:
            params.setdefault(target.metric, set()).add(target.metric_param)
    measured = {}
    for metric, wanted in params.items():
        values = METRICS[metric][1](plan, frozenset(wanted), today)
        measured.update({(metric, param): values.get(param) for param in wanted})
    return measured


def target_progress(target: Target, today: dt.date) -> TargetProgress:
    """The target's current value (computed or entered) and whether it is met."""
    return _progress(target, _measure(target.plan, [target], today))


def target_measured_by(*, province: Province, year: int, program: str, metric: str) -> Target | None:
    """The target of that year's plan of the programme that a given metric measures."""
    return (
        Target.objects.filter(plan__province=province, plan__year=year, plan__program=program, metric=metric)
        .select_related("plan")
        .first()
    )


def plan_targets(*, plan: Plan, today: dt.date) -> list[TargetProgress]:
    """Every target of the plan with its progress, in a number of queries that does not grow with
    the targets (each metric measures all the targets that use it at once)."""
    targets = list(plan.targets.order_by("order", "code"))
    measured = _measure(plan, targets, today)
    return [_progress(target, measured) for target in targets]


def plan_with_details(*, plan: Plan) -> Plan:
    """The plan with its sections, deliverable types and tasks (lead, agencies, groups), the
    agencies with their names (versions): seven queries however many tasks and agencies."""
    prefetch_related_objects(
        [plan],
        "sections",
        Prefetch("deliverable_types", queryset=DeliverableType.objects.select_related("report_form")),
        Prefetch("tasks", queryset=Task.objects.select_related("lead").prefetch_related("owners", "owner_groups")),
    )
    # Leads and agencies print their names: one query for the versions of all of them.
    agencies = [agency for task in plan.tasks.all() for agency in (task.lead, *task.owners.all()) if agency]
    prefetch_related_objects(agencies, "versions")
    return plan
