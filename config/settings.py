"""Hjulet's one settings module, driven by environment variables.

Development (the default) needs nothing set: SQLite, console e-mail, DEBUG on.
Production sets DEBUG=0 and at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
see docs/deploy.md for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)
TESTING = env_bool("HJULET_TESTING", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-key-only-for-local-use-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Open data (hjulet/opendata): who publishes the DCAT-AP-SE catalogue and whom to ask.
OPEN_DATA_PUBLISHER_NAME = os.environ.get("OPEN_DATA_PUBLISHER_NAME", "Hjulet")
OPEN_DATA_CONTACT_EMAIL = os.environ.get("OPEN_DATA_CONTACT_EMAIL", "oppnadata@hjulet.localhost")
# What robots.txt asks crawlers to leave alone (login, accounts with the API-token pages,
# the admin, personal exports, the language switch and the signed-in part of the API).
ROBOTS_DISALLOW = env_list(
    "ROBOTS_DISALLOW", "/admin/,/konto/,/export/,/sprak/,/api/v1/me,/api/v1/notifications"
)

INSTALLED_APPS = [
    "hjulet.core.apps.HjuletAdminConfig",  # django.contrib.admin, logging in through Hjulet
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "hjulet.core",
    "hjulet.accounts",
    "hjulet.knowledge",
    "hjulet.scienceshop",
    "hjulet.impact",
    "hjulet.support",
    "hjulet.surveys",
    "hjulet.arenas",
    "hjulet.stories",
    "hjulet.opendata",
    "hjulet.regions",
    "hjulet.spreading",
    "hjulet.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # The content generation is read once a request (hjulet/core/freshness.py).
    "hjulet.core.freshness.OneGenerationPerRequest",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hjulet.core.middleware.SwedishFirstLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hjulet.accounts.middleware.DisplayNameMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "hjulet.core.middleware.RejectNullCharactersMiddleware",
    "hjulet.core.middleware.IdBeyondTheDatabaseMiddleware",
    # A regional hub's own host name (Hub.host) shows its start page at /; the host must
    # also be in ALLOWED_HOSTS (docs/architecture.md, "Regional hubs").
    "hjulet.regions.middleware.HubHostMiddleware",
    # Innermost, so that a page it keeps is the view's own (hjulet/core/page_cache.py).
    "hjulet.core.page_cache.VisitorPageCacheMiddleware",
]

if not (DEBUG or TESTING):
    # Static files from the app server in production; runserver and the tests serve them
    # from the source folders themselves.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "hjulet.core.context_processors.navigation",
                "hjulet.core.page_cache.csrf_placeholder",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist on SQLite too (DB_CONN_MAX_AGE): a new one per request parsed the
    # schema and started with an empty page cache, 24 ms of CPU a request at national scale.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
# A PostgreSQL streaming replica for the reads of web requests (hjulet/core/db_router.py):
# DATABASE_REPLICA_URL=postgres://…@replica:5432/hjulet. Writes, migrations, the task worker
# and management commands use the primary; a client that wrote reads from the primary for
# READ_YOUR_WRITES_SECONDS (a cookie). The test runner points the replica at the test
# database of the primary (TEST MIRROR) instead of creating one for it.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS", "10"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["hjulet.core.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(0, "hjulet.core.db_router.ReadYourWritesMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker process in production: CACHE_URL=redis://127.0.0.1:6379/0. Without
# it each process keeps its own default cache (fine for runserver and the tests), but the
# rate limits are always counted across processes: in Redis when there is one, otherwise in
# the database (a table made by a migration, hjulet.core.cache.RateLimitCache).
CACHE_URL = os.environ.get("CACHE_URL", "")
REDIS_CACHE = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL.startswith(("redis://", "rediss://"))
    else None
)
CACHES = {
    "default": REDIS_CACHE or {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Whole pages kept for visitors (core/page_cache.py), apart so they don't crowd out the
    # counts and facets in a process's own cache.
    # In each process, at most PAGE_CACHE_MB of them (compressed), the least used dropped.
    "pages": REDIS_CACHE
    or {
        "BACKEND": "hjulet.core.cache.BoundedLocMemCache",
        "LOCATION": "hjulet_pages",
        "OPTIONS": {
            "MAX_ENTRIES": 1_000,
            "MAX_BYTES": int(os.environ.get("PAGE_CACHE_MB", "8")) * 1024 * 1024,
        },
    },
    "ratelimit": REDIS_CACHE
    or {
        "BACKEND": "hjulet.core.cache.RateLimitCache",
        "LOCATION": "hjulet_ratelimit",
        "OPTIONS": {"MAX_ENTRIES": 10_000},  # expired counters are removed beyond this
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
# Sessions live in the database, which every app server shares; with Redis they are also
# cached there ("cached_db": read from Redis, written to both), so a page view does not read
# the session row, and a session just created is found at once through any app server even
# when reads go to a replica.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_CACHE
    else "django.contrib.sessions.backends.db"
)
# Survey answer columns kept in each process (surveys/tables.py), in MB; least recently used
# surveys are dropped beyond it (a survey of 100,000 responses × 40 questions takes ~60 MB).
SURVEY_TABLE_CACHE_MB = int(os.environ.get("SURVEY_TABLE_CACHE_MB", "128"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
# The API's bearer tokens are checked by the accounts app (core.api_auth cannot import it).
API_TOKEN_CHECK = "hjulet.accounts.services.api_token_authenticate"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "site:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3  # three days
EMAIL_LOGIN_MAX_AGE = 60 * 60  # one hour
INVITATION_MAX_AGE_DAYS = 14
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "sv")
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "hjulet_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (agreements' PDFs) live under MEDIA_ROOT, which nothing serves: not Django
# (no /media/ route, in DEBUG either), not the web server (docs/deploy.md). Views that check
# the reader's rights stream them, and the private storage gives a file no URL of its own
# (hjulet/core/uploads.py).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# STORAGE_BACKEND=s3 keeps the uploads in an S3-compatible bucket instead (django-storages,
# the optional "s3" extra: pip install ".[s3]"); every upload goes through Django's storage
# API, so nothing else changes. The bucket must be private: files are streamed by the views
# that check rights, and the storage refuses url() here too.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").strip().lower()
if STORAGE_BACKEND not in {"local", "s3"}:
    raise ImproperlyConfigured("STORAGE_BACKEND must be local or s3.")
if STORAGE_BACKEND == "s3":
    AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME.")
    # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment (boto3
    # reads them itself), or the machine's role.
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # MinIO, Ceph …
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or None
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "")  # a prefix inside the bucket
    AWS_DEFAULT_ACL = None  # the bucket's own policy: private
    AWS_S3_FILE_OVERWRITE = False  # a name in use gets a suffix, as on disk
    AWS_QUERYSTRING_AUTH = True
STORAGES = {
    "default": {
        "BACKEND": "hjulet.core.s3_storage.PrivateS3Storage"
        if STORAGE_BACKEND == "s3"
        else "hjulet.core.uploads.PrivateFileStorage"
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: console by default; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hjulet <noreply@hjulet.localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )

# Background work (mail today; reports, imports and index rebuilds later). "immediate" runs
# the task in the request; "database" queues it for `manage.py db_worker`.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASK_BACKEND]
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# How long a page kept for visitors who are not signed in may live at most (0: none kept).
# Any audited write makes every kept page stale at once; this bounds what a write that
# bypassed the services (a shell, a bulk fill) leaves behind (hjulet/core/page_cache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
CSRF_FAILURE_VIEW = "hjulet.core.views.csrf_failure"
# Attempts per client address, and per e-mail address (in canonical form, so every spelling
# of one address counts once), before a 429 page; counted in CACHES["ratelimit"], which every
# worker process shares. Behind a proxy, name the header that carries the client's address
# (RATELIMIT_IP_META_KEY=HTTP_X_REAL_IP).
RATELIMIT_VIEW = "hjulet.core.views.rate_limited"
if os.environ.get("RATELIMIT_IP_META_KEY"):
    RATELIMIT_IP_META_KEY = os.environ["RATELIMIT_IP_META_KEY"]
RATE_LIMITS = {
    "login": "20/10m",
    "login_per_email": "10/10m",
    "signup": "10/h",
    "email": "10/h",  # e-mail login links, password resets, new verification links
    # Mails to one address (sign-up, login link, password reset, new verification link), so
    # nobody can flood someone's inbox from many client addresses.
    "email_per_address": "5/h",
    "export": "10/10m",  # CSV/XLSX/JSON exports, all together, per person or address
}

# Form and JSON bodies up to 2.5 MB (a larger one is a 400); uploaded files above 2.5 MB go to
# a temporary file instead of memory, and each importer refuses files above its own limit
# (agreements and XLSForms 5 MB, initiative imports IMPORT_MAX_BYTES, 50 MB). The web server in
# front should refuse bodies above about 12 MB (nginx: client_max_body_size 12m), and above
# 50 MB for the import's uploads (docs/deploy.md, "Request sizes").
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every response: everything from Hjulet itself, no
# inline scripts, styles or event handlers (they live in static/), no plugins, no framing.
# Charts and maps are inline SVG styled by classes in hjulet.css. The API's Swagger page
# loosens img-src for its data: icons (config/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if not SECURE_HSTS_PRELOAD:
        # A deliberate choice for domains that must not be on the browsers' preload list.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
NINJA_PAGINATION_CLASS = "hjulet.core.pagination.BoundedLimitOffsetPagination"
