"""Databases of the bench: creation, the build marker, and COPY into the portal's tables.

The bench owns its databases (dvcq_bench, dvcq_bench_small): it creates them, migrates them with the
portal's own migrations, and records in a marker table which generator built them, so a later
`make bench` reuses a finished build and rebuilds one that is stale or was interrupted.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
MARKER_TABLE = "bench_marker"  # a fixed name: every query below embeds it


def database_url(name: str) -> str:
    base = os.environ.get("BENCH_DATABASE_URL", "postgres://dvcq:dvcq@127.0.0.1:5432/dvcq_bench")
    u = urlparse(base)
    return u._replace(path=f"/{name}").geturl()


def _admin_connection(url: str):
    import psycopg2

    u = urlparse(url)
    conn = psycopg2.connect(
        dbname="postgres", user=u.username, password=u.password, host=u.hostname, port=u.port or 5432
    )
    conn.autocommit = True
    return conn


def database_exists(url: str) -> bool:
    name = urlparse(url).path.lstrip("/")
    with _admin_connection(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cur.fetchone() is not None


def database_recreate(url: str) -> None:
    """Drops and creates the database (only ever one of the bench's own names)."""
    name = urlparse(url).path.lstrip("/")
    assert name.startswith("dvcq_bench"), name  # never touch another suite's database
    conn = _admin_connection(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def bench_env(url: str, **extra: str) -> dict[str, str]:
    """The environment every bench process runs with: the bench settings on `url`."""
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": url, "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


def migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=bench_env(url), check=True
    )


# --- marker ----------------------------------------------------------------------------------


def marker_read(cursor) -> dict:
    cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
    if cursor.fetchone()[0] is None:
        return {}
    cursor.execute(f"SELECT key, value FROM {MARKER_TABLE}")  # noqa: S608
    return {k: json.loads(v) for k, v in cursor.fetchall()}


def marker_write(cursor, values: dict) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
    for key, value in values.items():
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [key, json.dumps(value, default=str)],
        )


# --- COPY --------------------------------------------------------------------------------------


def _text(value) -> str:
    # PostgreSQL's text COPY format: \N is NULL; backslash, tab and newlines are escaped.
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = format(value, "f")
    else:
        value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _filled_columns(model, fields: Sequence[str]) -> tuple[list[str], list]:
    """Columns the caller did not give that still need a value: their model default, so a column
    added to the portal later (with a default) does not break the generator; one without a default
    stops it with the column's name."""
    from django.db import models

    given = set(fields)
    now = dt.datetime.now(dt.UTC)
    extra_columns, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in given or field.column in given:
            continue
        if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
            if isinstance(field, models.JSONField):
                value = value if value is not None else None
        elif getattr(field, "db_default", models.NOT_PROVIDED) is not models.NOT_PROVIDED or field.null:
            continue
        elif isinstance(field, models.CharField | models.TextField) and field.blank:
            value = ""
        else:
            raise RuntimeError(f"bench generator: {model.__name__}.{field.name} needs a value (the schema changed)")
        extra_columns.append(field.column)
        extra_values.append(value)
    return extra_columns, extra_values


def copy_rows(model, fields: Sequence[str], rows: Iterable[Sequence], chunk: int = 100_000) -> int:
    """COPY rows (tuples in the order of `fields`, attnames) into the model's table; returns the count."""
    from django.db import connection

    columns = [model._meta.get_field(f).column if not f.endswith("_id") else f for f in fields]
    extra_columns, extra_values = _filled_columns(model, fields)
    extra = "\t".join(_text(v) for v in extra_values)
    sql = f"COPY {model._meta.db_table} ({', '.join(columns + extra_columns)}) FROM STDIN"
    total = 0
    buffer = io.StringIO()
    n = 0

    def flush():
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        line = "\t".join(_text(v) for v in row)
        if extra_columns:
            line = f"{line}\t{extra}"
        buffer.write(line + "\n")
        n += 1
        if n >= chunk:
            flush()
            total += n
            n = 0
    if n:
        flush()
        total += n
    return total


def next_ids(model, count: int) -> range:
    """Reserves `count` primary keys of the model's table (rows are then copied with these ids)."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count])
    return range(first, first + count)
