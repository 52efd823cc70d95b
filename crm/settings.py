"""Cuilong CRM settings: one module, driven by the environment (see .env.example).

A `.env` file at the project root (or the file named by ENV_FILE; ENV_FILE= reads none) is read
first; a variable set in the environment wins over the file. An empty value counts as unset."""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _env_file and Path(_env_file).is_file():
    environ.Env.read_env(_env_file, overwrite=False)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    value = raw.lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, "").strip() or default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    raw = env_str(name, default)
    try:
        config = dj_database_url.parse(
            raw, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a database URL: {raw!r} ({exc})") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names no database engine Django knows: {raw!r}")
    return config


DEBUG = env_bool("DEBUG", default=False)

INSECURE_SECRET_KEY = "django-insecure-cuilong-development-only-key"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET_KEY)
if not DEBUG and SECRET_KEY == INSECURE_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set and DEBUG is off: set SECRET_KEY in the environment or in .env "
        "(a new one: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DEBUG=1 on a developer's machine (make setup writes such a .env)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "crm",
    "accounts",
    "relationships",
    "opportunities",
    "imports",
    "bulk",
    "pool",
    "files",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crm.middleware.IdleTimeoutMiddleware",
    "crm.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Benchmarks (benchmarks/run.py) turn this on to read each request's queries and time.
if env_bool("SERVER_TIMING", False):
    MIDDLEWARE.insert(0, "crm.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"
ASGI_APPLICATION = "crm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite file under var/ by default (zero set-up); PostgreSQL (or anything else) via DATABASE_URL.
DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'cuilong.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    # SQLite cannot create its file in a folder that does not exist yet (a fresh clone).
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

# A PostgreSQL read replica for the reports (crm/replica.py): the pipeline and the downloads read
# there when DATABASE_REPLICA_URL is set; writes and the pages one edits on stay on default.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPORTS_ON_REPLICA = "replica" in DATABASES
DATABASE_ROUTERS = ["crm.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "crm.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one username
# from one address, that pair is locked out for AXES_COOLOFF_MINUTES; an admin can unlock it
# at once in Django admin (Axes › Access attempts). Counters live in the database, so every
# app server sees them.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "crm.views.locked_out"
# Behind TRUSTED_PROXY_COUNT proxies (env AXES_PROXY_COUNT) the address comes from
# X-Forwarded-For (crm/throttling.py); a username is also locked after
# AXES_USERNAME_FAILURE_LIMIT failures from any addresses.
TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "crm.throttling.client_address"
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 20)
AXES_HANDLER = "crm.throttling.SignInThrottle"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "crm:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Third-party assets come from npm (package.json); only their distribution folders are served.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Files attached to records (files/): never under a public URL, served through the policy.
    # Production may name another backend, e.g. django-storages' S3 storage (docs/deployment.md).
    "files": {
        "BACKEND": env_str("FILES_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": (
            json.loads(env_str("FILES_STORAGE_OPTIONS"))
            if env_str("FILES_STORAGE_OPTIONS")
            else {"location": str(BASE_DIR / "var" / "files"), "base_url": None}
        ),
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
FILES_MAX_BYTES = env_int("FILES_MAX_BYTES", 25 * 1024 * 1024)
FILES_KEEP_DELETED_DAYS = env_int("FILES_KEEP_DELETED_DAYS", 30)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
# Separation of duties: nobody approves, overrides or reviews their own deal, unless a
# one-person team turns this on (crm.policy.decides_for).
ALLOW_SELF_APPROVAL = env_bool("ALLOW_SELF_APPROVAL", False)
# Signed out after this many seconds without a request (crm.middleware.IdleTimeoutMiddleware).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 8 * 60 * 60)
LANGUAGE_COOKIE_NAME = "cuilong_language"

# What an uploaded import file may unpack to (imports/reading.py): a file within these limits
# is read in bounded memory; one beyond them is refused with a message, never loaded.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)  # every line, blank ones included
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 2_000_000)  # rows × columns
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 32_767)  # Excel's own cell limit
IMPORT_MAX_SHARED_STRINGS = env_int("IMPORT_MAX_SHARED_STRINGS", 1_000_000)
# Raw uploads are deleted this many days after upload (imports.tasks.purge_uploads); the
# batch keeps its report.
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 30)
# The confirmed import runs on the worker in batches of this many rows, each batch its own
# transaction; a run with no sign of life for IMPORT_STALE_SECONDS shows as interrupted.
IMPORT_BATCH_ROWS = env_int("IMPORT_BATCH_ROWS", 1000)
IMPORT_STALE_SECONDS = env_int("IMPORT_STALE_SECONDS", 120)
# On PostgreSQL the job analyzes the tables it writes as it goes (imports/jobs.py); the test
# suite turns it off: a table's size survives a test's rollback and would steer later plans.
IMPORT_ANALYZE = env_bool("IMPORT_ANALYZE", True)

# Production hardening; verified by `python manage.py check --deploy`.
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Behind a TLS-terminating proxy set SECURE_SSL_REDIRECT=0 and let the proxy redirect.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts, styles, fonts and images only from our own
# static files. Inline style attributes stay allowed (progress bars, Bootstrap components set
# widths); inline scripts do not — page data goes through json_script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Deployments that only silence HSTS/SSL warnings on purpose list them here.
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": env_str("AXES_LOG_LEVEL", "WARNING")},
    },
}

