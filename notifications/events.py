"""The events a user is notified of: one place listing them, their labels and their one-line in-app text.

Each event also has its e-mail, ``templates/notifications/email/<event>_subject.txt`` and ``<event>_body.txt``.
"""

from django.db import models


class Evenement(models.TextChoices):
    DOSSIER_A_REPRENDRE = "dossier_a_reprendre", "Dossier à reprendre"
    REPRISE_ACCEPTEE = "reprise_acceptee", "Reprise acceptée par l'adhérent"
    REPRISE_REFUSEE = "reprise_refusee", "Reprise refusée par l'adhérent"
    DOSSIER_TRANSMIS = "dossier_transmis", "Dossier transmis à AKTO"
    EN_INSTRUCTION = "en_instruction", "Dossier en cours d'instruction"
    A_COMPLETER = "a_completer", "Dossier à compléter"
    DOSSIER_ACCEPTE = "dossier_accepte", "Dossier accepté"
    DOSSIER_REFUSE = "dossier_refuse", "Dossier refusé"
    DOSSIER_ACCEPTE_TACITEMENT = "dossier_accepte_tacitement", "Prise en charge réputée acceptée (D6325-2)"
    # To the gestionnaire the dossier is assigned to (dossiers/instruction/decisions.py: the daily watch).
    DELAI_ALERTE = "delai_alerte", "Fin du délai de décision proche"


# What the notification list shows, one line per event ({numero}: the dossier's, {entreprise}: the employer's
# raison sociale). Never the salarié's identity: the line is also shown in the bell's list.
TEXTES: dict[str, str] = {
    Evenement.DOSSIER_A_REPRENDRE: "Le dossier {numero} ({entreprise}) a été pré-saisi par un prestataire : "
    "il est à reprendre.",
    Evenement.REPRISE_ACCEPTEE: "L'adhérent a accepté la reprise du dossier {numero} ({entreprise}).",
    Evenement.REPRISE_REFUSEE: "L'adhérent a refusé la reprise du dossier {numero} ({entreprise}).",
    Evenement.DOSSIER_TRANSMIS: "Le dossier {numero} ({entreprise}) a été transmis à AKTO.",
    Evenement.EN_INSTRUCTION: "Le dossier {numero} ({entreprise}) est en cours d'instruction par AKTO.",
    Evenement.A_COMPLETER: "AKTO demande des compléments sur le dossier {numero} ({entreprise}).",
    Evenement.DOSSIER_ACCEPTE: "Le dossier {numero} ({entreprise}) a été accepté par AKTO.",
    Evenement.DOSSIER_REFUSE: "Le dossier {numero} ({entreprise}) a été refusé par AKTO.",
    Evenement.DOSSIER_ACCEPTE_TACITEMENT: "Sans décision dans le délai, la prise en charge du dossier {numero} "
    "({entreprise}) est réputée acceptée (article D6325-2).",
    Evenement.DELAI_ALERTE: "Le dossier {numero} ({entreprise}) approche de la fin du délai de décision : sans "
    "décision, la prise en charge sera réputée acceptée (article D6325-2).",
}


def texte(evenement: str, *, numero: str, entreprise: str) -> str:
    """The one-line French text of ``evenement`` for the in-app list."""
    return TEXTES[evenement].format(numero=numero, entreprise=entreprise)
