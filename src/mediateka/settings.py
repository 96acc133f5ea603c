"""Mediateka's one settings module: every value comes from the environment through typed readers.

Defaults suit one machine with SQLite under MEDIATEKA_DATA_DIR; production names its database,
hosts and secret in the environment (docs/deploy.md).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mediateka.env import (
    data_dir,
    database_url,
    env_addresses,
    env_bool,
    env_choice,
    env_int,
    env_json,
    env_list,
    env_path,
    env_str,
    secret_key,
)
from mediateka.ops.logs import config as logging_config

PACKAGE_DIR = Path(__file__).resolve().parent

# One folder holds the SQLite database, the media and the generated secret, so that two instances
# with two data dirs never touch each other.
DATA_DIR = data_dir("MEDIATEKA_DATA_DIR", "./var")
(DATA_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Serving other hosts than this machine: a deployment, whose nodes must share one SECRET_KEY.
MEDIATEKA_PRODUCTION = not DEBUG and bool(
    set(ALLOWED_HOSTS) - {"127.0.0.1", "localhost", "[::1]", "testserver"}
)


# A deployment sets one, the same on every node; else it is made once and kept in the data dir.
MEDIATEKA_SECRET_KEY_GENERATED = not env_str("SECRET_KEY", "")
SECRET_KEY = secret_key("SECRET_KEY", DATA_DIR / "secret_key", required=MEDIATEKA_PRODUCTION)
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
    "axes",
    "django_tasks",
    "django_tasks_db",
    "mediateka.mission",
    "mediateka.catalogue",
    "mediateka.video",
    "mediateka.outreach",
    "mediateka.search",
    "mediateka.api",
    "mediateka.syndication",
    "mediateka.transfer",
    "mediateka.web",
    "mediateka.demo",
    "mediateka.ops",
    "mediateka.objectstore",
]

MIDDLEWARE = [
    # First, so that every log line of a request names it (ops.logs).
    "mediateka.ops.logs.RequestIdMiddleware",
    # Then, so that they time every request and answer load balancers before the host check.
    "mediateka.ops.metrics.RequestLatencyMiddleware",
    "mediateka.ops.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mediateka.web.nearest.NearestLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into its 429 response.
    "axes.middleware.AxesMiddleware",
]


def _database() -> dict:
    default_sqlite = f"sqlite:///{DATA_DIR / 'mediateka.sqlite3'}"
    config = database_url("DATABASE_URL", default_sqlite)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while the worker writes; IMMEDIATE makes a writer take the lock
        # at BEGIN instead of failing mid-transaction with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    # Connections are kept between requests, on SQLite too: opening one (with its PRAGMAs) and
    # closing the last one (which checkpoints the WAL) cost more than serving a segment does.
    config["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
# A PostgreSQL read replica for anonymous page views (ops.replicas); the primary does the rest.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **database_url("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["mediateka.ops.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "mediateka.ops.replicas.ReplicaMiddleware",
    )

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
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of en, ru, tg, not {LANGUAGE_CODE!r}.")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Dushanbe")
USE_TZ = True

# Catalogue text is written in English first; a missing Russian or Tajik text falls back to it,
# and the page says so (mission.translated).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = MODELTRANSLATION_FALLBACK_LANGUAGES = tuple(dict(LANGUAGES))

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Files browsers ask for at the site root (favicon.ico), served by WhiteNoise without a round trip.
WHITENOISE_ROOT = PACKAGE_DIR / "web" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "mediateka.objectstore.disk.MediaStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "MEDIATEKA_STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}


FFMPEG_BINARY = env_str("MEDIATEKA_FFMPEG", "")

# Video: what an upload may be, where work happens, how media are handed out.
MEDIATEKA_MAX_UPLOAD_BYTES = env_int("MEDIATEKA_MAX_UPLOAD_BYTES", 8 * 1024**3, minimum=1)
# What an upload may be, by its extension: the video containers, and sound files (radio spots).
MEDIATEKA_ACCEPTED_CONTAINERS = env_list(
    "MEDIATEKA_ACCEPTED_CONTAINERS",
    [
        *("mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "3gp"),
        *("mp3", "m4a", "aac", "wav", "ogg", "opus", "flac"),
    ],
)
MEDIATEKA_MAX_DURATION = env_int("MEDIATEKA_MAX_DURATION", 4 * 3600, minimum=1)
MEDIATEKA_UPLOAD_DIR = env_path("MEDIATEKA_UPLOAD_DIR", str(DATA_DIR / "uploads"))
# Seconds an upload may go without a byte before the worker removes it (and an ended upload's outcome
# is kept for the uploader to read).
MEDIATEKA_UPLOAD_EXPIRY = env_int("MEDIATEKA_UPLOAD_EXPIRY", 24 * 3600, minimum=60)
MEDIATEKA_WORK_DIR = env_path("MEDIATEKA_WORK_DIR", str(DATA_DIR / "work"))
MEDIATEKA_SIGNED_URL_SECONDS = env_int("MEDIATEKA_SIGNED_URL_SECONDS", 6 * 3600, minimum=60)
# An nginx internal location (e.g. /protected-media/) that serves MEDIA_ROOT; empty: Django serves.
MEDIATEKA_ACCEL_REDIRECT = env_str("MEDIATEKA_ACCEL_REDIRECT", "")
# Links to public films' media folders, for the front server to serve them itself (objectstore.disk).
MEDIATEKA_PUBLIC_MEDIA_DIR = env_path("MEDIATEKA_PUBLIC_MEDIA_DIR", str(DATA_DIR / "public"))
# A replaced encoding stays this long so that viewers in the middle of it can finish.
MEDIATEKA_SUPERSEDED_GRACE_SECONDS = env_int("MEDIATEKA_SUPERSEDED_GRACE_SECONDS", 3600, minimum=0)
# The encoding ladder: always "full" in a deployment. The test suite's own settings module
# (tests/quick_settings.py) says "quick" (the 144p and audio rungs, ultrafast) for tests that only follow
# an encode's states. Deliberately not read from the environment, so no deployment can turn it on.
MEDIATEKA_LADDER = "full"

# The response cache of the API and the public pages (ops.response_cache) is shared by the server's
# worker processes: files in the data dir. Entries are keyed by the version of what they show, so a
# shared cache is never stale between workers.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "responses": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "responses"),
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": env_int("MEDIATEKA_API_CACHE_ENTRIES", 5000, minimum=1)},
    },
}
# The public pages served to visitors who are not signed in come from that cache (ops.page_cache);
# false renders each one afresh (the page benchmark's baseline).
MEDIATEKA_PAGE_CACHE = env_bool("MEDIATEKA_PAGE_CACHE", True)

# API and outward formats: the IATI identifiers of the reporting organisation (IOM's by default) and of
# the country the activities benefit (ISO 3166-1 alpha-2; empty leaves recipient-country out).
MEDIATEKA_IATI_REPORTING_ORG = env_str("MEDIATEKA_IATI_REPORTING_ORG", "XM-DAC-47066")
MEDIATEKA_IATI_RECIPIENT_COUNTRY = env_str("MEDIATEKA_IATI_RECIPIENT_COUNTRY", "TJ")

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

# Outreach officers are not staff: they sign in on the site (web.views.accounts), not in the admin.
LOGIN_URL = "web:sign-in"

# E-mail, for password resets: off (no reset pages) unless an SMTP host is given.
EMAIL_HOST = env_str("MEDIATEKA_EMAIL_HOST", "")
EMAIL_PORT = env_int("MEDIATEKA_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("MEDIATEKA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("MEDIATEKA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MEDIATEKA_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("MEDIATEKA_EMAIL_FROM", "mediateka@localhost")

# Logs: plain lines for a terminal, or one JSON object per line (LOG_FORMAT=json) for a collector.
# Errors also go by e-mail to MEDIATEKA_ADMINS ("Name <address>, ..."), and every line to the handlers
# of MEDIATEKA_LOG_HANDLERS (JSON: {"name": {dictConfig handler}}), e.g. syslog or Sentry's.
ADMINS = env_addresses("MEDIATEKA_ADMINS")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
LOG_FORMAT = env_choice("LOG_FORMAT", "plain", ["plain", "json"])
LOGGING = logging_config(
    LOG_FORMAT,
    env_str("LOG_LEVEL", "INFO"),
    mail_admins=bool(ADMINS),
    extra=env_json("MEDIATEKA_LOG_HANDLERS", {}),
)

# Media on S3-compatible object storage when a bucket is named (docs/deploy.md), else on disk.
# Keys may be left out to use boto3's own chain (AWS_* variables, an instance role).
MEDIATEKA_S3_BUCKET = env_str("MEDIATEKA_S3_BUCKET", "")
MEDIATEKA_S3_ENDPOINT_URL = env_str("MEDIATEKA_S3_ENDPOINT_URL", "")
MEDIATEKA_S3_CUSTOM_DOMAIN = env_str("MEDIATEKA_S3_CUSTOM_DOMAIN", "")  # a CDN in front of the bucket
MEDIATEKA_S3_REGION = env_str("MEDIATEKA_S3_REGION", "")
# true: a public film's media are public-read objects, played straight from the bucket or CDN.
# false: every object stays private and Django streams all media (a bucket that forbids ACLs).
MEDIATEKA_S3_PUBLIC_READ = env_bool("MEDIATEKA_S3_PUBLIC_READ", True)
if MEDIATEKA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "mediateka.objectstore.s3.MediaStorage",
        "OPTIONS": {
            "bucket_name": MEDIATEKA_S3_BUCKET,
            "endpoint_url": MEDIATEKA_S3_ENDPOINT_URL or None,
            "region_name": MEDIATEKA_S3_REGION or None,
            "access_key": env_str("MEDIATEKA_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("MEDIATEKA_S3_SECRET_ACCESS_KEY", "") or None,
            "custom_domain": MEDIATEKA_S3_CUSTOM_DOMAIN or None,
            "addressing_style": env_choice(
                "MEDIATEKA_S3_ADDRESSING_STYLE", "auto", ["auto", "path", "virtual"]
            ),
            "location": env_str("MEDIATEKA_S3_PREFIX", ""),
            "public_read": MEDIATEKA_S3_PUBLIC_READ,
        },
    }
    if MEDIATEKA_ACCEL_REDIRECT:
        raise ImproperlyConfigured(
            "MEDIATEKA_ACCEL_REDIRECT serves files from disk; unset it with MEDIATEKA_S3_BUCKET."
        )


def _media_origins() -> list[str]:
    """Where players fetch media from, besides this site: for the Content-Security-Policy."""
    if not (MEDIATEKA_S3_BUCKET and MEDIATEKA_S3_PUBLIC_READ):
        return []
    if MEDIATEKA_S3_CUSTOM_DOMAIN:
        return [f"https://{MEDIATEKA_S3_CUSTOM_DOMAIN}"]
    if MEDIATEKA_S3_ENDPOINT_URL:
        from urllib.parse import urlsplit

        endpoint = urlsplit(MEDIATEKA_S3_ENDPOINT_URL)
        return [
            f"{endpoint.scheme}://{endpoint.netloc}",
            f"{endpoint.scheme}://{MEDIATEKA_S3_BUCKET}.{endpoint.netloc}",
        ]
    origins = [f"https://{MEDIATEKA_S3_BUCKET}.s3.amazonaws.com"]
    if MEDIATEKA_S3_REGION:
        origins.append(f"https://{MEDIATEKA_S3_BUCKET}.s3.{MEDIATEKA_S3_REGION}.amazonaws.com")
    return origins


MEDIATEKA_MEDIA_ORIGINS = env_list("MEDIATEKA_MEDIA_ORIGINS", _media_origins())
# Sites that may frame the embed route (CSP frame-ancestors); every other page may not be framed.
MEDIATEKA_EMBED_ANCESTORS = env_list("MEDIATEKA_EMBED_ANCESTORS", ["*"])
# The Content-Security-Policy (django-csp). Pages load scripts only from this site and run no inline
# code (data reach scripts through <script type="application/json">, which is not executed). Media
# may come from the bucket or CDN; hls.js feeds <video> from blob: URLs and may run its demuxer in a
# blob: worker. Only the embed route may be framed (ops.csp.embeddable).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIATEKA_MEDIA_ORIGINS],
        "media-src": ["'self'", "blob:", *MEDIATEKA_MEDIA_ORIGINS],
        "connect-src": ["'self'", *MEDIATEKA_MEDIA_ORIGINS],
        "worker-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Load balancers probe /healthz and Prometheus scrapes /metrics over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# /metrics: a bearer token, or else only direct requests from these networks.
MEDIATEKA_METRICS_TOKEN = env_str("MEDIATEKA_METRICS_TOKEN", "")
MEDIATEKA_METRICS_NETWORKS = env_list("MEDIATEKA_METRICS_NETWORKS", ["127.0.0.0/8", "::1/128"])

# Sign-in: after this many wrong passwords for one account from one address, that pair is locked
# out for a while (django-axes). Locking the account alone would let anyone lock out an editor.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("MEDIATEKA_SIGNIN_LIMIT", True)
AXES_FAILURE_LIMIT = env_int("MEDIATEKA_SIGNIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("MEDIATEKA_SIGNIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "mediateka.ops.clientip.client_ip"
# How many proxies (nginx, a load balancer) append to X-Forwarded-For in front of gunicorn.
MEDIATEKA_TRUSTED_PROXY_HOPS = env_int(
    "MEDIATEKA_TRUSTED_PROXY_HOPS", 1 if env_bool("MEDIATEKA_BEHIND_PROXY", False) else 0, minimum=0
)

# Workers (mediateka.worker): processes per queue, and how a vanished worker is noticed.
MEDIATEKA_WORKER_HOST = env_str("MEDIATEKA_WORKER_HOST", "")  # default: the machine's host name
MEDIATEKA_ENCODES_PER_WORKER = env_int("MEDIATEKA_ENCODES_PER_WORKER", 1, minimum=0)
MEDIATEKA_OTHER_JOBS_PER_WORKER = env_int("MEDIATEKA_OTHER_JOBS_PER_WORKER", 1, minimum=0)
# The job queues and how many processes one `mediateka worker` runs on each: encodes (long, every
# core) apart, so that a short job never waits behind one.
MEDIATEKA_WORKER_QUEUES = {
    "encodes": MEDIATEKA_ENCODES_PER_WORKER,
    "default": MEDIATEKA_OTHER_JOBS_PER_WORKER,
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(MEDIATEKA_WORKER_QUEUES)}}
MEDIATEKA_WORKER_HEARTBEAT = env_int("MEDIATEKA_WORKER_HEARTBEAT", 10, minimum=1)
MEDIATEKA_WORKER_DEAD_AFTER = env_int("MEDIATEKA_WORKER_DEAD_AFTER", 60, minimum=2)
if MEDIATEKA_WORKER_DEAD_AFTER < 2 * MEDIATEKA_WORKER_HEARTBEAT:
    raise ImproperlyConfigured(
        "MEDIATEKA_WORKER_DEAD_AFTER must be at least twice MEDIATEKA_WORKER_HEARTBEAT."
    )
