"""Code lists of a dossier, with the guide's labels: one TextChoices per list."""

from django.db import models


class OngletDossier(models.TextChoices):
    """The dossier's tabs, in the guide's order: the rules engine speaks of them by slug."""

    INTRODUCTION = "introduction", "Introduction"
    EMPLOYEUR = "employeur", "Employeur"
    SALARIE = "salarie", "Salarié"
    CONTRAT = "contrat", "Contrat"
    FORMATION = "formation", "Formation"
    FINANCEMENT = "financement", "Financement"
    SYNTHESE = "synthese", "Synthèse"
    DOCUMENTS = "documents", "Documents"


class OngletReconversion(models.TextChoices):
    """The tabs of the période de reconversion that the contrat de professionnalisation has not."""

    ACCORD = "accord", "Accord"


class CodeDispositif(models.TextChoices):
    """The codes of the implemented dispositifs (``Dispositif.code``, data): they key the tabs and the rules."""

    CONTRAT_PRO = "CPRO", "Contrat de professionnalisation"
    RECONVERSION = "PROA", "Reconversion ou promotion par alternance"


class SousDispositifReconversion(models.TextChoices):
    """The sous-dispositifs of the reconversion (``SousDispositif.code``, data) whose Accord and rules differ: the
    host company is an externe's, the avenant's date and the CDI a Pro-A's (the interne has neither)."""

    INTERNE = "REC_INT", "Période de reconversion interne"
    EXTERNE = "REC_EXT", "Période de reconversion externe"
    PRO_A = "PROA_AVT", "Pro-A (avenant conclu avant le 01/01/2026)"


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
    def brouillons(cls, prestataire: bool = False):
        """States listed on *Brouillons*: the adhérent's drafts and the pre-entries to take over;
        a prestataire's pre-entries it is still entering."""
        return [cls.BROUILLON_PRESTATAIRE] if prestataire else [cls.BROUILLON, cls.A_REPRENDRE]

    @classmethod
    def hors_listes(cls):
        """States never shown in the adhérent's lists (kept for the record, or not yet handed over)."""
        return [cls.REFUSE_PAR_ADHERENT]

    @classmethod
    def dossiers(cls, prestataire: bool = False):
        """States listed on *Dossiers*: everything but drafts. A prestataire follows its finalised
        pre-entries there: waiting for the adhérent, taken over, refused by it, then AKTO's decisions."""
        transmis = [cls.TRANSMIS, cls.EN_INSTRUCTION, cls.A_COMPLETER, cls.ACCEPTE, cls.REFUSE]
        if prestataire:
            return [cls.A_REPRENDRE, cls.BROUILLON, cls.REFUSE_PAR_ADHERENT, *transmis]
        return transmis

    @classmethod
    def contrats_conclus(cls):
        """States of a dossier whose contract is concluded and counts (a tutor's load, TUT-04/05; the previous or
        amended contract, DUR-09 / X-07, X-09): transmitted to AKTO, under review, to complete, accepted. Not a draft
        (it may never be signed), not refused (it does not run)."""
        return [cls.TRANSMIS, cls.EN_INSTRUCTION, cls.A_COMPLETER, cls.ACCEPTE]

    @classmethod
    def a_traiter(cls):
        """States awaiting the gestionnaire's decision: the 20-day deadline of D6325-2 runs."""
        return [cls.TRANSMIS, cls.EN_INSTRUCTION]


class MotifRefus(models.TextChoices):
    """The reasons an OPCO may give for refusing the funding (notice 51650#09, p. 2; D6325-2: a motivated refusal)."""

    NON_CONFORMITE = (
        "non_conformite",
        "Non-conformité du contrat au regard des dispositions législatives, réglementaires et conventionnelles",
    )
    QUALIFICATION_NON_PRIORITAIRE = (
        "qualification_non_prioritaire",
        "Qualification non prioritaire au regard des priorités de la branche",
    )
    ABSENCE_DISPONIBILITES = "absence_disponibilites_financieres", "Absence de disponibilités financières"
    DOSSIER_INCOMPLET = "dossier_incomplet", "Dossier incomplet"


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

    @classmethod
    def renouvellements(cls):
        """Types 21 to 24: a new contract renewing a CDD contrat de professionnalisation (L6325-7, DUR-09)."""
        return (cls.ECHEC_EPREUVES, cls.DEFAILLANCE_OF, cls.MATERNITE_MALADIE, cls.QUALIFICATION_SUPERIEURE)


