"""`python manage.py preview_reminders --on YYYY-MM-DD` — what would be sent that day, without sending."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from plans.schedule import holiday_name, is_working_day
from plans.selectors import reminders_on


class Command(BaseCommand):
    help = "Lists the reminders the sweep would send on a date (nothing is sent or written)."

    def add_arguments(self, parser):
        parser.add_argument("--on", required=True, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["on"])
        except ValueError:
            raise CommandError("Give the date as YYYY-MM-DD, e.g. 2021-11-15.") from None
        planned = reminders_on(day)
        if not is_working_day(day):
            self.stdout.write(f"{day:%d/%m/%Y} is not a working day ({holiday_name(day) or 'weekend'}).")
        if not planned:
            self.stdout.write(f"Nothing would be sent on {day:%d/%m/%Y}.")
        for p in planned:
            channel = p.recipient.email if p.recipient.email_reminders else "in-app only"
            self.stdout.write(
                f"{p.kind:<10} {p.recipient.username:<18} {channel:<34} {p.deliverable.agency_version.name} — "
                f"{p.deliverable.type.title} (due {p.due_on:%d/%m/%Y})"
            )
        self.stdout.write(f"{len(planned)} reminder(s).")
