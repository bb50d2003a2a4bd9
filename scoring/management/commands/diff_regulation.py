"""`python manage.py diff_regulation CODE_A CODE_B` — what changed between two criteria sets."""

from django.core.management.base import BaseCommand, CommandError

from portal.models import Province
from portal.selectors import province_by_code
from scoring.engine.diff import diff_specs
from scoring.explain import change_text
from scoring.models import CriteriaSet
from scoring.selectors import criteria_set_by_code, criteria_set_spec


class Command(BaseCommand):
    help = "Lists criteria added, removed and changed from set CODE_A to set CODE_B."

    def add_arguments(self, parser):
        parser.add_argument("code_a")
        parser.add_argument("code_b")
        parser.add_argument("--province")

    def handle(self, *args, **options):
        try:
            province = province_by_code(options["province"])
            old = criteria_set_by_code(province=province, code=options["code_a"])
            new = criteria_set_by_code(province=province, code=options["code_b"])
        except Province.DoesNotExist:
            raise CommandError("Name the province with --province CODE.") from None
        except (CriteriaSet.DoesNotExist, CriteriaSet.MultipleObjectsReturned):
            raise CommandError("Unknown criteria set; write REGULATION or REGULATION:SET.") from None
        changes = diff_specs(criteria_set_spec(old), criteria_set_spec(new))
        if not changes:
            self.stdout.write("No differences.")
        for change in changes:
            self.stdout.write(change_text(change))
