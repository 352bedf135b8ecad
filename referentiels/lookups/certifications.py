"""Lookups of the certifications referential (htmx partials, JSON on request)."""

urlpatterns: list = []
