"""Settings, read from the environment (12-factor).

With no environment at all the project runs embedded: SQLite in the project folder,
Celery tasks executed eagerly in-process and email printed to the console. Setting
DATABASE_URL, CELERY_BROKER_URL and EMAIL_URL switches to real services; DEBUG=false
turns on the production hardening that `manage.py check --deploy` asks for.
"""

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str | None:
    """A throttle rate such as 120/minute; "off" disables that throttle."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"off", "none", ""} else value


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-local-development-key-not-for-production"  # noqa: S105 refused below unless DEBUG
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public base URL, used for links in emails and feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long a rendered public page is kept in the cache under its ETag (0: render every time).
PAGES_RENDER_CACHE_SECONDS = int(os.environ.get("PAGES_RENDER_CACHE_SECONDS", "300"))
# How long the API keeps the JSON of a public read under the data version (0: build every time).
API_RESPONSE_CACHE_SECONDS = int(os.environ.get("API_RESPONSE_CACHE_SECONDS", "300"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "regulators",
    "tracker",
    "notices",
    "digests",
    "imports",
    "api",
    "pages",
]

MIDDLEWARE = [
    "api.middleware.APIErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "api.middleware.RefuseUnstorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The admin overrides (base_site.html) come before django.contrib.admin's own.
        "DIRS": [BASE_DIR / "tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Statements run through a server-side-binding cursor (the data version query,
    # tracker.data_version; a search's probe, tracker.search) are prepared after this many
    # runs: psycopg's own default, which Django turns off. The ORM's client-side cursors
    # are not affected.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(
        os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
    )
    # The planner's price of reading a page out of order, for each session: PostgreSQL's
    # default (4) is priced for spinning disks; on SSDs or a cached working set, 1.1. At 4
    # a page of deals reads its parties by hashing all of them (3.3 ms); at 1.1 by their
    # index (0.4 ms); and a search's prepared probe (tracker.search), once the server plans
    # it generically after five runs, keeps its index lookups (0.6 ms on the benchmark's
    # data) where at 4 it did not (8-10 ms). Empty leaves the server's own setting.
    if random_page_cost := os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1"):
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c random_page_cost={float(random_page_cost)}"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: console by default; EMAIL_URL (smtp://user:pass@host:port, submission://...)
# for a real server.
_email = dj_email_url.parse(os.environ.get("EMAIL_URL", "console:"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Antitrust Tracker <notices@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run eagerly in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
# Publishing must not hang a request when the broker is down: the delivery rows are
# already committed and the periodic re-enqueue sends them once it is back.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Notices: status changes sent by email and signed webhook through the deliveries outbox.
NOTICES_MAX_ATTEMPTS = int(os.environ.get("NOTICES_MAX_ATTEMPTS", "8"))
# Wait before attempt n+1: base * factor**(n-1), +/- jitter. 30 s x 3.5 spreads 8 attempts over ~a day.
NOTICES_RETRY_BASE_SECONDS = float(os.environ.get("NOTICES_RETRY_BASE_SECONDS", "30"))
NOTICES_RETRY_FACTOR = float(os.environ.get("NOTICES_RETRY_FACTOR", "3.5"))
NOTICES_RETRY_JITTER = float(os.environ.get("NOTICES_RETRY_JITTER", "0.2"))
# A worker holds a claimed delivery this long (renewed every half lease while its batch
# runs); after that another may take it over. With the re-enqueue interval this bounds
# how long a killed worker's deliveries wait: lease + interval, two minutes by default.
NOTICES_CLAIM_LEASE_SECONDS = float(os.environ.get("NOTICES_CLAIM_LEASE_SECONDS", "60"))
# Retries due within this many seconds are scheduled on the broker; later ones by the re-enqueue.
NOTICES_MAX_COUNTDOWN_SECONDS = float(os.environ.get("NOTICES_MAX_COUNTDOWN_SECONDS", "600"))
NOTICES_REQUEUE_INTERVAL_SECONDS = float(os.environ.get("NOTICES_REQUEUE_INTERVAL_SECONDS", "60"))
# A pending delivery this far past due is taken to have lost its task message.
NOTICES_REQUEUE_GRACE_SECONDS = float(os.environ.get("NOTICES_REQUEUE_GRACE_SECONDS", "60"))
# Above this many deliveries for one event, a worker publishes their tasks, not the request.
NOTICES_FANOUT_IN_WORKER_ABOVE = int(os.environ.get("NOTICES_FANOUT_IN_WORKER_ABOVE", "50"))
NOTICES_REQUEUE_BATCH = int(os.environ.get("NOTICES_REQUEUE_BATCH", "5000"))
# Deliveries per worker task: one claim query, one SMTP connection and one HTTP connection per receiver per batch.
NOTICES_BATCH_SIZE = int(os.environ.get("NOTICES_BATCH_SIZE", "250"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
# Webhook targets: https only and public addresses only, unless these allow more (tests, local runs).
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)


def beat_schedule(value: str):
    """A crontab ("minute hour day-of-month month day-of-week") or a number of seconds."""
    if value.replace(".", "", 1).isdigit():
        return float(value)
    minute, hour, day_of_month, month, day_of_week = value.split()
    return crontab(minute, hour, day_of_week, day_of_month, month)


# Digests: when beat sends them (in TIME_ZONE), how many users a worker task takes, and
# how many working days ahead their deadlines reach.
DIGESTS_DAILY_SCHEDULE = os.environ.get("DIGESTS_DAILY_SCHEDULE", "0 7 * * *")
DIGESTS_WEEKLY_SCHEDULE = os.environ.get("DIGESTS_WEEKLY_SCHEDULE", "0 7 * * mon")
DIGEST_BATCH_SIZE = int(os.environ.get("DIGEST_BATCH_SIZE", "500"))
DIGEST_CLAIM_LEASE_SECONDS = float(os.environ.get("DIGEST_CLAIM_LEASE_SECONDS", "900"))
DIGEST_DEADLINE_WORKING_DAYS = int(os.environ.get("DIGEST_DEADLINE_WORKING_DAYS", "10"))

# Registry imports: where the registers are, who we say we are, how politely we ask, and
# when beat runs them (hourly by default; "0" or empty turns a source's schedule off).
GOVUK_API_URL = os.environ.get("GOVUK_API_URL", "https://www.gov.uk").rstrip("/")
FEDERAL_REGISTER_API_URL = os.environ.get(
    "FEDERAL_REGISTER_API_URL", "https://www.federalregister.gov/api/v1"
).rstrip("/")
IMPORTS_CONTACT_URL = os.environ.get("IMPORTS_CONTACT_URL", SITE_URL)
# Requests per second to one registry; 0 turns the limit off (a local benchmark server).
IMPORTS_REQUESTS_PER_SECOND = float(os.environ.get("IMPORTS_REQUESTS_PER_SECOND", "4"))
IMPORTS_TIMEOUT_SECONDS = float(os.environ.get("IMPORTS_TIMEOUT_SECONDS", "20"))
IMPORTS_RETRIES = int(os.environ.get("IMPORTS_RETRIES", "3"))
IMPORTS_BACKOFF_SECONDS = float(os.environ.get("IMPORTS_BACKOFF_SECONDS", "2"))
IMPORTS_MAX_RETRY_AFTER_SECONDS = float(os.environ.get("IMPORTS_MAX_RETRY_AFTER_SECONDS", "300"))
# Items whose content is fetched and parsed ahead, by as many threads, while the run writes the
# one before them (the request rate holds across the threads); 0 reads each in its turn.
IMPORTS_PREFETCH = int(os.environ.get("IMPORTS_PREFETCH", "4"))
IMPORTS_CMA_SCHEDULE = os.environ.get("IMPORTS_CMA_SCHEDULE", "15 * * * *")
IMPORTS_FEDERAL_REGISTER_SCHEDULE = os.environ.get(
    "IMPORTS_FEDERAL_REGISTER_SCHEDULE", "45 * * * *"
)

CELERY_BEAT_SCHEDULE: dict = {
    "notices-requeue-due": {
        "task": "notices.requeue_due",
        "schedule": NOTICES_REQUEUE_INTERVAL_SECONDS,
    },
    "digests-daily": {
        "task": "digests.run",
        "schedule": beat_schedule(DIGESTS_DAILY_SCHEDULE),
        "args": ["daily"],
    },
    "digests-weekly": {
        "task": "digests.run",
        "schedule": beat_schedule(DIGESTS_WEEKLY_SCHEDULE),
        "args": ["weekly"],
    },
    **{
        f"imports-{source}": {
            "task": "imports.run",
            "schedule": beat_schedule(schedule),
            "args": [source],
        }
        for source, schedule in (
            ("cma", IMPORTS_CMA_SCHEDULE),
            ("federal_register", IMPORTS_FEDERAL_REGISTER_SCHEDULE),
        )
        if schedule.strip() not in ("", "0")
    },
}

REST_FRAMEWORK = {
    # Token first, so an anonymous write is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.EditorsWriteOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["api.filter_backends.StrictDjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "api.json_renderer.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.autoschema.APIAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_ANON_RATE", "120/minute"),
        "user": env_rate("API_USER_RATE", "2400/minute"),
        "login": env_rate("API_LOGIN_RATE", "20/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Antitrust Case Tracker API",
    "DESCRIPTION": (
        "Deals, the competition authorities reviewing them, each review's status on one lifecycle, "
        "sourced timelines and deadlines. Anyone may read (throttled); members of the editors group write. "
        "Every error has the body {status, code, detail, errors?}. Every public JSON read carries an ETag; "
        "a matching If-None-Match is a 304. PATCH, PUT and transition honour If-Match (412 when "
        "stale). Every list also answers text/csv "
        "(?format=csv), streamed."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "tracker.choices.ReviewStatus",
        "DealStatusEnum": "tracker.choices.DealStatus",
        "NoticeChannelEnum": "notices.choices.Channel",
        "EventKindEnum": "tracker.choices.EventKind",
        "PartyRoleEnum": "tracker.choices.PartyRole",
        "DealRoleEnum": "tracker.choices.DealRole",
        "AmountBasisEnum": "tracker.choices.AmountBasis",
        "DatePrecisionEnum": "tracker.choices.DatePrecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_calendar_feeds",
        "api.schema.add_csv_responses",
        "api.schema.add_error_responses",
    ],
}

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
