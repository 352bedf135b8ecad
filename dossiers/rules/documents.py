"""Rules of the Documents tab: the attestation, and one rule per document type that can be mandatory.

Which types a dossier must transmit is decided in one place, ``documents.services.types_obligatoires``
(sous-dispositif × contract type × internal/external training); a rule here only says « this type is mandatory for this
dossier and has no file ». Fields: ``attestation_pieces`` and ``type_<code>`` (the number of files).
"""

from __future__ import annotations

from documents import services
from documents.models import etat_documents
from documents.types import CATALOGUE
from dossiers.enums import AnomalieKind
from dossiers.rules import PARTAGEE, REGISTRY, Rule, obligatoire, source


class DocumentsVue:
    """What the rules read on this tab: the attestation, and ``type_<code>`` (files loaded, None when none)."""

    def __init__(self, dossier):
        self.dossier = dossier

    @property
    def attestation_pieces(self):
        return etat_documents(self.dossier).attestation_pieces

    def __getattr__(self, name):
        if name.startswith("type_"):
            return services.nombre_par_code(self.dossier).get(name[5:].upper()) or None
        raise AttributeError(name)


source("documents", DocumentsVue)

obligatoire(
    "documents", "attestation_pieces", coche=True, code="DOCUMENTS_ATTESTATION_OBLIGATOIRE", dispositifs=PARTAGEE
)


def _obligatoire(code):
    return lambda dossier: any(t.code == code for t in services.types_obligatoires(dossier))


def _manquant(code):
    obligatoire_ici = _obligatoire(code)
    return lambda dossier: obligatoire_ici(dossier) and not services.nombre_par_code(dossier).get(code)


for _type in CATALOGUE:
    if _type.ajout_libre:
        continue  # *Autre*: optional by nature
    REGISTRY.register(
        Rule(
            code=f"DOCUMENTS_{_type.code}_OBLIGATOIRE",
            onglet="documents",
            fields=(f"type_{_type.code.lower()}",),
            kind=AnomalieKind.OBLIGATOIRE,
            message=f"{_type.libelle} : 1 fichier minimum",
            violated=_manquant(_type.code),
            description=(
                f"« {_type.libelle} » obligatoire selon le sous-dispositif, le type de contrat et la formation "
                "(interne/externe)."
            ),
            conditional=True,
            condition=_obligatoire(_type.code),
            exigences=_type.exigences,
            source=_type.source,
            # Which types a dossier needs is the catalogue's (by sous-dispositif); a type names its dispositifs.
            dispositifs=_type.dispositifs or PARTAGEE,
        )
    )
