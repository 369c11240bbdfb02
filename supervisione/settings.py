"""Settings for Supervisione, read from environment variables.

One module for every environment. ``SUPERVISIONE_ENV`` is ``development`` (the default: DEBUG on unless
``DEBUG=0``, a throw-away secret key, SQLite in the project folder) or ``production`` (DEBUG must be off,
``SECRET_KEY`` and ``ALLOWED_HOSTS`` are required, cookies are secure, HSTS is on). Bad values fail at start-up
with a message that names the variable, never later with a stack trace in a page.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from supervisione.leps import pnrr

# Lets the code write ModelForm[Model] and similar generics that django-stubs type-checks.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on", "si", "sì"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_positive_int(name: str, default: int) -> int:
    value = env_int(name, default)
    if value <= 0:
        raise ImproperlyConfigured(f"{name}={value!r} must be a positive integer.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _day(text: str) -> date:
    """``2023-11-30`` or ``30/11/2023`` (ValueError otherwise)."""
    if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        return date(int(match[3]), int(match[2]), int(match[1]))
    return date.fromisoformat(text)


def env_day(name: str, default: date) -> date:
    """``2026-06-30`` or ``30/06/2026``; fails loudly on anything else."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return _day(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: {value!r} is not a day (e.g. 30/06/2026 or 2026-06-30).") from None


def env_days_by_year(name: str, default: dict[int, date]) -> dict[int, date]:
    """``2023=30/11/2023,2024=2024-03-31`` -> {2023: date(2023, 11, 30), 2024: date(2024, 3, 31)}; an empty value
    is no day for any year."""
    value = os.environ.get(name)
    if value is None:
        return dict(default)
    days: dict[int, date] = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        year_text, _equals, day_text = item.partition("=")
        try:
            year, day = int(year_text.strip()), _day(day_text.strip())
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not year=day (e.g. 2024=31/03/2024 or 2024=2024-03-31)."
            ) from None
        if year in days:
            raise ImproperlyConfigured(f"{name} names the year {year} twice.")
        days[year] = day
    return days


def database_from_url(url: str, pool_size: int = 0) -> dict[str, Any]:
    """Parse DATABASE_URL; only SQLite and PostgreSQL are supported. ``pool_size`` > 0 gives PostgreSQL a pool of
    at most that many connections per process (DATABASE_POOL_SIZE)."""
    scheme = url.split(":", 1)[0].lower()
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with sqlite:/// or postgres://, not {scheme!r} (value: {url!r})."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(f"DATABASE_URL {url!r} cannot be parsed: {error}") from None
    if scheme == "sqlite":
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} has no file path (use sqlite:///path/to/db).")
        config["CONN_MAX_AGE"] = 0
        # WAL lets readers continue while a write is in progress; a busy timeout avoids spurious locks.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no database.")
    else:
        options = config.setdefault("OPTIONS", {})
        if pool_size > 0:
            # Each worker process keeps a pool of open connections (psycopg_pool, Django's "pool" option) instead
            # of opening one per request; persistent connections (CONN_MAX_AGE) and a pool exclude each other.
            options["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": 10}
            config["CONN_MAX_AGE"] = 0
        # No JIT compilation and no parallel workers: the pages' queries are short, but those over a national
        # month or year of sessions pass jit_above_cost and the parallel thresholds, and spent more compiling
        # (about 90 ms) or starting workers on the 2 cores the requests share than running (docs/PERFORMANCE.md).
        options["options"] = f"{options.get('options', '')} -c jit=off -c max_parallel_workers_per_gather=0".strip()
    return config


def cache_from_url(url: str) -> dict[str, Any]:
    """CACHE_URL: ``locmem://`` (the default: each process its own, for one server), ``redis://host:port/db`` or
    ``rediss://`` (shared by every server: docs/DEPLOYMENT.md), ``dummy://`` (nothing kept)."""
    scheme, _sep, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "sv"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "supervisione"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem://, redis://, rediss:// or dummy://, not {url!r}.")


def document_storage(kind: str) -> dict[str, Any]:
    """Where documents are stored (FILE_STORAGE): ``filesystem`` under MEDIA_ROOT, or ``s3``, any S3-compatible
    object storage through django-storages, shared by every server (S3_BUCKET required; S3_ENDPOINT_URL for
    a storage other than AWS; S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or the usual AWS environment). Objects
    are private: the application reads them and streams them after an access check, never by their URL."""
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"FILE_STORAGE must be 'filesystem' or 's3', not {kind!r}.")
    options: dict[str, Any] = {
        "bucket_name": env_str("S3_BUCKET"),
        "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("S3_REGION", "") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
        "location": env_str("S3_PREFIX", ""),
        "addressing_style": env_str("S3_ADDRESSING_STYLE", "") or None,
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def fernet_keys(name: str, value: str) -> list[str]:
    """Comma-separated Fernet keys (32 url-safe base64 bytes each); the first encrypts, all decrypt."""
    keys = [item.strip() for item in value.split(",") if item.strip()]
    if not keys:
        raise ImproperlyConfigured(f"{name} names no key.")
    for key in keys:
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"{name} holds a key that is not a Fernet key (32 url-safe base64-encoded bytes): generate one with "
                '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.'
            ) from None
    return keys


