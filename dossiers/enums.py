"""Code lists of a dossier, with the guide's labels: one TextChoices per list."""

from django.db import models


class DossierState(models.TextChoices):
    BROUILLON_PRESTATAIRE = "brouillon_prestataire", "Brouillon prestataire"
    A_REPRENDRE = "a_reprendre", "A reprendre par l'adhérent"
    BROUILLON = "brouillon", "Brouillon"
    TRANSMIS = "transmis", "Transmis"
    EN_INSTRUCTION = "en_instruction", "En cours d'instruction"
    A_COMPLETER = "a_completer", "A compléter"
    ACCEPTE = "accepte", "Accepté"
    REFUSE = "refuse", "Refusé"
    REFUSE_PAR_ADHERENT = "refuse_par_adherent", "Refusé par l'adhérent"

    @classmethod
    def brouillons(cls):
        """States listed on the adhérent's *Brouillons* page."""
        return [cls.BROUILLON, cls.A_REPRENDRE]

    @classmethod
    def hors_listes(cls):
        """States never shown in the lists (kept for the record, or not yet handed over)."""
        return [cls.REFUSE_PAR_ADHERENT]

    @classmethod
    def dossiers(cls):
        """States listed on the *Dossiers* page: everything but drafts."""
        return [cls.TRANSMIS, cls.EN_INSTRUCTION, cls.A_COMPLETER, cls.ACCEPTE, cls.REFUSE]


class TypePublic(models.TextChoices):
    """*Quel est le type de public concerné ?* (travail temporaire only)."""

    PERMANENT = "permanent", "Permanent"
    INTERIMAIRE = "interimaire", "Intérimaire"


class TypeContrat(models.TextChoices):
    """*Pour quel type de contrat ou d'avenant ?* (CERFA C3, notice 51650#09)."""

    INITIAL = "11", "11 - Contrat Initial"
    INITIAL_SAISONNIER = (
        "12",
        (
            "12 - Contrat initial conclu conjointement avec deux employeurs pour l'exercice d'une activité "
            "saisonnière : une convention tripartite est nécessaire pour la validation du contrat par l'OPCO "
            "(contrat régi par l'article L.6325-4-1)"
        ),
    )
    ECHEC_EPREUVES = "21", "21 - Nouveau contrat en raison de l'échec aux épreuves de validation"
    DEFAILLANCE_OF = "22", "22 - Nouveau contrat en raison de la défaillance de l'organisme de formation"
    MATERNITE_MALADIE = (
        "23",
        "23 - Nouveau contrat en raison de la maternité, de la maladie ou d'un accident de travail",
    )
    QUALIFICATION_SUPERIEURE = (
        "24",
        (
            "24 - Nouveau contrat pour l'obtention d'une qualification supérieure ou complémentaire à celle "
            "acquise lors du contrat précédent"
        ),
    )
    AVENANT = "30", "30 - Avenant"


class AnomalieKind(models.TextChoices):
    """The three kinds of message the guide shows under a field."""

    OBLIGATOIRE = "obligatoire", "Saisie obligatoire"
    FORMAT = "format", "Format de la donnée"
    REGLE = "regle", "Règle de gestion"
