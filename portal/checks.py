"""`manage.py check --deploy` knows what production needs beyond Django's own list."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.database, deploy=True)
def production_services(app_configs, **kwargs):
    errors = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        errors.append(
            Error(
                "Production runs on PostgreSQL: set DATABASE_URL=postgres://…",
                hint="SQLite is the embedded default of `make run` only.",
                id="portal.E001",
            )
        )
    if not settings.REDIS_URL:
        errors.append(
            Error(
                "Production needs Redis: set REDIS_URL=redis://…",
                hint="Celery's broker, the rate limits and the cache shared by every web process live there.",
                id="portal.E002",
            )
        )
    return errors