# Background work, notifications and e-mail (issue 19; docs/deployment.md).
INSTALLED_APPS += ["django_celery_beat"]
REDIS_URL = env_str("REDIS_URL")
# The pipeline's figures are cached until their data changes (crm/figures.py); the benchmark
# turns it off to measure the computation itself.
FIGURES_CACHE = env_bool("FIGURES_CACHE", True)
# The shared cache (the pipeline's figures, API throttles): Redis when there is one, so every
# web worker sees the same entries; else each process keeps its own.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Without Redis (make run), kombu's filesystem transport under var/ needs no server.
CELERY_BROKER_URL = REDIS_URL or env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(BASE_DIR / "var" / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Jobs write their outcome to the database (crm.worker.JobRun); no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cuilong CRM <crm@localhost>")
# Greetings by SMS (relationships/greetings/sms.py): console, aliyun or tencent; the keys and
# the provider-approved template whose one variable (SMS_TEMPLATE_PARAM) the text fills.
SMS_PROVIDER = env_str("SMS_PROVIDER", "console")
SMS_ACCESS_KEY_ID = env_str("SMS_ACCESS_KEY_ID")
SMS_ACCESS_KEY_SECRET = env_str("SMS_ACCESS_KEY_SECRET")
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME")
SMS_TEMPLATE_CODE = env_str("SMS_TEMPLATE_CODE")
SMS_TEMPLATE_PARAM = env_str("SMS_TEMPLATE_PARAM", "content")
SMS_APP_ID = env_str("SMS_APP_ID")  # Tencent's SmsSdkAppId
SMS_REGION = env_str("SMS_REGION", "ap-guangzhou")  # Tencent's region
SMS_ENDPOINT = env_str("SMS_ENDPOINT")  # empty: the provider's own
# Absolute links in e-mails and robot messages, e.g. https://crm.example.com (no slash).
SITE_URL = env_str("SITE_URL").rstrip("/")
# Hosts accepted for group-robot webhooks besides each platform's own (e.g. an egress proxy).
ROBOT_EXTRA_HOSTS = env_list("ROBOT_EXTRA_HOSTS")
# Outbound webhooks (crm/webhooks/): each attempt waits this long for an answer; a failure is
# tried again after the back-off, doubled each time, until the last attempt.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_BACKOFF_SECONDS = env_int("WEBHOOK_BACKOFF_SECONDS", 60)
# Not an app of its own, so not found by the worker's autodiscovery.
CELERY_IMPORTS = ["crm.webhooks.tasks"]
# Minutes without a worker heartbeat before /health/ reports the worker missing.
HEALTH_HEARTBEAT_MINUTES = env_int("HEALTH_HEARTBEAT_MINUTES", 5)
# The most rows one bulk change takes at once (bulk/): each row is saved with its history in
# one transaction, inside the request; more is refused with a message to narrow the filters.
BULK_ACTION_LIMIT = env_int("BULK_ACTION_LIMIT", 500)

# The REST API (crm/api/, docs/api.md): personal tokens or the browser's session, the policy's
# querysets, cursor paging, one throttle budget per token.
API_RATE = env_str("API_RATE", "1200/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "crm.api.auth.TokenAuthentication",
        "crm.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["crm.api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["crm.api.auth.PerTokenThrottle"],
    "DEFAULT_PAGINATION_CLASS": "crm.api.paging.Cursor",
    "DEFAULT_FILTER_BACKENDS": [
        "crm.api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "crm.api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cuilong CRM API",
    "DESCRIPTION": (
        "摧龙 CRM's REST API, version 1: the records reps keep on the web, under the same access "
        "policy, rules and gates. Authenticate with a personal token (Authorization: Bearer …); "
        "change a record with the ETag you read in If-Match. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several fields share (the handout's terms, as the glossary).
    "ENUM_NAME_OVERRIDES": {
        "AccountStatusEnum": "accounts.models.Account.Status",
        "StageEnum": "relationships.models.choices.Stage",
        "MoveEnum": "opportunities.rules.stages.Move",
        "DealStatusEnum": "opportunities.models.opportunity.Status",
        "InfluenceEnum": "opportunities.models.buying_group.Influence",
        "ApprovalEnum": "opportunities.models.contract.Approval",
        "ConcernStatusEnum": "opportunities.models.contract.ConcernStatus",
        "NegotiationStatusEnum": "opportunities.models.contract.ItemStatus",
        "MilestoneStatusEnum": "opportunities.models.collection.MilestoneStatus",
        "CriterionStatusEnum": "opportunities.models.needs.CriterionStatus",
        "PlanStatusEnum": "relationships.planning.models.PlannedActivity.Status",
        "BuyDecisionEnum": "opportunities.models.needs.BuyDecision",
    },
    "SECURITY": [{"tokenAuth": []}],
    "APPEND_COMPONENTS": {"securitySchemes": {"tokenAuth": {"type": "http", "scheme": "bearer"}}},
    "AUTHENTICATION_WHITELIST": [],
    # The schema is read by signed-in people and tokens, like everything else here.
    "SERVE_PERMISSIONS": ["crm.api.auth.TokenScope"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "crm.api.schema.add_links",
    ],
    "SERVE_AUTHENTICATION": [
        "crm.api.auth.TokenAuthentication",
        "crm.api.auth.SessionAuthentication",
    ],
}
