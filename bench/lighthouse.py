"""Lighthouse on the six pages of issue 13, signed in, phone preset: writes docs/LIGHTHOUSE.md.

`make lighthouse` runs it (it installs Lighthouse from npm into var/tools first). The portal runs as
in production: DEBUG off, gunicorn with the production config, PostgreSQL, static files collected
with hashed names and precompressed (CompressedManifestStaticFilesStorage, served by WhiteNoise),
pages compressed by portal.compression. Only TLS and nginx are left out (plain HTTP on the
loopback). The demo province is loaded into its own database (LIGHTHOUSE_DATABASE_URL).

Each signed-in page gets the session cookie of its role through Lighthouse's --extra-headers (a
session made as a login makes it). Lighthouse's default is the phone preset: a Moto G Power-sized
screen, simulated slow 4G and a 4x slower CPU. Each page runs RUNS times (default 3); the median
performance run is reported with its accessibility score.

    .venv/bin/python -m bench.lighthouse            # or: make lighthouse
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "lighthouse"
LIGHTHOUSE = ROOT / "var" / "tools" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "19002"))
RUNS = int(os.environ.get("RUNS", "3"))
REPORT = ROOT / "docs" / "LIGHTHOUSE.md"
GOALS = {"performance": 90, "accessibility": 95}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
ENV = {
    "DATABASE_URL": os.environ.get("LIGHTHOUSE_DATABASE_URL", "postgres://dvcq:dvcq@127.0.0.1:5432/dvcq_lighthouse"),
    "VAR_DIR": str(WORK),
    "DEBUG": "false",
    "SECRET_KEY": "lighthouse-only-secret-key-not-for-any-server",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "ENV_FILE": "",
    "LOG_LEVEL": "WARNING",
    "GUNICORN_LOGLEVEL": "warning",
}


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ENV_FILE"}
    env.update({k: v for k, v in ENV.items() if v})
    return env


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment(), check=True)


class Server:
    """gunicorn in its own process group, stopped by that group's id only."""

    def __enter__(self) -> Server:
        env = environment() | {"GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "2"}
        log = (WORK / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "portal.wsgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/tai-khoan/login/", timeout=5).read()  # noqa: S310
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def pages_and_sessions() -> list[tuple[str, str, str]]:
    """(name, path, Cookie header) of the six pages, each signed in as the role that works there."""
    os.environ.update(environment())
    import django

    django.setup()
    from portal.scopes import scopes_off_from_now_on

    # The bench acts on every province (portal/scopes.py); the requests it makes get their own scope.
    scopes_off_from_now_on()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend

    from scoring.demo import demo_periods
    from scoring.models import Dossier

    # The backend a login records: the first that can load a user (as the test client's force_login).
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))

    def session(username: str) -> str:
        """The Cookie header of a signed-in session of `username`, as a login leaves it."""
        user = get_user_model().objects.get(username=username)
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    open_period, final_period = demo_periods()
    own = Dossier.objects.get(period=open_period, agency__code="so-tu-phap")
    return [
        ("Login", "/tai-khoan/login/", ""),
        ("Agency home", "/don-vi/", session("canbo.tuphap")),
        ("Grid (self-assessment)", f"/cham-diem/ho-so/{own.pk}/", session("canbo.tuphap")),
        ("Appraisal queue", f"/cham-diem/ky/{open_period.pk}/tham-dinh/", session("thamdinh.noivu")),
        ("Ranking", f"/cham-diem/ky/{final_period.pk}/xep-hang/", session("thamdinh.noivu")),
        ("Dashboard", f"/bao-cao/?year={final_period.year}", session("lanhdao.tinh")),
    ]


