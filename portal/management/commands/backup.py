"""`manage.py backup FOLDER` — the database and the uploaded files, with checksums (portal/backup.py)."""

from pathlib import Path

from portal.backup import FolderCommand, backup_create


class Command(FolderCommand):
    help = "Back up PostgreSQL and MEDIA_ROOT into a new folder."
    use_case = staticmethod(backup_create)

    def done(self, folder: Path, manifest: dict) -> str:
        rows = ", ".join(f"{label} {n}" for label, n in manifest["rows"].items())
        return f"Backup written to {folder} ({rows})."
