"""Runs the measurements on one generated database and writes their results as JSON.

`python -m bench.measure --scale small|national --out FILE [--quick]`, with the bench settings on
that database (bench/__main__.py starts it). Results are written after each part, so a failure
late in the run keeps what was measured before it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import traceback
from pathlib import Path


def _commit() -> str:
    """The commit measured (BENCH_COMMIT when the bench runs on an exported tree), and whether the
    working tree differed from it."""
    import subprocess

    from .db import ROOT

    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f"{head} (with uncommitted changes)" if dirty else head


def main(argv: list[str] | None = None) -> int:
    import django

    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("--scale", choices=["small", "national"], required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated parts (default: all of the scale)")
    args = parser.parse_args(argv)
    django.setup()
    from portal.scopes import scopes_off_from_now_on

    # The bench acts on every province (portal/scopes.py); the requests it makes get their own scope.
    scopes_off_from_now_on()

    from django.db import connection

    from . import db, inproc, queries
    from .subjects import Subjects

    with connection.cursor() as cursor:
        marker = db.marker_read(cursor)
    subjects = Subjects.find()
    rounds = 3 if args.quick else 6
    bench_day = dt.date.fromisoformat(marker["bench_day"])
    parts = {"queries": lambda: queries.per_page(subjects)}
    if args.scale == "national":
        from scoring.models import ScoringPeriod

        from . import http, pdfbench, sweep

        final_periods = list(
            ScoringPeriod.objects.filter(phase="final", year=subjects.final_period.year).order_by("province_id")[:4]
        )
        parts.update(
            {
                "cell_save": lambda: inproc.cell_save(subjects, rounds * 3),
                "ranking": lambda: inproc.ranking_selector(subjects, rounds),
                "pages": lambda: inproc.pages(subjects, rounds),
                "engine": lambda: inproc.engine(3),
                "pdf": lambda: pdfbench.pdf(final_periods, 2 if args.quick else 3),
                "http": lambda: http.run(os.environ["DATABASE_URL"], subjects, args.quick),
                "sweep": lambda: sweep.sweep(bench_day, 1 if args.quick else 2, profile=not args.quick),
            }
        )  # fmt: skip
    only = [p for p in args.only.split(",") if p]
    results = json.loads(args.out.read_text()) if (only and args.out.exists()) else {}
    results["marker"] = marker
    results["quick"] = args.quick
    results.setdefault("started_at", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    results["commit"] = _commit()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        results["postgres"] = f"PostgreSQL {cursor.fetchone()[0]} server"
    for name, fn in parts.items():
        if only and name not in only:
            continue
        started = time.monotonic()
        print(f"[bench] {args.scale}: {name} …", file=sys.stderr, flush=True)
        try:
            results[name] = fn()
        except Exception:  # one broken part must not cost the others their numbers
            results[name] = {"error": traceback.format_exc(limit=8)}
            print(results[name]["error"], file=sys.stderr)
        results.setdefault("seconds", {})[name] = round(time.monotonic() - started, 1)
        args.out.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
