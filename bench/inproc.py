"""Measurements inside one process (Django's test client, no HTTP): a cell save, the ranking
selector, the ranking pages and the leader dashboard, each beside its anchor in alternating rounds,
plus a cProfile of the portal side for the notes on where the time goes."""

from __future__ import annotations

import cProfile
import io
import pstats
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .db import ROOT
from .stats import alternate, summary
from .subjects import Subjects


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(captured: CaptureQueriesContext) -> int:
    """SQL statements that read or write data (transaction control is not counted)."""
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))


def request(client: Client, method: str, path: str, data: dict | None = None, **headers) -> tuple[float, int, int]:
    """(seconds, queries, status) of one request through the whole middleware stack."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = getattr(client, method)(path, data or {}, **headers)
        elapsed = time.perf_counter() - start
    return elapsed, statements(queries), response.status_code


WRAPPERS = {"__call__", "_wrapper_view", "inner", "_view_wrapper", "wrapper"}


def profile_top(fn, limit: int = 8) -> list[str]:
    """The portal's own functions with the most cumulative time in one call of `fn`."""
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    rows = []
    root = str(ROOT) + "/"
    for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in stats.stats.items():
        own = filename.startswith(root) and not filename.startswith((root + ".venv/", root + "bench/"))
        if own and name not in WRAPPERS:
            where = filename.removeprefix(root)
            rows.append((cumulative, f"{where}:{line} {name} — {cumulative:.2f} s cumulative, {calls} calls"))
    rows.sort(reverse=True)
    return [text for _c, text in rows[:limit]]


# --- one cell save, server side ---------------------------------------------------------------------


def cell_save(subjects: Subjects, rounds: int) -> dict:
    """The self-assessment autosave request (its whole view: save and re-rendered row) against the
    3-query ORM save of the same kind of row."""
    from portal.models import User

    from .anchor_urls import cell_save as anchor_save

    cells = subjects.cells(4 * rounds + 9, skip=7)  # two alternations of two, warm-ups, the profile
    users = {u.pk: u for u in User.objects.filter(pk__in={c.user_id for c in cells})}
    # Each cell is another agency's: one signed-in client per user, made and warmed before the
    # rounds (a test client's first request loads the middleware, WhiteNoise scanning the static
    # files: ~50 ms that no autosave of a running server pays).
    clients = {pk: client_for(user) for pk, user in users.items()}
    for client in clients.values():
        client.get("/bench-anchor/ok/")
    queries = {"portal": [], "anchor": [], "anchor_view": []}

    def portal(_i):
        cell = cells.pop()
        client = clients[cell.user_id]
        elapsed, n, status = request(client, "post", cell.portal_path, cell.form(), HTTP_HX_REQUEST="true")
        assert status == 200, status
        queries["portal"].append(n)
        return elapsed

    def anchor(_i):
        cell = cells.pop()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            _score, saved = anchor_save(
                dossier_id=cell.dossier_id, criterion_id=cell.criterion_id, user=users[cell.user_id],
                raw=cell.raw, version=cell.version,
            )  # fmt: skip
            elapsed = time.perf_counter() - start
        assert saved
        queries["anchor"].append(statements(captured))
        return elapsed

    def anchor_view(_i):
        # The anchor's save as a request through the same stack as the portal's (session, user,
        # CSRF, middleware, a row rendered back): what the portal's request adds to that stack.
        cell = cells.pop()
        elapsed, n, status = request(
            clients[cell.user_id], "post", cell.anchor_path, cell.form(), HTTP_HX_REQUEST="true"
        )
        assert status == 200, status
        queries["anchor_view"].append(n)
        return elapsed

    for _ in range(2):  # warm-up: templates, translations, criteria caches
        portal(0)
        anchor(0)
        anchor_view(0)
    queries = {"portal": [], "anchor": [], "anchor_view": []}
    portal_s, anchor_s = alternate(rounds, portal, anchor)
    view_s, anchor_view_s = alternate(rounds, portal, anchor_view)
    cell = cells.pop()
    client = clients[cell.user_id]
    top = profile_top(lambda: client.post(cell.portal_path, cell.form(), HTTP_HX_REQUEST="true"))
    return {
        "portal": summary(portal_s), "anchor": summary(anchor_s),
        "portal_queries": max(queries["portal"]), "anchor_queries": max(queries["anchor"]), "profile": top,
        "request": {"portal": summary(view_s), "anchor": summary(anchor_view_s),
                    "anchor_queries": max(queries["anchor_view"])},
    }  # fmt: skip


# --- ranking -------------------------------------------------------------------------------------------

