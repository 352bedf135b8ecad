"""Settings shared by every environment; every value that varies comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "portal.apps.AdminPortailConfig",  # django.contrib.admin, whose home is the dashboard (portal/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves the static files in every shape (runserver too): one path from `make run` to gunicorn.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "simple_history",
    "axes",
    "ninja",  # the API's docs page from its own static files (Swagger UI), never a CDN (dossiers/api, ADR 0022)
    "portal",
    "referentiels",
    "dossiers",
    "documents",
    "notifications",
]

MIDDLEWARE = [
    # /sante/ answers before host validation and the HTTPS redirect: the container's healthcheck asks over
    # plain HTTP on 127.0.0.1 (portal/sante.py).
    "portal.sante.SanteMiddleware",
    "dossiers.api.journal.JournalApiMiddleware",  # one log line per API call, without personal data
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.sans_cache.PagesDossierSansCacheMiddleware",  # the dossier pages: Cache-Control no-store
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # the author of a history row (Rattachement)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.connexion.SessionExpireeHtmxMiddleware",  # an htmx request signed out: 401, not the login page swapped
    "portal.connexion.DureeSessionMiddleware",
    # Last: turns a locked-out login into its answer (portal.connexion.reponse_verrouillage).
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every answer, the admin's included (django-csp; Django 5.2 has none built in).
# Scripts only from our own static files: no inline <script>, no hx-on attribute, no eval (htmx's allowEval is
# off in base.html's htmx-config; the behaviours live in static/portal/js/ as delegated listeners). Styles keep
# 'unsafe-inline': a few style="" attributes in our templates and the admin's, and htmx's indicator <style>;
# an injected style cannot run code, the lower risk (docs/architecture.md, « Content-Security-Policy »).
# Images: data: for Bootstrap's inline SVG icons (select arrow, checkboxes) in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Widgets: Django's templates, the plain <input> and <select> written in Python (the same HTML, faster).
FORM_RENDERER = "portal.rendu_formulaires.RenduFormulaires"
ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.cloche",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded run (`make run`) serves each request in its own thread and connection. WAL lets readers go
    # on while one writes; BEGIN IMMEDIATE takes the write lock when a transaction starts, so concurrent
    # saves and transitions queue (up to the busy timeout) instead of failing with « database is locked »
    # when a reading transaction tries to become a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),  # seconds
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out attempt before any password is checked (portal/connexion.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The back office's CSV exports (dossiers.models.ExportDossiers): private files, outside MEDIA_ROOT, served only
# by a view that checks who asks; the web and the worker processes must share this folder.
EXPORTS_ROOT = Path(os.environ.get("EXPORTS_ROOT", BASE_DIR / "exports"))
STORAGE_EXPORTS = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": EXPORTS_ROOT}}
STORAGES = {
    # Whole files or none (a full disk leaves no partial file): documents/stockage.py.
    "default": {"BACKEND": "documents.stockage.StockageDisque"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": STORAGE_EXPORTS,
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: a broker when REDIS_URL is set, otherwise tasks run eagerly in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_base(url: str, numero: int) -> str:
    """``url`` pointing at Redis database ``numero`` (redis://host:port/0 → redis://host:port/1)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{numero}", parts.query, parts.fragment))


# The cache (CERFA PDFs by dossier version, Sirene answers, the Sirene pause after a 429): shared by every web
# and worker process and kept across restarts when Redis is there — in its own database, so that clearing the
# cache never touches Celery's queues; in each process's memory otherwise (embedded run).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("CACHE_URL") or redis_base(REDIS_URL, 1),
            "KEY_PREFIX": "portail",
            "TIMEOUT": 300,
            # An unreachable cache is a miss, quickly (portal/cache.py): never a page that waits for it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portail"}}
# Sessions are read from that cache, the database row staying the reference (written on every change): one query
# less on every signed-in request; a session missing from the cache, or the cache down, is read from the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# A session ends after 2 hours without a request (idle timeout: a request pushes the expiry back, saving the
# session at most once a minute) and 12 hours after its login however active (portal.connexion.DureeSessionMiddleware);
# closing the browser ends it too.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 3600)))
SESSION_RAFRAICHISSEMENT = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_AGE_MAXIMUM = int(os.environ.get("SESSION_AGE_MAXIMUM", str(12 * 3600)))
SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the page (hx-headers in base.html), forms from their hidden field: no script reads
# the cookie.
CSRF_COOKIE_HTTPONLY = True

# Login throttling (django-axes, portal/connexion.py): 5 wrong passwords in a row on one account, or from one
# client address, lock the login for 15 minutes; a gestionnaire unlocks earlier in the back office.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "portal.connexion.reponse_verrouillage"
AXES_CLIENT_IP_CALLABLE = "portal.connexion.adresse_client"
AXES_USERNAME_CALLABLE = "portal.connexion.identifiant"
# The proxies in front of the portal that append the client's address to X-Forwarded-For (0: none, REMOTE_ADDR).
NOMBRE_PROXIES = int(os.environ.get("NOMBRE_PROXIES", "0"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE

# Periodic work (celery beat): the notification sweep sends what is still pending (Redis was down, a
# worker restarted) and retries failures with a bounded number of attempts. A sweep left queued while no
# worker runs expires rather than piling up.
CELERY_BEAT_SCHEDULE = {
    "relancer-notifications": {
        "task": "notifications.tasks.relancer_notifications",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The webhook events still pending (Redis was down, a receiver failed: 1, 2, 4… minutes), dossiers/webhooks.py.
    "relancer-webhooks": {
        "task": "dossiers.tasks.relancer_webhooks",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The back office's exports older than a week, and their files (dossiers.models.export.DUREE_CONSERVATION).
    "nettoyer-exports": {
        "task": "dossiers.tasks.nettoyer_exports",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # The D6325-2 deadline, once a day just after midnight (the deadline's last day is over): the assignee's
    # warning at J+15, the tacit acceptance after J+20 (dossiers/instruction/decisions.py veiller_delais).
    "veiller-delais": {
        "task": "dossiers.tasks.veiller_delais",
        "schedule": crontab(hour=0, minute=15),
        "options": {"expires": 23 * 3600},
    },
    # The API's idempotency keys older than 24 hours (dossiers/api/idempotence.py DUREE_CONSERVATION).
    "purger-requetes-idempotentes": {
        "task": "dossiers.tasks.purger_requetes_idempotentes",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}

# E-mail: printed on the console by default (embedded run); SMTP settings for a real backend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mon Espace AKTO <ne-pas-repondre@portail.test>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A delivery holds its notification's row lock while the SMTP server answers: never wait on it for long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
if os.environ.get("EMAIL_FILE_PATH"):  # the filebased backend's folder (CI's worker writes its e-mails there)
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

# Absolute links in e-mails (no request to build them from): the portal's public address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO, fontTools every subset: keep their warnings only.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The training organisations' API (dossiers/api): calls per key and per minute, then 429.
API_LIMITE_PAR_MINUTE = int(os.environ.get("API_LIMITE_PAR_MINUTE", "120"))
# Webhooks are https only; http to this machine (127.0.0.1, localhost) only where this is on (dev and test settings).
API_WEBHOOKS_HTTP_LOCAL = env_bool("API_WEBHOOKS_HTTP_LOCAL", False)

# INSEE Sirene API 3.11: without a key (the embedded default) the client is off and the local
# referential is used; nothing tries the network.
SIRENE_API_KEY = os.environ.get("SIRENE_API_KEY", "")
SIRENE_API_URL = os.environ.get("SIRENE_API_URL", "https://api.insee.fr/api-sirene/3.11")
SIRENE_TIMEOUT = int(os.environ.get("SIRENE_TIMEOUT", "3"))

# Personal data at rest (NIR): a Fernet key and a fingerprint key. Empty → derived from SECRET_KEY
# (fine for the embedded run); production sets both and keeps them with the database backups.
PERSONAL_DATA_KEY = os.environ.get("PERSONAL_DATA_KEY", "")
PERSONAL_DATA_HASH_KEY = os.environ.get("PERSONAL_DATA_HASH_KEY", "")

# Documents (pièces jointes): the per-file limit checked by documents.sniffing (the screen says 20Mo);
# a request carries at most 5 files of a type. Files larger than FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file.
DOCUMENTS_TAILLE_MAX = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Storage of the pieces: the default storage unless DOCUMENTS_STORAGE_BACKEND names another one, e.g. an
# S3-compatible bucket: DOCUMENTS_STORAGE_BACKEND=storages.backends.s3.S3Storage (pip install
# "django-storages[s3]") and DOCUMENTS_STORAGE_OPTIONS='{"bucket_name": "pieces", "endpoint_url": "https://…",
# "default_acl": "private"}', credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (documents/models.py).
DOCUMENTS_STORAGE_BACKEND = os.environ.get("DOCUMENTS_STORAGE_BACKEND", "")
DOCUMENTS_STORAGE_OPTIONS = os.environ.get("DOCUMENTS_STORAGE_OPTIONS", "{}")  # JSON, read by documents.models
