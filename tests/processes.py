"""Real processes for the tests that prove jobs never hang: a private Redis that can be stopped, a
Celery worker in its own process that can be SIGKILLed, and the Celery app pointed at that broker.

A worker process sees only committed rows, so these tests use `django_db(transaction=True)` on
PostgreSQL (CI always sets DATABASE_URL to PostgreSQL; SQLite in memory is not shared with it).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, interval: float = 0.05, what: str = "") -> object:
    """Polls `condition` until it is truthy; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what or condition}")
        time.sleep(interval)


def require_postgresql() -> None:
    # Never a skip: CI runs these on PostgreSQL, and a developer on SQLite is told what to set.
    if connection.vendor != "postgresql":
        pytest.fail(
            "This test starts a Celery worker in its own process, which must see the test database: "
            "set DATABASE_URL=postgres://… (CI always does)."
        )


def database_url() -> str:
    """The test database (not the configured one) as a URL a subprocess can use."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class RedisServer:
    """A throw-away redis-server on a free port, without persistence, that a test can stop and start."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _forget_connections() -> None:
    # The app caches its broker pool, producer pool and result backend; drop them so the new URLs apply.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@pytest.fixture(name="broker")
def broker_fixture(tmp_path) -> Iterator[RedisServer]:
    """A private Redis as the Celery broker and result backend of this process; tasks really travel."""
    server = RedisServer(tmp_path)
    server.start()
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=server.url, result_backend=server.url, task_always_eager=False)
    _forget_connections()
    try:
        yield server
    finally:
        app.conf.update(saved)
        _forget_connections()
        server.stop()


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process = process
        self.log = log

    def kill(self) -> None:
        """SIGKILL: no cleanup, no ack, exactly as when the machine or the OOM killer takes it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def celery_worker(broker_url: str, log_dir: Path, pool: str = "solo", **env: str) -> Iterator[Worker]:
    """`celery -A portal worker` in its own process, configured as production is (portal.settings,
    DEBUG off), on the test database and the given broker; `env` adds settings (REPORT_…)."""
    name = f"w{uuid.uuid4().hex[:8]}"
    log = log_dir / f"worker-{name}.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-worker-secret-key",
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the web side serves what the worker writes
        "CONN_MAX_AGE": "0",
        **env,
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", f"--pool={pool}", "--concurrency=1",
               "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
               f"--hostname={name}@%h"]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT)
    worker = Worker(process, log)
    try:
        yield worker
    except BaseException:
        print(log.read_text(errors="replace")[-4000:])  # shown with the failure
        raise
    finally:
        worker.stop()
