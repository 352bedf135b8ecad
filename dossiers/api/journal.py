"""One log line per API call (logger ``portail.api``): method, path template, organisation id, status, duration.

The path template (``api/v1/dossiers/<numero>``), not the path: a line carries no dossier number, no name, no
NIR, no key; the organisation is its id (set by the authentication, ``dossiers/api/v1.py``).
"""

from __future__ import annotations

import logging
import time

journal = logging.getLogger("portail.api")
PREFIXE = "/api/"


class JournalApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIXE):
            return self.get_response(request)
        debut = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        gabarit = "/" + match.route if match is not None and match.route else "(inconnu)"
        journal.info(
            "api %s %s organisme=%s statut=%s duree_ms=%.1f",
            request.method,
            gabarit,
            getattr(request, "organisme_api_id", None) or "-",
            response.status_code,
            (time.perf_counter() - debut) * 1000,
        )
        return response
