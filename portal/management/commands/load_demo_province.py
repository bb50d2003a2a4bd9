"""`python manage.py load_demo_province` — Tây Ninh demo data, and a second province (Quảng
Bình) beside it so that what one province sees of another can be tried; idempotent.

The portal core loads the province, agencies and demo users; then each installed app that has a
`demo` module with `load(province)` adds its own data (plans, criteria, scores), in app order. The
second province likewise: `portal.demo_quang_binh`, then each app's `demo_quang_binh.load`.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand

from portal import demo, demo_quang_binh


class Command(BaseCommand):
    help = "Loads (or refreshes) the Tây Ninh demo province and its demo users."

    def handle(self, *args, **options):
        for core, module_name, users in (
            (demo, "demo", demo.DEMO_USERS),
            (demo_quang_binh, "demo_quang_binh", demo_quang_binh.USERS),
        ):
            province = core.load()
            self.stdout.write(f"Demo province {province.name}: {province.agencies.count()} agencies.")
            for config in apps.get_app_configs():
                if config.name == "portal" or find_spec(f"{config.name}.{module_name}") is None:
                    continue
                import_module(f"{config.name}.{module_name}").load(province)
                self.stdout.write(f"  + {config.verbose_name}")
            self.stdout.write(
                self.style.SUCCESS(f"Logins of {province.name} (password for all: {demo.DEMO_PASSWORD}):")
            )
            for username, (_full_name, _position, agency_code, roles) in users.items():
                self.stdout.write(f"  {username:<19} {', '.join(roles):<14} {agency_code}")
