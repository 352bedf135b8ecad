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


def apres_enregistrement(sender, instance, raw=False, **kwargs) -> None:
    """post_save of a dossier or of one of its searched parts: its key follows (not while loading fixtures)."""
    if raw:
        return
    dossier_id = instance.pk if sender.__name__ == "Dossier" else instance.dossier_id
    if dossier_id:
        indexer(dossier_id)


def filtrer_dossiers(queryset, q: str):
    """The dossiers whose key holds every word of ``q`` (all of them for an empty query)."""
    return filtrer(queryset, "recherche", q)
