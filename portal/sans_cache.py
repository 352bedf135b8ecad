"""The pages that show a dossier as it is now are never kept by the browser (``Cache-Control: no-store``).

A dossier's page, its tabs and their fragments, its actions and the lists of dossiers change with every save
and every transition: Back after *Transmettre* must not show the editable form, Back after *Accepter* the
button again. These answers are therefore sent ``no-store`` (no HTTP cache, no back-forward cache), and htmx
keeps no history snapshot of them either (``historyCacheSize: 0`` in templates/base.html): Back asks the
server. Everything else (static files, served by WhiteNoise with their long cache, the referentiels'
look-ups) keeps its own headers. The back office's pages are Django admin views, already ``never_cache``.
"""

from __future__ import annotations

import re

from django.utils.cache import add_never_cache_headers

# The data entry's URLs (dossiers/saisie/urls.py): a dossier (/dossiers/<pk>/…), the lists, the wizard.
PAGES_DOSSIER = re.compile(r"^/(dossiers|brouillons|nouvelle-demande)/")


class PagesDossierSansCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if PAGES_DOSSIER.match(request.path_info):
            add_never_cache_headers(response)
        return response
