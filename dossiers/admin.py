"""Django's admin autodiscovery imports ``dossiers.admin``: the back office lives in ``dossiers.instruction``."""

from dossiers.instruction import admin, admin_financement, admin_webhooks  # noqa: F401
