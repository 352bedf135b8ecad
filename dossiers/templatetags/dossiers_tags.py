"""Template helpers of the dossier pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` — a dict lookup with a variable key (empty list when absent)."""
    return mapping.get(key, []) if mapping else []


@register.filter
def bound_field(form, name):
    """``form|bound_field:"naf"`` — the bound field, or None when the form does not offer it."""
    return form[name] if form is not None and name in form.fields else None


@register.simple_tag
def avis_gestionnaire(dossier):
    """``{% avis_gestionnaire dossier as avis %}`` — the gestionnaire's last decision shown to the adhérent."""
    from dossiers.instruction.decisions import avis_gestionnaire as avis

    return avis(dossier)
