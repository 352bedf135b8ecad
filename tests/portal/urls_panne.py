"""The portal's URLs plus a view that fails: what a user sees when the server breaks (tests/portal/test_erreurs.py)."""

from django.urls import path

from portal.urls import urlpatterns as portail


def panne(request):
    raise RuntimeError("panne simulée")


urlpatterns = [*portail, path("panne/", panne)]
