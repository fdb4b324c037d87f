"""Settings for Lianxin, read from the environment (12-factor style).

Defaults give the embedded demo: SQLite under var/, media under var/media/.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("LIANXIN_VAR_DIR", Path.cwd() / "var"))


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = envbool("LIANXIN_DEBUG", False)
# The development key is public: lianxin.wsgi refuses to serve with it unless DEBUG is on (the demo makes its own key).
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105
SECRET_KEY = os.environ.get("LIANXIN_SECRET_KEY") or DEV_SECRET_KEY
ALLOWED_HOSTS = [h for h in os.environ.get("LIANXIN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("LIANXIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "lianxin.core",
    "lianxin.areas",
    "lianxin.orgs",
    "lianxin.people",
    "lianxin.accounts",
    "lianxin.workdays",
    "lianxin.cases",
    "lianxin.wishes",
    "lianxin.duties",
    "lianxin.care",
    "lianxin.newgroups",
    "lianxin.workforce",
    "lianxin.stations",
    "lianxin.activities",
    "lianxin.colleges",
    "lianxin.villages",
    "lianxin.talent",
    "lianxin.consultation",
    "lianxin.learning",
    "lianxin.reports",
    "lianxin.demo",
    "lianxin.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are gzip-compressed. BREACH needs a secret repeated unchanged in compressed responses; Django masks
    # the CSRF token afresh in every response, which is what makes compressing HTML acceptable here.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lianxin.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lianxin.accounts.middleware.TwoFactorEnrolmentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "lianxin.core.middleware.DisplayPreferencesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lianxin.urls"
WSGI_APPLICATION = "lianxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianxin.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lianxin.sqlite3'}",
        conn_max_age=envint("LIANXIN_CONN_MAX_AGE", 60),
        # A connection kept across requests is checked before reuse: after a database restart the request
        # reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that does not answer is an error within seconds (health checks, the worker's backoff), not a hang.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout",
                                                              envint("LIANXIN_DB_CONNECT_TIMEOUT", 5))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the worker and the web process write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "lianxin.accounts.backends.SmsCodeBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = 60 * 60 * 12

# Failed password logins: 5 per username and address, then a 15-minute cool-off.
AXES_FAILURE_LIMIT = envint("LIANXIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "lianxin.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-step sign-in (accounts.twofactor): required for administrators and county/city roles when on.
TWO_FACTOR_REQUIRED = envbool("LIANXIN_2FA_REQUIRED", True)
OTP_TOTP_ISSUER = "Lianxin"
# Failed passwords beyond the pair axes locks: per account from any address, per address over any accounts
# (django-ratelimit windows; one office's NAT makes more failures than one person, hence the larger figure).
LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LIANXIN_LOGIN_FAILURES_PER_ACCOUNT", "10/15m")
LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LIANXIN_LOGIN_FAILURES_PER_ADDRESS", "30/15m")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Filters offer "全部" (All), not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("LIANXIN_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Content-hashed names (app.3f2a1b.css) plus .gz/.br copies, made by collectstatic (which `lianxin demo` runs).
    # WhiteNoise serves the hashed names with a ten-year immutable Cache-Control of its own; WHITENOISE_MAX_AGE
    # below only applies to the few files asked for by their plain name. The tests use the plain storage
    # (conftest.py), except the one that runs collectstatic (core/tests/test_static.py).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = envint("LIANXIN_STATIC_MAX_AGE", 0 if DEBUG else 60)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker beats every quarter of this; a task running under a worker silent for longer is run again (core.worker).
WORKER_LEASE_SECONDS = float(os.environ.get("LIANXIN_WORKER_LEASE", 60))
# /readyz fails when the oldest waiting task has waited longer than this (core.health).
READY_MAX_LAG_SECONDS = envint("LIANXIN_READY_MAX_LAG", 300)

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Live progress of background imports (core.importing), read by the web processes: files under var/
    # are shared by the processes of one machine; several machines need a shared cache here (e.g. Redis).
    "progress": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                 "LOCATION": os.environ.get("LIANXIN_PROGRESS_DIR", str(VAR_DIR / "progress"))},
}
# Rate limits (django-ratelimit) count in the cache shared by the processes of one machine.
RATELIMIT_USE_CACHE = "progress"
NEARBY_RATE = os.environ.get("LIANXIN_NEARBY_RATE", "30/m")  # duplicate look-ups per account
# Excel imports of more rows than this run in the background with a progress display.
IMPORT_SYNC_ROWS = envint("LIANXIN_IMPORT_SYNC_ROWS", 200)

# Uploads: content-checked, re-encoded, downscaled (see lianxin.core.uploads).
UPLOAD_MAX_BYTES = envint("LIANXIN_UPLOAD_MAX_BYTES", 15 * 1024 * 1024)
UPLOAD_IMAGE_MAX_SIDE = envint("LIANXIN_UPLOAD_IMAGE_MAX_SIDE", 2048)
UPLOAD_IMAGE_MAX_PIXELS = envint("LIANXIN_UPLOAD_IMAGE_MAX_PIXELS", 40_000_000)  # checked before decoding
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Notification channels: dotted paths of adapters; the logging ones are for development.
NOTIFY_CHANNELS = {
    "inapp": "lianxin.core.notify.channels.InAppChannel",
    "sms": os.environ.get("LIANXIN_SMS_BACKEND", "lianxin.core.notify.channels.LoggingSmsChannel"),
    "wechat": os.environ.get("LIANXIN_WECHAT_BACKEND", "lianxin.core.notify.channels.LoggingWeChatChannel"),
}
SMS_CODE_TTL = timedelta(minutes=5)
SMS_CODE_MAX_ATTEMPTS = 5
SMS_SEND_INTERVAL = timedelta(seconds=60)
SMS_SEND_DAILY_LIMIT = 10

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_pii": {"()": "lianxin.core.logredact.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
                   "json": {"()": "lianxin.core.logjson.JsonFormatter"}},
    "handlers": {
        # LIANXIN_LOG_JSON=true: one JSON object per line (core/logjson.py) for a log collector.
        "console": {"class": "logging.StreamHandler", "filters": ["redact_pii"],
                    "formatter": "json" if envbool("LIANXIN_LOG_JSON", False) else "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LIANXIN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per finished task would drown the demo's terminal; failures are still logged.
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "django.server": {"level": "INFO"},
    },
}

# Open311 GeoReport v2: the jurisdiction this server answers for, and the REST API (lianxin.api).
OPEN311_JURISDICTION = os.environ.get("LIANXIN_OPEN311_JURISDICTION", "jining.gov.cn")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lianxin.api.rest.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "lianxin.api.rest.errors.exception_handler",
}
# A REST request body larger than this is refused (413) before it is read: a report or a move is a few KB.
API_MAX_BODY_BYTES = envint("LIANXIN_API_MAX_BODY_BYTES", 64 * 1024)
SPECTACULAR_SETTINGS = {
    "TITLE": "Lianxin API",
    "DESCRIPTION": "Cases of the closed-loop engine, scoped exactly as on the web.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
}

# Map tiles: "tianditu" with a key, or none (every page works without tiles).
MAP_TILE_PROVIDER = os.environ.get("LIANXIN_MAP_TILES", "none")
TIANDITU_KEY = os.environ.get("LIANXIN_TIANDITU_KEY", "")

# Content-Security-Policy (django-csp) on every response: scripts only from our own static files (no inline script,
# no eval: pages declare behaviour with data attributes, core/static/lianxin/behaviours.js). Inline styles stay
# allowed: bar widths are style attributes and the charts position their tooltips with them.
_TILES = ("https://*.tianditu.gov.cn",)  # 天地图 tiles, when LIANXIN_MAP_TILES=tianditu: images only
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ("'self'",),
        "script-src": ("'self'",),
        "style-src": ("'self'", "'unsafe-inline'"),
        "img-src": ("'self'", "data:", "blob:", *_TILES),
        "font-src": ("'self'", "data:"),
        "connect-src": ("'self'",),
        "object-src": ("'none'",),
        "base-uri": ("'self'",),
        "form-action": ("'self'",),
        "frame-ancestors": ("'none'",),
    },
}

# Behind a reverse proxy that terminates HTTPS: trust its X-Forwarded-Proto and send cookies only over HTTPS.
if envbool("LIANXIN_BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # Plain HTTP that reaches the app is sent to HTTPS (the health check stays reachable for the balancer), and
    # browsers are told to come back over HTTPS only: a year, subdomains included, preload-ready (turn the last two
    # off where other services of the domain still speak plain HTTP).
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("LIANXIN_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("LIANXIN_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("LIANXIN_HSTS_PRELOAD", True)

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
