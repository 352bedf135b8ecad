"""Searching dossiers: the lists (*Dossiers*, *Brouillons*) and the back office, by number, employer, SIRET,
salarié's names or training title, whatever the accents, case, ligatures and apostrophes.

Each dossier stores its search key (``Dossier.recherche``), normalised by the portal's one normalisation
(``referentiels.search.normalize``: « LEFÈVRE Théo » → « lefevre theo »). The key is rebuilt whenever the
dossier or one of the parts it is made of is saved (``indexer``, connected in ``DossiersConfig.ready``); a query
matches when each of its words is in the key (``referentiels.search.filtrer``).
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from referentiels.search import filtrer, normalize

PARTIES = {
    "employeur": ("raison_sociale", "siret"),
    "salarie": ("nom_naissance", "nom_usage", "prenom"),
    "formation": ("intitule",),
}


def cle(dossier) -> str:
    morceaux = [dossier.numero]
    for partie, champs in PARTIES.items():
        try:
            objet = getattr(dossier, partie)
        except ObjectDoesNotExist:
            continue
        morceaux += [getattr(objet, champ) or "" for champ in champs]
    return normalize(" ".join(m for m in morceaux if m))[:600]


def indexer(dossier_id: int) -> None:
    from dossiers.models import Dossier

    dossier = Dossier.objects.select_related(*PARTIES).filter(pk=dossier_id).first()
    if dossier is not None:
        Dossier.objects.filter(pk=dossier_id).update(recherche=cle(dossier))


def _dossier_en_memoire(sender, instance):
    """The saved object's dossier with its searched parts already loaded (a tab save: the view loaded them), or
    None when some would have to be read."""
    dossier = instance if sender.__name__ == "Dossier" else instance._state.fields_cache.get("dossier")
    if dossier is None or not all(partie in dossier._state.fields_cache for partie in PARTIES):
        return None
    return dossier


def apres_enregistrement(sender, instance, raw=False, **kwargs) -> None:
    """post_save of a dossier or of one of its searched parts: its key follows (not while loading fixtures).

    In a tab save the dossier and its parts are in memory: the key is computed from them and written only when it
    changed (no query for a save that touches no searched field); otherwise the dossier is read again.
    """
    if raw:
        return
    dossier = _dossier_en_memoire(sender, instance)
    if dossier is None:
        dossier_id = instance.pk if sender.__name__ == "Dossier" else instance.dossier_id
        if dossier_id:
            indexer(dossier_id)
        return
    nouvelle = cle(dossier)
    if nouvelle != dossier.recherche:
        type(dossier).objects.filter(pk=dossier.pk).update(recherche=nouvelle)
        dossier.recherche = nouvelle


def filtrer_dossiers(queryset, q: str):
    """The dossiers whose key holds every word of ``q`` (all of them for an empty query)."""
    return filtrer(queryset, "recherche", q)
