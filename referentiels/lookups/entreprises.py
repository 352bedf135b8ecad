"""Lookups of the entreprises referential (htmx partials, JSON on request)."""

urlpatterns: list = []