# Published on purpose: development only, and production refuses it (secret_key_problem).
DEVELOPMENT_SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdef"  # noqa: S105  (published: production refuses it)
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10
# zlib output over input length: random keys (Django's, hex, base64) stay above 0.85; a repeated pattern ("ab" x 30,
# "0123456789" x 5) falls to 0.2-0.45.
SECRET_KEY_MIN_COMPRESSION = 0.8
HOW_TO_GENERATE_A_KEY = (
    'generate one with `python -c "from django.core.management.utils import get_random_secret_key; '
    'print(get_random_secret_key())"`'
)


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is not fit to sign sessions and tokens in production, or None.

    Length alone is not enough: sixty times the same character is long. A key must also vary (at least ten
    distinct characters: a hex key has sixteen) and not be a repeated pattern (it must not compress), and it must
    not be the development key published in this file or one of Django's "insecure" throw-away keys."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters long in production"
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure"):
        return "SECRET_KEY is a published development key"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        return f"SECRET_KEY has fewer than {SECRET_KEY_MIN_DISTINCT} distinct characters: it is trivially weak"
    if len(zlib.compress(key.encode(), 9)) < SECRET_KEY_MIN_COMPRESSION * len(key.encode()):
        return "SECRET_KEY repeats a pattern (it compresses): it is trivially weak"
    return None


ENVIRONMENT = env_str("SUPERVISIONE_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"SUPERVISIONE_ENV must be 'development' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when SUPERVISIONE_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if problem := secret_key_problem(SECRET_KEY):
        raise ImproperlyConfigured(f"{problem}: {HOW_TO_GENERATE_A_KEY}.")
else:
    SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)

# Supervisors' private notes are encrypted at rest with these keys (sessions.notes). Production needs its own,
# kept out of the database backups; development derives a throw-away one from the development secret key.
if PRODUCTION:
    NOTES_ENCRYPTION_KEYS = fernet_keys("NOTES_ENCRYPTION_KEYS", env_str("NOTES_ENCRYPTION_KEYS"))
else:
    NOTES_ENCRYPTION_KEYS = fernet_keys(
        "NOTES_ENCRYPTION_KEYS",
        env_str(
            "NOTES_ENCRYPTION_KEYS", base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
        ),
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production (comma-separated host names).")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "supervisione.accounts",
    "supervisione.audit",
    "supervisione.scheduling",
    "supervisione.territory",
    "supervisione.planning",
    "supervisione.supervisors",
    "supervisione.procurement",
    "supervisione.census",
    "supervisione.sessions",
    "supervisione.meetings",
    "supervisione.wellbeing",
    "supervisione.funding",
    "supervisione.monitoring",
    "supervisione.home",
    "supervisione.demo",
]

# What to do next, on the home page: each app's steps (<app>/steps.py), asked in this order (the most urgent
# first, then this order within a level). Listed here so that the home page imports no domain app.
HOME_STEPS = [
    "supervisione.territory.steps.territory_steps",
    "supervisione.census.steps.census_steps",
    "supervisione.procurement.steps.procurement_steps",
    "supervisione.supervisors.steps.supervisors_steps",
    "supervisione.planning.steps.planning_steps",
    "supervisione.sessions.steps.sessions_steps",
    "supervisione.monitoring.steps.monitoring_steps",
    "supervisione.meetings.steps.meetings_steps",
    "supervisione.wellbeing.steps.wellbeing_steps",
]
# The "Avvio" card of a new coordinator: the start of a partnership in order (the highest app it reads has it).
HOME_ONBOARDING = "supervisione.sessions.onboarding.onboarding"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "supervisione.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (its page shows the menu) and before anything reads the body (CSRF does, in
    # process_view).
    "supervisione.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "supervisione.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # WhiteNoise serves the collected static files (collectstatic) behind gunicorn; runserver does it in
    # development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "supervisione.urls"
WSGI_APPLICATION = "supervisione.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "supervisione" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "supervisione.accounts.context_processors.scope",
            ],
            "libraries": {"italian": "supervisione.lib.italian_tags"},
        },
    },
]

FORM_RENDERER = "supervisione.forms.ItaliaFormRenderer"

DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
if DATABASE_POOL_SIZE < 0:
    raise ImproperlyConfigured("DATABASE_POOL_SIZE must be 0 (no pool) or the largest number of connections.")
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), pool_size=DATABASE_POOL_SIZE
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "supervisione.accounts.passwords.ItalianMinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions expire after SESSION_IDLE_MINUTES without activity and when the browser closes. A session in use is
# saved again (its expiry moved ahead) at most every SESSION_REFRESH_SECONDS, not at every request
# (supervisione.middleware.SessionRefreshMiddleware): idle, it expires within that much of the idle time.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 120) * 60
SESSION_REFRESH_SECONDS = env_positive_int("SESSION_REFRESH_SECONDS", 300)
if SESSION_REFRESH_SECONDS * 4 > SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_REFRESH_SECONDS must be at most a quarter of SESSION_IDLE_MINUTES.")
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): lock a username from an address after AXES_FAILURE_LIMIT failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and every user name from an address after this many failures from it, whatever the user names (0: no limit),
# so that one address cannot try a few passwords on every user (supervisione.accounts.throttling).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "supervisione.accounts.throttling.ThrottlingHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"
# The user name axes records is cut to the longest a user can have (the login form refuses longer ones).
AXES_USERNAME_CALLABLE = "supervisione.accounts.throttling.username"
# Proxies in front of the application (e.g. 1 for nginx): the client's address for throttling is then read
# from X-Forwarded-For (supervisione.accounts.throttling).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "supervisione.accounts.throttling.client_address"
# Every failed login is kept (AccessFailureLog, besides the counters that lock out) for the security review;
# successful logins and logouts are in AccessLog.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Axes keeps the POST data of failed attempts: never the one-time codes nor the CSRF token.
AXES_SENSITIVE_PARAMETERS = ["code", "csrfmiddlewaretoken"]

# Optional two-factor verification (TOTP, django-otp) for coordinators and administrators: the issuer is the
# name the authenticator app shows next to the code.
OTP_TOTP_ISSUER = "Supervisione"

