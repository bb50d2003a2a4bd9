"""Over HTTP: gunicorn with 3 workers (the production config file) serving the portal and the
anchors, driven by wrk with Lua: the autosave at -c50 and -c200, the deadline day (200 agency users
autosaving and reloading their grid), and the leader dashboard one request at a time."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import db
from .stats import summary
from .subjects import Cell, Subjects, session_for

PORT = int(os.environ.get("BENCH_PORT", "19001"))
LUA = Path(__file__).resolve().parent / "wrk" / "requests.lua"
WORK = db.ROOT / "var" / "bench"
THREADS = 2


class Server:
    """gunicorn in its own process group, stopped by that group's id only."""

    def __init__(self, url: str, workers: int = 3):
        self.url, self.workers, self.process = url, workers, None

    def __enter__(self) -> Server:
        WORK.mkdir(parents=True, exist_ok=True)
        env = db.bench_env(self.url, GUNICORN_BIND=f"127.0.0.1:{PORT}", GUNICORN_WORKERS=str(self.workers),
                           GUNICORN_LOGLEVEL="warning", GUNICORN_NAME="dvcq-bench-web")  # fmt: skip
        log = (WORK / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
             "--access-logfile", "/dev/null", "portal.wsgi:application"],
            cwd=db.ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        for _ in range(300):
            try:
                get("/tai-khoan/login/", "")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def drain(limit: float = 180.0) -> float:
    """Waits until the workers have answered what wrk left queued (a stopped wrk leaves up to one
    request per connection behind), so the next measurement starts on an idle server."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        seconds, _status = get("/tai-khoan/login/", "")
        if seconds < 0.25:
            break
    return time.monotonic() - start


def get(path: str, cookie: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    start = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    connection.close()
    return time.perf_counter() - start, response.status


class Sessions:
    """One signed-in session per user, and one CSRF secret sent as cookie and header (the grid's
    htmx sends the token in X-CSRFToken)."""

    def __init__(self):
        self.keys: dict[int, str] = {}
        from django.middleware.csrf import _get_new_csrf_string

        self.csrf = _get_new_csrf_string()  # a secret as Django makes them (32 letters and digits)

    def cookie(self, user) -> str:
        if user.pk not in self.keys:
            self.keys[user.pk] = session_for(user)
        return f"sessionid={self.keys[user.pk]}; csrftoken={self.csrf}"

    def cookie_by_id(self, user_id: int) -> str:
        from portal.models import User

        if user_id not in self.keys:
            self.keys[user_id] = session_for(User.objects.get(pk=user_id))
        return f"sessionid={self.keys[user_id]}; csrftoken={self.csrf}"


def write_requests(name: str, requests: list[tuple[str, str, dict, str | None]]) -> Path:
    """The requests of one wrk run, a line each (method, path, header pairs, body; tab-separated)."""
    lines = []
    for method, path, headers, body in requests:
        fields = [method, path, *(x for pair in headers.items() for x in pair), body or ""]
        assert not any("\t" in f or "\n" in f for f in fields)
        lines.append("\t".join(fields))
    path = WORK / f"{name}.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def save_request(cell: Cell, sessions: Sessions, anchor: bool) -> tuple:
    from urllib.parse import urlencode

    headers = {"Cookie": sessions.cookie_by_id(cell.user_id), "X-CSRFToken": sessions.csrf, "HX-Request": "true",
               "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    return ("POST", cell.anchor_path if anchor else cell.portal_path, headers, urlencode(cell.form()))


def grid_request(cell: Cell, sessions: Sessions, anchor: bool) -> tuple:
    headers = {"Cookie": sessions.cookie_by_id(cell.user_id)}
    return ("GET", "/bench-anchor/page/" if anchor else cell.grid_path, headers, None)


def wrk(data: Path, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "-s", str(LUA),
         f"http://127.0.0.1:{PORT}", "--", str(data), str(THREADS)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in reversed(out.stdout.splitlines()) if line.startswith("{"))
    result = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[k] for k in ("status_errors", "connect_errors", "read_errors", "timeouts"))
    return result


class Load:
    """Targets for wrk runs: distinct cells per run (so every save carries a current version)."""

    def __init__(self, subjects: Subjects):
        self.subjects, self.sessions, self.skip = subjects, Sessions(), 0

    def cells(self, count: int) -> list[Cell]:
        cells = self.subjects.cells(count, skip=self.skip)
        if len(cells) < count:  # past the last cell: start again (their versions are read afresh)
            cells, self.skip = self.subjects.cells(count), 0
        self.skip += count
        return cells

    def autosave(self, connections: int, seconds: int, anchor: bool, count: int) -> dict:
        cells = self.cells(count)
        data = write_requests(f"autosave-{'anchor' if anchor else 'portal'}-c{connections}",
                              [save_request(c, self.sessions, anchor) for c in cells])  # fmt: skip
        result = wrk(data, connections, seconds)
        result["targets"] = len(cells)
        return result

    def deadline_day(self, connections: int, seconds: int, anchor: bool, count: int) -> dict:
        """Each agency user autosaves three cells, then reloads the grid, over and over."""
        cells = self.cells(count)
        requests = []
        for i, cell in enumerate(cells):
            requests.append(save_request(cell, self.sessions, anchor))
            if i % 3 == 2:
                requests.append(grid_request(cell, self.sessions, anchor))
        result = wrk(write_requests(f"deadline-{'anchor' if anchor else 'portal'}", requests), connections, seconds)
        result["targets"] = len(requests)
        return result


def sequential(path: str, cookie: str, count: int) -> dict:
    samples = []
    for _ in range(count):
        seconds, status = get(path, cookie)
        assert status == 200, (path, status)
        samples.append(seconds)
    return summary(samples)


def run(url: str, subjects: Subjects, quick: bool) -> dict:
    load = Load(subjects)
    rounds = 1 if quick else 2
    seconds = 10 if quick else 20
    result: dict = {"autosave_c50": {"portal": [], "anchor": []}, "autosave_c200": {"portal": [], "anchor": []}}
    with Server(url):
        leader = load.sessions.cookie(subjects.leader)
        for path in ("/bench-anchor/page/", f"/bao-cao/?year={subjects.final_period.year}"):
            sequential(path, leader, 3)  # warm every worker
        for i in range(rounds):
            for connections in (50, 200):
                key = f"autosave_c{connections}"
                order = [True, False] if i % 2 == 0 else [False, True]
                for anchor in order:
                    # As many distinct cells as the faster side can save in the run: a cell sent
                    # twice carries a stale version and is refused (counted as an error).
                    count = 9000
                    run_result = load.autosave(connections, seconds, anchor, count)
                    run_result["drain_seconds"] = drain()
                    result[key]["anchor" if anchor else "portal"].append(run_result)
        drain()
        dash = {}
        final, current = subjects.final_period.year, subjects.ap_period.year
        samples = 20 if quick else 40  # a p95 that is not simply the slowest request
        dash["anchor"] = sequential("/bench-anchor/page/", leader, samples)
        dash["final"] = sequential(f"/bao-cao/?year={final}", leader, samples)
        dash["provisional"] = sequential(f"/bao-cao/?year={current}", leader, samples)
        result["dashboard_http"] = dash
        day_seconds = 30 if quick else 180
        result["deadline_anchor"] = load.deadline_day(200, max(20, day_seconds // 2), True, 16000)
        drain()
        result["deadline_portal"] = load.deadline_day(200, day_seconds, False, 16000)
        drain()
    return result
