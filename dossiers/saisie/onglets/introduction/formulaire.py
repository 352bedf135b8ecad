"""L'onglet Introduction : le texte du dispositif choisi et la notice lue."""

from __future__ import annotations

from dossiers import rules
from dossiers.enums import CodeDispositif
from dossiers.models import Dossier
from dossiers.saisie.onglets.base import OngletForm

# Each dispositif's introduction text (what it is, its rules, the documents expected), by its code: data.
TEXTES: dict[str, str] = {
    CodeDispositif.CONTRAT_PRO: "dossiers/introductions/contrat_pro.html",
    CodeDispositif.RECONVERSION: "dossiers/introductions/reconversion.html",
}


class IntroductionForm(OngletForm):
    class Meta:
        model = Dossier
        fields = ["notice_lue"]

    @property
    def texte(self) -> str:
        """The template of this dossier's dispositif's introduction text."""
        return TEXTES[rules.code_dispositif(self.instance)]
