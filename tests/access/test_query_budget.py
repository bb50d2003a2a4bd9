"""Query budgets: every page of every role, the two autosaves and the read API, counted on the access
world (tests/access/world.py) grown by 1 and again grown by 10 (tests/access/bigger.py: ten times
the agencies, dossiers, marks, evidence, plans, notifications, …). Each (page, object, role) that
answers 200 must send at most its page's budget of SQL statements — never more than 15 — and the
SAME number on both worlds: a count that moves grows with the data (one query per row: an N+1).

The count is the second request's (the first warms what a running server keeps: translations,
templates, content types); transaction control is not counted. A URL in the conf without an entry
here fails `test_every_url_has_a_budget`, naming it, as the access matrix does. Budgets are what the
pages send today: lower one when a page gets cheaper; raising one needs a reason in its comment.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection, reset_queries, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.access.bigger import grow
from tests.access.matrix_table import MATRIX
from tests.access.test_matrix import url_names
from tests.access.world import ROLES

# Every test here needs the test database (its fixture builds on it): without a test that asks for
# it, pytest-django would set none up.
pytestmark = pytest.mark.django_db

CEILING = 15  # issue 10: no page above this, at any scale
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@dataclass(frozen=True)
class Budget:
    limit: int | None  # None: answers no page to anyone (redirects, POST-only actions)
    objects: tuple[str, ...] = ()  # the access matrix's objects (another province's left out) when empty
    queries: tuple[str, ...] = ("",)  # query strings the page is also asked with


BUDGETS: dict[str, Budget] = {
    # --- portal --------------------------------------------------------------------------------
    "home": Budget(None),  # a redirect to the role's home
    "agency_home": Budget(11),
    "review_home": Budget(10),
    "leader_home": Budget(10),
    "admin_home": Budget(4),
    "steering_home": Budget(6),
    "agency_list": Budget(3),
    "agency_detail": Budget(6),
    "notification_list": Budget(3),
    "notification_mark_all_read": Budget(None),
    "notification_mark_read": Budget(None),
    "preferences": Budget(2),
    # --- plans ---------------------------------------------------------------------------------
    "plans:plan_list": Budget(3),
    "plans:plan_detail": Budget(12),
    "plans:plan_matrix": Budget(6, queries=("", "?format=xlsx")),
    "plans:plan_issue": Budget(None),
    "plans:plan_copy": Budget(None),
    # The world's plan is of the year of the open self-assessment, not of today's.
    "plans:my_duties": Budget(5, queries=("", "?year=2024")),
    "plans:deliverable_detail": Budget(4),
    "plans:deliverable_submit": Budget(None),
    "plans:deliverable_document": Budget(3),
    "plans:dvk_registry": Budget(6, queries=("", "?q=mo+hinh+kheo&field=admin_reform", "?format=xlsx")),
    "plans:dvk_create": Budget(3),
    "plans:dvk_detail": Budget(6),
    "plans:dvk_edit": Budget(6, objects=("draft own",)),
    "plans:dvk_submit": Budget(None),
    "plans:dvk_progress_add": Budget(None),
    "plans:dvk_review": Budget(None),
    "plans:dvk_recognise": Budget(None),
    "plans:dvk_carry": Budget(None),
    "plans:dvk_progress_file": Budget(3),
    # QCDC reports: the unit's form (its fields, entry and deliverable) or the report submitted.
    "plans:qcdc_report": Budget(4),
    "plans:qcdc_collection": Budget(5),
    "plans:exemplar_list": Budget(6, queries=("", "?q=to+hoa+giai&kind=collective&level=none", "?format=xlsx")),
    "plans:exemplar_create": Budget(3),
    "plans:exemplar_detail": Budget(4),
    "plans:exemplar_file": Budget(3),
    # --- scoring -------------------------------------------------------------------------------
    "scoring:home": Budget(4),
    "scoring:period": Budget(7, objects=("final", "explanation", "appraisal", "self")),
    # Searched and sorted in Python on the rows it loads anyway; the Excel export too. 8 (was 7): the
    # queue's counts, one aggregate, from the selector the reviewer's home page shows them with.
    "scoring:queue": Budget(
        8,
        objects=("appraisal", "explanation"),
        queries=("", "?q=so+tu+phap&sort=-submitted&status=submitted&late=0", "?sort=-reminded", "?format=xlsx"),
    ),
    "scoring:queue_remind": Budget(None),
    # The versions offered (the province's regulations, their sets) and the diff of the chosen one.
    "scoring:period_version": Budget(6, objects=("appraisal",)),
    "scoring:ranking": Budget(5),
    # The appraisal page (reviewer, co-reviewer) and the self-assessment grid (agency) are one view.
    # 13: the Dân vận khéo models shown beside the criteria they feed (one query).
    "scoring:contest_list": Budget(4),
    # The organiser's form: the province's criteria sets, units and users to choose from (one query
    # each), the contest's entrants, further sets and panel as entered.
    "scoring:contest_create": Budget(5),
    "scoring:contest_edit": Budget(11),
    # A contest: its panel, the judge's progress or the results (all marks in one query).
    "scoring:contest": Budget(8),
    "scoring:contest_sheet": Budget(7),
    "scoring:dossier": Budget(
        13,
        objects=("self own", "appraisal own", "appraisal other", "explanation own", "final own", "final other"),
    ),
    # 9 (was 10): the save recomputes the result from its row and the stored detail, read with the
    # dossier's lock (the dossier's other rows are not read again).
    "scoring:self_cell": Budget(9),
    "scoring:evidence_add": Budget(None),
    "scoring:receipt": Budget(4, objects=("final own", "final other")),
    "scoring:na_declare": Budget(None),
    "scoring:na_decide": Budget(None),
    "scoring:submit": Budget(None),
    "scoring:reopen": Budget(None),
    # 11: whether the agency declared the criterion not applicable (such a criterion takes no mark).
    "scoring:mark_cell": Budget(11),
    "scoring:adjustments": Budget(None),
    "scoring:evidence_request": Budget(None),
    "scoring:explanation_submit": Budget(None),
    "scoring:final_change": Budget(None),
    "scoring:history": Budget(13),
    "scoring:result_steps": Budget(5, objects=("final own", "final other", "explanation own")),
    "scoring:excel_download": Budget(9),
    "scoring:excel_upload": Budget(3),
    "scoring:evidence_file": Budget(11),
    "scoring:evidence_remove": Budget(None),
    "scoring:explanation_decide": Budget(None),
    # --- reports -------------------------------------------------------------------------------
    # 11: the "Dân vận khéo" panel's counts per field and level (one query).
    "reports:dashboard": Budget(11, queries=("", "?year=2021", "?year=2023")),
    "reports:agency_sheet": Budget(13),
    "reports:report_request": Budget(None),
    "reports:ranking_xlsx": Budget(4),
    "reports:matrix_xlsx": Budget(8),
    "reports:report_list": Budget(4),
    "reports:report_status": Budget(3),
    "reports:report_file": Budget(3),
    # The contest's documents: its results (as the contest page) with the province's texts (read
    # again for the contest's sentences) and signer.
    "reports:contest_decision_pdf": Budget(11),
    "reports:contest_certificate_pdf": Budget(12),
    # The committee's draft report: its type, form, fields, the units' reports, the QCDC texts and signer.
    "reports:qcdc_summary": Budget(7, queries=("", "?format=docx")),
    # 6: the receipt with its dossier, period, agency and the counts it prints.
    "reports:receipt_pdf": Budget(6, objects=("final own", "final other")),
    "reports:report_view": Budget(3),
    "reports:report_docx": Budget(3),
    # --- read API ------------------------------------------------------------------------------
    "api-schema": Budget(2),
    "api-root": Budget(2),
    "api-not-found": Budget(None),  # a 404 in JSON to everyone
    # 5 and 4 (were 4 and 3): the further criteria sets each period applies, prefetched in one query.
    "period-list": Budget(5),
    "period-detail": Budget(4),
    "period-ranking": Budget(4),
    "criteria-set-list": Budget(4),
    "criteria-set-detail": Budget(4),
    "agency-list": Budget(4),
    "agency-detail": Budget(3),
    "plan-deliverable-list": Budget(6),
    "plan-deliverable-detail": Budget(5),
    # --- accounts and site-wide -------------------------------------------------------------------
    "login": Budget(0),
    "logout": Budget(None),  # POST only
    "password_change": Budget(2),
    "password_change_done": Budget(2),
    "password_reset": Budget(2),
    "password_reset_done": Budget(2),
    "password_reset_confirm": Budget(3),
    "password_reset_complete": Budget(2),
    "set_language": Budget(None),  # GET only redirects
    "javascript-catalog": Budget(2),
}


def statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


def ask(client, name: str, world, obj: str, role: str, query: str) -> tuple[int, list[str]]:
    """(status, statements) of one request, whatever it changes rolled back."""
    entry = MATRIX[name]
    url = reverse(name, args=entry.args(world, obj, role)) + query
    with transaction.atomic():
        data = entry.data(world, obj, role) if entry.method == "post" else None
        reset_queries()  # the log keeps the last 9,000 statements: a full one counts nothing
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data) if entry.method == "post" else client.get(url)
        transaction.set_rollback(True)
    return response.status_code, statements(captured)


def readers(name: str, obj: str) -> tuple[str, ...]:
    """The roles the access matrix says get a page (200) of `name` on `obj` (every role where the
    matrix does not list the object)."""
    answers = MATRIX[name].expect.get(obj)
    if answers is None:
        return ROLES
    return tuple(role for role, answer in zip(ROLES, answers.split(), strict=True) if answer == "200")


def targets(name: str) -> list[tuple[str, str]]:
    """(object, query string) pairs of the page that someone gets."""
    budget = BUDGETS[name]
    objects = budget.objects or tuple(MATRIX[name].expect)
    return [(obj, query) for obj in objects if readers(name, obj) for query in budget.queries]


def count_all(world, clients) -> dict[tuple[str, str, str], tuple[int, list[str]]]:
    """The statements of the second request of every (page, object, role) answering 200."""
    counted = {}
    for name, budget in BUDGETS.items():
        if budget.limit is None:
            continue
        for obj, query in targets(name):
            for role in readers(name, obj):
                status, _ = ask(clients[role], name, world, obj, role, query)
                if status == 200:
                    status, sql = ask(clients[role], name, world, obj, role, query)
                    counted[(name, f"{obj}{query}", role)] = (status, sql)
    return counted


@pytest.fixture(scope="module")
def counts(world, clients, django_db_blocker):
    """Every page counted on the world grown by 1, then by 10 (each rolled back after)."""
    # The session's once-a-minute touch would land on whichever page comes a minute in.
    with django_db_blocker.unblock(), override_settings(SESSION_TOUCH_SECONDS=10**9):
        return tuple(_grown(world, clients, factor) for factor in (1, 10))


def _grown(world, clients, factor: int) -> dict:
    with transaction.atomic():
        grow(world, factor)
        counted = count_all(world, clients)
        transaction.set_rollback(True)
    return counted


def test_every_url_has_a_budget():
    names = {n for n in url_names() if not n.startswith("admin:")}
    missing = sorted(names - set(BUDGETS))
    assert not missing, f"URLs without a query budget: {', '.join(missing)}"
    stale = sorted(set(BUDGETS) - names)
    assert not stale, f"Budgets for URLs that no longer exist: {', '.join(stale)}"
    too_high = sorted(n for n, b in BUDGETS.items() if b.limit is not None and b.limit > CEILING)
    assert not too_high, f"Budgets above {CEILING}: {', '.join(too_high)}"


def _most_repeated(sql: list[str]) -> str:
    """The statement sent most often ("19× SELECT portal_agencyversion …"): where an N+1 is."""
    shapes = Counter(re.sub(r"\b\d+\b", "?", re.sub(r"'(?:[^']|'')*'", "?", s))[:120] for s in sql)
    shape, times = shapes.most_common(1)[0] if shapes else ("", 0)
    return f"{times}× {shape}" if times > 1 else ""


def _cases():
    for name, budget in sorted(BUDGETS.items()):
        if budget.limit is not None:
            for obj, query in targets(name):
                yield pytest.param(name, obj, query, id=f"{name} {obj}{query}")


@pytest.mark.parametrize(("name", "obj", "query"), _cases())
def test_page_keeps_its_query_budget(name, obj, query, counts):
    small, large = counts
    budget = BUDGETS[name].limit
    target = f"{obj}{query}"
    rows = sorted(key for key in small if key[:2] == (name, target))
    assert rows, f"nobody got a page (200) of {name} on {target} to count: drop the object, or Budget(None)"
    wrong = []
    if obj in MATRIX[name].expect:  # the access matrix's readers of it must all have been counted
        wrong += [f"{role}: no page (200) to count" for role in readers(name, obj) if (name, target, role) not in small]
    for key in rows:
        role = key[2]
        few = len(small[key][1])
        many = len(large[key][1]) if key in large else None
        if many is None:
            wrong.append(f"{role}: a page on the small world, not on the large one")
        elif few > budget or many > budget or few != many:
            wrong.append(
                f"{role}: {few} queries, {many} on the ten-times world (budget {budget}); "
                f"most repeated there: {_most_repeated(large[key][1])}"
            )
    assert not wrong, f"{name} on {target}:\n  " + "\n  ".join(wrong)
