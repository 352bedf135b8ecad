"""Cross-cutting plumbing of the portal: settings, accounts and roles, home page, htmx helpers."""

from .celery import app as celery_app

__all__ = ("celery_app",)
