"""`make bench` — what users feel, measured on national-scale data, beside anchors, into
docs/PERFORMANCE.md. Not part of `make test`.

1. Builds (or reuses) two PostgreSQL databases with bench/generate.py: dvcq_bench (34 provinces ×
   150 agencies × 5 years) and dvcq_bench_small (2 × 50, "demo-sized"). A build is reused while the
   generator's version and the portal's migrations are those it was built with.
2. Measures each (bench/measure.py, in a subprocess with the bench settings on that database).
3. Writes docs/PERFORMANCE.md (bench/report.py).

`make bench QUICK=1` (or `python -m bench --quick`) runs fewer and shorter rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

from . import db

WORK = db.ROOT / "var" / "bench"
DATABASES = {"small": "dvcq_bench_small", "national": "dvcq_bench"}


def _marker_and_migrations(url: str) -> tuple[dict, str]:
    from urllib.parse import urlparse

    import psycopg2

    u = urlparse(url)
    conn = psycopg2.connect(dbname=u.path.lstrip("/"), user=u.username, password=u.password, host=u.hostname,
                            port=u.port or 5432)  # fmt: skip
    try:
        with conn.cursor() as cursor:
            marker = db.marker_read(cursor)
            cursor.execute("SELECT to_regclass('django_migrations')")
            applied = ""
            if cursor.fetchone()[0]:
                cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY app, name")
                applied = hashlib.sha256("\n".join(r[0] for r in cursor.fetchall()).encode()).hexdigest()[:16]
        return marker, applied
    finally:
        conn.close()


def ensure(scale: str) -> dict:
    """The database of `scale`, migrated and generated; rebuilt when stale or half-built."""
    from .generate import GENERATOR_VERSION

    url = db.database_url(DATABASES[scale])
    if db.database_exists(url):
        db.migrate(url)  # the portal's newest migrations; a changed schema means a rebuild below
        marker, migrations = _marker_and_migrations(url)
        if marker.get("version") == GENERATOR_VERSION and marker.get("migrations") == migrations:
            print(f"[bench] {scale}: reusing {DATABASES[scale]} (built {marker.get('built_at')})", flush=True)
            return marker
        print(f"[bench] {scale}: {DATABASES[scale]} is stale or incomplete: rebuilding", flush=True)
    db.database_recreate(url)
    db.migrate(url)
    print(f"[bench] {scale}: generating {DATABASES[scale]} (minutes for the national scale)…", flush=True)
    subprocess.run([sys.executable, "-m", "bench.generate", "--scale", scale], cwd=db.ROOT, env=db.bench_env(url),
                   check=True)  # fmt: skip
    marker, migrations = _marker_and_migrations(url)
    _record_migrations(url, migrations)
    return marker


def _record_migrations(url: str, migrations: str) -> None:
    from urllib.parse import urlparse

    import psycopg2

    u = urlparse(url)
    conn = psycopg2.connect(dbname=u.path.lstrip("/"), user=u.username, password=u.password, host=u.hostname,
                            port=u.port or 5432)  # fmt: skip
    try:
        with conn, conn.cursor() as cursor:
            db.marker_write(cursor, {"migrations": migrations})
    finally:
        conn.close()


def measure(scale: str, quick: bool) -> dict:
    out = WORK / f"{scale}.json"
    out.unlink(missing_ok=True)
    args = [sys.executable, "-m", "bench.measure", "--scale", scale, "--out", str(out)]
    subprocess.run(args + (["--quick"] if quick else []), cwd=db.ROOT,
                   env=db.bench_env(db.database_url(DATABASES[scale])), check=True)  # fmt: skip
    return json.loads(out.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", default=os.environ.get("QUICK", "") not in ("", "0"))
    parser.add_argument("--reuse-results", action="store_true", help="only rewrite the report from var/bench/*.json")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    wall: dict[str, float] = {}
    if args.reuse_results:
        small, national = (json.loads((WORK / f"{s}.json").read_text()) for s in ("small", "national"))
        wall = json.loads((WORK / "wall.json").read_text()) if (WORK / "wall.json").exists() else {}
    else:
        started = time.monotonic()
        for scale in ("small", "national"):
            ensure(scale)
        wall["data ready"] = time.monotonic() - started
        started = time.monotonic()
        small = measure("small", args.quick)
        wall["demo-sized queries"] = time.monotonic() - started
        started = time.monotonic()
        national = measure("national", args.quick)
        wall["national measurements"] = time.monotonic() - started
        (WORK / "wall.json").write_text(json.dumps(wall))
    from .report import Report

    command = "make bench QUICK=1" if national.get("quick", args.quick) else "make bench"
    text = Report(national, small, command, wall).render()
    (db.ROOT / "docs" / "PERFORMANCE.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
