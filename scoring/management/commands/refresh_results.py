"""`python manage.py refresh_results [--province CODE] [--period ID …]` — recomputes the stored
provisional results (every dossier's totals and class as the engine gives them now)."""

from django.core.management.base import BaseCommand, CommandError

from portal.models import Province
from portal.selectors import province_by_code
from scoring.models import ScoringPeriod
from scoring.services import results_refresh


class Command(BaseCommand):
    help = (
        "Recomputes the stored provisional result of every dossier of the periods (all by default): "
        "after data was written around the portal's services, or to check nothing drifted. Final "
        "results (the frozen verdict) are not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="only the periods of this province (code)")
        parser.add_argument("--period", type=int, action="append", default=[], help="a period's id (repeatable)")

    def handle(self, *args, **options):
        periods = ScoringPeriod.objects.select_related("province").order_by("province__code", "year", "program")
        if options["province"]:
            try:
                periods = periods.filter(province=province_by_code(options["province"]))
            except Province.DoesNotExist:
                raise CommandError(f"Unknown province {options['province']!r}.") from None
        if options["period"]:
            periods = periods.filter(pk__in=options["period"])
            missing = set(options["period"]) - {p.pk for p in periods}
            if missing:
                raise CommandError(f"Unknown periods: {', '.join(map(str, sorted(missing)))}.")
        total = 0
        for period in periods:
            count = results_refresh(period=period)
            total += count
            self.stdout.write(f"{period.province.code} {period.year} {period.program}: {count}")
        self.stdout.write(f"{total} results stored.")
