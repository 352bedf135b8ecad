"""Lookup URLs, mounted under /referentiels/."""

from django.urls import include, path

urlpatterns = [
    path("", include("referentiels.lookups.geographie")),
    path("", include("referentiels.lookups.certifications")),
    path("", include("referentiels.lookups.organismes")),
    path("", include("referentiels.lookups.entreprises")),
]
