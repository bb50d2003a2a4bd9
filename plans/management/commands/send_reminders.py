"""`python manage.py send_reminders [--on YYYY-MM-DD]` — run the reminder sweep now.

Beat runs the sweep every minute for today; this replays a day the server missed (an outage) or
runs it ahead of beat. Through the broker when a worker is running, so the worker sends.
Reminders already sent are never sent again (the outbox key decides).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from plans.tasks import reminder_sweep


class Command(BaseCommand):
    help = "Queues the reminder sweep for a day (default: today)."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--here", action="store_true", help="run in this process instead of the worker")

    def handle(self, *args, **options):
        day = options["on"]
        if day:
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD.") from None
        if options["here"]:
            count = reminder_sweep(day)
            self.stdout.write(f"{count} reminder(s) and digest(s) queued from this process.")
        else:
            reminder_sweep.delay(day)
            self.stdout.write("Sweep queued; the worker sends what is due (see var/mail with the embedded default).")
