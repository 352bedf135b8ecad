"""The Documents tab's pieces block, rendered inside the tab template (same HTML as the block's own answers)."""

from django import template

register = template.Library()


@register.inclusion_tag("documents/bloc.html")
def documents_bloc(dossier, messages_champs=None):
    from dossiers.saisie.onglets.documents.vues import contexte_bloc

    return {**contexte_bloc(dossier), "messages_champs": messages_champs or {}}
