"""DVCQ Portal settings — one module, every value from the environment.

The defaults run the whole cycle on one machine with no server: SQLite under var/, kombu's
filesystem broker under var/broker, e-mail written as files under var/mail. Setting
DATABASE_URL / REDIS_URL / EMAIL_URL switches to PostgreSQL / Redis / SMTP. With DEBUG off the
secure defaults apply and a missing SECRET_KEY stops the start-up (never a silent weak key).
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# One env file per installation, read by manage.py, gunicorn, Celery and the tests alike: `make run`
# writes `.env` (DEBUG on, a generated key); production points ENV_FILE at its own file
# (`make prod` → prod.env, systemd → /etc/dvcq/dvcq.env). Variables already in the process
# environment win over the file.
ENV_FILE = Path(os.environ.get("ENV_FILE") or BASE_DIR / ".env")
if os.environ.get("ENV_FILE") and not ENV_FILE.is_file():
    raise ImproperlyConfigured(f"ENV_FILE={ENV_FILE} does not exist.")
if ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE)

env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

# Keys that `make run` generates start with this: they sit in a checkout, so production refuses them.
EMBEDDED_KEY_PREFIX = "embedded-"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG and (not SECRET_KEY or SECRET_KEY.startswith(EMBEDDED_KEY_PREFIX)):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off, in production's own env file (ENV_FILE), "
        "not the key `make run` generated for the embedded default."
    )
if not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "portal",
    "plans",
    "scoring",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come precompressed), above everything that writes the body:
    # HTML and JSON compressed with random padding; files untouched (why that is safe: portal/compression.py).
    "portal.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.uploads.UploadNameMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every query on a province-owned model runs in the signed-in user's province (portal/scopes.py).
    "portal.scopes.ProvinceScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.uploads.UploadLimitMiddleware",  # uploads: refuses an oversized body before it is read
    "django_ratelimit.middleware.RatelimitMiddleware",
    "portal.middleware.NoStoreWhenSignedInMiddleware",
    "portal.middleware.SessionTouchMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must come last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection that PostgreSQL dropped (restart, failover) is replaced before the request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when available (shared by web and workers), else local memory ------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth, roles, lockout ---------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "portal.auth.StaffModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.validators.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The client's address behind the province's reverse proxy: X-Forwarded-For is believed only when the
# request comes from one of these proxies (nginx on the same host by default in production).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[] if DEBUG else ["127.0.0.1", "::1"])

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_MAX_HOURS = env.int("AXES_COOLOFF_MAX_HOURS", default=24)
# Lock the account name from one address only: a stranger elsewhere cannot lock the real user out,
# and a colleague on the same office NAT is not locked out either. Repeat lockouts back off.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "portal.security.lockout_cooloff"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
# Trying again while locked does not extend the lock (else the attacker holds it forever).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the back-off counts earlier lockouts from this log
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]

# Rate limits (django-ratelimit) on what strangers can reach: login and password reset, per real
# client address; the read API is throttled per token (REST_FRAMEWORK below).
RATELIMIT_IP_META_KEY = "portal.security.client_ip"
RATELIMIT_VIEW = "portal.views.account.rate_limited"
# If Redis is away, people can still log in (axes' lock lives in PostgreSQL and still holds).
RATELIMIT_FAIL_OPEN = True
LOGIN_RATE = env.str("LOGIN_RATE", default="30/10m")
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/h")

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle expiry: the clock restarts when a person is active (portal.middleware.SessionTouchMiddleware
# saves the session at most once a minute, not on every page and autosave).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60

# --- i18n: Vietnamese first, English source strings ------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail: files under var/mail unless EMAIL_URL (smtp://user:pass@host:587/?tls=True) ---------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng DVCQ <no-reply@dvcq.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under var/broker -----
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Beat keeps its schedule in Redis behind a lock (celery-redbeat): a second beat started by
    # mistake on another server waits instead of sending every periodic task twice.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_LOCK_TIMEOUT = 5 * 60
else:
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),  # else kombu writes ./control in the checkout
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery-results'}"
    # The transport does not create its folders; web, worker and beat may start in any order.
    for folder in (BROKER_DIR / "queue", BROKER_DIR / "processed", BROKER_DIR / "control", VAR_DIR / "celery-results"):
        folder.mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True  # a crashed worker's task is redelivered; services make it safe to repeat
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Security: strict by default once DEBUG is off ------------------------------------------
# No inline script or style anywhere (templates load static files only), so the policy needs no
# 'unsafe-inline'. Bootstrap's CSS draws some icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the portal never uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # Preloading binds the whole domain to HTTPS for browsers for years: the province's IT decides,
    # so the check that nags about it is silenced unless preload is switched on.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Logging: never log request bodies (passwords) nor cookies (sessions) ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_secrets": {"()": "portal.logging.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_secrets"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Read API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["portal.security.ApiUserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_RATE", default="600/h")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DVCQ Portal read API",
    "DESCRIPTION": "Read-only data of a province: periods, criteria sets, agencies, results, deliverables.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # access (issue 9): the schema describes a province's data; strangers get 401 like the API itself.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "reports.api.document_error_responses"],
}

# --- Portal ---------------------------------------------------------------------------------
PORTAL_NAME = "Cổng Dân vận chính quyền"
# Uploaded documents and evidence: size limit, accepted kinds (checked by content, not by name).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Uploads bounded before they are parsed (issue 9, "uploads") -------------------------------
# A request body may carry one upload plus its form; nginx's client_max_body_size must equal
# UPLOAD_REQUEST_MAX_BYTES. Larger bodies get a 413 before Django reads them; a chunked body
# (no Content-Length) is cut at the same size by portal.uploads.BoundedUploadHandler.
UPLOAD_REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + env.int("UPLOAD_FORM_MARGIN_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=50)
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Zip-based uploads (.docx, .xlsx): parts at most; and for workbooks the portal reads
# (portal.spreadsheets.open_uploaded_workbook): unpacked size, expansion ratio per part, rows and
# columns per sheet, seconds to read it all.
UPLOAD_ZIP_MAX_MEMBERS = env.int("UPLOAD_ZIP_MAX_MEMBERS", default=1000)
UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES = env.int("UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
UPLOAD_XLSX_MAX_RATIO = env.int("UPLOAD_XLSX_MAX_RATIO", default=100)
UPLOAD_XLSX_MAX_ROWS = env.int("UPLOAD_XLSX_MAX_ROWS", default=20_000)
UPLOAD_XLSX_MAX_COLUMNS = env.int("UPLOAD_XLSX_MAX_COLUMNS", default=200)
UPLOAD_XLSX_MAX_SECONDS = env.float("UPLOAD_XLSX_MAX_SECONDS", default=10.0)
# openpyxl builds Python objects for all shared strings and styles at once: their XML elements
# (with the sheets') are counted first; real forms hold a few thousand.
UPLOAD_XLSX_MAX_ELEMENTS = env.int("UPLOAD_XLSX_MAX_ELEMENTS", default=500_000)

# --- Background jobs end within bounds (issue 9; seconds) -------------------------------------
# A document whose job was not started within REPORT_START_TIMEOUT, whose running job has been
# silent (no heartbeat) for REPORT_HEARTBEAT_TIMEOUT, or which ran past REPORT_TIME_LIMIT (the
# task's soft limit; the hard one is 15 s later) is shown failed with the reason. The status page
# polls with back-off at most REPORT_POLL_LIMIT times (~10 minutes, longer than any of these bounds).
REPORT_START_TIMEOUT = env.int("REPORT_START_TIMEOUT", default=120)
REPORT_HEARTBEAT_TIMEOUT = env.int("REPORT_HEARTBEAT_TIMEOUT", default=30)
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=300)
REPORT_POLL_LIMIT = env.int("REPORT_POLL_LIMIT", default=60)
# Generated documents kept: the last REPORT_KEEP_LAST versions of each document of a period (its
# kind, and the agency for a score sheet), and every decision of a final period; the nightly prune
# (reports.tasks.reports_prune) deletes the rest, files and rows.
REPORT_KEEP_LAST = env.int("REPORT_KEEP_LAST", default=5)
if REPORT_KEEP_LAST < 1:
    raise ImproperlyConfigured("REPORT_KEEP_LAST must be at least 1.")
# Reminders: an SMTP call gives up after EMAIL_TIMEOUT; a send task is killed after
# REMINDER_TIME_LIMIT; so a claim older than REMINDER_STUCK_AFTER belongs to a dead worker and the
# sweep sends it again (same Message-ID). Days the sweep missed are caught up REMINDER_CATCH_UP_DAYS back.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
REMINDER_TIME_LIMIT = env.int("REMINDER_TIME_LIMIT", default=90)
REMINDER_STUCK_AFTER = env.int("REMINDER_STUCK_AFTER", default=180)
REMINDER_CATCH_UP_DAYS = env.int("REMINDER_CATCH_UP_DAYS", default=14)
if REMINDER_STUCK_AFTER <= REMINDER_TIME_LIMIT:
    raise ImproperlyConfigured("REMINDER_STUCK_AFTER must be longer than REMINDER_TIME_LIMIT.")
