"""`python manage.py load_demo_province` — Tây Ninh demo data, idempotent.

The portal core loads the province, agencies and demo users; then each installed app that has a
`demo` module with `load(province)` adds its own data (plans, criteria, scores), in app order.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand

from portal import demo


class Command(BaseCommand):
    help = "Loads (or refreshes) the Tây Ninh demo province and its demo users."

    def handle(self, *args, **options):
        province = demo.load()
        self.stdout.write(f"Demo province {province.name}: {province.agencies.count()} agencies.")
        for config in apps.get_app_configs():
            if config.name == "portal" or find_spec(f"{config.name}.demo") is None:
                continue
            module = import_module(f"{config.name}.demo")
            module.load(province)
            self.stdout.write(f"  + {config.verbose_name}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):"))
        for username, (_full_name, _position, agency_code, roles) in demo.DEMO_USERS.items():
            self.stdout.write(f"  {username:<16} {', '.join(roles):<14} {agency_code}")
