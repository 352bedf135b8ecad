"""Test settings: fast hashing, in-memory e-mail, loud templates."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import TEMPLATES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-memory e-mail (pytest-django forces it in the test process anyway); CI's Celery worker, which runs with
# these settings, writes its e-mails to files instead (EMAIL_BACKEND, EMAIL_FILE_PATH) for the worker tests.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# An undefined variable in a template is a bug: make it visible in tests.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "INVALID_TEMPLATE_VARIABLE(%s)"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Files, not memory: CI's worker (another process, these settings) writes the exports the tests read.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(os.environ.get("EXPORTS_ROOT", Path(tempfile.gettempdir()) / "portail-exports"))},
    },
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Tests run tasks eagerly; the worker test switches that off for its own call.
CELERY_TASK_ALWAYS_EAGER = True

# The cache of each test process, always (tests clear it): CI's Redis is for the broker and the worker tests;
# tests/portal/test_production.py proves the Redis cache against a redis-server of its own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
# WhiteNoise finds the static files where they are (no collectstatic before the tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Webhooks to a receiver on this machine over plain http (dossiers/webhooks.py valider_url).
API_WEBHOOKS_HTTP_LOCAL = True
