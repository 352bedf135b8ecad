"""Embedded run (`make run`): SQLite, eager tasks, console e-mails, DEBUG on."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
