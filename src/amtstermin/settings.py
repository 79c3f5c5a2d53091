"""Amtstermin settings, read from environment variables (see the table in README.md).

Defaults need no server: SQLite and files in the data directory. A bad value stops start-up
with a message that names the variable.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import sqlite3
import zoneinfo
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amtstermin.env import env_bool, env_int, env_list, env_str
from amtstermin.private_files import create_private_file, private_directory

PACKAGE_DIR = Path(__file__).resolve().parent

DATA_DIR = Path(env_str("AMTSTERMIN_DATA_DIR") or "data").resolve()
try:
    private_directory(DATA_DIR)
except OSError as exc:
    raise ImproperlyConfigured(f"AMTSTERMIN_DATA_DIR: cannot create {DATA_DIR}: {exc}") from exc


def _secret_key() -> str:
    """The configured key, or one generated on first start and kept in the data directory."""
    configured = env_str("SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return configured
    key_file = DATA_DIR / "secret_key"
    with contextlib.suppress(FileExistsError):
        create_private_file(key_file, secrets.token_urlsafe(50).encode())
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
# Off only for plain-HTTP setups such as the demo on 127.0.0.1; every real deployment is HTTPS.
HTTPS = env_bool("AMTSTERMIN_HTTPS", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose pages it extends
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "csp",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "amtstermin.booking",
    "amtstermin.api",
    "amtstermin.citizen",
    "amtstermin.notifications",
    "amtstermin.backoffice",
    "amtstermin.ratelimit",
    "amtstermin.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # before anything that may answer on its own
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "amtstermin.languages.staff.StaffLanguageMiddleware",  # staff pages: German or English
    "amtstermin.api.language.ApiLanguageMiddleware",  # the API: Accept-Language alone
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "amtstermin.backoffice.access.SecondFactorAdminMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "amtstermin.urls"
WSGI_APPLICATION = "amtstermin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # The language switch, per-language formats and bidi isolation, for every template.
            "libraries": {"languages": "amtstermin.languages.tags"},
        },
    },
]

# --- Database -----------------------------------------------------------------------------
SQLITE_OPTIONS = {
    # Every write transaction takes the write lock at BEGIN, so two bookings never interleave.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        " PRAGMA busy_timeout=20000;"
    ),
}


def _private_sqlite_file(name: object) -> None:
    """Create the database file (0600) before SQLite would create it readable by all."""
    text = str(name)
    if text in ("", ":memory:") or text.startswith("file:") or not Path(text).parent.is_dir():
        return  # in memory, a URI, or a directory SQLite will complain about itself
    with contextlib.suppress(FileExistsError):
        create_private_file(Path(text))


def _databases() -> dict[str, dict[str, object]]:
    url = env_str("DATABASE_URL")
    if not url:
        _private_sqlite_file(DATA_DIR / "amtstermin.sqlite3")
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": DATA_DIR / "amtstermin.sqlite3",
                "OPTIONS": dict(SQLITE_OPTIONS),
                "CONN_MAX_AGE": 60,  # keep the connection: no reconnect and PRAGMAs per request
                "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
            }
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from exc
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        _private_sqlite_file(config["NAME"])
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        config["CONN_MAX_AGE"] = 60
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must name a sqlite:// or postgres:// database")
    return {"default": dict(config)}


DATABASES = _databases()
# The rate limits count with INSERT ... ON CONFLICT ... RETURNING (amtstermin/ratelimit).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and (
    sqlite3.sqlite_version_info < (3, 35)
):
    raise ImproperlyConfigured(f"SQLite {sqlite3.sqlite_version} is too old: 3.35 or newer needed")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (shared between processes when Redis is configured) ----------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks: rows in the same database, enqueued inside the booking transaction --
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Tests widen the window between availability check and insert to prove the lock holds.
BOOKING_RACE_WINDOW_MS = env_int("AMTSTERMIN_RACE_WINDOW_MS", 0)
# The race tests' control turns the lock and transaction off to show the race then happens.
BOOKING_GUARD = not env_bool("AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD", False)
if not BOOKING_GUARD and not DEBUG:
    raise ImproperlyConfigured("AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD needs DEBUG=1 (tests only)")
# The waitlist race test's control also lets a wish that is no longer waiting be offered a time.
WAITLIST_GUARD = not env_bool("AMTSTERMIN_UNSAFE_NO_WAITLIST_GUARD", False)
if not WAITLIST_GUARD and not DEBUG:
    raise ImproperlyConfigured("AMTSTERMIN_UNSAFE_NO_WAITLIST_GUARD needs DEBUG=1 (tests only)")
# The crash test's control queues e-mails this many ms after the commit, in a transaction of
# their own, to show that a booking killed in between is caught without its e-mail. 0: off.
MAIL_AFTER_COMMIT_MS = env_int("AMTSTERMIN_UNSAFE_MAIL_AFTER_COMMIT_MS", 0)
if MAIL_AFTER_COMMIT_MS and not DEBUG:
    raise ImproperlyConfigured("AMTSTERMIN_UNSAFE_MAIL_AFTER_COMMIT_MS needs DEBUG=1 (tests only)")

# --- E-mail: real SMTP when EMAIL_HOST is set; otherwise .eml files in the data directory -----
AMTSTERMIN_BASE_URL = (env_str("AMTSTERMIN_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
if not AMTSTERMIN_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("AMTSTERMIN_BASE_URL must start with http:// or https://")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Amtstermin <termine@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST") or ""
AMTSTERMIN_MAIL_DIR = DATA_DIR / "mail"
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)  # STARTTLS
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
else:
    EMAIL_BACKEND = "amtstermin.notifications.mailbox.EmlFileBackend"
# A failed delivery is tried again after base, 4x base, 16x base ... seconds.
MAIL_RETRY_BASE_SECONDS = env_int("AMTSTERMIN_MAIL_RETRY_SECONDS", 60, minimum=1)
MAIL_MAX_ATTEMPTS = env_int("AMTSTERMIN_MAIL_MAX_ATTEMPTS", 6, minimum=1)
# A background task still running after this long is presumed dead (its worker was killed) and
# is run again; a message still "sending" after it counts as a failed attempt. It must exceed the
# longest task, in particular one SMTP delivery: several steps, each up to EMAIL_TIMEOUT.
TASK_TIMEOUT_SECONDS = env_int("AMTSTERMIN_TASK_TIMEOUT_SECONDS", 600, minimum=1)
if EMAIL_HOST and TASK_TIMEOUT_SECONDS < 3 * EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        "AMTSTERMIN_TASK_TIMEOUT_SECONDS must be at least three times EMAIL_TIMEOUT"
    )

# --- Rate limits per client address (0 = off); see amtstermin/ratelimit/ -----------------------
TRUSTED_PROXIES = env_int("AMTSTERMIN_TRUSTED_PROXIES", 0)
HOLD_LIMIT_PER_HOUR = env_int("AMTSTERMIN_HOLD_LIMIT_PER_HOUR", 60)
API_BOOKING_LIMIT_PER_HOUR = env_int("AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR", 120)
KIOSK_LIMIT_PER_MINUTE = env_int("AMTSTERMIN_KIOSK_LIMIT_PER_MINUTE", 12)
# Without a proof-of-work solution (no JavaScript, or a script) far fewer holds are allowed.
HOLD_LIMIT_WITHOUT_PROOF_PER_HOUR = env_int("AMTSTERMIN_HOLD_LIMIT_WITHOUT_PROOF_PER_HOUR", 10)

# --- Proof of work (ALTCHA); see amtstermin/ratelimit/proof_of_work.py ---------------------
# PBKDF2 iterations per try (about 256 tries): a fraction of a second on a phone. It doubles
# for an address with every POW_EASY_CHALLENGES challenges it fetches in an hour.
POW_COST = env_int("AMTSTERMIN_POW_COST", 1000, minimum=1)
POW_EASY_CHALLENGES = env_int("AMTSTERMIN_POW_EASY_CHALLENGES", 10, minimum=1)
ALTCHA_HMAC_SECRET = env_str("AMTSTERMIN_ALTCHA_SECRET") or f"altcha:{SECRET_KEY}"
# API keys of trusted servers (the town's own web site): no proof of work, no address limit.
API_KEYS = env_list("AMTSTERMIN_API_KEYS", [])
# Public API clients must send a solution (header X-Altcha) with every booking.
API_REQUIRE_PROOF_OF_WORK = env_bool("AMTSTERMIN_API_REQUIRE_PROOF_OF_WORK", True)

# --- Authentication -----------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-outs per (user name, address) pair and per address; see backoffice/login_lockout.py.
AXES_HANDLER = "amtstermin.backoffice.login_lockout.PairAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # the handler's order
AXES_FAILURE_LIMIT = env_int("AMTSTERMIN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("AMTSTERMIN_LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_CLIENT_IP_CALLABLE = "amtstermin.backoffice.login_lockout.client_ip"
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AMTSTERMIN_LOGIN_LOCKOUT", True)
LOGIN_URL = "admin:login"
# Second factor (TOTP, django-otp): the name authenticator apps show next to the user name.
OTP_TOTP_ISSUER = "Amtstermin"

SESSION_COOKIE_AGE = env_int("AMTSTERMIN_SESSION_MINUTES", 30, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True  # inactivity ends the session, not the login time
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- HTTPS and browser security -----------------------------------------------------------
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("AMTSTERMIN_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "frame-ancestors": env_list("AMTSTERMIN_FRAME_ANCESTORS", ["'none'"]),
    }
}

# --- Cross-origin calls to the API (django-cors-headers): listed sites only, API only -------
# Nothing listed (the default): no CORS headers at all, so browsers let no other site call the
# API with JSON; write requests must be JSON (api/content_type.py).
CORS_ALLOWED_ORIGINS = env_list("AMTSTERMIN_CORS_ORIGINS", [])
for _origin in CORS_ALLOWED_ORIGINS:
    if not re.fullmatch(r"https?://[^/?#\s]+", _origin):
        raise ImproperlyConfigured(
            f"AMTSTERMIN_CORS_ORIGINS: {_origin!r} is not an origin like https://www.example.org"
        )
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key")
CORS_EXPOSE_HEADERS = ["Retry-After"]

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("pl", _("Polish")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True

# The office's own texts (service names, documents, notes, e-mail paragraphs) in every language
# (django-modeltranslation; booking/translation.py lists them). German is the source: required,
# and what a text not yet translated shows in every other language.
MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("de",)
MODELTRANSLATION_REQUIRED_LANGUAGES = ("de",)


def _translation_field_label(verbose_name: object, language: str) -> str:
    """The configuration pages' label of one language's field, e.g. "name (Turkish)"."""
    return f"{verbose_name} ({dict(LANGUAGES)[language]})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _translation_field_label
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE") or "Europe/Berlin"
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known IANA time zone")

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the apps; no collectstatic step needed

# --- Logging: no personal data, ever (tokens and names stay out of messages) ---------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            # Masks the whole line and any traceback, e.g. "Internal Server Error: /manage/<token>/"
            "()": "amtstermin.log_privacy.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        # Replaces Django's default handler for its own logger, which would print unmasked.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
