"""L'onglet Introduction : le dispositif choisi et la notice lue."""

from __future__ import annotations

from dossiers.models import Dossier
from dossiers.saisie.onglets.base import OngletForm


class IntroductionForm(OngletForm):
    class Meta:
        model = Dossier
        fields = ["notice_lue"]
