"""htmx helpers: render a named partial on htmx requests, the full page otherwise."""

from django.shortcuts import render


def render_page_or_partial(request, template: str, partial: str, context: dict, status: int = 200):
    """One template, named partials: a reload and an htmx swap produce the same HTML."""
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)
