"""The load test's additions (``portal.settings.banc``, `make charge` only): a bare baseline view and a header.

- ``/_banc/temoin/``: what any request of the portal pays at least — the same middleware (session, CSRF,
  authentication), ``login_required``, one UPDATE and a tiny response — so that the load test compares the
  adhérent's pages with it in the same run, under the same concurrency;
- ``X-Banc-Requete: <pid>/<n>``: the n-th request of this gunicorn worker, so that the load test finds the
  first request of every fresh worker (at start and after ``max_requests``) and compares it with the others;
- ``Server-Timing: app;dur=<ms>``: the request's time inside Django (every middleware, the view, the template),
  without the wait in gunicorn's queue: what a fresh worker itself adds shows there.
"""

import itertools
import os
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

_requetes = itertools.count(1)  # a worker forked from a preloaded arbiter copies it unused: it starts from 1


class NumeroDeRequete:
    """Outermost middleware: numbers the requests of this process and times them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        numero = next(_requetes)
        debut = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - debut) * 1000:.1f}"
        response["X-Banc-Requete"] = f"{os.getpid()}/{numero}"
        return response


@login_required
@require_POST
def temoin(request):
    get_user_model().objects.filter(pk=request.user.pk).update(last_login=timezone.now())
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("_banc/temoin/", temoin, name="banc_temoin"),
    path("", include("portal.urls")),
]