def command(url: str, headers: Path | None, output: Path) -> list[str]:
    args = [str(LIGHTHOUSE), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=performance,accessibility", "--output=json", f"--output-path={output}"]  # fmt: skip
    if headers:
        args.append(f"--extra-headers={headers}")
    return args


def lighthouse_run(url: str, headers: Path | None, output: Path, tries: int = 3) -> dict:
    """One Lighthouse run; a run Lighthouse itself gives up on (a lost trace on a busy machine:
    NO_NAVSTART, no score) is tried again, up to `tries` times."""
    for _ in range(tries):
        done = subprocess.run(command(url, headers, output), env=os.environ | {"CHROME_PATH": CHROME})
        if done.returncode == 0:
            report = json.loads(output.read_text())
            if all(c["score"] is not None for c in report["categories"].values()):
                return report
    raise RuntimeError(f"Lighthouse failed {tries} times on {url}")


def run_page(index: int, name: str, path: str, session: str) -> dict:
    headers = None
    if session:
        headers = WORK / f"headers-{index}.json"
        headers.write_text(json.dumps({"Cookie": session}))
    runs = []
    for attempt in range(RUNS):
        output = WORK / f"page-{index}-run-{attempt}.json"
        runs.append(lighthouse_run(f"http://127.0.0.1:{PORT}{path}", headers, output))
        if runs[-1]["finalDisplayedUrl"].endswith("/tai-khoan/login/") and session:
            raise RuntimeError(f"{name}: Lighthouse saw the login page, the session was not accepted")
    runs.sort(key=lambda r: r["categories"]["performance"]["score"])
    median = runs[len(runs) // 2]
    audits = median["audits"]
    return {
        "name": name,
        "path": path,
        "performance": round(median["categories"]["performance"]["score"] * 100),
        "performance_runs": [round(r["categories"]["performance"]["score"] * 100) for r in runs],
        "accessibility": round(median["categories"]["accessibility"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["displayValue"],
        "lcp": audits["largest-contentful-paint"]["displayValue"],
        "tbt": audits["total-blocking-time"]["displayValue"],
        "cls": audits["cumulative-layout-shift"]["displayValue"],
        "weight_kib": round(audits["total-byte-weight"]["numericValue"] / 1024),
        "failed_a11y": [
            audit["title"]
            for ref in median["categories"]["accessibility"]["auditRefs"]
            if (audit := audits[ref["id"]]).get("score") is not None and audit["score"] < 1 and ref["weight"] > 0
        ],
        "lighthouse": median["lighthouseVersion"],
        "user_agent": median["environment"]["hostUserAgent"],
        "screen": median["configSettings"]["screenEmulation"],
        "throttling": median["configSettings"]["throttling"],
    }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0"
    )
    chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{platform.node()} · {platform.system()} {platform.release()} · {cpu}, {os.cpu_count()} cores, "
        f"{int(memory) // 1024 // 1024} GiB · {chromium} · Python {platform.python_version()}"
    )


def write_report(results: list[dict], started: dt.datetime) -> None:
    first = results[0]
    screen, throttling = first["screen"], first["throttling"]
    example = " ".join(shlex.quote(a) for a in command(f"http://127.0.0.1:{PORT}/don-vi/", WORK / "headers-1.json", WORK / "page-1-run-0.json"))  # fmt: skip
    lines = [
        "# Lighthouse: the six pages of issue 13 on a phone",
        "",
        "Written by `make lighthouse` (`bench/lighthouse.py`); do not edit by hand, run it again.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Lighthouse {first['lighthouse']} (npm, var/tools), phone preset: {screen['width']}×{screen['height']} at "
        f"{screen['deviceScaleFactor']}x, simulated throttling (RTT {throttling['rttMs']} ms, "
        f"{throttling['throughputKbps'] / 1000:.1f} Mbit/s, CPU ×{throttling['cpuSlowdownMultiplier']:g})",
        "- Portal as in production (DEBUG off, gunicorn, PostgreSQL, hashed and precompressed static files, "
        "compressed pages), demo province, plain HTTP on the loopback (no nginx, no TLS)",
        f"- {RUNS} runs a page; the run with the median performance score is shown (all runs in brackets)",
        f"- Goals: performance ≥ {GOALS['performance']}, accessibility ≥ {GOALS['accessibility']}",
        "",
        "Command of each run (signed-in pages pass the role's session cookie in the headers file):",
        "",
        "```bash",
        f"make lighthouse   # = .venv/bin/python -m bench.lighthouse, which runs for each page:\n{example}",
        "```",
        "",
        "| page | signed in as | performance | accessibility | FCP | LCP | TBT | CLS | transfer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    who = {"Login": "—", "Agency home": "agency staff", "Grid (self-assessment)": "agency staff"}
    for r in results:
        runs = ", ".join(str(p) for p in r["performance_runs"])
        lines.append(
            f"| {r['name']} (`{r['path']}`) | {who.get(r['name'], 'reviewer' if 'tham' in r['path'] or 'xep' in r['path'] else 'leader')} "
            f"| **{r['performance']}** ({runs}) | **{r['accessibility']}** | {r['fcp']} | {r['lcp']} | {r['tbt']} "
            f"| {r['cls']} | {r['weight_kib']} KiB |"
        )
    missed = [
        r for r in results if r["performance"] < GOALS["performance"] or r["accessibility"] < GOALS["accessibility"]
    ]
    lines += ["", "## Against the goals", ""]
    if not missed:
        lines.append("Every page meets both goals.")
    for r in missed:
        lines.append(f"- {r['name']}: performance {r['performance']}, accessibility {r['accessibility']}.")
    flagged = sorted({(r["name"], title) for r in results for title in r["failed_a11y"]})
    if flagged:
        lines += ["", "Accessibility audits not passed:", ""]
        lines += [f"- {name}: {title}" for name, title in flagged]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make lighthouse` (it installs Lighthouse from npm).")
    WORK.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    manage("migrate", "--noinput", "-v0")
    manage("load_demo_province")
    manage("collectstatic", "--noinput", "-v0")
    pages = pages_and_sessions()
    with Server():
        results = [run_page(i, name, path, session) for i, (name, path, session) in enumerate(pages)]
    write_report(results, started)
    for r in results:
        print(f"{r['name']:<24} performance {r['performance']:>3}  accessibility {r['accessibility']:>3}")
    print(f"Wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
