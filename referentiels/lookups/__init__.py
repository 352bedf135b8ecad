"""Lookup endpoints for the forms' autocompletes: login required, htmx partial or JSON, at most 20 rows."""

from django.http import JsonResponse
from django.shortcuts import render

LIMIT = 20


def wants_json(request) -> bool:
    return request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", "")


def respond(request, template: str, rows: list[dict], **context):
    """JSON ``{"results": rows}`` for widgets that ask for it, else the htmx partial."""
    if wants_json(request):
        return JsonResponse({"results": rows})
    return render(request, template, {"results": rows, **context})
