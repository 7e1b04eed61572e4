"""Settings for every environment, read from environment variables.

Development needs none of them: SQLite in WAL mode beside the code, console email,
DEBUG on. Production sets DATABASE_URL, SECRET_KEY, EMAIL_URL, ALLOWED_HOSTS and DEBUG=0.
"""

import hashlib
import hmac
import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-change-me-for-production-0123456789abcdef"  # noqa: S105
# The record's key, kept outside the database: it MACs every entry as it is written and
# signs the published checkpoints (commonweal/record/keys.py, docs/record.md). Without it,
# one is derived from SECRET_KEY, so rotating SECRET_KEY would orphan the record: production
# sets its own (docs/deployment.md).
RECORD_KEY = (
    os.environ.get("RECORD_KEY", "")
    or hmac.new(SECRET_KEY.encode(), b"commonweal record key", hashlib.sha256).hexdigest()
)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "commonweal.core",
    "commonweal.record",
    "commonweal.rulebook",
    "commonweal.organisation",
    "commonweal.members",
    "commonweal.search",
    "commonweal.decisions",
    "commonweal.voting",
    "commonweal.meetings",
    "commonweal.policy",
    "commonweal.constitution",
    "commonweal.discussion",
    "commonweal.notifications",
    "commonweal.news",
    "commonweal.library",
    "commonweal.website",
    "commonweal.training",
    "commonweal.alliances",
    "commonweal.interventions",
    "commonweal.development",
    "commonweal.mobilisation",
    "commonweal.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "commonweal.core.middleware.SecurityHeadersMiddleware",
    "commonweal.core.middleware.NulCharactersRefused",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "commonweal.members.middleware.MemberLocale",
    "commonweal.members.middleware.TwoFactorForOfficeHolders",
]

ROOT_URLCONF = "commonweal.config.urls"
WSGI_APPLICATION = "commonweal.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "commonweal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "commonweal.core.context_processors.site",
                "commonweal.members.context_processors.menu",
                "commonweal.notifications.context_processors.unread",
            ],
        },
    }
]

DATA_DIR = Path(os.environ.get("COMMONWEAL_DATA_DIR", BASE_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default: a SQLite file in the data directory, made on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'commonweal.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE makes a writing
    # transaction take the write lock up front instead of failing on upgrade.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A file, not memory: the task worker and the live test server close and reopen
    # connections, which would drop a shared in-memory database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"commonweal-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 2.1.1: at least 12 characters (passphrases welcome; no composition rules).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:home"
LOGOUT_REDIRECT_URL = "website:home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "commonweal.members.adapters.AccountAdapter"
MFA_ADAPTER = "commonweal.members.adapters.MFAAdapter"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# The member is emailed when their password, email addresses or authenticators change,
# so a change they did not make does not go unnoticed (docs/security.md, ASVS 2.2.3).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Commonweal"

LANGUAGE_CODE = "en"
# Interface texts are in English so far; the choice sets how dates and numbers are written.
LANGUAGES = [
    ("en", "English (United States)"),
    ("en-gb", "English (United Kingdom)"),
    ("en-ie", "English (Ireland)"),
    ("en-au", "English (Australia)"),
    ("en-ca", "English (Canada)"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("nl", "Nederlands"),
]
LOCALE_PATHS = [BASE_DIR / "commonweal" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Production serves collected files under names that change with their content, with a .gz
# beside each (core/storage.py; nginx in docs/deployment.md); development and tests serve
# the files as they are, so nothing needs collecting first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "commonweal.core.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

EMAIL_URL = os.environ.get("EMAIL_URL", "console://")


def email_settings(url: str) -> dict[str, object]:
    """Turn EMAIL_URL (console://, file:///path, smtp://user:pass@host:port?tls=1) into settings."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parsed.path or str(DATA_DIR / "mail"),
        }
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps"}:
        query = parse_qs(parsed.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
            # A mail server that stops answering must not hold a worker past the claim lease
            # (NOTIFICATIONS_EMAIL_LEASE): its batch would then be recovered and sent twice.
            "EMAIL_TIMEOUT": 30,
        }
    raise RuntimeError(f"EMAIL_URL has an unknown scheme: {parsed.scheme!r}")


globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Commonweal <noreply@commonweal.local>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Where the organisation works: an outside organisation elsewhere is "abroad" (ISO 3166 code).
COMMONWEAL_HOME_COUNTRY = os.environ.get("COMMONWEAL_HOME_COUNTRY", "GB").upper()
# Shared secret of the mail server posting replies to /notifications/inbound/ (unset: endpoint off).
NOTIFICATIONS_INBOUND_SECRET = os.environ.get("INBOUND_EMAIL_SECRET", "")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "fanout", "email"],
    }
}

# Rate-limit counters live in the cache: with several web processes they must share
# one, so production sets REDIS_URL (redis://host:6379/0).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How many proxies in front of the app append to X-Forwarded-For (1 behind one nginx);
# rate limits per address and allauth's login limits read the client address from it.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# ASVS 3.3.2: sign in again at least every 12 hours, however the session is used.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script anywhere: scripts come from our own static files only. Style allows
# inline because htmx injects its indicator style and allauth's templates use style
# attributes; inline style cannot run code (docs/deployment.md).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

COMMONWEAL_DEFAULT_RULEBOOK = BASE_DIR / "commonweal" / "rulebook" / "default_rulebook.toml"
