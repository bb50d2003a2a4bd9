"""Read-only queries of the portal core, each shaped for one page or use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db.models import BooleanField, IntegerField, Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from .models import Agency, AgencyLineage, AgencyVersion, Notification, Program, Province, Role, User
from .text import vi_sort_key


def agency_versions_on(*, province: Province, day: dt.date) -> list[AgencyVersion]:
    """Every agency of the province as it was on `day`, in Vietnamese alphabetical order."""
    versions = AgencyVersion.objects.valid_on(day).filter(agency__province=province).select_related("agency", "group")
    return sorted(versions, key=lambda v: vi_sort_key(v.name))


def agency_versions_by_group(
    *, province: Province, day: dt.date, program: str = Program.DVCQ
) -> list[tuple[object, list[AgencyVersion]]]:
    """Ranked agencies on `day`, grouped by khối in the province's order; unranked bodies and groups
    that take no part in the programme (enterprises and party committees in DVCQ) left out."""
    groups: dict[int, tuple[object, list[AgencyVersion]]] = {}
    for version in agency_versions_on(province=province, day=day):
        if version.group_id is None or not version.group.takes_part_in(program):
            continue
        groups.setdefault(version.group_id, (version.group, []))[1].append(version)
    return sorted(groups.values(), key=lambda item: (item[0].order, item[0].code))


def agency_name_on(*, agency: Agency, day: dt.date) -> str | None:
    """The agency's official name on `day`; None when it did not exist."""
    version = agency.version_on(day)
    return version.name if version else None


def agency_with_history(*, province_id: int | None, code: str) -> Agency | None:
    """The agency of the province with this code, its versions (oldest first, with their group and
    parent) and the lineage into and out of each, in four queries however long the history."""
    versions = (
        AgencyVersion.objects.select_related("group", "parent")
        .order_by("valid_from")
        .prefetch_related(
            Prefetch("successor_links", queryset=AgencyLineage.objects.select_related("successor__agency")),
            Prefetch("predecessor_links", queryset=AgencyLineage.objects.select_related("predecessor__agency")),
        )
    )
    return (
        Agency.objects.filter(province_id=province_id, code=code)
        .select_related("province")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .first()
    )


def lineage_successors(*, version: AgencyVersion) -> list[AgencyLineage]:
    """The lineage records leading out of a version (rename, merge, split, transfer, dissolve)."""
    return list(version.successor_links.select_related("successor__agency"))


def lineage_ancestor_agencies(*, agency: Agency) -> set[int]:
    """Ids of the agency and every agency that flowed into it, at any depth.

    Trends over years roll up through this: the 2025 Sở Nội vụ carries the history of the
    former Sở Lao động - Thương binh và Xã hội merged into it. The province's lineage is read in
    one query and walked in memory, however many generations of mergers lie behind the agency.
    """
    links = AgencyLineage.objects.filter(successor__agency__province_id=agency.province_id).values_list(
        "successor__agency_id", "predecessor__agency_id"
    )
    flowed_into: dict[int, set[int]] = {}
    for successor, predecessor in links:
        flowed_into.setdefault(successor, set()).add(predecessor)
    seen: set[int] = {agency.pk}
    frontier: Iterable[int] = [agency.pk]
    while frontier:
        frontier = {pk for successor in frontier for pk in flowed_into.get(successor, ())} - seen
        seen.update(frontier)
    return seen


def lineage_current_agency(*, agency: Agency, day: dt.date) -> Agency | None:
    """Where an agency's work lives on `day`: itself, or the successor it was merged/renamed into."""
    current = agency
    for _ in range(50):  # lineage is acyclic; the bound only guards against bad data
        if current.version_on(day):
            return current
        link = (
            AgencyLineage.objects.filter(predecessor__agency=current, successor__isnull=False, effective_on__lte=day)
            .select_related("successor__agency")
            .order_by("-effective_on")
            .first()
        )
        if link is None:
            return None
        current = link.successor.agency
    return None


def users_of_agency(*, agency: Agency, role: str | None = None) -> QuerySet[User]:
    """Active users of an agency, optionally only those holding `role`."""
    users = User.objects.filter(agency=agency, is_active=True)
    if role:
        users = users.filter(groups__name=role)
    return users.order_by("username")


def notifications_for(*, user: User, limit: int = 50) -> QuerySet[Notification]:
    """The user's latest notifications, newest first."""
    return Notification.objects.filter(recipient=user)[:limit]


def unread_notification_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def signed_in_user(user_id) -> User | None:
    """The user a request runs as, loaded with their province, agency, roles (`user.roles`) and the
    bell's unread count (`user.unread_notifications`) in one query: every page asks for them."""
    user = User.objects.filter(pk=user_id).select_related("province", "agency").annotate(**_signed_in_columns()).first()
    if user is not None:
        held = frozenset(role for role in Role.values if getattr(user, f"holds_{role}"))
        user.__dict__["roles"] = held if user.is_active else frozenset()  # as User.roles would read them
    return user


def _signed_in_columns() -> dict:
    """signed_in_user's extra columns as plain SQL: the same count and EXISTS as the ORM's
    subqueries, without compiling nine subqueries on every request (that cost more than running
    them). The outer row is the user table's own (Django names the base table by itself)."""
    users, links, groups = User._meta.db_table, User.groups.through._meta.db_table, Group._meta.db_table
    notifications = Notification._meta.db_table
    # Only the models' own table names are interpolated; the role names are parameters.
    unread = RawSQL(  # noqa: S611
        f'SELECT COUNT(*) FROM "{notifications}" n WHERE n."recipient_id" = "{users}"."id" AND n."read_at" IS NULL',  # noqa: S608
        (),
        output_field=IntegerField(),
    )
    holds = {
        f"holds_{role}": RawSQL(  # noqa: S611
            f'EXISTS (SELECT 1 FROM "{links}" ug INNER JOIN "{groups}" g ON g."id" = ug."group_id" '  # noqa: S608
            f'WHERE ug."user_id" = "{users}"."id" AND g."name" = %s)',
            (role,),
            output_field=BooleanField(),
        )
        for role in Role.values
    }
    return {"unread_notifications": unread, **holds}


def province_by_code(code: str | None) -> Province:
    """The province with `code`, or the only province when no code is given.

    Raises Province.DoesNotExist (none, or several and no code) — commands turn it into a message.
    """
    if code:
        return Province.objects.get(code=code)
    provinces = list(Province.objects.all()[:2])
    if len(provinces) != 1:
        raise Province.DoesNotExist
    return provinces[0]
