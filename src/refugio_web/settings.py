"""Django settings, read from the environment so one file serves the demo and production.

Environment:
  DATABASE_URL         sqlite:///path or postgres://user:pass@host/db (default: SQLite in var/)
  REFUGIO_SECRET_KEY   required unless REFUGIO_DEBUG=1 (the demo writes one to var/secret-key)
  REFUGIO_DEBUG        "1" for the local demo and tests
  REFUGIO_ALLOWED_HOSTS comma-separated, added to 127.0.0.1 and localhost
  REFUGIO_FORMS_DIR    the blank USCIS forms (default ../shared/forms beside the project)
  REFUGIO_DATA_DIR     where the SQLite database and the demo secret live (default var/)
  REFUGIO_MASTER_KEY_FILE / REFUGIO_MASTER_KEY  the keys that encrypt every case (see below)
  REFUGIO_SECRET_KEY_FALLBACKS  retired secret keys, newest first, still accepted for signatures
  REFUGIO_AUDIT_KEY_FALLBACKS   retired secret keys, newest first, kept only so that the audit
                       records they sealed still verify (refugio_web.audit.chain_keys)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Everything the app writes — the database, its WAL, the key and lock files, uploads — is for its
# owner only, whatever umask the service was started with (a 0644 database would let any local
# account read password hashes and second-factor secrets).
os.umask(0o077)

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
# Rotating SECRET_KEY: move the old one into REFUGIO_SECRET_KEY_FALLBACKS for as long as its
# signatures should still count, and into REFUGIO_AUDIT_KEY_FALLBACKS for as long as the audit
# trail must verify (for ever, in practice; README, "Rotating the secret key").
SECRET_KEY_FALLBACKS = [
    k for k in os.environ.get("REFUGIO_SECRET_KEY_FALLBACKS", "").split(",") if k
]
REFUGIO_AUDIT_KEY_FALLBACKS = [
    k for k in os.environ.get("REFUGIO_AUDIT_KEY_FALLBACKS", "").split(",") if k
]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"] + [
    h for h in os.environ.get("REFUGIO_ALLOWED_HOSTS", "").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    # Only for migration 0007, which moves its devices (secrets in clear) into our sealed
    # Authenticator table and leaves its table empty; nothing else uses it (decisions.md §22).
    "django_otp.plugins.otp_totp",
    "refugio_web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Web surface (issue 4, point 5): near the outside, so that the redirects and error pages
    # the middleware below them make get no-store and the Content-Security-Policy too.
    "refugio_web.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Authentication (issue 4, point 3): which device verified the session, then the session's
    # timeouts (an unverified or expired session is logged out), then "log in first" for every
    # view not marked login_not_required.
    "django_otp.middleware.OTPMiddleware",
    "refugio_web.accounts.SessionPolicyMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# --- Authentication (issue 4, point 3) ---
# Argon2id first (ASVS 5.0, password storage); a PBKDF2 hash made before is re-hashed with
# Argon2id at the user's next login (Django's check_password upgrades it).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# The second factor is our own django-otp device, refugio_web.models.Authenticator (its secret
# sealed at rest; decisions.md §22): codes one step (30 s) early or late are accepted and no
# drift is learned; our per-account lockout replaces django-otp's growing delays. The name
# authenticator apps show beside the account:
REFUGIO_TOTP_ISSUER = "Refugio"
# Five failed sign-ins of one account within 15 minutes refuse it for 15 minutes (ASVS 5.0).
REFUGIO_LOGIN_FAILURE_LIMIT = 5
REFUGIO_LOGIN_FAILURE_WINDOW = 15 * 60
REFUGIO_LOGIN_LOCKOUT = 15 * 60
# Sessions end after 30 minutes without a request and 12 hours after login; the idle stamp is
# written at most once a minute (SESSION_SAVE_EVERY_REQUEST would add a write to every save).
REFUGIO_SESSION_IDLE = 30 * 60
REFUGIO_SESSION_ABSOLUTE = 12 * 60 * 60
REFUGIO_SESSION_TOUCH = 60
# Downloads and deletions need the password and a code entered within 5 minutes (ASVS L3).
REFUGIO_REAUTH_AGE = 5 * 60
# Between a right password and the first code, a new account's enrolment may take this long.
REFUGIO_ENROL_AGE = 10 * 60

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

SESSION_COOKIE_AGE = 12 * 60 * 60

# --- Web surface (issue 4, point 5) ---
# Production (REFUGIO_DEBUG unset) is served over HTTPS only, TLS ended by a proxy in front of
# gunicorn; the local demo (`make run`) speaks plain http on 127.0.0.1. README, "Production
# settings"; docs/decisions.md §16.
HTTPS_ONLY = not DEBUG
# The proxy must overwrite X-Forwarded-Proto on every request, never pass on the client's: Django
# trusts it to say the request came over TLS (Django docs, SECURE_PROXY_SSL_HEADER).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS_ONLY
# HSTS (sent on HTTPS responses only) for a year, subdomains included (ASVS 5.0, 12.2).
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# No `preload`: entering the preload list binds the organisation's whole domain for months, its
# owner's choice, not the app's; so the deploy check's reminder (W021) is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything a page loads comes from this site (USWDS is served by the app, its CSS holds no
# data: URLs); no inline script or style anywhere; no framing, no <base>, no plugins, forms
# post only here. Checked in a real browser by tests/web/test_browser.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Cookies (ASVS 5.0, 3.3): `__Host-` names need Secure, Path=/ and no Domain, so no other host
# or subdomain can set or shadow them; SameSite=Strict; HttpOnly, the CSRF cookie too (the page
# script posts the form's own token, static/refugio/interview.js). The demo over plain http
# keeps Django's plain names without Secure: not every browser accepts Secure cookies from http.
_COOKIE_PREFIX = "__Host-" if HTTPS_ONLY else ""
SESSION_COOKIE_NAME = _COOKIE_PREFIX + "sessionid"
CSRF_COOKIE_NAME = _COOKIE_PREFIX + "csrftoken"
LANGUAGE_COOKIE_NAME = _COOKIE_PREFIX + "django_language"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Strict"
# No answer, note, request body or e-mail address ever reaches a log (8 CFR 208.6; ASVS 5.0,
# 16.2): every record passes refugio_web.logs.NoCaseData, which cuts Django's request and
# security errors to status and path and drops tracebacks (they can quote answers). Django's
# 4xx warnings, runserver's request lines and the SQL log (its parameters are answers) are off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_case_data": {"()": "refugio_web.logs.NoCaseData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_case_data"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.db.backends": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
# --- end of web surface ---

# Where `fill` finds the blank forms (never copied into the project).
FORMS_DIR = Path(os.environ.get("REFUGIO_FORMS_DIR", PROJECT_DIR.parent / "shared" / "forms"))

# Sessions in the database under a hash of their key: the table opens no session by itself.
SESSION_ENGINE = "refugio_web.sessions"

# Flash messages live in the session (sealed server side), not in Django's default cookie, which
# is signed but readable: "Case … was deleted" must not travel in the clear (issue 4).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Keys (issue 4, point 1) ---
# The master keys that wrap every case's data key, kept outside the database: an environment
# variable or a key file, one URL-safe base64 key per line (comma-separated in the variable),
# the first one current, the others still accepted until `refugio keys rotate` has re-wrapped
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
            "case. `refugio keys new` prints a new one."
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

# --- Uploads (issue 4, point 6) ---
# The largest file accepted (refugio.uploads.MAX_BYTES; tests/web/test_files.py keeps the two
# equal). docs/decisions.md §20.
REFUGIO_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# Uploads stay in memory, never in a plaintext temporary file (issue 4, point 1): the only
# handler keeps files in memory and refuses a request body over FILE_UPLOAD_MAX_MEMORY_SIZE,
# where Django's default would spool anything over 2.5 MB to /tmp.
FILE_UPLOAD_HANDLERS = ["refugio_web.files.MemoryOnlyUploadHandler"]
# Django's default for the form fields of a request (answers), files not counted.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest request that can carry a file: one file at its limit and fields at theirs. Over
# it, the request is refused before more than this is held (memory per request stays bounded);
# between it and the file limit, refugio.uploads says how big the file is.
FILE_UPLOAD_MAX_MEMORY_SIZE = REFUGIO_UPLOAD_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
# Should any file ever be written by Django's storage: owner only (default 0o644).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Sealed uploads (refugio_web.files): ciphertext only, under random names.
REFUGIO_FILES_DIR = Path(os.environ.get("REFUGIO_FILES_DIR", DATA_DIR / "files"))
# --- end of uploads ---
