"""Django settings for Dari, read from environment variables.

Every setting an operator may change is a ``DARI_*`` variable parsed by a small typed helper
that fails loudly on a bad value, so a typo never silently falls back to a default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dari import secret_key

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_zone_list(name: str, default: list[str]) -> list[str]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zones = env_list(name, default)
    for zone in zones:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ImproperlyConfigured(f"{name}: {zone!r} is not an IANA time zone") from error
    return zones


# The working directory holds var/ (the SQLite file, uploads) unless DARI_VAR_DIR says otherwise.
VAR_DIR = secret_key.var_dir()

DEBUG = env_bool("DARI_DEBUG", False)
# No default key: anything signed with a key in the public source can be forged (see dari.secret_key).
SECRET_KEY = os.environ.get(secret_key.VARIABLE, "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"{secret_key.VARIABLE} is not set. Set it to a long random value (e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`) and keep it secret; "
            "`dari demo` makes one for a demo installation."
        )
    SECRET_KEY = secret_key.installation_key(VAR_DIR, create=True)
# Rotation: the new key in DARI_SECRET_KEY, the old one here until the links signed with it expire.
SECRET_KEY_FALLBACKS = env_list("DARI_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("DARI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

DATABASE_URL = env_str("DARI_DATABASE_URL", f"sqlite:///{VAR_DIR / 'dari.sqlite3'}")
try:
    # Health checks: a kept connection that died (the database restarted) is replaced at the next
    # request instead of failing it, so Dari recovers without a restart.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
except ValueError as error:
    raise ImproperlyConfigured(f"DARI_DATABASE_URL is not a database URL: {error}") from error
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while a worker writes; IMMEDIATE avoids lock-upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

SHARED_DATA_DIR = Path(env_str("DARI_SHARED_DATA", "../shared/data")).resolve()

# The cache: each process's own memory by default; with several web processes or hosts, a shared
# Redis (DARI_CACHE_URL=redis://127.0.0.1:6379/1) so that the API's rate limits (dari.core.ratelimit)
# count every process's requests together (docs/deploy.md).
CACHE_URL = env_str("DARI_CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("DARI_CACHE_URL must be a redis://, rediss:// or unix:// URL")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "dari",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Uploaded and generated files (evidence, documents, reports): outside the web root, never served as
# static files; only the files app's views hand them out, after a permission check.
FILES_DIR = Path(env_str("DARI_FILES_DIR", str(VAR_DIR / "files"))).resolve()
# Backups on a schedule (issue 19 item 7): `dari run_periodic` writes dari-backup-<UTC time>.tar.gz
# (`dari backup`'s archive) into BACKUP_DIR when the newest one is BACKUP_EVERY_HOURS old (0: never),
# and keeps the newest BACKUP_KEEP of them; other files there are never touched.
BACKUP_DIR = Path(env_str("DARI_BACKUP_DIR", str(VAR_DIR / "backups"))).resolve()
BACKUP_EVERY_HOURS = env_int("DARI_BACKUP_EVERY_HOURS", 24)
BACKUP_KEEP = env_int("DARI_BACKUP_KEEP", 7)
if BACKUP_EVERY_HOURS < 0 or BACKUP_KEEP < 1:
    raise ImproperlyConfigured(
        f"DARI_BACKUP_EVERY_HOURS={BACKUP_EVERY_HOURS} must be 0 (off) or more, "
        f"DARI_BACKUP_KEEP={BACKUP_KEEP} at least 1"
    )
MAX_UPLOAD_MB = env_int("DARI_MAX_UPLOAD_MB", 20)
if MAX_UPLOAD_MB < 1:
    raise ImproperlyConfigured(f"DARI_MAX_UPLOAD_MB={MAX_UPLOAD_MB} must be at least 1")

# A running job whose progress has not moved for this long is taken for dead (its worker was killed)
# and marked failed by the periodic clean-up, so it does not show as running forever.
JOB_STALE_MINUTES = env_int("DARI_JOB_STALE_MINUTES", 30)
if JOB_STALE_MINUTES < 1:
    raise ImproperlyConfigured(f"DARI_JOB_STALE_MINUTES={JOB_STALE_MINUTES} must be at least 1")

# Each meeting request e-mails every member of the requested organization: a user may make this many
# in 24 hours in all, and this many to any one organization (withdrawing does not give them back).
MEETING_REQUESTS_PER_DAY = env_int("DARI_MEETING_REQUESTS_PER_DAY", 20)
MEETING_REQUESTS_PER_ORGANIZATION_PER_DAY = env_int("DARI_MEETING_REQUESTS_PER_ORGANIZATION_PER_DAY", 2)
if min(MEETING_REQUESTS_PER_DAY, MEETING_REQUESTS_PER_ORGANIZATION_PER_DAY) < 1:
    raise ImproperlyConfigured(
        "DARI_MEETING_REQUESTS_PER_DAY and DARI_MEETING_REQUESTS_PER_ORGANIZATION_PER_DAY must be at least 1"
    )

# The partnership's own time zones, in which every time is shown besides its own zone.
PARTNERSHIP_TIME_ZONES = env_zone_list("DARI_PARTNERSHIP_TIME_ZONES", ["Asia/Seoul", "America/Los_Angeles"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # Country names in both languages (names only: Dari stores ISO codes in plain fields).
    "django_countries",
    "dari.core",
    "dari.accounts",
    "dari.notifications",
    "dari.registry",
    "dari.agreements",
    "dari.programs",
    "dari.outcomes",
    "dari.matching",
    "dari.partnering",
    "dari.reports",
    "dari.exchange",
    "dari.jobs",
    "dari.files",
    "dari.scenario",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dari.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "dari.core.text.CleanQueryStringMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dari.core.api.ApiBasicAuthMiddleware",
    "dari.core.ratelimit.ApiRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dari.urls"
WSGI_APPLICATION = "dari.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dari.core.context_processors.dari",
                "dari.accounts.context_processors.account",
                "dari.notifications.context_processors.notifications",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+IP is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # ``authenticate(request, api_token=...)``: scripts calling the API with a Bearer token.
    "dari.accounts.backends.ApiTokenBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Kept so passwords hashed before Argon2 still verify; Django re-hashes them at the next sign-in.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lockout after repeated failed sign-ins (django-axes), counted per username *and* IP address, so an
# attacker can neither lock a user out from elsewhere nor try one password on many accounts unnoticed.
# The page form, the admin and the API's Basic auth all go through ``authenticate`` and so all count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# API tokens are 256-bit random keys: guessing them is hopeless, and counting a misconfigured script's
# failures would only lock its host out.
AXES_WHITELIST_CALLABLE = "dari.accounts.backends.is_api_token_attempt"
AXES_VERBOSE = False

# E-mail: the console backend prints mails (the demo); production sets an SMTP backend and its EMAIL_*.
EMAIL_BACKEND = env_str("DARI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DARI_DEFAULT_FROM_EMAIL", "Dari <no-reply@dari.invalid>")
EMAIL_HOST = env_str("DARI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DARI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DARI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DARI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DARI_EMAIL_USE_TLS", False)
# Links in e-mails sent outside a request (invitations, registration decisions) start with this.
SITE_URL = env_str("DARI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
INVITATION_VALIDITY = timedelta(days=env_int("DARI_INVITATION_DAYS", 14))
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=7)

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "django_language"

STATIC_URL = "/static/"
# Only set when collecting static files for production; the demo serves them from the apps.
STATIC_ROOT = Path(os.environ["DARI_STATIC_ROOT"]).resolve() if os.environ.get("DARI_STATIC_ROOT") else None
# The demo serves static files straight from the apps; production runs collectstatic first.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# dari.core.security: scripts only from Dari's own static files, never inline; no framing (with
# X_FRAME_OPTIONS for older browsers); forms post only to Dari.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# The one production switch (docs/deploy.md): Dari is served over HTTPS only, behind a reverse proxy
# that terminates TLS and sets X-Forwarded-Proto. It turns on HSTS, the secure cookies, the redirect
# of plain HTTP and trusts the proxy's header; `dari check --deploy` then reports no warning.
HTTPS = env_bool("DARI_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # Only ever set this behind a proxy that overwrites the header: a client could send it itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # A year, as the HSTS preload list asks; browsers then refuse plain HTTP to this host for that long.
    SECURE_HSTS_SECONDS = env_int("DARI_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DARI_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DARI_HSTS_PRELOAD", True)
    # Load balancers probe over plain HTTP on the private side of the proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# API requests a minute (dari.core.ratelimit): per API token or signed-in user, and per client
# address for anonymous callers; 0 turns a limit off. Counted per web process (its cache).
API_RATE_LIMIT_PER_TOKEN = env_int("DARI_API_RATE_LIMIT_PER_TOKEN", 600)
API_RATE_LIMIT_PER_ADDRESS = env_int("DARI_API_RATE_LIMIT_PER_ADDRESS", 120)
if min(API_RATE_LIMIT_PER_TOKEN, API_RATE_LIMIT_PER_ADDRESS) < 0:
    raise ImproperlyConfigured(
        "DARI_API_RATE_LIMIT_PER_TOKEN and DARI_API_RATE_LIMIT_PER_ADDRESS must be 0 or more"
    )

# `dari serve` (gunicorn): processes and threads per process. Threads suit Dari's waits on the
# database; processes use the cores (a search query holds one core while it ranks).
WEB_BIND = env_str("DARI_WEB_BIND", "127.0.0.1:8000")
WEB_WORKERS = env_int("DARI_WEB_WORKERS", 2)
WEB_THREADS = env_int("DARI_WEB_THREADS", 4)
WEB_TIMEOUT_SECONDS = env_int("DARI_WEB_TIMEOUT", 60)
if min(WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT_SECONDS) < 1:
    raise ImproperlyConfigured("DARI_WEB_WORKERS, DARI_WEB_THREADS and DARI_WEB_TIMEOUT must be at least 1")
# The addresses whose X-Forwarded-* headers gunicorn believes: the reverse proxy's.
WEB_FORWARDED_ALLOW_IPS = env_str("DARI_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Links and queries that carry a secret are logged with it redacted (dari.core.logs).
    "filters": {"secrets": {"()": "dari.core.logs.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("DARI_LOG_LEVEL", "WARNING")},
}

# Background tasks (django-tasks): the database backend, worked off by `dari db_worker` (which
# `dari demo` starts beside the server). Tests switch to the immediate backend.
TASKS = {
    "default": {
        "BACKEND": env_str("DARI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