LANGUAGE_CODE = "it"
# Italian only until the interface has its English translation: with English offered, a browser asking for it
# got Django's messages in English inside Italian pages declared lang="it" (WCAG 3.1.1 and 3.1.2).
LANGUAGES = [("it", "Italiano")]
LOCALE_PATHS = [BASE_DIR / "supervisione" / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "supervisione" / "static"]
# Documents (registers, scans, contracts...) are read and written through Django's storage API only, so that
# several servers share them on object storage (FILE_STORAGE=s3, docs/DEPLOYMENT.md).
FILE_STORAGE = env_str("FILE_STORAGE", "filesystem")
STORAGES = {
    "default": document_storage(FILE_STORAGE),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files are never served from MEDIA_URL: views stream them after an access check.
MEDIA_URL = "/non-servito/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest request body accepted, uploads included (RequestSizeLimitMiddleware); each upload form also
# sets its own, smaller limit per file with lib.uploads.check_upload.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_MB", 25) * 1024 * 1024
if MAX_REQUEST_BYTES <= 0:
    raise ImproperlyConfigured("MAX_REQUEST_MB must be a positive number of megabytes.")
# Stored documents are readable by the application's user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Census imports (supervisione.lib.spreadsheets; docs/SECURITY.md, "Imports"): what one file may hold and how
# long reading and checking it may take. The largest ATS has a few hundred people, a whole region's census a few
# tens of thousands of positions; an XLSX of 50,000 rows is about 46 MB uncompressed.
IMPORT_MAX_ROWS = env_positive_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_CELL_CHARS = env_positive_int("IMPORT_MAX_CELL_CHARS", 5_000)
IMPORT_MAX_XLSX_MB = env_positive_int("IMPORT_MAX_XLSX_MB", 100)
IMPORT_MAX_XLSX_RATIO = env_positive_int("IMPORT_MAX_XLSX_RATIO", 100)
IMPORT_MAX_SECONDS = env_positive_int("IMPORT_MAX_SECONDS", 20)
# A document built in the background (an evidence pack, a report) that has not moved on for this many minutes was
# stopped (monitoring.jobs); EVIDENCE_PACK_STALLED_MINUTES is its name before reports became jobs too.
DOCUMENT_JOB_STALLED_MINUTES = env_positive_int(
    "DOCUMENT_JOB_STALLED_MINUTES", env_positive_int("EVIDENCE_PACK_STALLED_MINUTES", 10)
)

# What is kept between requests (CACHE_URL): in each process by default; with several servers a Redis they share
# (docs/DEPLOYMENT.md). Log-in sessions are in the database, which every server shares.
CACHES = {"default": cache_from_url(env_str("CACHE_URL", "locmem://"))}

# Background work (django-tasks): imports are read by a worker process (`manage.py db_worker`), never inside
# the request that uploads them. "immediate" runs a task where it is enqueued: tests use it, production refuses.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}.")
if PRODUCTION and TASKS_BACKEND == "immediate":
    raise ImproperlyConfigured(
        "TASKS_BACKEND=immediate runs imports inside the web request: production needs the database backend and a "
        "worker (manage.py db_worker)."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}

# The day's jobs (manage.py run_scheduled, on every server; each job runs once a day, by one server): name ->
# (management command, "HH:MM" local time from which it runs[, arguments]).
# The queue's finished tasks (e-mails with their links among them) are kept a week, failed ones a month.
SCHEDULED_JOBS: dict[str, tuple[str, ...]] = {
    "pulizia-coda": ("prune_db_task_results", "03:00", "--min-age-days", "7", "--failed-min-age-days", "30"),
    "rilevazioni-benessere": ("close_wellbeing_waves", "06:00"),
    "avvisi": ("monitoring_alerts", "07:00"),
    "promemoria": ("send_reminders", "07:30"),
}
# A run still "in corso" after this many minutes is taken over by another server (its own stopped midway).
SCHEDULED_JOB_STALE_MINUTES = env_positive_int("SCHEDULED_JOB_STALE_MINUTES", 60)

# The national observatory's figures (a year of every ATS) are kept this many seconds and shared by observers
# who see the same plans, in the shared cache (monitoring.observatory); 0 computes them at every request.
OBSERVATORY_CACHE_SECONDS = env_int("OBSERVATORY_CACHE_SECONDS", 600)
if OBSERVATORY_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("OBSERVATORY_CACHE_SECONDS must be 0 (no cache) or a number of seconds.")

# The Ministry's deadline for filing each year's POA on the Piattaforma Multifondo: only years whose deadline a known
# act fixed (issue 15: 30/11/2023 for the POA 2023, 31/03/2024 for the POA 2024). Any other year has none, and the
# pages say the Ministry has not fixed it yet; add a year when its act is out, e.g.
# MULTIFONDO_DEADLINES="2023=30/11/2023,2024=31/03/2024,2027=31/03/2027".
MULTIFONDO_DEADLINES = env_days_by_year("MULTIFONDO_DEADLINES", {2023: date(2023, 11, 30), 2024: date(2024, 3, 31)})

# The end of the activities of a PNRR M5C2 1.1.4 project whose funding row names none (issue 16: 30/06/2026 by the
# Ministry's note of November 2025). A row may name its own end, and an exception up to 31/08/2026 with its act.
PNRR_ACTIVITIES_END = env_day("PNRR_ACTIVITIES_END", pnrr.ACTIVITIES_END)
# The records of a closed PNRR project are kept to the end of the audit period: five years after the last payment
# of December 2026 (European Commission and Court of Auditors). Nothing deletes them before (funding/retention.py).
PNRR_RECORDS_KEPT_UNTIL = env_day("PNRR_RECORDS_KEPT_UNTIL", date(2031, 12, 31))

# E-mails go through the task queue (supervisione.lib.mail): sent at the commit of what sends them, delivered by
# the worker with EMAIL_BACKEND (console by default; SMTP in production), tried again after a failure.
# EMAIL_QUEUED=0 delivers inside the request instead.
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_BACKEND = (
    "supervisione.lib.mail.QueuedEmailBackend" if env_bool("EMAIL_QUEUED", default=True) else EMAIL_DELIVERY_BACKEND
)
# The folder of Django's file-based backend (``...filebased.EmailBackend``): the browser journeys read there the
# links of the e-mails the product sends.
if email_folder := env_str("EMAIL_FILE_PATH", ""):
    EMAIL_FILE_PATH = email_folder
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Supervisione <noreply@supervisione.invalid>")
# An invitation's link works for this many days (a resend gives a new link for as many); a password reset link
# for this many hours (Django's default is three days: a shorter window for a link that opens an account).
INVITATION_DAYS = env_positive_int("INVITATION_DAYS", 7)
# Wellbeing questionnaires: results only for cells of at least this many respondents (a system check refuses
# fewer than 3, the SISTAN minimum; burn-out is health data, hence 5).
WELLBEING_MIN_CELL = env_int("WELLBEING_MIN_CELL", 5)
PASSWORD_RESET_TIMEOUT = env_positive_int("PASSWORD_RESET_HOURS", 24) * 3600

# Security headers. The Content-Security-Policy comes from supervisione.middleware (Django 5.2 has none of
# its own); no template contains inline scripts or styles.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "supervisione.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{host}" for host in ALLOWED_HOSTS])

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}},
}
