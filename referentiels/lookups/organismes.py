"""Lookups of the organismes referential (htmx partials, JSON on request)."""

urlpatterns: list = []
