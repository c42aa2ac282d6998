"""Settings from environment variables, with safe defaults for the embedded mode.

Embedded mode (the default) needs nothing installed: SQLite under ./var/, a generated
secret key kept under ./var/, console e-mail. Production mode (QUARTIER_ENV=production)
refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
import django_stubs_ext

from quartier.serving_settings import env_bool as _env_bool
from quartier.serving_settings import serving_settings

# Lets admin.ModelAdmin[Model] and friends be subscripted at run time, as the stubs allow.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("QUARTIER_VAR_DIR", Path.cwd() / "var")).resolve()

QUARTIER_ENV = os.environ.get("QUARTIER_ENV", "embedded")
PRODUCTION = QUARTIER_ENV == "production"


def _private_dir(path: Path) -> Path:
    """`path` as a directory only this user may enter (0700): the database, the uploads and
    the secret key under var/ are nobody else's business on a shared machine."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # not ours to change (a mounted volume): leave it
        path.chmod(0o700)
    return path


def _private_file(path: Path) -> Path:
    """`path` as a file only this user may read (0600), created empty if missing. SQLite
    takes an empty file as an empty database and gives its -wal and -shm files the
    database file's mode, so creating it first keeps all three private."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            each.chmod(0o600)
    return path


def _embedded_secret_key() -> str:
    """A per-installation key, generated once and kept under var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        _private_dir(VAR_DIR)
        _private_file(path).write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


if PRODUCTION:
    try:
        SECRET_KEY = os.environ["SECRET_KEY"]
    except KeyError as missing:
        raise RuntimeError("SECRET_KEY must be set when QUARTIER_ENV=production") from missing
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _embedded_secret_key()

DEBUG = _env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    "csp",
    "quartier.events",
    "quartier.audit",
    "quartier.accounts",
    "quartier.catalog",
    "quartier.favourites",
    "quartier.households",
    "quartier.geo",
    "quartier.jobs",
    "quartier.vetting",
    "quartier.matching",
    "quartier.bookings",
    "quartier.reviews",
    "quartier.dispatch",
    "quartier.partners",
    "quartier.payments",
    "quartier.invoicing",
    "quartier.cards",
    "quartier.calendars",
    "quartier.banking",
    "quartier.compliance",
    "quartier.messaging",
    "quartier.notifications",
    "quartier.directory",
    "quartier.privacy",
    "quartier.series",
    "quartier.web",
    "quartier.demo",
    "quartier.worker",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "quartier.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "quartier.web.middleware.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "quartier.urls"
WSGI_APPLICATION = "quartier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Back-office overrides (theme, queues) must win over django.contrib.admin's own.
        "DIRS": [BASE_DIR / "web" / "admin_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "quartier.web.context_processors.unread_notifications",
                "quartier.web.context_processors.legal_texts_pending",
                "quartier.web.context_processors.source_code",
            ],
        },
    },
    {
        # Plain-text e-mails: the same templates, never HTML-escaped ("won't", not
        # "won&#x27;t"); the inbox escapes the stored title once when it shows it.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]
# English pages and e-mails for Swiss and German readers: day before month, 24-hour clock.
FORMAT_MODULE_PATH = ["quartier.formats"]


def _database_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = _SQLITE_OPTIONS
            if config["NAME"] and config["NAME"] != ":memory:":
                _private_file(Path(config["NAME"]))
        return config
    _private_dir(VAR_DIR)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _private_file(VAR_DIR / "quartier.sqlite3"),
        "OPTIONS": _SQLITE_OPTIONS,
    }


# IMMEDIATE: SQLite's write lock at BEGIN, so writers queue, never "database is locked".
_SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 10,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}

DATABASES = {"default": {"CONN_MAX_AGE": 60} | _database_config()}  # kept open, SQLite too
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# One backend: Django's model backend behind the log-in throttle (quartier/accounts/throttle.py).
AUTHENTICATION_BACKENDS = ["quartier.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("de-ch", "Deutsch (Schweiz)")]
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Uploads (escalation photos) are readable by this user only, like the database.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Background work goes through the Django Tasks API: the database-backed queue by default
# (worker: `quartier worker`), Redis via RQ when REDIS_URL is set (worker: `quartier rqworker`).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The "shared" cache is seen by every process (per-key API rate limits): Redis when REDIS_URL
# is set, else a database table (created by `quartier migrate`). "default" may be per process.
_SHARED_CACHE = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "quartier_cache"}
)
CACHES = {
    "default": _SHARED_CACHE
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": _SHARED_CACHE,
}

