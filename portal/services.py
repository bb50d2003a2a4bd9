"""State changes of the portal core. Each is one use case, in a transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Agency, AgencyLineage, AgencyVersion, LineageKind, Notification, Role, User


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str]) -> User:
    """Gives the user exactly these roles (unknown names are refused)."""
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    groups = [Group.objects.get_or_create(name=name)[0] for name in sorted(wanted)]
    user.groups.remove(*user.groups.filter(name__in=Role.values).exclude(name__in=wanted))
    user.groups.add(*groups)
    return user_sync_staff(user=user)


def user_sync_staff(*, user: User) -> User:
    """Staff status (entry to the Django admin) follows the administrator role; superusers keep it."""
    user.__dict__.pop("roles", None)  # drop the cached role set
    is_staff = user.is_superuser or user.has_role(Role.ADMIN)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def agency_version_close_and_open(
    *, agency: Agency, on: dt.date, legal_basis: str, lineage_kind: str = LineageKind.RENAME, **fields
) -> AgencyVersion:
    """Ends the version valid the day before `on` and opens a new one from `on`, linked by lineage.

    Unchanged fields carry over, so a rename needs only the new name.
    """
    previous = agency.versions.valid_on(on - dt.timedelta(days=1)).get()
    previous.valid_to = on - dt.timedelta(days=1)
    previous.save(update_fields=["valid_to"])
    carried = {f: getattr(previous, f) for f in ("name", "short_name", "kind", "parent_id", "group_id")}
    carried.update({k if k not in ("parent", "group") else f"{k}_id": getattr(v, "pk", v) for k, v in fields.items()})
    new = AgencyVersion(agency=agency, valid_from=on, legal_basis=legal_basis, **carried)
    new.full_clean()
    new.save()
    AgencyLineage.objects.create(
        kind=lineage_kind, predecessor=previous, successor=new, effective_on=on, legal_basis=legal_basis
    )
    return new


def notification_send(*, recipient: User, key: str, title: str, body: str = "", url: str = "") -> Notification:
    """Creates the in-app notification once per (recipient, key); a repeat returns the existing one."""
    try:
        with transaction.atomic():
            return Notification.objects.create(recipient=recipient, key=key, title=title, body=body, url=url)
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, key=key)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Marks one (or, with no id, every) unread notification of the user as read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
