"""Rules of the synthese tab: the two attestations of the guide (*Étape Synthèse*) are boxes to tick."""

from dossiers.models import Synthese
from dossiers.rules import obligatoire, source

source("synthese", Synthese.du_dossier)

obligatoire("synthese", "attestation_exactitude", coche=True)
obligatoire("synthese", "acceptation_cg", coche=True)
