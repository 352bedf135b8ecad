"""The models behind the tabs whose fields have a history (``portal/historique.py``), and the initial history.

Every save of a tab's row writes a history row from the first save on. Rows that existed before the history
(a database older than it, or filled by bulk inserts such as ``generer_volume``) have none: ``historique_initial``
writes one per such row, dated now, the NIR masked as a save would (``manage.py historique_initial``, once at the
deployment that brings the history: docs/deploy/README.md). simple-history's own ``populate_history`` would
leave the masked NIR empty (its bulk writes send no signal).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from documents.models import DossierDocuments, PieceJointe
from dossiers.models import (
    AccordReconversion,
    Contrat,
    Dossier,
    Employeur,
    Financement,
    Formation,
    ModuleFormation,
    Salarie,
    Synthese,
    Tuteur,
)

MODELES_HISTORISES = (
    Dossier,
    Employeur,
    Salarie,
    Tuteur,
    Contrat,
    AccordReconversion,
    Formation,
    ModuleFormation,
    Financement,
    Synthese,
    DossierDocuments,
    PieceJointe,
)
RAISON_INITIALE = "Historique initial"


def _en_plus(instance) -> dict:
    return {"nir_masque": instance.nir_masque} if isinstance(instance, Salarie) else {}


def historique_initial(*, taille: int = 2000) -> dict[str, int]:
    """A first history row for every row of the tabs' models that has none; how many, by model."""
    maintenant = timezone.now()
    ecrits = {}
    for model in MODELES_HISTORISES:
        historique = model.history.model
        sans = model._default_manager.filter(~Exists(historique.objects.filter(id=OuterRef("pk")))).order_by("pk")
        lignes, total = [], 0
        for instance in sans.iterator(chunk_size=taille):
            lignes.append(
                historique(
                    history_date=maintenant,
                    history_type="+",
                    history_change_reason=RAISON_INITIALE,
                    **{f.attname: getattr(instance, f.attname) for f in historique.tracked_fields},
                    **_en_plus(instance),
                )
            )
            if len(lignes) >= taille:
                total += len(historique.objects.bulk_create(lignes))
                lignes = []
        total += len(historique.objects.bulk_create(lignes))
        ecrits[model._meta.label] = total
    return ecrits
