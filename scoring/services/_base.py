"""What the services of the assessment cycle share: the dossier's lock, the refusals of a stale or
unversioned save, the change reason recorded in the history, and notifying an agency's people
about its dossier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import User
from portal.selectors import users_of_agency
from portal.services import notification_send

from ..models import Dossier
from ..selectors.results import DossierComputation

Row = TypeVar("Row")


@dataclass(frozen=True)
class CellSaved(Generic[Row]):
    """What one cell's save did: the row it wrote, and the dossier's result recomputed with it (the
    engine's computation on the dossier's data, as the dossier's page shows it); `marks`: the
    criterion's marks with their scorers' names when the save read them (a mark's save)."""

    row: Row
    computation: DossierComputation
    marks: list | None = None


LOCKED_FIELDS = ("status", "submitted_at", "submitted_by_id", "is_late", "late_days", "flags")


def dossier_lock(dossier: Dossier) -> Dossier:
    """Locks the dossier's row until the transaction ends, and reloads what a save checks and
    computes with (status, submission, lateness, flags, the period's phase) into `dossier`.

    Every use case that changes a dossier's data holds this lock while it writes and recomputes the
    dossier's stored result: two cells saved at once would otherwise each compute the result from
    the other's old value, and the later one would store it."""
    _locked(dossier)
    return dossier


def dossier_lock_stored(dossier: Dossier) -> dict | None:
    """dossier_lock, reading in the same statement the detail of the dossier's stored provisional
    result, whose row it locks too: what a cell's save recomputes the totals from
    (services.results.dossier_result_update). Both rows locked, a save that waited for another's
    lock reads the stored detail as the other left it (PostgreSQL re-reads the rows it locks, not
    the others of the statement). None when the dossier has no stored result yet."""
    fresh = (
        Dossier.objects.select_for_update(of=("self", "provisional_result"))
        .select_related("period", "provisional_result")
        .filter(pk=dossier.pk, provisional_result__isnull=False)
        .only(*LOCKED_FIELDS, "period__phase", "provisional_result__detail")
        .order_by("pk")  # not the model's ordering: it would join four more tables
        .first()
    )
    if fresh is None:
        _locked(dossier)
        return None
    for name in LOCKED_FIELDS:
        setattr(dossier, name, getattr(fresh, name))
    dossier.period.phase = fresh.period.phase
    return fresh.provisional_result.detail


def _locked(dossier: Dossier) -> None:
    fresh = (
        Dossier.objects.select_for_update(of=("self",))
        .filter(pk=dossier.pk)
        .values(*LOCKED_FIELDS, "period__phase")
        .get()
    )
    for name in LOCKED_FIELDS:
        setattr(dossier, name, fresh[name])
    dossier.period.phase = fresh["period__phase"]


class StaleEdit(Exception):
    """Somebody saved this value after the page was loaded; the later save is refused."""

    def __init__(self, current, by: User | None, at: dt.datetime | None):
        super().__init__("stale")
        self.current = current
        self.by = by
        self.at = at


class VersionMissing(ValidationError):
    """A save that does not say which version of the value it edits could silently overwrite a
    colleague's later save: it is refused, whatever it carries."""

    def __init__(self):
        super().__init__(
            _(
                "This value was not saved: the page did not say which version of it you edited. "
                "Reload the page and save again; what you typed is still in the box."
            ),
            code="version_missing",
        )


def check_version(row, version: int | None, *, current: str, by: str, at: str) -> None:
    """Refuses a save that names no version, or one made on a page loaded before someone else's
    save of the same row (a row not yet saved is at version 0, as the page shows it). `by` and `at`
    name the row's fields of who saved it and when (read only for the refusal)."""
    if version is None:
        raise VersionMissing()
    if row.version != version:
        raise StaleEdit(current, getattr(row, by), getattr(row, at))


def set_reason(instance, reason: str) -> None:
    """The change reason simple_history records with the next save (its column holds 100 characters)."""
    instance._change_reason = reason[:100] if reason else ""


def dossier_url(dossier_id: int) -> str:
    return reverse("scoring:dossier", args=[dossier_id])


def period_label(period) -> str:
    """The period as a notice names it: its name, with its year when the name does not say it."""
    if str(period.year) in period.name:
        return period.name
    return _("%(name)s, year %(year)s") % {"name": period.name, "year": period.year}


def about_period(title: str, period) -> str:
    """A notice's title saying which period and year it is about (several may be open at once)."""
    return _("%(title)s — %(period)s") % {"title": title, "period": period_label(period)}


def notify_agency(dossier: Dossier, *, key: str, title: str, body: str = "") -> None:
    """Tells every person of the dossier's agency about it (once per person and key); the title
    names the period and year."""
    title = about_period(title, dossier.period)
    for user in users_of_agency(agency=dossier.agency):
        notification_send(recipient=user, key=key, title=title, body=body, url=dossier_url(dossier.pk))
