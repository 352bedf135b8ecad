"""Template helpers of the dossier pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` — a dict lookup with a variable key (empty list when absent)."""
    return mapping.get(key, []) if mapping else []
