"""Settings come from the environment: SQLite ↔ PostgreSQL, filesystem broker ↔ Redis, strict prod."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': str(settings.DATABASES['default']['NAME']), 'broker': settings.CELERY_BROKER_URL, "
    "'cache': settings.CACHES['default']['BACKEND'], 'email': settings.EMAIL_BACKEND, "
    "'secure_cookie': settings.SESSION_COOKIE_SECURE}))"
)
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
}


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
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy():
    env = {
        **CLEAN,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "x" * 64 + "-Production-Key-2026!",
        "ALLOWED_HOSTS": "dvcq.tayninh.gov.vn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert settings_with(SECRET_KEY="k" * 60)["secure_cookie"] is True


def test_tests_run_on_the_database_the_environment_names():
    # CI sets DATABASE_URL to PostgreSQL: the suite must really run there, not on SQLite.
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
