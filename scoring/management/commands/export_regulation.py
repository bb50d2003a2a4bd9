"""`python manage.py export_regulation CODE --format yaml|xlsx -o FILE`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.models import Province
from portal.selectors import province_by_code
from scoring.libraryio import write_xlsx, write_yaml
from scoring.models import CriteriaSet, Regulation
from scoring.selectors.regulations import (
    criteria_set_by_code,
    regulation_by_code,
    regulation_document,
    regulation_full_document,
)


class Command(BaseCommand):
    help = (
        "Writes a regulation as a library file (YAML or Excel): CODE = a regulation (every set; in "
        "Excel each set on its own sheets) or REGULATION:SET (that set alone)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--format", choices=["yaml", "xlsx"], default="yaml")
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--province")

    def handle(self, *args, **options):
        code = options["code"]
        try:
            province = province_by_code(options["province"])
            if ":" in code:
                doc = regulation_document(criteria_set_by_code(province=province, code=code))
            else:
                doc = regulation_full_document(regulation_by_code(province=province, code=code))
        except Province.DoesNotExist:
            raise CommandError("Name the province with --province CODE.") from None
        except (CriteriaSet.DoesNotExist, Regulation.DoesNotExist):
            raise CommandError(f"No criteria set “{code}”.") from None
        output = Path(options["output"])
        if options["format"] == "xlsx":
            output.write_bytes(write_xlsx(doc))
        else:
            output.write_text(write_yaml(doc), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
