"""The dossier as every data-entry view loads it, and what the views say when a write is refused.

``charger(request, pk)``: the dossier if the user may see it (``Dossier.objects.visible_to``: anything else is a
404), with its parts in one query, tied to the user (``acces.charger``: ``dossier.est_modifiable``). The tab
views, the training modules, the pieces and the CERFA all load it here.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from dossiers import acces
from dossiers.models import Dossier

MSG_VERSION_PERIMEE = (
    "Ce dossier a été modifié ailleurs (par un autre utilisateur ou dans un autre onglet du navigateur) "
    "depuis que vous l'avez ouvert : vos modifications n'ont pas été enregistrées. Elles sont toujours "
    "affichées ci-dessous ; rechargez l'onglet pour voir la dernière version puis saisissez-les à nouveau."
)
MSG_NON_MODIFIABLE = "Ce dossier n'est plus modifiable dans son état actuel."

PARTIES = ("employeur", "salarie", "contrat", "formation", "sous_dispositif", "dispositif", "etablissement__entreprise")


def charger(request, pk) -> Dossier:
    queryset = Dossier.objects.visible_to(request.user).select_related(*PARTIES).prefetch_related("tuteurs")
    return acces.charger(get_object_or_404(queryset, pk=pk), request.user)