RANKING_SQL = """
WITH m AS (
    SELECT am.dossier_id, am.criterion_id, avg(am.points) AS points
    FROM scoring_appraisalmark am JOIN scoring_dossier d ON d.id = am.dossier_id
    WHERE d.period_id = %(period)s GROUP BY am.dossier_id, am.criterion_id
), t AS (
    SELECT s.dossier_id, sum(s.self_points) AS self_total, sum(coalesce(m.points, s.self_points)) AS appraised
    FROM scoring_criterionscore s JOIN scoring_dossier d ON d.id = s.dossier_id
    LEFT JOIN m ON m.dossier_id = s.dossier_id AND m.criterion_id = s.criterion_id
    WHERE d.period_id = %(period)s GROUP BY s.dossier_id
)
SELECT d.id, g.code, v.name, t.self_total, t.appraised,
       rank() OVER (PARTITION BY d.group_id ORDER BY t.appraised DESC NULLS LAST)
FROM scoring_dossier d
JOIN portal_agencygroup g ON g.id = d.group_id
JOIN portal_agencyversion v ON v.id = d.agency_version_id
LEFT JOIN t ON t.dossier_id = d.id
WHERE d.period_id = %(period)s
ORDER BY g."order", 6
"""


def ranking_selector(subjects: Subjects, rounds: int) -> dict:
    """`scoring.selectors.ranking` of the appraising province's current period against PostgreSQL
    summing the same rows (self points, marks averaged per criterion) and ranking them per group."""
    from scoring.selectors import ranking

    period = subjects.ap_period
    rows = {}

    def portal(_i):
        elapsed, groups = _timed(lambda: ranking(period))
        rows["portal"] = sum(len(r) for _g, r in groups)
        return elapsed

    def anchor(_i):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(RANKING_SQL, {"period": period.pk})
                return cursor.fetchall()

        elapsed, result = _timed(run)
        rows["anchor"] = len(result)
        return elapsed

    anchor(0)
    portal_s, anchor_s = alternate(rounds, portal, anchor)
    with CaptureQueriesContext(connection) as captured:
        ranking(period)
    return {
        "portal": summary(portal_s), "anchor": summary(anchor_s), "agencies": rows["portal"],
        "anchor_rows": rows["anchor"], "portal_queries": statements(captured), "profile": profile_top(lambda: ranking(period)),
    }  # fmt: skip


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# --- pages: ranking and dashboard (p95 in-process) ---------------------------------------------------


def page_p95(client: Client, path: str, anchor_client: Client, rounds: int) -> dict:
    """One page against the trivial logged-in page, alternating; p95 and median of each."""
    sizes, queries = [], []

    def portal(_i):
        elapsed, n, status = request(client, "get", path)
        assert status == 200, (path, status)
        queries.append(n)
        return elapsed

    def anchor(_i):
        return request(anchor_client, "get", "/bench-anchor/page/")[0]

    portal(0)  # warm-up
    anchor(0)
    portal_s, anchor_s = alternate(rounds, portal, anchor)
    sizes.append(len(client.get(path).content))
    return {"portal": summary(portal_s), "anchor": summary(anchor_s), "queries": max(queries), "bytes": sizes[0]}


def pages(subjects: Subjects, rounds: int) -> dict:
    reviewer = client_for(subjects.reviewer)
    leader = client_for(subjects.leader)
    final, current = subjects.final_period, subjects.ap_period
    # Enough samples that the p95 is not simply the slowest one (nearest rank: with 42 samples it is
    # the 40th); each page now reads stored results, a few tens of ms.
    n = rounds * 7
    result = {
        "ranking_final": page_p95(reviewer, f"/cham-diem/ky/{final.pk}/xep-hang/", reviewer, n),
        "ranking_provisional": page_p95(reviewer, f"/cham-diem/ky/{current.pk}/xep-hang/", reviewer, n),
        "dashboard_final": page_p95(leader, f"/bao-cao/?year={final.year}", leader, n),
        "dashboard_provisional": page_p95(leader, f"/bao-cao/?year={current.year}", leader, n),
    }
    result["dashboard_provisional"]["profile"] = profile_top(lambda: leader.get(f"/bao-cao/?year={current.year}"))
    result["ranking_provisional"]["profile"] = profile_top(
        lambda: reviewer.get(f"/cham-diem/ky/{current.pk}/xep-hang/")
    )
    return result


# --- the engine alone (the old `make bench` row) --------------------------------------------------------


def engine(rounds: int) -> dict:
    """The pure engine scoring and ranking 1,000 agencies of the national set (no database)."""
    import random

    from scoring.engine import CriterionInput, DossierInput, Mark, evaluate_group
    from scoring.libraryio import read_yaml

    from . import national

    spec = read_yaml(national.content()).spec
    rng = random.Random(1)
    leaves = [n for n in spec.walk() if n.is_leaf]

    def raw(node):
        return {"levels": lambda: node.params["levels"][0]["code"], "boolean": lambda: "true",
                "count_deduct": lambda: "1", "range": lambda: str(node.max_points)}.get(
            node.score_type.value, lambda: str(rng.randint(60, 100)))()  # fmt: skip

    dossiers = [
        DossierInput(f"a{i}", f"Đơn vị {i}", "khoi-xa",
                     inputs={n.code: CriterionInput(self_raw=raw(n), marks=(Mark("so-noi-vu", raw(n)),)) for n in leaves})
        for i in range(1000)
    ]  # fmt: skip
    samples = [_timed(lambda: evaluate_group(spec, dossiers))[0] for _ in range(rounds)]
    return {"portal": summary(samples), "leaves": len(leaves)}
