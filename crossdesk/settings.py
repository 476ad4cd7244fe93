"""Crossdesk settings, read from the environment.

CROSSDESK_MODE selects defaults: ``production`` (the default: DEBUG off, SECRET_KEY
required), ``demo`` and ``dev`` (a secret key is generated once into the data
directory), ``test`` (set by the test suite).
"""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# pytest (8.2+) sets PYTEST_VERSION, so a bare `pytest` run always gets test settings.
MODE = os.environ.get("CROSSDESK_MODE", "test" if os.environ.get("PYTEST_VERSION") else "production")
if MODE not in {"production", "demo", "dev", "test"}:
    raise ImproperlyConfigured(f"CROSSDESK_MODE must be production, demo, dev or test, not {MODE!r}")

DATA_DIR = Path(os.environ.get("CROSSDESK_DATA_DIR", PROJECT_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("DEBUG", default=MODE == "dev")


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if MODE == "production":
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (or set CROSSDESK_MODE=demo for a demo install)."
        )
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from local static files instead of a CDN
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "crossdesk.core",
    "crossdesk.org",
    "crossdesk.workcal",
    "crossdesk.notify",
    "crossdesk.deadlines",
    "crossdesk.collaboration",
    "crossdesk.meetings",
    "crossdesk.projects",
    "crossdesk.knowledge",
    "crossdesk.audit",
    "crossdesk.search",
    "crossdesk.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "crossdesk.audit.middleware.AuditContextMiddleware",
    "crossdesk.core.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "crossdesk.urls"
WSGI_APPLICATION = "crossdesk.wsgi.application"

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
                "crossdesk.core.context_processors.navigation",
                "crossdesk.notify.context_processors.unread_notifications",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# dj_database_url.parse() fills every key Django knows (CONN_MAX_AGE 0, OPTIONS from the
# URL's query string), so what we want is assigned or merged here, never setdefault'ed: a
# setdefault on its result is a no-op (issue 19: CONN_MAX_AGE stayed 0).
DEFAULT_SQLITE = f"sqlite:///{DATA_DIR / 'crossdesk.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE))}
DATABASE_OPTIONS = DATABASES["default"].setdefault("OPTIONS", {})  # absent when the URL has no query
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout
    # instead of one failing with "database is locked" half-way through a transaction.
    # Options given in the URL's query string win.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASE_OPTIONS,
    }
    # A file, not the in-memory default: shared-cache memory databases raise "table is
    # locked" instead of waiting, so concurrency tests need the real file behaviour.
    # One file per test process, so two test runs at once never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"crossdesk-test-{os.getpid()}.sqlite3")
    }
    # CONN_MAX_AGE stays 0 for SQLite, as before: opening the file and running the PRAGMAs
    # costs ~0.1 ms (bench/README.md, "Connection reuse").
else:
    # Keep each thread's connection for DATABASE_CONN_MAX_AGE seconds (0 = one per request)
    # instead of connecting and authenticating on every request: 6–10 ms a request with
    # PostgreSQL on the same machine (bench/README.md), more across a network. Each gunicorn
    # thread and each task worker holds one: docs/deployment.md, "Database connections",
    # for the count against max_connections.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode (docs/deployment.md), named cursors do not
    # survive their transaction.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS")
    # JIT compilation cost 800 ms of a 1 s inbox count at 100k requests (bench/requests_bench.py);
    # our queries are short OLTP queries that never repay it. Added to the URL's own options.
    DATABASE_OPTIONS["options"] = " ".join(filter(None, [DATABASE_OPTIONS.get("options"), "-c jit=off"]))
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CROSSDESK_TEST_DB_NAME", "test_crossdesk")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# --- Background work ------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS.append("django_rq")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if MODE == "test":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Auth and security ----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if MODE == "test":
    # Hashing is deliberately slow; tests create many users and never face an attacker.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind TLS (production), cookies travel only over HTTPS; intranet demos run plain HTTP.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=MODE == "production")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
