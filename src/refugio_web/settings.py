"""Django settings, read from the environment so one file serves the demo and production.

Environment:
  DATABASE_URL         sqlite:///path or postgres://user:pass@host/db (default: SQLite in var/)
  REFUGIO_SECRET_KEY   required unless REFUGIO_DEBUG=1 (the demo writes one to var/secret-key)
  REFUGIO_DEBUG        "1" for the local demo and tests
  REFUGIO_ALLOWED_HOSTS comma-separated, added to 127.0.0.1 and localhost
  REFUGIO_FORMS_DIR    the blank USCIS forms (default ../shared/forms beside the project)
  REFUGIO_DATA_DIR     where the SQLite database and the demo secret live (default var/)
  REFUGIO_MASTER_KEY_FILE / REFUGIO_MASTER_KEY  the keys that encrypt every case (see below)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("REFUGIO_DATA_DIR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("REFUGIO_DEBUG") == "1"


def _secret_key() -> str:
    key = os.environ.get("REFUGIO_SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set REFUGIO_SECRET_KEY (or REFUGIO_DEBUG=1 for the local demo)."
        )
    # The demo keeps one random key per checkout, outside git, readable by its owner only.
    path = DATA_DIR / "secret-key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"] + [
    h for h in os.environ.get("REFUGIO_ALLOWED_HOSTS", "").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "refugio_web",
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
    "refugio_web.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "refugio_web.urls"
WSGI_APPLICATION = "refugio_web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    default = f"sqlite:///{DATA_DIR / 'refugio.sqlite3'}"
    db: dict[str, object] = dict(dj_database_url.parse(os.environ.get("DATABASE_URL", default)))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock when a transaction starts, so two app processes saving
        # at once wait for each other instead of failing with "database is locked"; WAL lets
        # readers go on meanwhile; FULL sync keeps a saved answer saved through a power cut.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON;",
        }
        # One connection per server thread, kept: opening one per request costs little, but
        # closing the last one checkpoints the WAL into the database file (~2 ms per request).
        db["CONN_MAX_AGE"] = 600
    else:
        db["CONN_MAX_AGE"] = 60
        db["CONN_HEALTH_CHECKS"] = True
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "refugio_web.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "case_list"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("es", "Español")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The chosen language outlives the session (the next login is in the same language); it says
# nothing about a case.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_HTTPONLY = True
USE_I18N = True
USE_TZ = True
# "Today" for the one-year deadline and the date on the supplements is the organisation's day,
# not UTC's (an evening in California is already tomorrow in UTC).
TIME_ZONE = os.environ.get("REFUGIO_TIME_ZONE", "America/New_York")

STATIC_URL = "/static/"
# Files are served straight from the app and node_modules (WhiteNoise finders); set
# REFUGIO_STATIC_ROOT and run `manage.py collectstatic` to serve collected, compressed copies.
STATIC_ROOT = os.environ.get("REFUGIO_STATIC_ROOT") or None
# The U.S. Web Design System comes from npm (package-lock.json) and is served by the app itself:
# no CDN, no third-party fonts.
STATICFILES_DIRS = [("uswds", PROJECT_DIR / "node_modules" / "@uswds" / "uswds" / "dist")]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 12 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Where `fill` finds the blank forms (never copied into the project).
FORMS_DIR = Path(os.environ.get("REFUGIO_FORMS_DIR", PROJECT_DIR.parent / "shared" / "forms"))

# No answer ever reaches a log: errors are logged without request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}

# --- Keys (issue 4, point 1) ---
# The master keys that wrap every case's data key, kept outside the database: an environment
# variable or a key file, one URL-safe base64 key per line (comma-separated in the variable),
# the first one current, the others still accepted until `manage.py rotate_keys` has re-wrapped
# every case. Production refuses to start without one; the demo makes its own in var/.


def _key_file(path: Path) -> str:
    if not DEBUG and path.stat().st_mode & 0o077:
        raise ImproperlyConfigured(f"{path}: only its owner may read a master key file")
    return path.read_text(encoding="ascii")


def _master_keys() -> list[str]:
    from refugio.crypto import new_key_text, parse_key
    from refugio.errors import CryptoError

    variable = os.environ.get("REFUGIO_MASTER_KEY", "")
    file = os.environ.get("REFUGIO_MASTER_KEY_FILE", "")
    if variable and file:
        raise ImproperlyConfigured("Set REFUGIO_MASTER_KEY or REFUGIO_MASTER_KEY_FILE, not both.")
    if file:
        text = _key_file(Path(file))
    elif variable:
        text = variable.replace(",", "\n")
    elif DEBUG:
        path = DATA_DIR / "master-key"
        if not path.exists():
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(new_key_text() + "\n")
        text = path.read_text(encoding="ascii")
    else:
        raise ImproperlyConfigured(
            "Set REFUGIO_MASTER_KEY_FILE (or REFUGIO_MASTER_KEY): the key that encrypts every "
            "case. `manage.py new_master_key` prints a new one."
        )
    keys = [k.strip() for k in text.splitlines() if k.strip() and not k.startswith("#")]
    try:
        if not keys:
            raise CryptoError("no key given")
        for key in keys:
            parse_key(key)
    except CryptoError as exc:
        raise ImproperlyConfigured(f"The master key setting is not usable: {exc}") from None
    return keys


MASTER_KEYS = _master_keys()
