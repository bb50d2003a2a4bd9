"""`python manage.py import_regulation FILE` — load a regulation library file (YAML or .xlsx)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.models import Province
from portal.selectors import province_by_code
from scoring.libraryio import LibraryErrors
from scoring.services import regulation_import_file


class Command(BaseCommand):
    help = "Validates and loads a regulation library file; on any error nothing is written."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--province", help="province code (default: the only province)")
        parser.add_argument("--replace", action="store_true", help="reload a regulation not yet used by a period")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            province = province_by_code(options["province"])
        except Province.DoesNotExist:
            raise CommandError("Name the province with --province CODE.") from None
        try:
            regulation = regulation_import_file(
                province=province, name=path.name, content=path.read_bytes(), replace=options["replace"]
            )
        except LibraryErrors as errors:
            for error in errors.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{len(errors.errors)} error(s); nothing was loaded.") from None
        sets = ", ".join(cs.library_code for cs in regulation.criteria_sets.all())
        self.stdout.write(self.style.SUCCESS(f"Loaded {regulation.so_ky_hieu} ({sets})."))
