"""Rules of the synthese tab: the attestations are boxes to tick — the guide's two (*Étape Synthèse*), and the
employer's FOR-09 (no fee charged to the salarié) and FOR-10 (no dédit-formation clause)."""

from dossiers.models import Synthese
from dossiers.rules import PARTAGEE, obligatoire, source

source("synthese", Synthese.du_dossier)

obligatoire("synthese", "attestation_exactitude", coche=True, dispositifs=PARTAGEE)
# FOR-09, FOR-10: what the data cannot show, attested by the employer before the transmission.
obligatoire(
    "synthese",
    "attestation_gratuite",
    coche=True,
    exigences=("FOR-09",),
    source="Code du travail, art. L6325-2-1",
)
obligatoire(
    "synthese",
    "attestation_sans_dedit",
    coche=True,
    exigences=("FOR-10",),
    source="Code du travail, art. L6325-15",
)
obligatoire("synthese", "acceptation_cg", coche=True, dispositifs=PARTAGEE)
