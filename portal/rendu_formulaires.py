"""The form renderer: Django's widget templates, with the two most common ones written in Python.

A tab of the dossier shows up to forty fields; Django renders each widget through three or four templates
(``input.html`` including ``attrs.html``; ``select.html`` including ``select_option.html`` once per choice, then
``attrs.html`` each time). On the *Contrat* tab that was a third of the page's time. ``RenduFormulaires`` writes
exactly the same HTML for the plain ``<input>`` widgets and for ``<select>`` (``tests/portal/test_rendu_formulaires.py``
compares both outputs widget by widget); any other widget, or a project's own widget template, goes through the
templates as before. ``FORM_RENDERER`` names it (portal/settings/base.py).
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

# Templates whose output is ``input.html``'s, by Django's own widgets (``{% include "…/input.html" %}``).
INPUTS = frozenset(
    f"django/forms/widgets/{nom}.html"
    for nom in (
        "input",
        "text",
        "email",
        "number",
        "password",
        "url",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
    )
)
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _texte(value) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescape: ``str()`` then escaped (stringformat's result is never
    safe, even for a safe value)."""
    return escape(str(value))


def _attrs(attrs: dict) -> str:
    """``attrs.html``: `` name="value"`` for each attribute, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_texte(value)}"'
        )
    return "".join(parts)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_texte(widget["value"])}"'
    type_, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{type_}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _option(option: dict) -> str:
    label = conditional_escape(option["label"])
    return f'<option value="{_texte(option["value"])}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: dict) -> str | None:
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None  # an option of a widget of our own: its template
            out.append(f"\n  {_option(option)}\n")  # the option's template file ends with a newline
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class RenduFormulaires(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and widget.get("template_name") == template_name:
            if template_name in INPUTS:
                return _input(widget)
            if template_name == SELECT:
                html = _select(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request)
