"""The production stack as a province runs it, started from the repository's own recipe.

`make prod-prepare` (check --deploy, migrate, collectstatic, nginx config) runs first, then every
line of deploy/Procfile.prod is started as its own process group, so a test can kill a worker or
stop Redis without taking the rest down. Scaled out: two gunicorn instances and two Celery workers
behind one nginx, one beat, on a private PostgreSQL cluster and a private Redis (so restarting
them disturbs nothing else on the machine).
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "var" / "prodci"
PG_VERSION = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]
PG_CLUSTER, PG_PORT = "prodci", 15432
REDIS_PORT, SMTP_PORT, HTTPS_PORT = 16379, 12525, 18443
WEB_PORTS = (18001, 18002)
RESTORED_WEB_PORT = 18003
DB_NAME = "dvcq"


def as_root(command: list[str]) -> list[str]:
    return command if os.geteuid() == 0 else ["sudo", *command]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise AssertionError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def psql(sql: str, database: str = "postgres") -> str:
    command = f"psql -p {PG_PORT} -d {database} -tAq -c {shlex.quote(sql)}"
    return run(as_root(["su", "postgres", "-c", command]), cwd="/").stdout.strip()


def procfile() -> dict[str, str]:
    lines = (ROOT / "deploy" / "Procfile.prod").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


@dataclass
class Stack:
    env_file: Path = WORK / "prod.env"
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    # --- services -------------------------------------------------------------------------
    def start_postgres(self) -> None:
        self.drop_postgres()  # what an interrupted earlier run left behind
        run(as_root(["pg_createcluster", PG_VERSION, PG_CLUSTER, "-p", str(PG_PORT), "--start"]))
        psql("CREATE ROLE dvcq LOGIN PASSWORD 'dvcq' CREATEDB")
        psql(f"CREATE DATABASE {DB_NAME} OWNER dvcq")

    def postgres(self, action: str) -> None:
        """start / stop / restart the private cluster (the database "goes away" for the portal)."""
        run(as_root(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PG_CLUSTER, action]))

    def drop_postgres(self) -> None:
        if f" {PG_CLUSTER} " in run(["pg_lsclusters", "-h"]).stdout:
            subprocess.run(
                as_root(["pg_dropcluster", "--stop", PG_VERSION, PG_CLUSTER]), check=False, capture_output=True
            )

    def start_redis(self) -> None:
        self._spawn(
            "redis",
            f"redis-server --bind 127.0.0.1 --port {REDIS_PORT} --save '' --appendonly no",
        )
        wait_for_port(REDIS_PORT)

    def stop_redis(self) -> None:
        self.stop("redis")

    # --- the portal ---------------------------------------------------------------------------
    def write_env(self) -> None:
        shutil.rmtree(WORK, ignore_errors=True)  # every run starts from nothing, like a new server
        WORK.mkdir(parents=True)
        values = {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "SITE_URL": f"https://localhost:{HTTPS_PORT}",
            "DATABASE_URL": f"postgres://dvcq:dvcq@127.0.0.1:{PG_PORT}/{DB_NAME}",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
            "VAR_DIR": str(WORK),
            "MEDIA_ROOT": str(WORK / "media"),
            "TRUSTED_PROXIES": "127.0.0.1,::1",
            # Short enough for tests to watch a document fail; the production defaults are longer.
            "REPORT_START_TIMEOUT": "20",
            "GUNICORN_WORKERS": "2",
            "WORKER_CONCURRENCY": "2",
        }
        self.env_file.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
        self._set_env(values)

    def _set_env(self, values: dict[str, str]) -> None:
        self.env = {**os.environ, **values, "ENV_FILE": str(self.env_file), "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
        # The production processes get nothing of the test process's own settings.
        for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "API_RATE", "CI"):
            self.env.pop(name, None)

    def read_env(self) -> None:
        values = dict(line.split("=", 1) for line in self.env_file.read_text().splitlines() if "=" in line)
        self._set_env(values)

    def prepare(self) -> None:
        """The same recipe as `make prod`: deployment checks, migrations, static files, nginx config."""
        upstreams = " ".join(f"127.0.0.1:{port}" for port in WEB_PORTS)
        result = subprocess.run(
            [
                "make",
                "--no-print-directory",
                "prod-prepare",
                f"PROD_ENV={self.env_file}",
                f"PROD_PORT={HTTPS_PORT}",
                f"UPSTREAMS={upstreams}",
                "DEMO=1",
            ],
            cwd=ROOT,
            env={**self.env, "DB_NAME": DB_NAME},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"make prod-prepare failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")

    def manage(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env or self.env)

    def _spawn(self, name: str, command: str, **extra_env: str) -> subprocess.Popen:
        log = (WORK / f"{name}.log").open("ab")
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=ROOT,
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killing it kills its children too
        )
        self.processes[name] = process
        return process

    def start(self, name: str) -> None:
        """Starts one process of the stack: web1, web2, worker1, worker2, beat, proxy."""
        commands = procfile()
        kind = name.rstrip("0123456789")
        index = int(name[len(kind) :] or 1)
        extra = {}
        if kind == "web":
            extra = {"GUNICORN_BIND": f"127.0.0.1:{WEB_PORTS[index - 1]}", "GUNICORN_NAME": f"dvcq-{name}"}
        elif kind == "worker":
            extra = {"WORKER_NAME": str(index)}
        self._spawn(name, commands[kind], **extra)
        if kind == "web":
            wait_for_port(WEB_PORTS[index - 1])
        elif kind == "proxy":
            wait_for_port(HTTPS_PORT)

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def kill(self, name: str) -> None:
        """A crash: SIGKILL to the whole process group, no warm shutdown."""
        self.stop(name, signal.SIGKILL)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def start_all(self) -> None:
        for name in ("web1", "web2", "worker1", "worker2", "beat", "proxy"):
            self.start(name)
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.get("/tai-khoan/login/").status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the portal did not answer through nginx")
            time.sleep(0.5)

    # --- plain HTTP(S) helpers -------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"https://localhost:{HTTPS_PORT}"

    def get(self, path: str, **headers: str):
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # our self-signed certificate
        request = urllib.request.Request(self.base_url + path, headers=headers)
        return urllib.request.urlopen(request, context=context, timeout=20)

    def log(self, name: str) -> str:
        path = WORK / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def running_stack() -> Iterator[tuple[Stack, SmtpSink]]:
    """The whole stack from nothing (private PostgreSQL and Redis, an SMTP sink), stopped afterwards."""
    sink = SmtpSink(SMTP_PORT).start()
    stack = Stack()
    stack.write_env()
    try:
        stack.start_postgres()
        stack.start_redis()
        stack.prepare()
        stack.start_all()
        yield stack, sink
    finally:
        stack.stop_all()
        stack.drop_postgres()
        sink.stop()


if __name__ == "__main__":
    # A stack to develop the suite against: `PYTHONPATH=. .venv/bin/python -m tests.prod.stack`, then
    # `PROD_STACK_REUSE=1 .venv/bin/python -m pytest tests/prod --prod …` (the tests that stop
    # services or read the mail need a stack of their own). Ctrl+C or `kill PID` stops it.
    def interrupt(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        with running_stack() as (stack, _sink):
            print(f"Production stack at {stack.base_url} (logs in {WORK}); Ctrl+C stops it.", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
