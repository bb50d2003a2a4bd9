"""The access matrix, generated from the URL conf: every named URL × every role × object, in ONE table.

Each entry says how to build the URL's arguments for an object of the world (tests/access/world.py)
and what each role gets, in the order of ROLES: anonymous, agency staff, agency head (both of
agency A), reviewer, co-reviewer, leader, admin. Objects are A's ("own"), B's ("other") or the
other province's ("foreign"), in the stage (phase) named first where it matters. GET for pages;
POST-only endpoints are POSTed, and a refused POST must change nothing in the database.

A URL in the conf without an entry here fails `test_every_url_has_an_entry`, naming it.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from plans.models import Deliverable, DvkModel, DvkProgress, DvkRecognition, Plan
from portal.models import Notification
from reports.models import GeneratedReport
from scoring.models import (
    Adjustment,
    AppraisalMark,
    CriterionScore,
    Dossier,
    Evidence,
    EvidenceRequest,
    Explanation,
    JudgeMark,
    Result,
    ScoringPeriod,
)
from tests.access.matrix_args import (
    Entry,
)
from tests.access.matrix_table import MATRIX, REFUSALS
from tests.access.world import ROLES, World

# The admin is one rule: only staff accounts get in, and of the portal's roles only the administrator
# is one (scoped to the province: tests/access/test_admin_scope.py).
ADMIN_NAMES = ("admin:index", "admin:portal_agency_changelist", "admin:scoring_criteriaset_changelist")
ADMIN = "302 302 302 302 302 302 200"


def url_names() -> set[str]:
    """Every named URL pattern of the conf (DRF's format-suffix twins share their base name)."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                yield from walk(pattern.url_patterns, f"{namespace}:{ns}" if namespace and ns else ns or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_has_an_entry():
    names = {n for n in url_names() if not n.startswith("admin:")}
    missing = sorted(names - set(MATRIX))
    assert not missing, f"URLs without an entry in the access matrix: {', '.join(missing)}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"Entries for URLs that no longer exist: {', '.join(stale)}"


SNAPSHOT = [CriterionScore, AppraisalMark, Evidence, EvidenceRequest, Explanation, Adjustment, Dossier,
            ScoringPeriod, Result, GeneratedReport, Plan, Deliverable, Notification, DvkModel, DvkProgress,
            DvkRecognition, JudgeMark]  # fmt: skip


def snapshot() -> dict:
    rows = {m.__name__: list(m.objects.order_by("pk").values_list()) for m in SNAPSHOT}
    rows.update({f"{m.__name__} history": m.history.count() for m in SNAPSHOT if hasattr(m, "history")})
    return rows


def _answer(client, entry: Entry, name: str, world: World, obj: str, role: str) -> int:
    url = reverse(name, args=entry.args(world, obj, role))
    if entry.method == "post":
        return client.post(url, entry.data(world, obj, role)).status_code
    return client.get(url).status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, world, clients, db):
    entry = MATRIX[name]
    before = snapshot() if entry.method == "post" else None
    wrong = []
    for obj, answers in entry.expect.items():
        for role, expected in zip(ROLES, answers.split(), strict=True):
            with transaction.atomic():
                got = _answer(clients[role], entry, name, world, obj, role)
                refused = got in REFUSALS or role == "anon"
                if before is not None and refused and snapshot() != before:
                    wrong.append(f"{role} on {obj}: refused with {got} but the database changed")
                transaction.set_rollback(True)  # an allowed POST must not change the next answer
            if got != int(expected):
                wrong.append(f"{role} on {obj}: expected {expected}, got {got}")
    assert not wrong, f"{name}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_admin_is_for_staff_accounts_only(name, world, clients, db):
    for role, expected in zip(ROLES, ADMIN.split(), strict=True):
        response = clients[role].get(reverse(name))
        assert response.status_code == int(expected), (name, role)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"], (name, role)