class AnomalieKind(models.TextChoices):
    """The three kinds of message the guide shows under a field."""

    OBLIGATOIRE = "obligatoire", "Saisie obligatoire"
    FORMAT = "format", "Format de la donnée"
    REGLE = "regle", "Règle de gestion"


class Sexe(models.TextChoices):
    MASCULIN = "M", "Masculin"
    FEMININ = "F", "Féminin"


class SituationAvantContrat(models.TextChoices):
    """Dernière situation avant ce contrat (CERFA S18, notice 51650#09)."""

    SCOLAIRE = "1", "1 - Scolaire"
    CIVIS = "2", "2 - Jeune bénéficiaire du CIVIS"
    ETUDIANT = "3", "3 - Etudiant"
    APPRENTISSAGE = "4", "4 - Contrat d'apprentissage"
    PROFESSIONNALISATION = "5", "5 - Contrat de professionnalisation"
    CONTRAT_AIDE = "6", "6 - Salarié en contrat aidé : CUI-CIE, CUI-CAE"
    STAGIAIRE_FP = "7", "7 - Stagiaire de la formation professionnelle"
    SALARIE = "8", "8 - Salarié (y compris intérimaires et salariés à temps partiel)"
    DEMANDEUR_EMPLOI = "9", "9 - Personne à la recherche d'un emploi"
    INACTIF = "10", "10 - Inactif"


class MinimumSocial(models.TextChoices):
    """Type de minimum social, si bénéficiaire (CERFA S19)."""

    RSA = "1", "1 - Revenu de solidarité active (RSA)"
    ASS = "2", "2 - Allocation de solidarité spécifique (ASS)"
    AAH = "3", "3 - Allocation aux adultes handicapés (AAH)"


class Diplome(models.TextChoices):
    """Diplôme ou titre (CERFA S20 « le plus élevé obtenu » and F8 « visé »)."""

    DOCTORAT = "10", "10 - Doctorat"
    MASTER2_PRO = "11", "11 - Master 2 professionnel / DESS / diplôme grande école"
    MASTER2_RECHERCHE = "12", "12 - Master 2 recherche / DEA"
    AUTRE_BAC5 = "19", "19 - Autre diplôme ou titre de niveau bac +5 ou plus"
    MASTER1_PRO = "21", "21 - Master 1 professionnel"
    MASTER1 = "22", "22 - Master 1 général"
    LICENCE_PRO = "23", "23 - Licence professionnelle"
    LICENCE = "24", "24 - Licence générale"
    AUTRE_BAC34 = "29", "29 - Autre diplôme ou titre de niveau bac +3 ou 4"
    BTS = "31", "31 - Brevet de Technicien Supérieur"
    DUT = "32", "32 - Diplôme Universitaire de technologie"
    AUTRE_BAC2 = "39", "39 - Autre diplôme ou titre de niveau bac +2"
    BAC_PRO = "41", "41 - Baccalauréat professionnel"
    BAC_GENERAL = "42", "42 - Baccalauréat général"
    BAC_TECHNO = "43", "43 - Baccalauréat technologique"
    AUTRE_BAC = "49", "49 - Autre diplôme ou titre de niveau bac"
    CAP = "51", "51 - CAP"
    BEP = "52", "52 - BEP"
    MENTION_COMPLEMENTAIRE = "53", "53 - Mention complémentaire"
    AUTRE_CAP_BEP = "59", "59 - Autre diplôme ou titre de niveau CAP/BEP"
    AUCUN = "60", "60 - Aucun diplôme ni titre professionnel"


