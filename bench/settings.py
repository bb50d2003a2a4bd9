"""Settings of the bench: the portal's production settings (DEBUG off, PostgreSQL, Redis) plus the
few things a benchmark on plain HTTP on this machine needs, and the bench's anchor views.

Nothing here is used by the portal itself; `make bench` points DJANGO_SETTINGS_MODULE at it.
"""

import os

# Values set here win over the checkout's .env (which `make run` writes with DEBUG on).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-server")
os.environ.setdefault("DATABASE_URL", "postgres://dvcq:dvcq@127.0.0.1:5432/dvcq_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("API_RATE", "10000000/h")  # the throttle is not what is measured
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from portal.settings import *  # noqa: E402, F403

# The anchor views are served by the same processes, behind the same middleware, as the portal.
ROOT_URLCONF = "bench.anchor_urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405 — its templates
# Plain HTTP on the loopback: no TLS redirect, cookies without the Secure flag.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic for a benchmark: the pages name their static files, nobody fetches them.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 — whitenoise warns on every worker otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# The sweep's messages go to a queue of the bench's own in Redis db 9, so they can be counted and
# dropped without touching anyone else's.
CELERY_TASK_DEFAULT_QUEUE = "dvcq-bench"
