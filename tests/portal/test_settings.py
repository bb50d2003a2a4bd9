"""Settings come from the environment and its env file: SQLite ↔ PostgreSQL, filesystem broker ↔ Redis,
strict production that refuses to start without its own key."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': str(settings.DATABASES['default']['NAME']), 'broker': settings.CELERY_BROKER_URL, "
    "'cache': settings.CACHES['default']['BACKEND'], 'email': settings.EMAIL_BACKEND, "
    "'secure_cookie': settings.SESSION_COOKIE_SECURE, 'debug': settings.DEBUG}))"
)
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "ENV_FILE"}
}
PG_AND_REDIS = {"DATABASE_URL": "postgres://dvcq:pw@db.example:5432/dvcq", "REDIS_URL": "redis://cache.example:6379/1"}


@pytest.fixture(autouse=True)
def empty_env_file(tmp_path, monkeypatch):
    """Each probe reads its own env file, never the developer's .env in the checkout."""
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    monkeypatch.setitem(CLEAN, "ENV_FILE", str(env_file))
    return env_file


def run_probe(args: list[str], **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
    )


def settings_with(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_filesystem_broker_and_mail_files():
    s = settings_with(DEBUG="true")
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"].endswith("var/db.sqlite3")
    assert s["broker"] == "filesystem://"
    assert s["email"] == "django.core.mail.backends.filebased.EmailBackend"


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    s = settings_with(
        DEBUG="true",
        DATABASE_URL="postgres://dvcq:pw@db.example:5432/dvcq",
        REDIS_URL="redis://cache.example:6379/1",
        EMAIL_URL="smtp://mailer:pw@smtp.example:587/?tls=True",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "dvcq"
    assert s["broker"] == "redis://cache.example:6379/1"
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_probe(["-c", PROBE])
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_env_file_written_by_make_run_is_read_by_manage_py(tmp_path):
    # `make run` writes DEBUG and a generated key; plain `.venv/bin/python manage.py …` then works.
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nSECRET_KEY=embedded-abc\n")
    assert settings_with(ENV_FILE=str(env_file))["debug"] is True
    result = run_probe(["manage.py", "check"], ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr


def test_the_process_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nSECRET_KEY=embedded-abc\nDATABASE_URL=sqlite:////tmp/from-file.sqlite3\n")
    s = settings_with(ENV_FILE=str(env_file), DATABASE_URL=PG_AND_REDIS["DATABASE_URL"])
    assert s["engine"] == "django.db.backends.postgresql"


def test_production_refuses_the_embedded_key(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nSECRET_KEY=embedded-abc\n")
    result = run_probe(["-c", PROBE], ENV_FILE=str(env_file), DEBUG="false")
    assert result.returncode != 0
    assert "not the key `make run` generated" in result.stderr


def test_a_named_env_file_that_is_missing_stops_the_start(tmp_path):
    result = run_probe(["-c", PROBE], ENV_FILE=str(tmp_path / "nope.env"))
    assert result.returncode != 0
    assert "does not exist" in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_probe(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="x" * 64 + "-Production-Key-2026!",
        ALLOWED_HOSTS="dvcq.tayninh.gov.vn",
        **PG_AND_REDIS,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert settings_with(SECRET_KEY="k" * 60)["secure_cookie"] is True


def test_check_deploy_refuses_sqlite_and_a_missing_redis():
    result = run_probe(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="x" * 64 + "-Production-Key-2026!",
        ALLOWED_HOSTS="dvcq.tayninh.gov.vn",
    )
    assert result.returncode != 0
    assert "portal.E001" in result.stderr and "portal.E002" in result.stderr


def test_tests_run_on_the_database_the_environment_names():
    # CI sets DATABASE_URL to PostgreSQL: the suite must really run there, not on SQLite.
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
