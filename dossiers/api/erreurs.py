"""The writes' anomalies: where a JSON key of a write is on the tabs, and the French answer of a refused document.

A write's JSON document (``dossiers/api/saisie.py``) names the tabs' fields: ``salarie.nir`` is the Salarié tab's
``nir``, ``tuteurs[0].nom`` its ``tuteur1_nom``, ``formation.modules[1].heures`` the Formation tab's
``module2_heures`` (the rules engine's names). A refused document answers 422 ``{"detail", "anomalies"}``, each
anomaly ``{onglet, champ, type, code, message, bloquant}`` as the dossier's page gives them; the code is the tab's
field-level code (``rules.code_champ``): ``SALARIE_NIR_INVALIDE``, ``SALARIE_NOM_NAISSANCE_OBLIGATOIRE``.

The JSON types (a date, a number, an object…) are checked by the schema before the forms: its errors (pydantic's)
get French messages here, never the value sent (the NIR is never echoed back).
"""

from __future__ import annotations

from dossiers import acces
from dossiers.rules import MESSAGE_OBLIGATOIRE, code_champ
from dossiers.saisie.champs import MSG_ENTIER, MSG_MONTANT

TYPE_INVALIDE = "saisie_invalide"
TYPE_OBLIGATOIRE = "saisie_obligatoire"
MSG_REFUS = "Données refusées : rien n'a été enregistré. Voir `anomalies`."
MSG_DATE_ISO = "Saisissez une date au format AAAA-MM-JJ (Ex : 1990-01-01)."
MSG_CHAMP_INCONNU = "Champ inconnu : « {nom} »."
MSG_NON_APPLICABLE = "Ce champ n'est pas demandé pour ce dossier."

# The document's sections and the tab each is entered on.
SECTIONS = {
    "introduction": "introduction",
    "salarie": "salarie",
    "tuteurs": "salarie",
    "contrat": "contrat",
    "accord": "accord",
    "formation": "formation",
}
# The document's own keys (the wizard's choices, the version): the tab each one belongs to.
RACINE = {
    "siret": "employeur",
    "sous_dispositif": "introduction",
    "type_public": "introduction",
    "type_contrat": "contrat",
    "version": "",
}

MESSAGES_TYPES = {
    "int_type": MSG_ENTIER,
    "int_parsing": MSG_ENTIER,
    "int_from_float": MSG_ENTIER,
    "decimal_type": MSG_MONTANT,
    "decimal_parsing": MSG_MONTANT,
    "finite_number": MSG_MONTANT,
    "date_type": MSG_DATE_ISO,
    "date_parsing": MSG_DATE_ISO,
    "date_from_datetime_parsing": MSG_DATE_ISO,
    "date_from_datetime_inexact": MSG_DATE_ISO,
    "bool_type": "Saisissez true ou false.",
    "bool_parsing": "Saisissez true ou false.",
    "string_type": "Saisissez un texte (une chaîne JSON).",
    "model_type": "Un objet JSON est attendu.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "dict_type": "Un objet JSON est attendu.",
    "list_type": "Une liste JSON est attendue.",
}


def anomalie(onglet: str, champ: str, message: str, *, obligatoire: bool = False) -> dict:
    return {
        "onglet": onglet,
        "champ": champ,
        "type": TYPE_OBLIGATOIRE if obligatoire else TYPE_INVALIDE,
        "code": code_champ(onglet or "dossier", champ or "document", "OBLIGATOIRE" if obligatoire else "INVALIDE"),
        "message": message,
        "bloquant": True,
    }


def reponse(anomalies: list[dict]) -> dict:
    return {"detail": MSG_REFUS, "anomalies": anomalies}


def place(chemin: tuple) -> tuple[str, str]:
    """The (tab, field) of a JSON path of a write: ``("tuteurs", 0, "nom")`` → ``("salarie", "tuteur1_nom")``."""
    if not chemin:
        return "", ""
    tete, reste = str(chemin[0]), chemin[1:]
    if tete not in SECTIONS:
        return RACINE.get(tete, ""), tete
    onglet = SECTIONS[tete]
    if tete == "tuteurs":
        if len(reste) >= 2 and isinstance(reste[0], int):
            return onglet, f"tuteur{reste[0] + 1}_{reste[1]}"
        return onglet, "tuteurs"
    if tete == "formation" and reste and reste[0] == "modules":
        if len(reste) >= 3 and isinstance(reste[1], int):
            return onglet, f"module{reste[1] + 1}_{reste[2]}"
        return onglet, "modules"
    return onglet, str(reste[0]) if reste else ""


def du_corps(errors) -> list[dict]:
    """The anomalies of the schema's errors on a JSON body (empty: none is the body's)."""
    anomalies = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if not loc or loc[0] != "body":
            continue
        chemin = loc[2:]  # after ("body", <the parameter's name>)
        onglet, champ = place(chemin)
        genre = error.get("type", "")
        if genre == "missing":
            anomalies.append(anomalie(onglet, champ, MESSAGE_OBLIGATOIRE, obligatoire=True))
            continue
        if genre == "extra_forbidden":
            nom = str(chemin[-1]) if chemin else ""
            message = acces.MSG_CHAMP_RESERVE if nom in acces.ATTESTATIONS_EMPLOYEUR else MSG_CHAMP_INCONNU
            anomalies.append(anomalie(onglet, champ, message.format(nom=nom)))
            continue
        if genre == "too_long":
            maximum = (error.get("ctx") or {}).get("max_length")
            anomalies.append(anomalie(onglet, champ, f"Au plus {maximum} éléments."))
            continue
        anomalies.append(anomalie(onglet, champ, MESSAGES_TYPES.get(genre, "Valeur invalide.")))
    return anomalies
