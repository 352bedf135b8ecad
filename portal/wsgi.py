"""WSGI entry point (gunicorn), warmed up as it is imported.

gunicorn imports this module once, in its arbiter, before the port opens (``preload_app``, gunicorn.conf.py), and
forks every worker from it: what ``prechauffer`` loads here is loaded once and shared, so that neither the first
request of a worker nor one after a worker is replaced (``max_requests``) pays for it. It runs no query: a
database connection opened here would be shared by the forked workers.
"""

import logging
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.prod")
application = get_wsgi_application()
journal = logging.getLogger(__name__)
APPLICATIONS = ("portal", "referentiels", "dossiers", "documents", "notifications")
# Never imported by a request: the schema's history, commands, other settings, the load test's additions.
SANS_PRECHAUFFAGE = {"migrations", "management", "settings", "banc"}


def prechauffer_django() -> int:
    """What Django loads on a process's first requests: the URLconf (and with it every view, form and admin
    module), the portal's modules that views import when called, the context processors, the translation
    catalogues, the static files' manifest, and every template (the portal's, the back office's, crispy-forms',
    the form widgets') compiled into the cached loaders. Returns the number of templates compiled."""
    import importlib
    import pkgutil

    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.forms.renderers import get_default_renderer
    from django.template import TemplateSyntaxError, engines
    from django.template.utils import get_app_template_dirs
    from django.urls import reverse
    from django.utils import translation
    from django.utils.module_loading import import_string

    reverse("login")  # imports the URLconf, fills its reverse table
    for paquet in APPLICATIONS:
        module = importlib.import_module(paquet)
        for info in pkgutil.walk_packages(module.__path__, f"{paquet}."):
            if not SANS_PRECHAUFFAGE.intersection(info.name.split(".")):
                importlib.import_module(info.name)
    for chemin in (settings.MESSAGE_STORAGE, settings.SESSION_SERIALIZER):
        import_string(chemin)
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Enregistrer")
    staticfiles_storage.base_url  # reads the manifest of hashed names
    compiles = 0
    moteurs = [*engines.all(), getattr(get_default_renderer(), "engine", None)]
    for moteur in filter(None, moteurs):
        getattr(moteur, "engine", moteur).template_context_processors  # imports them
        # The apps' folders too: template-partials wraps the loaders, so template_dirs lists only DIRS.
        for dossier in dict.fromkeys([*moteur.template_dirs, *get_app_template_dirs("templates")]):
            racine = Path(dossier)
            for fichier in racine.rglob("*") if racine.is_dir() else ():
                if fichier.suffix in (".html", ".txt") and fichier.is_file():
                    try:
                        moteur.get_template(fichier.relative_to(racine).as_posix())
                    except TemplateSyntaxError:  # a library's template for a setup not ours: never rendered here
                        continue
                    compiles += 1
    return compiles


def prechauffer() -> None:
    """The warm-up: Django's lazy loading, then the CERFA's (documents.cerfa.prechauffer: the official form, the
    font, WeasyPrint), so that a worker's first *Générer le CERFA* is as fast as the next ones."""
    try:
        prechauffer_django()
    except Exception as error:  # never keep the site down: the first request will load what is missing
        journal.warning("Préchauffage de Django incomplet (%s : %s).", type(error).__name__, error)
    try:
        from documents import cerfa

        cerfa.prechauffer()
    except Exception as error:  # a missing font must not keep the site down: the first request will say it
        journal.warning("Préchauffage du CERFA impossible (%s).", type(error).__name__)


prechauffer()
