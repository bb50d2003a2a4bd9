"""Backing up and restoring an installation: the PostgreSQL database and the uploaded files.

A backup is a folder: `database.dump` (pg_dump, custom format), `media.tar.gz` (MEDIA_ROOT) and
`manifest.json` (checksums and row counts, so a restore can prove it is complete). Used by
`manage.py backup` / `manage.py restore` and the nightly systemd timer (deploy/systemd/).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

DUMP, MEDIA, MANIFEST = "database.dump", "media.tar.gz", "manifest.json"
# Rows a restore must bring back exactly (what the province would miss first).
COUNTED = ["portal.Agency", "portal.User", "scoring.Dossier", "scoring.CriterionScore", "scoring.Evidence"]


class BackupError(Exception):
    pass


def _libpq() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups are for PostgreSQL installations (DATABASE_URL=postgres://…).")
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def backup_create(*, folder: Path) -> dict:
    """Writes a complete backup into `folder` (created; must be empty) and returns its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty.")
    args, env = _libpq()
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / DUMP), *args],
        env=env,
        check=True,
    )
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname=".")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "files": {name: _sha256(folder / name) for name in (DUMP, MEDIA)},
        "rows": row_counts(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        return cursor.fetchone()[0] == 0


def backup_restore(*, folder: Path) -> dict:
    """Restores `folder` into the configured, empty database and an empty MEDIA_ROOT; checks that the
    restored rows match the manifest. Refuses to overwrite anything."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for name, expected in manifest["files"].items():
        if _sha256(folder / name) != expected:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
    if not _database_is_empty():
        raise BackupError("The target database is not empty: restore into a new, empty database.")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({media_root}) is not empty.")
    args, env = _libpq()
    connection.close()  # pg_restore needs the database to itself for nothing, but never a stale cursor
    subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(folder / DUMP)],
        env=env,
        check=True,
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, links or devices
    restored = row_counts()
    if restored != manifest["rows"]:
        raise BackupError(f"Restored rows {restored} differ from the backup's {manifest['rows']}.")
    return manifest


class FolderCommand(BaseCommand):
    """`manage.py backup|restore FOLDER`: one folder argument, the use case run on it, its refusal
    shown as the command's error and its manifest summed up in `done`."""

    use_case: Callable[..., dict]  # a staticmethod: backup_create or backup_restore

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = self.use_case(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(self.done(folder, manifest)))

    def done(self, folder: Path, manifest: dict) -> str:
        raise NotImplementedError
