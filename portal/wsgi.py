"""WSGI entry point (gunicorn)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.prod")
application = get_wsgi_application()


def prechauffer() -> None:
    """Read the official CERFA form and the shipped font's metrics as the worker boots, not on its first render."""
    try:
        from documents.cerfa import fond_pdf
        from documents.cerfa.mise_en_page import police

        fond_pdf()
        police()
    except Exception as error:  # a missing font must not keep the site down: the first request will say it
        logging.getLogger(__name__).warning("Préchauffage du CERFA impossible (%s).", type(error).__name__)


prechauffer()
