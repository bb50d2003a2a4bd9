"""`python manage.py diff_regulation CODE_A CODE_B [CODE_C …]` — what changed from each version to
the next; `--chain CODE` follows `replaces:` back from CODE (731 → 1743 → 1563)."""

from itertools import pairwise

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.models import Province
from portal.selectors import province_by_code
from scoring.engine.diff import diff_specs
from scoring.explain import change_text
from scoring.models import CriteriaSet, Regulation
from scoring.selectors.regulations import criteria_set_by_code, criteria_set_spec, regulation_chain


class Command(BaseCommand):
    help = (
        "Lists criteria added, removed and changed from each named set to the next (REGULATION or "
        "REGULATION:SET); with --chain, along the versions a regulation replaces."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", metavar="CODE")
        parser.add_argument(
            "--chain", action="store_true", help="follow `replaces` back from the one CODE named, oldest first"
        )
        parser.add_argument("--province")

    def handle(self, *args, **options):
        try:
            province = province_by_code(options["province"])
        except Province.DoesNotExist:
            raise CommandError("Name the province with --province CODE.") from None
        codes = options["codes"]
        if options["chain"]:
            if len(codes) != 1:
                raise CommandError("With --chain, name one regulation: the newest version.")
            try:
                codes = [regulation.code for regulation in regulation_chain(province=province, code=codes[0])]
            except Regulation.DoesNotExist:
                raise CommandError(f"Unknown regulation “{codes[0]}”.") from None
        if len(codes) < 2:
            raise CommandError("Name two versions (or one with --chain, when it replaces another).")
        for old, new in pairwise(codes):
            self.compare(province, old, new, heading=len(codes) > 2)

    def compare(self, province, old_code: str, new_code: str, *, heading: bool) -> None:
        old_sets, new_sets = self.sets(province, old_code), self.sets(province, new_code)
        if heading:  # several steps: say which one the lines below belong to
            old_reg, new_reg = next(iter(old_sets.values())).regulation, next(iter(new_sets.values())).regulation
            self.stdout.write(f"== {old_reg.so_ky_hieu} ({old_code}) → {new_reg.so_ky_hieu} ({new_code})")
        if len(old_sets) == 1 and len(new_sets) == 1:
            pairs = [(next(iter(old_sets.values())), next(iter(new_sets.values())))]
        else:  # sets of the same kind of unit carry the same code in both versions
            pairs = [(old_sets[code], new_sets[code]) for code in new_sets if code in old_sets]
            for code in new_sets.keys() - old_sets.keys():
                self.stdout.write(_("Criteria set %(code)s is new") % {"code": code})
            for code in old_sets.keys() - new_sets.keys():
                self.stdout.write(_("Criteria set %(code)s is gone") % {"code": code})
        for old, new in pairs:
            if len(pairs) > 1:
                self.stdout.write(_("Criteria set %(code)s:") % {"code": new.code})
            changes = diff_specs(criteria_set_spec(old), criteria_set_spec(new))
            if not changes:
                self.stdout.write(_("No differences."))
            for change in changes:
                self.stdout.write(change_text(change))

    def sets(self, province, code: str) -> dict[str, CriteriaSet]:
        """The sets a code names: one ("REGULATION:SET"), or every set of the regulation."""
        if ":" in code:
            try:
                criteria_set = criteria_set_by_code(province=province, code=code)
            except CriteriaSet.DoesNotExist:
                raise CommandError(f"Unknown criteria set “{code}”.") from None
            return {criteria_set.code: criteria_set}
        sets = {
            cs.code: cs
            for cs in CriteriaSet.objects.select_related("regulation").filter(
                regulation__province=province, regulation__code=code
            )
        }
        if not sets:
            raise CommandError(f"Unknown criteria set “{code}”; write REGULATION or REGULATION:SET.")
        return sets
