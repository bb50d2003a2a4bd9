"""The pieces of the access matrix's table: an entry, and how to build a URL's arguments (and a
POST's data) for an object of the world. An object key is "<stage> <own|other|foreign> [code]"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scoring.models import AppraisalMark, CriterionScore
from tests.access.world import World


@dataclass(frozen=True)
class Entry:
    expect: dict[str, str]  # object → answers in the order of ROLES
    args: Callable[[World, str, str], list] = lambda w, o, r: []
    method: str = "get"
    data: Callable[[World, str, str], dict] = lambda w, o, r: {}


def page(expect, args=None):
    return Entry(expect, args or Entry.args)


def post(expect, args=None, data=None):
    return Entry(expect, args or Entry.args, "post", data or Entry.data)


# --- argument builders: an object key is "<stage> <own|other|foreign> [criterion code]" -------------


def split_key(o: str) -> tuple[str, str, str]:
    parts = o.split()
    stage, obj = (parts[0], parts[1]) if len(parts) > 1 else ("final", parts[0])
    return stage, obj, parts[2] if len(parts) > 2 else "2.2"


def dossier(w: World, o: str, r: str = ""):
    stage, obj, _code = split_key(o)
    return w.dossier(stage, obj)


def criterion(w: World, o: str):
    return w.criterion(dossier(w, o), split_key(o)[2])


def d(w, o, r):
    return [dossier(w, o).pk]


def dc(w, o, r):
    return [dossier(w, o).pk, criterion(w, o).pk]


def period(w, o, r):
    return [w.periods["foreign" if "foreign" in o else o.split()[0]].pk]


def cell(prefix: str, version_prefix: str):
    """What the page posts for one cell: a value and the version of the row it shows."""

    def data(w, o, r):
        c = criterion(w, o)
        if prefix == "raw":
            row = CriterionScore.objects.filter(dossier=dossier(w, o), criterion=c).first()
        else:
            agency_id = w.users[r].agency_id if r != "anon" else None
            row = AppraisalMark.objects.filter(dossier=dossier(w, o), criterion=c, scorer_id=agency_id).first()
        value = "75" if c.code == "1.1" else "3"  # a percentage, or points within 2.2's maximum of 4
        return {f"{prefix}_{c.pk}": value, f"{version_prefix}_{c.pk}": str(row.version if row else 0)}

    return data


def sheet(w, o, r):
    stage, obj, _ = split_key(o)
    agency = w.agencies[obj]
    return [w.periods["foreign" if obj == "foreign" else stage].pk, agency.code]


def report_kind(w, o, r):
    kind, stage = o.split()[0], o.split()[-1]
    return [w.periods[stage].pk, "decision" if kind == "decision" else "scoresheet"]


def report_agency(w, o, r):
    return {"agency": w.agencies["other" if "other" in o else "own"].code}


def notification(w, o, r):
    key = {"own": "staff" if r == "anon" else r, "other": "other_staff", "foreign": "foreign_staff"}[o]
    return [w.notifications[key].pk]
