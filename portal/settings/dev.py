"""Embedded run (`make run`): SQLite, eager tasks, console e-mails, DEBUG on."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# Webhooks to a receiver on this machine over plain http (dossiers/webhooks.py valider_url).
API_WEBHOOKS_HTTP_LOCAL = True
