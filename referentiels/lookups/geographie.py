"""Lookups of the geographie referential (htmx partials, JSON on request)."""

urlpatterns: list = []
