"""`manage.py restore FOLDER` — into an empty database and an empty MEDIA_ROOT, checked against the
backup's manifest (portal/backup.py). Then run `manage.py migrate` if the code is newer."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup folder into the configured (empty) database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}; every count matches."))
