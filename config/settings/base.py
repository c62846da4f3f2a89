"""Settings shared by every mode, read from the environment.

`DATABASE_URL` picks the database (default: an SQLite file under ./var/); the rest have safe
defaults for a local demo. Production differences live in `production.py`.
"""

import os
from pathlib import Path

import dj_database_url

from config.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("MEDIAMATRIX_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-demo-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "ninja",
    "mediamatrix.core",
    "mediamatrix.users",
    "mediamatrix.orgs",
    "mediamatrix.ingestion",
    "mediamatrix.notices",
    "mediamatrix.indices",
    "mediamatrix.review",
]

MIDDLEWARE = [
    "mediamatrix.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mediamatrix.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "mediamatrix.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mediamatrix.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web process reads; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "mediamatrix" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Browser libraries come from the npm packages pinned in package.json, served by us, never a CDN.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Imports larger than this are streamed to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
MEDIAMATRIX_IMPORT_MAX_BYTES = int(env_str("MEDIAMATRIX_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))

# Indices (docs/indices.md): which formula ranks each platform, the data conventions, the weights.
MEDIAMATRIX_INDEX_FORMULAS = {
    "wechat_oa": "wci-v14.2",
    "weibo": "bci",
    "bilibili": "bvci",
    "douyin": "svci",
    "kuaishou": "svci",
    "wechat_channels": "svci",
}
MEDIAMATRIX_INDEX_DEFAULT_FORMULA = "aci"  # Toutiao, websites, apps and the rest
MEDIAMATRIX_INDEX_PARAMS: dict[str, dict[str, float]] = {"wci-v14.2": {"K": 10.0}}
# Each post counts with its metrics this many days after publishing, by kind of period.
MEDIAMATRIX_INDEX_SETTLE_DAYS = {
    "day": 2,
    "week": 7,
    "month": 7,
    "quarter": 7,
    "year": 7,
    "custom": 7,
}
# WeChat shows reads above 100,000 as “10万+”; indices count every such article as 100001.
MEDIAMATRIX_INDEX_WECHAT_READS_CAP: int | None = 100001
# Inspection health: no update this many days is long-dormant, then a candidate for closure.
MEDIAMATRIX_HEALTH_LONG_DORMANT_DAYS = 90
MEDIAMATRIX_HEALTH_CLOSE_AFTER_DAYS = 180
# Standing review decisions on serious wrong statements count as vetoes for this many days.
MEDIAMATRIX_HEALTH_VETO_WINDOW_DAYS = 365
# Bulletins (通报): the rectification deadline in days after the period ends, the length of the
# top and bottom lists per platform, and how many periods the trend chart looks back over.
MEDIAMATRIX_BULLETIN_RECTIFY_DAYS = 15
MEDIAMATRIX_BULLETIN_TOP = 10
MEDIAMATRIX_BULLETIN_BOTTOM = 10
MEDIAMATRIX_BULLETIN_TREND_PERIODS = 6

# Content checks: folders whose word lists extend the built-in ones (same file names).
MEDIAMATRIX_CHECK_LEXICON_DIRS: list[str] = [
    d for d in env_str("MEDIAMATRIX_CHECK_LEXICON_DIRS", "").split(os.pathsep) if d
]
# Findings at or above this severity put a post in the review queue; lower ones are kept and
# shown with the post (precision first: a reviewer who sees ten false alarms stops reading).
MEDIAMATRIX_REVIEW_QUEUE_MIN_SEVERITY = env_str("MEDIAMATRIX_REVIEW_QUEUE_MIN_SEVERITY", "medium")
# Check every new or changed post in the background as it is ingested.
MEDIAMATRIX_REVIEW_AUTO_CHECK = env_bool("MEDIAMATRIX_REVIEW_AUTO_CHECK", True)

# Notices (docs/notices.md): links in emails and chat messages are absolute on this address;
# a failed delivery is retried after 1, 5, 25, 125 … minutes (first wait × factor each time),
# then given up after the last attempt.
MEDIAMATRIX_SITE_URL = env_str("MEDIAMATRIX_SITE_URL", "http://127.0.0.1:8000")
MEDIAMATRIX_NOTICE_MAX_ATTEMPTS = 5
MEDIAMATRIX_NOTICE_RETRY_MINUTES = 1
MEDIAMATRIX_NOTICE_RETRY_FACTOR = 5
MEDIAMATRIX_NOTICE_HTTP_TIMEOUT = 10.0  # seconds, for each chat-bot webhook call
# Outgoing email (the notices' email channel): Django's SMTP mailer configured from the
# environment; EMAIL_BACKEND may name another backend (console, file…), which takes no options.
_EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
_SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": int(env_str("EMAIL_PORT", "25")),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "use_ssl": env_bool("EMAIL_USE_SSL", False),
    "timeout": 20,
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _EMAIL_BACKEND.endswith(".smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mediamatrix@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mediamatrix.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # httpx logs every request URL at INFO, and platform APIs put access tokens in URLs.
    "loggers": {
        "apscheduler": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Platform APIs (tests point these at local servers that speak the same protocol).
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com")
