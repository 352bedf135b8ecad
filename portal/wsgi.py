"""WSGI entry point (gunicorn)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.prod")
application = get_wsgi_application()


def prechauffer() -> None:
    """Make the worker's first *Générer le CERFA* as fast as the next ones (documents.cerfa.prechauffer)."""
    try:
        from documents import cerfa

        cerfa.prechauffer()
    except Exception as error:  # a missing font must not keep the site down: the first request will say it
        logging.getLogger(__name__).warning("Préchauffage du CERFA impossible (%s).", type(error).__name__)


prechauffer()