# The font embedded in every printed form (core/printing.py), so a PDF reads the same on a
# machine without Chinese fonts: Noto Sans SC as whole TrueType files (OFL), which WeasyPrint
# subsets; the unicode-range WOFF2 slices of @fontsource would need one @font-face per slice.
PRINT_FONT_DIR = NODE_MODULES / "@expo-google-fonts" / "noto-sans-sc"
PRINT_FONTS = {
    400: PRINT_FONT_DIR / "400Regular" / "NotoSansSC_400Regular.ttf",
    700: PRINT_FONT_DIR / "700Bold" / "NotoSansSC_700Bold.ttf",
}
# The same two files for the print view, so it reads on a browser without Chinese fonts
# too (a browser with them uses its own first: ``local()``); the other weights stay out.
STATICFILES_DIRS += [
    (f"vendor/noto-sans-sc/{path.parent.name}", path.parent) for path in PRINT_FONTS.values()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if MODE == "test":
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = MODE in {"dev", "test"}
# Uploads live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = DATA_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A line per task run (the outbox watch runs every 15 s) would bury everything else;
        # failed tasks are logged at ERROR with their traceback either way.
        "django_tasks": {"level": os.environ.get("LOG_LEVEL_TASKS", "WARNING")},
        # Making one PDF logs ~40 INFO lines of font subsetting.
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Crossdesk --------------------------------------------------------------------------
CROSSDESK_SITE_NAME = _("Crossdesk")
CROSSDESK_BASE_URL = os.environ.get("CROSSDESK_BASE_URL", "http://127.0.0.1:8000")
CROSSDESK_IMPORT_MAX_BYTES = 50 * 1024 * 1024
CROSSDESK_IMPORT_MAX_ROWS = int(os.environ.get("CROSSDESK_IMPORT_MAX_ROWS", "100000"))

# --- Notifications: e-mail and the outbox (crossdesk/notify, docs/notifications.md) ----------
# Links in e-mails and robot messages are absolute: CROSSDESK_BASE_URL + the record's path.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Crossdesk <crossdesk@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif MODE in {"demo", "dev"}:
    # No SMTP server in a demo: every e-mail is written to a file under var/mail to look at.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
# A worker's claim on a delivery lasts this long; a killed worker's rows are retaken after it.
CROSSDESK_OUTBOX_LEASE_SECONDS = int(os.environ.get("CROSSDESK_OUTBOX_LEASE_SECONDS", "30"))
CROSSDESK_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("CROSSDESK_OUTBOX_MAX_ATTEMPTS", "8"))
CROSSDESK_OUTBOX_BATCH_SIZE = int(os.environ.get("CROSSDESK_OUTBOX_BATCH_SIZE", "50"))
# One drain task works this long at most, then queues its successor so other tasks get a turn.
CROSSDESK_OUTBOX_TIME_BUDGET = float(os.environ.get("CROSSDESK_OUTBOX_TIME_BUDGET", "20"))
CROSSDESK_ROBOT_TIMEOUT = float(os.environ.get("CROSSDESK_ROBOT_TIMEOUT", "10"))
# Burst limits (notify): past COUNT messages within SECONDS to one person by e-mail, or to
# one group chat, the rest leaves as one digest when the window ends. A count of 0: no limit.
_BURST_SECONDS = int(os.environ.get("CROSSDESK_BURST_SECONDS", "3600"))
CROSSDESK_NOTIFY_BURST = {
    "email": (int(os.environ.get("CROSSDESK_BURST_EMAILS", "5")), _BURST_SECONDS),
    "robot": (int(os.environ.get("CROSSDESK_BURST_ROBOT_POSTS", "10")), _BURST_SECONDS),
}
# --- end of notifications ---------------------------------------------------------------------

# --- Audit trail (crossdesk/audit, docs/decisions.md) --------------------------------------
# django-auditlog writes the rows into our own model (via, reason, the system's label, our
# indexes); its own LogEntry table is swapped out and never created.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEvent"
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_STORE_JSON_CHANGES = True  # {"field": [old, new]} with JSON values, not strings
AUDITLOG_USE_BASE_MANAGER = True  # the old values of a row, whatever its default manager hides
AUDITLOG_DISABLE_REMOTE_ADDR = True  # who acted is the login; addresses are personal data
# SPEC §6: the trail is kept at least two years; the purge refuses a shorter setting.
CROSSDESK_AUDIT_RETENTION_DAYS = int(os.environ.get("CROSSDESK_AUDIT_RETENTION_DAYS", "730"))
if CROSSDESK_AUDIT_RETENTION_DAYS < 730:
    raise ImproperlyConfigured("CROSSDESK_AUDIT_RETENTION_DAYS must be at least 730 (two years).")

# --- Search index (crossdesk/search) ---------------------------------------------------------
# "queued": a change marks its records' documents in its own transaction (one small row each)
# and a worker rebuilds them after the commit, so a submit is not slowed by segmentation;
# "inline": the documents are rebuilt inside the change's transaction. Tests default to inline
# because pytest-django's transactions never commit; the queued path has its own tests.
CROSSDESK_SEARCH_INDEXING = os.environ.get(
    "CROSSDESK_SEARCH_INDEXING", "inline" if MODE == "test" else "queued"
)
if CROSSDESK_SEARCH_INDEXING not in ("queued", "inline"):
    raise ImproperlyConfigured("CROSSDESK_SEARCH_INDEXING must be queued or inline.")
CROSSDESK_SEARCH_LEASE_SECONDS = int(os.environ.get("CROSSDESK_SEARCH_LEASE_SECONDS", "60"))
