"""Production settings: everything secret or host-specific must come from the environment.

TLS is one switch, ``HTTPS`` (on unless set to false): it turns on together the redirect to https
(``SECURE_SSL_REDIRECT``), HSTS and the secure session and CSRF cookies. Real production keeps it on behind
a TLS-terminating proxy that sets ``X-Forwarded-Proto``; the local docker-compose shape turns it off to serve
plain http://localhost:8000 (docs/deploy/README.md).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SITE_URL, STORAGE_EXPORTS, env_bool

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]

HTTPS = env_bool("HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The portal's public address (SITE_URL) is where forms are posted from; more origins may be listed.
# Behind the TLS proxy, the client's address is the one it appends to X-Forwarded-For (login throttling per
# address, portal/connexion.py); set NOMBRE_PROXIES to the number of proxies that append it (0: none).
NOMBRE_PROXIES = int(os.environ.get("NOMBRE_PROXIES", "1" if HTTPS else "0"))
CSRF_TRUSTED_ORIGINS = [SITE_URL] + [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

STORAGES = {
    "default": {"BACKEND": "documents.stockage.StockageDisque"},  # whole files or none: documents/stockage.py
    # Hashed names (cached for ever by browsers: WhiteNoise sends far-future, immutable headers for them),
    # gzip and Brotli copies made once by `collectstatic`, at the image's build.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "exports": STORAGE_EXPORTS,  # private: EXPORTS_ROOT, shared by web and worker
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The NIR's encryption and fingerprint keys must be set explicitly (and kept with the backups).
PERSONAL_DATA_KEY = os.environ["PERSONAL_DATA_KEY"]
PERSONAL_DATA_HASH_KEY = os.environ["PERSONAL_DATA_HASH_KEY"]

# docker-compose.yml's local shape has published keys so that `docker compose up` works on a fresh machine;
# they are refused as soon as the portal is served over HTTPS, i.e. for real.
CLES_LOCALES = "local-compose-"
FERNET_LOCALE = "bG9jYWwtY29tcG9zZS1vbmx5LW5vdC1hLXNlY3JldCE="  # base64 of b"local-compose-only-not-a-secret!"
if HTTPS and (
    any(v.startswith(CLES_LOCALES) for v in (SECRET_KEY, PERSONAL_DATA_HASH_KEY)) or PERSONAL_DATA_KEY == FERNET_LOCALE
):
    raise ImproperlyConfigured(
        "Les clés d'exemple de docker-compose.yml ne servent qu'en local (HTTPS=false) : "
        "définissez SECRET_KEY, PERSONAL_DATA_KEY et PERSONAL_DATA_HASH_KEY."
    )

# Webhooks over plain http to this machine: only the local shape served without TLS may allow them.
API_WEBHOOKS_HTTP_LOCAL = env_bool("API_WEBHOOKS_HTTP_LOCAL", False) and not HTTPS