# E-mail: printed to the console unless EMAIL_URL says where, e.g.
# submission://user:password@mail.example.ch (587, STARTTLS), smtps://… (465), console://
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if EMAIL_URL := os.environ.get("EMAIL_URL"):
    vars().update(dj_email_url.parse(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Quartier <noreply@quartier.example>")

# Request sizes (quartier/web/middleware.py answers 413 before reading a byte): a JSON or
# form body at most 2 MB, and so any anonymous request; a signed-in request with files
# (escalation photos: 5 of 8 MB) at most 45 MB. Uploads past 2.5 MB go to temporary files.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("QUARTIER_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
QUARTIER_MAX_REQUEST_BYTES = int(
    os.environ.get("QUARTIER_MAX_REQUEST_BYTES", str(45 * 1024 * 1024))
)

# HTTPS behind a proxy, the Content Security Policy, metrics and JSON logs.
globals().update(serving_settings(production=PRODUCTION))

# --- Quartier's own settings -------------------------------------------------------------

# The public address of the site, for links in e-mails and webhooks.
QUARTIER_SITE_URL = os.environ.get("QUARTIER_SITE_URL", "http://127.0.0.1:8000")
# Quartier is AGPL-licensed: the footer links to the running code (/source.tar.gz) unless this
# names a public repository holding exactly what runs here.
QUARTIER_SOURCE_URL = os.environ.get("QUARTIER_SOURCE_URL", "")

# Vetting (identity, register extract, insurance, criminal record): documents are deleted this
# many days after an operator's decision (the decision is kept); helpers are reminded this many
# days before an approved document expires.
QUARTIER_VETTING_RETENTION_DAYS = int(os.environ.get("QUARTIER_VETTING_RETENTION_DAYS", "30"))
QUARTIER_VETTING_REMIND_DAYS = int(os.environ.get("QUARTIER_VETTING_REMIND_DAYS", "30"))
# Either party may report a problem with a booking until this many days after it.
QUARTIER_DISPUTE_DAYS = int(os.environ.get("QUARTIER_DISPUTE_DAYS", "14"))
# Cancellation terms per market (bookings/cancellation.py): free until `free_hours` before
# the booked start; later a customer owes `fee_percent` of their share of the price, booked
# like a small settled job (the helper gets it less the usual commission). `visit_fee_minor`
# (default 0: none) is what a public job's visit costs when the helper could not fix it
# (bookings/visit.py); partner programs set their own (Program.visit_fee_minor).
# QUARTIER_CANCELLATION='{"default": {"free_hours": 24, "fee_percent": 50}, "DE": {...}}'
QUARTIER_CANCELLATION: dict[str, dict[str, int]] = json.loads(
    os.environ.get("QUARTIER_CANCELLATION", '{"default": {"free_hours": 24, "fee_percent": 50}}')
)

# Matches returned for one request by default, and the radius cap a helper may choose.
QUARTIER_MATCH_LIMIT = int(os.environ.get("QUARTIER_MATCH_LIMIT", "20"))
QUARTIER_MAX_SERVICE_RADIUS_KM = int(os.environ.get("QUARTIER_MAX_SERVICE_RADIUS_KM", "100"))
# h3 resolution of the cell stored on every located row (res 8: ~0.7 km² cells).
QUARTIER_H3_RESOLUTION = 8
# Fairness: a helper with this many open invitations is not invited to more.
QUARTIER_MAX_OPEN_INVITATIONS = int(os.environ.get("QUARTIER_MAX_OPEN_INVITATIONS", "5"))
# Ranking weights and parameters (see quartier/matching/ranking.py for their meaning), e.g.
# QUARTIER_RANKING='{"w_distance": 0.4, "distance_half_km": 5}'.
QUARTIER_RANKING: dict[str, float] = json.loads(os.environ.get("QUARTIER_RANKING", "{}"))

# Dispatch (see quartier/dispatch/services.py): invite the best `WAVE_SIZE` helpers, then, every
# `WAVE_MINUTES` without a new offer, the next ones down the ranking (each wave 50% larger, at
# most `MAX_WAVE_SIZE`); quote requests stop inviting at `MAX_QUOTES` offers; everything stops
# `LEAD_HOURS` before the request's window starts. `quartier worker` runs the due waves (the
# dispatch tick) every `QUARTIER_TICK_SECONDS` even when a deferred task was lost.
QUARTIER_DISPATCH_WAVE_SIZE = int(os.environ.get("QUARTIER_DISPATCH_WAVE_SIZE", "5"))
QUARTIER_DISPATCH_MAX_WAVE_SIZE = int(os.environ.get("QUARTIER_DISPATCH_MAX_WAVE_SIZE", "50"))
QUARTIER_DISPATCH_MAX_QUOTES = int(os.environ.get("QUARTIER_DISPATCH_MAX_QUOTES", "5"))
QUARTIER_DISPATCH_WAVE_MINUTES = float(os.environ.get("QUARTIER_DISPATCH_WAVE_MINUTES", "30"))
QUARTIER_DISPATCH_LEAD_HOURS = float(os.environ.get("QUARTIER_DISPATCH_LEAD_HOURS", "2"))
from quartier.dispatch_settings import *  # noqa: E402, F403 (batch dispatch)

# `quartier worker` runs every registered tick (quartier/ticks.py) this often, unless a tick
# asked for its own interval (QUARTIER_DISPATCH_TICK_SECONDS is the old name).
QUARTIER_TICK_SECONDS = float(
    os.environ.get("QUARTIER_TICK_SECONDS", os.environ.get("QUARTIER_DISPATCH_TICK_SECONDS", "30"))
)

# Partner webhooks (see partners/integration/delivery.py): plain-http and loopback endpoint URLs
# only outside production (local receivers, tests); an endpoint whose deliveries keep failing
# with no success for `DISABLE_AFTER_HOURS` is disabled and the partner e-mailed.
QUARTIER_WEBHOOK_ALLOW_LOOPBACK = _env_bool("QUARTIER_WEBHOOK_ALLOW_LOOPBACK", not PRODUCTION)
QUARTIER_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("QUARTIER_WEBHOOK_TIMEOUT_SECONDS", "10"))
QUARTIER_WEBHOOK_DISABLE_AFTER_HOURS = float(
    os.environ.get("QUARTIER_WEBHOOK_DISABLE_AFTER_HOURS", "72")
)

# Partner API: calls a minute per API key, and how long Idempotency-Key answers are kept.
QUARTIER_PARTNER_RATE_LIMIT = int(os.environ.get("QUARTIER_PARTNER_RATE_LIMIT", "120"))
QUARTIER_PARTNER_IDEMPOTENCY_HOURS = float(
    os.environ.get("QUARTIER_PARTNER_IDEMPOTENCY_HOURS", "24")
)

# Money: commission, VAT on it, the commission pause, card / TWINT (money_settings.py).
from quartier.money_settings import (  # noqa: E402, F401 (settings are module names)
    QUARTIER_COMMISSION,
    QUARTIER_COMMISSION_PAUSE_MINOR,
    QUARTIER_COMMISSION_VAT,
    QUARTIER_VAT_REGISTERED,
    STRIPE_API_BASE,
    STRIPE_API_KEY,
    STRIPE_WEBHOOK_SECRET,
)

# Compliance (DAC7 / PStTG): days between the reminders about missing tax reporting data;
# after two unanswered reminders the seller takes no new bookings until it is complete.
QUARTIER_DAC7_REMINDER_DAYS = int(os.environ.get("QUARTIER_DAC7_REMINDER_DAYS", "14"))

# Account deletion (quartier/privacy): days between a member's request and the erasure, in
# which they may cancel it.
QUARTIER_DELETION_GRACE_DAYS = int(os.environ.get("QUARTIER_DELETION_GRACE_DAYS", "30"))
# Years the law keeps books and invoices, per country of the issuer, counted from the end
# of the year of issue (CH Art. 958f OR: 10; DE § 147 AO / § 14b UStG: 8).
QUARTIER_RETENTION_YEARS: dict[str, int] = json.loads(
    os.environ.get("QUARTIER_RETENTION_YEARS", '{"CH": 10, "DE": 8}')
)

# Log-in throttling (quartier/accounts/throttle.py), counted in the shared cache: after this
# many failed log-ins for one account, or from one client address (IPv6: per /64), within
# the window, every attempt is refused (the right password too) for one full window.
QUARTIER_LOGIN_WINDOW_SECONDS = int(os.environ.get("QUARTIER_LOGIN_WINDOW_SECONDS", "900"))
QUARTIER_LOGIN_MAX_FAILURES_ACCOUNT = int(
    os.environ.get("QUARTIER_LOGIN_MAX_FAILURES_ACCOUNT", "5")
)
QUARTIER_LOGIN_MAX_FAILURES_ADDRESS = int(
    os.environ.get("QUARTIER_LOGIN_MAX_FAILURES_ADDRESS", "20")
)
# Password-reset requests: at most this many per e-mail address and per client address in
# the window, whether or not the e-mail has an account.
QUARTIER_RESET_WINDOW_SECONDS = int(os.environ.get("QUARTIER_RESET_WINDOW_SECONDS", "3600"))
QUARTIER_RESET_MAX_EMAIL = int(os.environ.get("QUARTIER_RESET_MAX_EMAIL", "5"))
QUARTIER_RESET_MAX_ADDRESS = int(os.environ.get("QUARTIER_RESET_MAX_ADDRESS", "20"))

# API bearer tokens (POST /api/v1/auth/login) work this many days from log-in (a fixed
# expiry: using a token does not extend it), and never past a change of the password.
QUARTIER_API_TOKEN_DAYS = float(os.environ.get("QUARTIER_API_TOKEN_DAYS", "30"))
