"""Test settings: the real settings plus what only tests need.

Celery runs eagerly by default (config is read once, so this cannot be a fixture); the tests that
prove the broker round trip switch eager off and start a real worker on the configured broker.
"""

import os

# Tests run production-like (DEBUG off) even where `make run` wrote a .env with DEBUG on: values
# set here win over the env file, which fills in only what is missing (DATABASE_URL, …).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# The read API's per-user throttle is tested on its own (tests/portal/test_security.py); the fuzzers
# and journeys must not trip it.
os.environ.setdefault("API_RATE", "100000/h")

from .settings import *  # noqa: E402, F403
from .settings import VAR_DIR  # noqa: E402

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
