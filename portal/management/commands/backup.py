"""`manage.py backup FOLDER` — the database and the uploaded files, with checksums (portal/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up PostgreSQL and MEDIA_ROOT into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_create(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = ", ".join(f"{label} {n}" for label, n in manifest["rows"].items())
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder} ({rows})."))