class PublicSpecifique(models.TextChoices):
    """Public spécifique of the travail temporaire branch (intérim schemes built on the contrat pro)."""

    CPI = "cpi", "Contrat de professionnalisation intérimaire (CPI)"
    CDPI = "cdpi", "Contrat de développement professionnel intérimaire (CDPI)"
    CDII = "cdii", "Salarié en CDI intérimaire (CDII)"
    AUCUN = "aucun", "Aucun public spécifique"


class NatureContrat(models.TextChoices):
    """Nature du contrat (CERFA C1)."""

    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    TRAVAIL_TEMPORAIRE = "tt", "Travail temporaire"


class TypeQualification(models.TextChoices):
    """Type de qualification visée (CERFA F7, notice 51650#09); 4–7 are closed to new contracts."""

    RNCP = "1", "1 - Certification enregistrée au RNCP autre qu'un CQP"
    CQP = "2", "2 - Certificat de qualification professionnelle (CQP)"
    CCN = "3", "3 - Qualification reconnue dans les classifications d'une convention collective nationale"
    EXPERIMENTAL = "4", "4 - Action délivrée dans le cadre du contrat de professionnalisation expérimental"
    PREQUALIFICATION = "5", "5 - Action de pré-qualification ou de pré-formation (abrogé)"
    RS = "6", "6 - Certification inscrite au répertoire spécifique (abrogé)"
    AUTRE = "7", "7 - Autre (abrogé)"
    VAE = (
        "8",
        "8 - Certification ou qualification visée dans le cadre de l'expérimentation associant des actions de VAE",
    )

    @classmethod
    def fermes(cls):
        """Codes refused for new contracts (abrogated, or an ended experiment)."""
        return [cls.EXPERIMENTAL, cls.PREQUALIFICATION, cls.RS, cls.AUTRE]


class PrefixeIntituleVae(models.TextChoices):
    """What « Intitulé précis » (CERFA F10) starts with for type 8, by target (notice 51650#09, RULES.md §1.4.7)."""

    RNCP = "RNCP", "Certification enregistrée au RNCP"
    CQP = "CQP", "Certificat de qualification professionnelle"
    CCN = "CCN", "Qualification reconnue dans les classifications d'une convention collective nationale"
    BLOC_RNCP = "Bloc RNCP", "Blocs de compétences mentionnés à l'article L. 6113-1 du code du travail"
    AUTRE_BLOC = "Autre Bloc", "Autres blocs de compétences"


class TypeModule(models.TextChoices):
    """*Réalisation de la formation*: internal service or external organisation."""

    INTERNE = "interne", "Formation Interne"
    EXTERNE = "externe", "Formation Externe"


class ModalitePedagogique(models.TextChoices):
    PRESENTIEL = "presentiel", "Présentiel"
    DISTANCE = "distance", "À distance"
    MIXTE = "mixte", "Mixte (présentiel et à distance)"


class EtatExport(models.TextChoices):
    """A back-office export job (``dossiers.models.ExportDossiers``), from the click to the file."""

    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    PRET = "pret", "Prêt"
    ECHEC = "echec", "Échec"

    @classmethod
    def termines(cls):
        return [cls.PRET, cls.ECHEC]


class StatutLivraison(models.TextChoices):
    """A webhook delivery (``dossiers.models.LivraisonWebhook``): waiting (first try or retry), delivered, given up."""

    EN_ATTENTE = "en_attente", "En attente"
    LIVREE = "livree", "Livrée"
    ECHEC = "echec", "Échec"


class ObjetReconversion(models.TextChoices):
    """The qualification a période de reconversion aims at (L6324-1: L6314-1 1° or 3°, blocs, socle CléA)."""

    RNCP = "rncp", "Certification enregistrée au RNCP"
    CQP = "cqp", "Certificat de qualification professionnelle (CQP)"
    BLOCS = "blocs", "Blocs de compétences"
    CLEA = "clea", "Socle de connaissances et de compétences (CléA)"


class NatureContratAccueil(models.TextChoices):
    """The host company's contract in an external période de reconversion (L6324-3, L1242-3 5°)."""

    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
