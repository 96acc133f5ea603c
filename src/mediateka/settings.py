"""Mediateka's one settings module: every value comes from the environment through typed readers.

Defaults suit one machine with SQLite under MEDIATEKA_DATA_DIR; production names its database,
hosts and secret in the environment (docs/deploy.md).
"""

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from mediateka.env import env_bool, env_int, env_list, env_path, env_str

PACKAGE_DIR = Path(__file__).resolve().parent

# One folder holds the SQLite database, the media and the generated secret, so that two instances
# with two data dirs never touch each other.
DATA_DIR = env_path("MEDIATEKA_DATA_DIR", "./var")
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir.

    A generated key keeps a fresh `make run` free of any fixed secret in the code.
    """
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "mediateka.mission",
    "mediateka.catalogue",
    "mediateka.video",
    "mediateka.web",
    "mediateka.demo",
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
]

ROOT_URLCONF = "mediateka.urls"
WSGI_APPLICATION = "mediateka.wsgi.application"

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
                "mediateka.web.context.languages",
            ],
        },
    },
]


def _database() -> dict:
    default_sqlite = f"sqlite:///{DATA_DIR / 'mediateka.sqlite3'}"
    config = dj_database_url.parse(env_str("DATABASE_URL", default_sqlite))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while the worker writes; IMMEDIATE makes a writer take the lock
        # at BEGIN instead of failing mid-transaction with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("tg", _("Tajik"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of en, ru, tg, not {LANGUAGE_CODE!r}.")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Dushanbe")
USE_TZ = True

# Catalogue text is written in English first; a missing Russian or Tajik text falls back to it,
# and the page says so (catalogue.translated).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ru", "tg")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "ru", "tg")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "MEDIATEKA_STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

FFMPEG_BINARY = env_str("MEDIATEKA_FFMPEG", "")

# Video: what an upload may be, where work happens, how media are handed out.
MEDIATEKA_MAX_UPLOAD_BYTES = env_int("MEDIATEKA_MAX_UPLOAD_BYTES", 8 * 1024**3, minimum=1)
MEDIATEKA_ACCEPTED_CONTAINERS = env_list(
    "MEDIATEKA_ACCEPTED_CONTAINERS", ["mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "3gp"]
)
MEDIATEKA_MAX_DURATION = env_int("MEDIATEKA_MAX_DURATION", 4 * 3600, minimum=1)
MEDIATEKA_UPLOAD_DIR = env_path("MEDIATEKA_UPLOAD_DIR", str(DATA_DIR / "uploads"))
MEDIATEKA_WORK_DIR = env_path("MEDIATEKA_WORK_DIR", str(DATA_DIR / "work"))
MEDIATEKA_SIGNED_URL_SECONDS = env_int("MEDIATEKA_SIGNED_URL_SECONDS", 6 * 3600, minimum=60)
# An nginx internal location (e.g. /protected-media/) that serves MEDIA_ROOT; empty: Django serves.
MEDIATEKA_ACCEL_REDIRECT = env_str("MEDIATEKA_ACCEL_REDIRECT", "")
# A replaced encoding stays this long so that viewers in the middle of it can finish.
MEDIATEKA_SUPERSEDED_GRACE_SECONDS = env_int("MEDIATEKA_SUPERSEDED_GRACE_SECONDS", 3600, minimum=0)

# Behind TLS (MEDIATEKA_HTTPS=true) cookies are secure and browsers are told to stay on HTTPS.
HTTPS = env_bool("MEDIATEKA_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("MEDIATEKA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
