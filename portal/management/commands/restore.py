"""`manage.py restore FOLDER` — into an empty database and an empty MEDIA_ROOT, checked against the
backup's manifest (portal/backup.py). Then run `manage.py migrate` if the code is newer."""

from pathlib import Path

from portal.backup import FolderCommand, backup_restore


class Command(FolderCommand):
    help = "Restore a backup folder into the configured (empty) database and MEDIA_ROOT."
    use_case = staticmethod(backup_restore)

    def done(self, folder: Path, manifest: dict) -> str:
        return f"Restored the backup of {manifest['created_at']}; every count matches."
