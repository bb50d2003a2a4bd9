"""`python manage.py export_regulation CODE --format yaml|xlsx -o FILE`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.models import Province
from portal.selectors import province_by_code
from scoring.libraryio import write_xlsx, write_yaml
from scoring.models import CriteriaSet
from scoring.selectors import criteria_set_by_code, regulation_document


class Command(BaseCommand):
    help = "Writes a criteria set as a library file (CODE = regulation code, or REGULATION:SET)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--format", choices=["yaml", "xlsx"], default="yaml")
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--province")

    def handle(self, *args, **options):
        try:
            province = province_by_code(options["province"])
            criteria_set = criteria_set_by_code(province=province, code=options["code"])
        except Province.DoesNotExist:
            raise CommandError("Name the province with --province CODE.") from None
        except CriteriaSet.DoesNotExist:
            raise CommandError(f"No criteria set “{options['code']}”.") from None
        except CriteriaSet.MultipleObjectsReturned:
            raise CommandError("The regulation has several sets: write REGULATION:SET.") from None
        doc = regulation_document(criteria_set)
        output = Path(options["output"])
        if options["format"] == "xlsx":
            output.write_bytes(write_xlsx(doc))
        else:
            output.write_text(write_yaml(doc), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
