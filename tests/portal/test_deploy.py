"""The deployment files agree with each other and with the settings: one recipe, several formats."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def procfile() -> dict[str, str]:
    lines = (ROOT / "deploy" / "Procfile.prod").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def unit_exec(name: str) -> str:
    line = next(line for line in (UNITS / name).read_text().splitlines() if line.startswith("ExecStart="))
    return line.removeprefix("ExecStart=").replace("/srv/dvcq/.venv/bin/", "")


def test_systemd_units_run_the_same_commands_as_the_production_procfile():
    commands = procfile()
    assert unit_exec("dvcq-web.service") == commands["web"]
    assert unit_exec("dvcq-beat.service") == commands["beat"]
    # The worker's variables are systemd's (${X}, %%h) where the Procfile has shell defaults.
    worker = re.sub(r"\$\{(\w+):-[^}]*\}", r"${\1}", commands["worker"]).replace("@%h", "@%%h")
    assert unit_exec("dvcq-worker.service") == worker


def test_systemd_units_are_valid(tmp_path):
    # Verified as installed in the checkout's place; only the paths differ from /srv/dvcq.
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/dvcq", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
    )
    problems = [line for line in result.stderr.splitlines() if "Failed to" not in line or "user" not in line.lower()]
    assert result.returncode == 0 and problems == [], result.stderr


def test_the_nginx_configuration_takes_its_limits_from_the_settings_and_is_valid(tmp_path, capsys):
    call_command(
        "nginx_config", "--cert", "/etc/ssl/dvcq.pem", "--key", "/etc/ssl/dvcq.key", "--upstream", "127.0.0.1:8001"
    )
    site = capsys.readouterr().out
    # A little above Django's own limit, so Django's message is what a person sees first.
    nginx_limit = int(re.search(r"client_max_body_size\s+(\d+);", site).group(1))
    assert settings.UPLOAD_REQUEST_MAX_BYTES < nginx_limit <= settings.UPLOAD_REQUEST_MAX_BYTES + 2 * 1024 * 1024
    assert "error_page 413 /__dvcq_errors/413.html;" in site
    assert "proxy_request_buffering on;" in site
    assert f"alias {Path(settings.STATIC_ROOT).resolve()}/;" in site
    assert "location /media/ {\n        return 404;" in site
    # nginx itself accepts it (with a throwaway certificate).
    (tmp_path / "tmp").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = site.replace("/etc/ssl/dvcq.pem", str(tmp_path / "c.pem")).replace(
        "/etc/ssl/dvcq.key", str(tmp_path / "k.pem")
    )
    (tmp_path / "site.conf").write_text(site)
    shutil.copy(ROOT / "deploy" / "nginx" / "nginx-local.conf", tmp_path / "nginx.conf")
    result = subprocess.run(
        ["nginx", "-t", "-q", "-p", str(tmp_path), "-c", "nginx.conf", "-e", "stderr"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
