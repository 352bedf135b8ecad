"""Rules of the Employeur tab (RULES.md §1.3.1, §2.1)."""

from dossiers.models import CHAMPS_INSEE_SAISISSABLES
from dossiers.rules import PARTAGEE, obligatoire, regle, source

source("employeur", lambda dossier: dossier.employeur)

obligatoire("employeur", "email", code="EMPLOYEUR_EMAIL_OBLIGATOIRE", dispositifs=PARTAGEE)
obligatoire("employeur", "effectif_total", code="EMPLOYEUR_EFFECTIF_OBLIGATOIRE", dispositifs=PARTAGEE)
obligatoire("employeur", "caisse_retraite", code="EMPLOYEUR_CAISSE_RETRAITE_OBLIGATOIRE", dispositifs=PARTAGEE)
obligatoire("employeur", "organisme_prevoyance", code="EMPLOYEUR_PREVOYANCE_OBLIGATOIRE", dispositifs=PARTAGEE)

# Degraded mode: INSEE data that Sirene could not give is entered by hand, and then mandatory.
for _name in CHAMPS_INSEE_SAISISSABLES:
    obligatoire(
        "employeur",
        _name,
        code=f"EMPLOYEUR_{_name.upper()}_SAISIE_MANUELLE_OBLIGATOIRE",
        when=lambda dossier, name=_name: name in dossier.employeur.saisie_manuelle,
        exigences=("X-02",) if _name == "naf" else (),  # E12 (NAF) required for a company
        dispositifs=PARTAGEE,
    )


@regle(
    "EMPLOYEUR_PERSONNE_PUBLIQUE",  # EMP-01
    "employeur",
    fields=["siret"],
    reads=["categorie_juridique"],
    message=(
        "L'Etat, les collectivités territoriales et leurs établissements publics administratifs ne peuvent "
        "pas conclure de contrat de professionnalisation (article L6325-1 du code du travail) : "
        "rapprochez-vous de votre conseiller AKTO."
    ),
    exigences=("EMP-01",),
)
def personne_publique(dossier):
    """Employeur de droit public administratif (catégorie juridique INSEE 7xxx) : contrat impossible."""
    return dossier.employeur.categorie_juridique.startswith("7")
