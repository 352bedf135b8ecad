"""Rules of the financement tab: a travail temporaire employer answers whether it asks for the funding of its
reste à charge and, on « Oui », chooses the type de contribution (guide, *Étape Financement*)."""

from dossiers.models import Financement
from dossiers.rules import obligatoire, source

source("financement", Financement.du_dossier)


def travail_temporaire(dossier) -> bool:
    return bool(dossier.employeur.travail_temporaire)


def demande_reste_a_charge(dossier) -> bool:
    return travail_temporaire(dossier) and Financement.du_dossier(dossier).reste_a_charge_demande is True


obligatoire("financement", "reste_a_charge_demande", when=travail_temporaire)
obligatoire("financement", "type_contribution", when=demande_reste_a_charge)
