"""ZI Portal settings: one module, configured only from environment variables.

Development defaults are safe (SQLite, in-process tasks, DEBUG off unless asked for);
values that only production needs have no default and fail loudly when missing.
"""

import os
import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules

_env = environ.Env()


def env_str(name: str, default: str | None = None) -> str | None:
    """A string from NAME, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "notifications",
    "audit",
    "areas",
    "evidence",
    "scoring",
    "plans",
    "reports",
    "dashboards",
    "workspace",
    "queues",
    "demo",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zi_portal.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: refuses NUL in query strings, and answers 507 for an upload that found the disk full.
    "zi_portal.middleware.RequestGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Not Django's LocaleMiddleware: the browser's language is ignored (docs/i18n.md).
    "accounts.locale.PortalLocaleMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "audit.middleware.AuditDenialsMiddleware",
]

ROOT_URLCONF = "zi_portal.urls"
WSGI_APPLICATION = "zi_portal.wsgi.application"
ASGI_APPLICATION = "zi_portal.asgi.application"

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
                "accounts.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
            # Number and date filters (accounts/formatting.py) everywhere without {% load %}.
            "builtins": ["accounts.templatetags.formatting"],
        },
    },
]

# Database: SQLite by default (WAL, busy timeout, immediate transactions so concurrent
# writers queue instead of failing), PostgreSQL when DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    if DATABASE_URL.split("://", 1)[0] not in ("postgres", "postgresql", "pgsql", "sqlite"):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// (or sqlite://) URL")
    try:
        DATABASES = {"default": _env.db_url_config(DATABASE_URL)}
    except Exception as exc:  # environ raises several kinds for a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor sign-in (django-otp): TOTP apps and recovery codes; required for administrators and
# TPI (accounts/two_factor.py, docs/security.md).
OTP_TOTP_ISSUER = "ZI Portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Brute-force protection on the login form (docs/operations.md): a username is locked on one
# address after AXES_FAILURE_LIMIT failures, and an address is locked for every username after
# AXES_ADDRESS_FAILURE_LIMIT failures (password spraying). The order of the parameters matters to
# accounts.throttle.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
if AXES_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("AXES_ADDRESS_FAILURE_LIMIT must be at least AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.throttle.AddressThrottleHandler"
# The same address the audit trail records (EVIDENCE_CLIENT_IP_HEADER behind a proxy).
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_ENABLED = env_bool("AXES_ENABLED", not TESTING)

# Language and formats: Indonesian first.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
FORMAT_MODULE_PATH = ["zi_portal.formats"]
LANGUAGE_COOKIE_NAME = "zi_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
# Where collectstatic writes; in production the reverse proxy serves /static/ from here.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives outside any served path; it is only ever streamed by a view that
# checks access (or handed to the reverse proxy with X-Accel-Redirect).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: no inline script or style anywhere, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Security headers; HTTPS-only settings are on unless explicitly turned off (e.g. local).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# The preload flag only declares eligibility; listing still needs the domain owner to submit it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Nothing is framed, except evidence previews, which opt in per view.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# Mail: Django's SMTP backend as soon as EMAIL_HOST is set, the console otherwise (development).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587 if EMAIL_HOST else 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST))
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ZI Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise tasks run in-process (eagerly) so the
# embedded default needs no other service.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660)
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Evidence ---
# Uploaded evidence. Files live in private storage and are only ever served by the
# access-checked views of evidence/views.py (or handed to the reverse proxy, see below).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 25 * 1024 * 1024)
# Comma-separated, with or without the dot; only formats evidence/validation.py can check work.
EVIDENCE_ALLOWED_EXTENSIONS = [
    "." + ext.lower().lstrip(".")
    for ext in env_list("EVIDENCE_ALLOWED_EXTENSIONS", "pdf jpg jpeg png docx xlsx pptx odt ods".split())
]
EVIDENCE_MAX_IMAGE_PIXELS = env_int("EVIDENCE_MAX_IMAGE_PIXELS", 40_000_000)
# Uploads go to a temporary file on disk past this size, so a large file never sits in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024)
# Where uploads in progress are spooled (Django's and the validator's); empty: the system's.
EVIDENCE_TMP_DIR = env_str("EVIDENCE_TMP_DIR") or None
FILE_UPLOAD_TEMP_DIR = EVIDENCE_TMP_DIR
# The spool handler removes a partial file when the disk is full (zi_portal/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "zi_portal.uploads.SpoolUploadHandler",
]
# Production behind nginx: an `internal` location with this prefix aliases MEDIA_ROOT, and the
# download view answers with X-Accel-Redirect instead of streaming the file itself.
EVIDENCE_X_ACCEL_PREFIX = env_str("EVIDENCE_X_ACCEL_PREFIX", "")
if EVIDENCE_X_ACCEL_PREFIX and not (EVIDENCE_X_ACCEL_PREFIX.startswith("/") and EVIDENCE_X_ACCEL_PREFIX.endswith("/")):
    raise ImproperlyConfigured("EVIDENCE_X_ACCEL_PREFIX must start and end with '/', e.g. /_bukti/")
# The request header (WSGI name) holding the client address for the audit log, e.g. HTTP_X_REAL_IP
# behind a reverse proxy that sets it.
EVIDENCE_CLIENT_IP_HEADER = env_str("EVIDENCE_CLIENT_IP_HEADER", "REMOTE_ADDR")
# Optional malware scan: every upload goes to clamd (INSTREAM) before it is stored. A unix socket
# path or host:port; empty: off. Unreachable scanner: the upload is refused (docs/operations.md).
CLAMD_SOCKET = env_str("CLAMD_SOCKET", "")
if CLAMD_SOCKET and not CLAMD_SOCKET.startswith("/"):
    _host, _sep, _port = CLAMD_SOCKET.rpartition(":")
    if not (_host and _sep and _port.isdigit()):
        raise ImproperlyConfigured("CLAMD_SOCKET must be a unix socket path (/run/clamav/clamd.ctl) or host:port")
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 60)
# S3-compatible object storage (django-storages) instead of MEDIA_ROOT when a bucket is named.
EVIDENCE_S3_BUCKET = env_str("EVIDENCE_S3_BUCKET", "")
if EVIDENCE_S3_BUCKET:
    if EVIDENCE_X_ACCEL_PREFIX:
        raise ImproperlyConfigured("EVIDENCE_X_ACCEL_PREFIX works with local storage only, not EVIDENCE_S3_BUCKET")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,  # objects inherit the bucket's (private) policy
            "querystring_auth": True,
            "file_overwrite": False,
            # Downloads spool through a temporary file that moves to disk past this size.
            "max_memory_size": 1024 * 1024,
        },
    }

# --- Reports ---
# Report jobs: rendered by Celery workers on the "render" queue, never in a web
# request (without REDIS_URL the same code runs in-process, see CELERY_TASK_ALWAYS_EAGER).
CELERY_TASK_ROUTES = {"reports.tasks.render_report": {"queue": "render"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing while Redis is down fails within a second instead of hanging the web request: the
# job stays pending and the sweeper sends it later. The visibility timeout must exceed the hard
# time limit, or Redis would hand a message still being rendered to a second worker.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "visibility_timeout": max(3600, 2 * CELERY_TASK_TIME_LIMIT),
}
# A worker that loses Redis stops its late-acknowledged tasks: their messages are delivered again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULE = {
    "reports-sweep": {"task": "reports.tasks.sweep_reports", "schedule": env_int("REPORT_SWEEP_SECONDS", 60)},
    "reports-purge-expired": {"task": "reports.tasks.purge_expired_reports", "schedule": 3600},
}
# Finished files can be downloaded again for this many days, then the hourly purge deletes them.
REPORT_EXPIRY_DAYS = env_int("REPORT_EXPIRY_DAYS", 7)
# The sweeper re-sends a job still pending this long after it was sent (or created, if sending failed).
REPORT_RESEND_AFTER_SECONDS = env_int("REPORT_RESEND_AFTER_SECONDS", 120)
# A job running longer than the hard time limit lost its worker.
REPORT_STALE_AFTER_SECONDS = CELERY_TASK_TIME_LIMIT + 60
# A rendering worker touches its job row this often; a running job whose last heartbeat is older
# than REPORT_HEARTBEAT_STALE_SECONDS lost its worker and the sweeper sends it again. With the
# one-minute sweep, a job whose worker died is re-sent within two minutes.
REPORT_HEARTBEAT_SECONDS = env_int("REPORT_HEARTBEAT_SECONDS", 15)
REPORT_HEARTBEAT_STALE_SECONDS = env_int("REPORT_HEARTBEAT_STALE_SECONDS", 45)
if REPORT_HEARTBEAT_STALE_SECONDS < 2 * REPORT_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("REPORT_HEARTBEAT_STALE_SECONDS must be at least twice REPORT_HEARTBEAT_SECONDS")
# Where workers write documents before storing them; empty: the system's temporary directory.
REPORT_TMP_DIR = env_str("REPORT_TMP_DIR") or None
# The portal's public address (e.g. https://zi.example.go.id), for links inside exported files.
REPORT_SITE_URL = env_str("REPORT_SITE_URL", "")

# --- Notifications and reminders ---
# The portal's public address for links in e-mails (e.g. https://zi.example.go.id); falls back to
# REPORT_SITE_URL, and to the development server locally.
SITE_URL = env_str("SITE_URL", "") or REPORT_SITE_URL or ("http://127.0.0.1:8000" if (DEBUG or TESTING) else "")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://")
# Daily jobs at a fixed local time (CELERY_TIMEZONE, Asia/Jakarta): deadline reminders, then the
# digest of the day before. docs/notifications.md explains both.
REMINDER_HOUR = env_int("REMINDER_HOUR", 7)
if not 0 <= REMINDER_HOUR <= 23:
    raise ImproperlyConfigured("REMINDER_HOUR must be between 0 and 23")
CELERY_BEAT_SCHEDULE.update({
    "queues-send-reminders": {"task": "queues.tasks.send_reminders", "schedule": crontab(hour=REMINDER_HOUR, minute=0)},
    "notifications-send-digests": {
        "task": "notifications.tasks.send_digests", "schedule": crontab(hour=REMINDER_HOUR, minute=5)},
    "notifications-resend-unsent": {"task": "notifications.tasks.resend_unsent_emails", "schedule": 600},
})

# --- Pengusulan and PortalRB (docs/portalrb.md) ---
# Evaluator links (bukti_dukung_unit) stay open this many days unless revoked.
EVALUATOR_LINK_DAYS = env_int("EVALUATOR_LINK_DAYS", 60)
# PortalRB tokens issued without --days last this long.
PORTALRB_TOKEN_DAYS = env_int("PORTALRB_TOKEN_DAYS", 365)
# Calls per token per minute before the API answers 429.
PORTALRB_RATE_LIMIT = env_int("PORTALRB_RATE_LIMIT", 60)
# The evaluation year the API serves; 0 means the current calendar year.
PORTALRB_YEAR = env_int("PORTALRB_YEAR", 0)
