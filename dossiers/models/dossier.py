"""The dossier of a contrat de professionnalisation, its wizard data, and the first tabs' parts."""

__all__ = [
    "AUTRES_ALTERNANTS_MAXIMUM",
    "CHAMPS_INSEE_SAISISSABLES",
    "MESSAGE_AUTRES_ALTERNANTS",
    "Dispositif",
    "Dossier",
    "DossierEvenement",
    "DossierQuerySet",
    "Employeur",
    "Salarie",
    "SousDispositif",
    "Tuteur",
]

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, FilteredRelation, OuterRef, Q
from simple_history.signals import pre_create_historical_record

from dossiers.enums import (
    CodeDispositif,
    Diplome,
    DossierState,
    MinimumSocial,
    MotifRefus,
    PublicSpecifique,
    Sexe,
    SituationAvantContrat,
    TypeContrat,
    TypePublic,
)
from portal.chiffrement import decrypt, encrypt, fingerprint
from portal.historique import HistoriqueDesChamps, HistoriqueSaisie
from referentiels.models import Etablissement, OrganismeFormation
from referentiels.sirene import MESSAGES as SIRENE_MESSAGES
from referentiels.sirene import SireneStatus
from referentiels.validators import mask_nir, normalize_nir, validate_nom, validate_phone, validate_postal_code


class Dispositif(models.Model):
    """*Quel dispositif ?* — data, so that AKTO opens or closes one without a release."""

    code = models.CharField("Code", max_length=10, unique=True)
    libelle = models.CharField("Libellé", max_length=100)
    ordre = models.PositiveSmallIntegerField(default=0)
    ouvert = models.BooleanField("Ouvert à la saisie", default=False)
    idcc_ouverts = models.JSONField(
        "Branches (IDCC) ouvertes",
        default=list,
        blank=True,
        help_text="Liste d'IDCC pour lesquels le dispositif est ouvert ; vide = toutes les branches.",
    )

    class Meta:
        ordering = ["ordre"]

    def __str__(self):
        return self.libelle

    def ouvert_pour(self, etablissement: Etablissement) -> bool:
        return self.ouvert and (not self.idcc_ouverts or etablissement.idcc in self.idcc_ouverts)


class SousDispositif(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.PROTECT, related_name="sous_dispositifs")
    code = models.CharField("Code", max_length=20, unique=True)
    libelle = models.CharField("Libellé", max_length=100)
    ordre = models.PositiveSmallIntegerField(default=0)
    ouvert = models.BooleanField("Ouvert à la saisie", default=True)

    class Meta:
        ordering = ["dispositif__ordre", "ordre"]

    def __str__(self):
        return self.libelle


TUTEUR_JOINT = "tuteur_rang_"
# The types for which another dossier's contract matters: renewals (DUR-09 / X-07) and the avenant.
TYPES_AVEC_CONTRAT_PRECEDENT = (*TypeContrat.renouvellements(), TypeContrat.AVENANT)


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The only way a view gets dossiers: anything outside this answers 404 (``dossiers/acces.py``)."""
        from dossiers import acces

        return acces.visibles(self, user)

    def avec_tuteurs(self):
        """The two tutors joined to the dossier's row (``Dossier.tuteur(rang)`` then reads no row)."""
        return self.annotate(
            **{f"{TUTEUR_JOINT}{rang}": FilteredRelation("tuteurs", condition=Q(tuteurs__rang=rang)) for rang in (1, 2)}
        ).select_related(*(f"{TUTEUR_JOINT}{rang}" for rang in (1, 2)))

    def avec_indices(self):
        """What the rules that look at other dossiers need to know, read with the dossier: does another
        salarié hold this NIR (X-26), does another concluded dossier (``DossierState.contrats_conclus``) of the
        same employer have a rank-1 tutor born the same day (TUT-04/05), is another concluded contract of this
        salarié with this employer known, for a renewal (types 21–24, DUR-09 / X-07) or an avenant (type 30, X-09)
        only? When the answer is no, those rules need no query (``Dossier.indice``). Each is a superset of what its
        rule counts."""
        from django.db.models import BooleanField, Case, Value, When
        from django.db.models.functions import Substr

        return self.annotate(
            indice_contrat=Case(
                When(
                    type_contrat__in=TYPES_AVEC_CONTRAT_PRECEDENT,
                    then=Exists(
                        Dossier.objects.filter(
                            state__in=DossierState.contrats_conclus(),
                            salarie__nir_empreinte=OuterRef("salarie__nir_empreinte"),
                            employeur__siret__startswith=Substr(OuterRef("employeur__siret"), 1, 9),
                        )
                        .exclude(salarie__nir_empreinte="")
                        .exclude(pk=OuterRef("pk"))
                    ),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            indice_nir=Exists(
                Salarie.objects.filter(nir_empreinte=OuterRef("salarie__nir_empreinte"))
                .exclude(nir_empreinte="")
                .exclude(nom_naissance="")
                .exclude(dossier_id=OuterRef("pk"))
            ),
            indice_tuteur=Exists(
                Tuteur.objects.filter(
                    rang=1,
                    date_naissance=OuterRef(f"{TUTEUR_JOINT}1__date_naissance"),
                    dossier__employeur__siret__startswith=Substr(OuterRef("employeur__siret"), 1, 9),
                    dossier__state__in=DossierState.contrats_conclus(),
                ).exclude(dossier_id=OuterRef("pk"))
            ),
        )

    def for_list(self):
        """Everything a list row shows (``templates/dossiers/liste.html``), in one query, and only that."""
        return self.select_related("dispositif", "employeur", "salarie", "contrat", "accord", "formation").only(
            "numero",
            "state",
            "created_at",
            "dispositif__code",
            "formation__intitule",
            "contrat__date_debut",
            "contrat__date_fin",
            "accord__date_debut",
            "accord__date_fin",
            "employeur__raison_sociale",
            "salarie__prenom",
            "salarie__nom_naissance",
        )


# The part that holds a dossier's dates (the lists' « Début », « Fin »), per dispositif: the contract's, the
# written agreement's.
PARTIE_DES_DATES = {CodeDispositif.CONTRAT_PRO: "contrat", CodeDispositif.RECONVERSION: "accord"}


def parties_des_dates() -> list[str]:
    """The parts that may hold a dossier's « Début » / « Fin » (``PARTIE_DES_DATES``'s, once each): a dossier has
    dates in only one of them, its dispositif's (the others' stay NULL), so the first non-NULL one is its date."""
    return list(dict.fromkeys(PARTIE_DES_DATES.values()))


def colonnes_de_periode() -> dict[str, models.Expression]:
    """``periode_debut``, ``periode_fin``: ``PARTIE_DES_DATES``'s dates as columns of a query (the CSV export)."""
    return {
        f"periode_{bout}": models.Case(
            *[
                models.When(dispositif__code=code, then=models.F(f"{partie}__date_{bout}"))
                for code, partie in PARTIE_DES_DATES.items()
            ]
        )
        for bout in ("debut", "fin")
    }


class Dossier(models.Model):
    numero = models.CharField("Numéro", max_length=20, unique=True, blank=True)
    state = models.CharField("Etat", max_length=30, choices=DossierState.choices, default=DossierState.BROUILLON)
    # Indexed by ``dossier_visibles_num_idx``, whose first column it is (no index of its own).
    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    dispositif = models.ForeignKey(Dispositif, on_delete=models.PROTECT)
    sous_dispositif = models.ForeignKey(SousDispositif, on_delete=models.PROTECT)
    type_contrat = models.CharField("Type de contrat ou d'avenant", max_length=2, choices=TypeContrat.choices)
    type_public = models.CharField("Type de public", max_length=20, choices=TypePublic.choices, blank=True)
    notice_lue = models.BooleanField(
        "J'ai pris connaissance de la notice comprenant les informations liées au traitement des données "
        "à caractère personnel.",
        default=False,
    )
    version = models.PositiveIntegerField(default=1, help_text="Verrou optimiste : incrémenté à chaque enregistrement.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossiers_crees")
    prestataire = models.ForeignKey(
        OrganismeFormation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers_presaisis",
        verbose_name="prestataire de formation",
        help_text="L'organisme de formation qui a pré-saisi le dossier, le cas échéant.",
    )
    # The back office's assignment: the AKTO gestionnaire who handles the dossier (« Instruit par »), none at first.
    instruit_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers_instruits",
        verbose_name="instruit par",
    )
    created_at = models.DateTimeField("Créé le", auto_now_add=True)
    updated_at = models.DateTimeField("Modifié le", auto_now=True)
    # The lists' and the back office's search key (dossiers/recherche.py): number, employer, SIRET, salarié's
    # names, training title, normalised as every search of the portal (referentiels/search.py). On PostgreSQL a
    # trigram index (pg_trgm, migration 0016) serves its ``LIKE '%mot%'``; SQLite scans it.
    recherche = models.CharField(max_length=600, blank=True, default="", editable=False)
    # AKTO's side, written only by the workflow's transitions (``dossiers/workflow.py``), never by a tab form.
    transmis_le = models.DateTimeField(
        "Transmis le",
        null=True,
        blank=True,
        editable=False,
        help_text="Dernière transmission à AKTO : le délai de décision de 20 jours (art. D6325-2) court de là.",
    )
    decide_le = models.DateTimeField("Décidé le", null=True, blank=True, editable=False)
    montant_engage = models.DecimalField(
        "Montant de la prise en charge engagée", max_digits=9, decimal_places=2, null=True, blank=True, editable=False
    )
    motif_refus = models.CharField(
        "Motif du refus", max_length=40, choices=MotifRefus.choices, blank=True, editable=False
    )

    objects = DossierQuerySet.as_manager()
    # The field-level history of what the tabs write on the dossier itself (the state, the timestamps, the
    # decision and the search key are the workflow's: not recorded; the events say who changed the state).
    history = HistoriqueDesChamps(champs=("type_contrat", "type_public", "notice_lue"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "-created_at"]),
            # What an adhérent sees (its establishments' ids, acces.visibles) in a list's states, with the default
            # order, the id and the number: the lists' count and the ids of a page sorted by creation, state or
            # number are read from this index alone (walking the number's own index in order skipped, for the
            # drafts, every older dossier: numbers follow the creation).
            models.Index(
                fields=["etablissement", "state", "-created_at", "id", "numero"], name="dossier_visibles_num_idx"
            ),
            # The back office's list, oldest transmission first (or last): its pages are walks of this index,
            # state included so that the filter on it needs no visit of the table (dossiers/instruction/admin.py).
            models.Index(fields=["transmis_le", "id", "state"], name="dossier_admin_liste_idx"),
        ]
        permissions = [
            (
                "instruire_dossier",
                "Peut instruire les dossiers (prendre en instruction, demander des compléments, accepter, refuser)",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant_engage__isnull=True) | Q(montant_engage__gt=0),
                name="dossier_montant_engage_positif",
                violation_error_message="Le montant de la prise en charge engagée doit être supérieur à zéro.",
            )
        ]

    def __str__(self):
        return self.numero or f"Dossier {self.pk}"

    def tuteur(self, rang: int) -> "Tuteur":
        """The tutor of that rank (both rows exist from the dossier's creation); cached with the dossier."""
        cache = self.__dict__.setdefault("_tuteurs", {})
        if rang not in cache:
            joint = f"{TUTEUR_JOINT}{rang}"
            if joint in self.__dict__:  # loaded with the dossier (``avec_tuteurs``; None: no row)
                tuteur = self.__dict__[joint]
            else:
                tuteur = next((t for t in self.tuteurs.all() if t.rang == rang), None)
            cache[rang] = tuteur or Tuteur(dossier=self, rang=rang)
        return cache[rang]

    def indice(self, nom: str, *valeurs) -> bool | None:
        """What ``avec_indices`` read for the stored ``valeurs`` (the NIR's fingerprint; the tutor's date of birth
        and the SIREN; the type, the NIR's fingerprint and the SIREN): False when no other dossier can match, None
        when unknown or when the values in memory are no longer those that were read (a save or a check of the
        Salarié tab)."""
        lu = self.__dict__.get("_indices", {}).get(nom)
        return lu[1] if lu is not None and lu[0] == valeurs else None

    def noter_indices(self) -> None:
        """After ``avec_indices``: remember which stored values its answers are about."""
        salarie = self._state.fields_cache.get("salarie")
        self._indices = {
            "nir": (((salarie.nir_empreinte if salarie else ""),), self.indice_nir),
            "tuteur": ((self.tuteur(1).date_naissance, (self.employeur.siret or "")[:9]), self.indice_tuteur),
            "contrat": (
                (self.type_contrat, (salarie.nir_empreinte if salarie else ""), (self.employeur.siret or "")[:9]),
                self.indice_contrat,
            ),
        }

    @property
    def periode(self):
        """The part whose ``date_debut`` / ``date_fin`` the lists show (``PARTIE_DES_DATES``), None before it is
        entered."""
        code = self.dispositif.code if self.dispositif_id else CodeDispositif.CONTRAT_PRO
        return getattr(self, PARTIE_DES_DATES.get(code, "contrat"), None)  # a missing one-to-one: AttributeError

    @property
    def est_modifiable(self) -> bool:
        """May the user who loaded it (``dossiers.acces.charger``) edit it? Read-only when nobody said so."""
        return getattr(self, "_modifiable", False)


# Employer data a user completes by hand when INSEE cannot give it (degraded mode), in form order.
CHAMPS_INSEE_SAISISSABLES = ("raison_sociale", "numero_voie", "code_postal", "commune", "naf", "idcc")


class Employeur(models.Model):
    """Snapshot of the establishment's INSEE data at creation, plus what the user may edit."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="employeur")
    raison_sociale = models.CharField("Raison Sociale", max_length=200)
    siret = models.CharField("Siret de l'établissement d'exécution du contrat", max_length=14)
    numero_voie = models.CharField("N° et voie", max_length=200)
    complement_adresse = models.CharField("Complément d'adresse", max_length=200, blank=True)
    code_postal = models.CharField("Code postal", max_length=5)
    commune = models.CharField("Commune", max_length=100)
    naf = models.CharField("NAF", max_length=5)
    idcc = models.CharField("IDCC", max_length=4, db_index=True)  # the back office's IDCC filter
    categorie_juridique = models.CharField("Catégorie juridique", max_length=4, blank=True)
    travail_temporaire = models.BooleanField(default=False)
    geiq = models.BooleanField(default=False)
    verification_insee = models.CharField(
        "Vérification Sirene",
        max_length=20,
        blank=True,
        help_text="Réponse du répertoire Sirene à la création (ok, non_diffusible, indisponible, desactive…).",
    )
    saisie_manuelle = models.JSONField(
        "Données employeur saisies à la main",
        default=list,
        blank=True,
        help_text="Champs INSEE que l'INSEE n'a pas pu fournir, complétés par l'utilisateur : à vérifier.",
    )
    # Editable by the user.
    telephone = models.CharField("Téléphone", max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField("Email", max_length=300, blank=True)
    effectif_total = models.PositiveIntegerField("Effectif total de l'entreprise", null=True, blank=True)
    caisse_retraite = models.CharField("Caisse de retraite complémentaire", max_length=200, blank=True)
    organisme_prevoyance = models.CharField("Organisme de prévoyance", max_length=200, blank=True)

    history = HistoriqueSaisie()

    class Meta:
        # The lists' sort by company (saisie/listes.py TRIS): read from the index, per visible dossier.
        indexes = [models.Index(fields=["dossier", "raison_sociale"], name="employeur_tri_idx")]

    def __str__(self):
        return f"{self.raison_sociale} ({self.siret})"

    @property
    def message_insee(self) -> str:
        """What the user must know about the INSEE check made at creation (degraded mode only)."""
        degraded = (SireneStatus.NON_DIFFUSIBLE, SireneStatus.INDISPONIBLE, SireneStatus.INTROUVABLE)
        return SIRENE_MESSAGES[self.verification_insee] if self.verification_insee in degraded else ""

    @property
    def a_verifier(self) -> bool:
        """Employer data entered by hand, to be checked by the gestionnaire."""
        return bool(self.saisie_manuelle)


class NirMasqueHistorique(models.Model):
    """What a Salarié's history keeps of the NIR: the masked number, never the encrypted one nor its fingerprint."""

    nir_masque = models.CharField("Numéro de sécurité sociale (NIR)", max_length=30, blank=True)

    class Meta:
        abstract = True


class Salarie(models.Model):
    """The employee (CERFA « Le salarié », S1–S20). The NIR is stored encrypted, with a keyed fingerprint."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="salarie")
    nom_naissance = models.CharField("Nom de naissance", max_length=50, blank=True, validators=[validate_nom])
    nom_usage = models.CharField("Nom d'usage (si différent)", max_length=50, blank=True, validators=[validate_nom])
    prenom = models.CharField("Prénom", max_length=50, blank=True, validators=[validate_nom])
    date_naissance = models.DateField("Date de naissance", null=True, blank=True)
    sexe = models.CharField("Sexe", max_length=1, choices=Sexe.choices, blank=True)
    departement_naissance = models.CharField("Département de naissance", max_length=3, blank=True)
    commune_naissance = models.CharField("Commune de naissance", max_length=100, blank=True)
    nir_temporaire = models.BooleanField("Êtes-vous détenteur d'un NIR temporaire ?", null=True, blank=True)
    nir_chiffre = models.TextField(blank=True, editable=False)
    nir_empreinte = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    ntt = models.CharField("Numéro technique temporaire", max_length=40, blank=True)
    rqth = models.BooleanField("Qualité de travailleur handicapé", null=True, blank=True)
    equivalence_jeunes = models.BooleanField("Équivalence jeunes", null=True, blank=True)
    extension_boe = models.BooleanField("Extension BOE", null=True, blank=True)
    public_specifique = models.CharField(
        "Public spécifique", max_length=10, choices=PublicSpecifique.choices, blank=True
    )
    inscrit_france_travail = models.BooleanField("Inscrit à France Travail ?", null=True, blank=True)
    numero_france_travail = models.CharField("Numéro d'inscription", max_length=20, blank=True)
    duree_inscription_mois = models.PositiveIntegerField("Durée d'inscription (en mois)", null=True, blank=True)
    situation_avant_contrat = models.CharField(
        "Situation avant ce contrat", max_length=2, choices=SituationAvantContrat.choices, blank=True
    )
    minimum_social = models.CharField(
        "Type de minimum social, si bénéficiaire", max_length=1, choices=MinimumSocial.choices, blank=True
    )
    diplome_plus_eleve = models.CharField(
        "Diplôme ou titre le plus élevé obtenu", max_length=2, choices=Diplome.choices, blank=True
    )
    numero_voie = models.CharField("N° et voie", max_length=200, blank=True)
    complement_adresse = models.CharField("Complément d'adresse", max_length=200, blank=True)
    code_postal = models.CharField("Code postal", max_length=5, blank=True, validators=[validate_postal_code])
    commune = models.CharField("Commune", max_length=100, blank=True)
    code_commune = models.CharField("Code INSEE de la commune", max_length=5, blank=True)
    telephone = models.CharField("Téléphone", max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField("Email", max_length=300, blank=True)
    attestation_tuteur = models.BooleanField(
        "Employeur atteste sur l'honneur que le tuteur ne soit pas responsable de plus de 3 stagiaires et pas "
        "plus de 2 stagiaires si le tuteur est également l'employeur.",
        default=False,
    )
    # TUT-02 (article D6325-6): the tutor's conditions, attested by the employer (T8 only counts the contracts).
    attestation_tuteur_qualifie = models.BooleanField(
        "L'employeur atteste que le tuteur est volontaire, qualifié et justifie d'au moins deux ans d'expérience "
        "professionnelle dans une qualification en rapport avec l'objectif de professionnalisation visé, qu'il "
        "soit salarié de l'entreprise ou l'employeur lui-même (article D6325-6 du code du travail) ; en cas de "
        "travail temporaire ou de groupement d'employeurs, ces conditions sont celles du tuteur de l'entreprise "
        "utilisatrice (articles D6325-10 et D6325-22).",
        default=False,
    )

    history = HistoriqueSaisie(
        excluded_fields=["nir_chiffre", "nir_empreinte"], declencheurs=("nir_chiffre",), bases=[NirMasqueHistorique]
    )

    class Meta:
        verbose_name = "salarié"
        # The lists' sort by beneficiary (saisie/listes.py TRIS): read from the index, per visible dossier.
        indexes = [models.Index(fields=["dossier", "nom_naissance"], name="salarie_tri_idx")]

    @property
    def nom_complet(self) -> str:
        return " ".join(p for p in [self.prenom, self.nom_naissance.upper()] if p)

    @property
    def nir(self) -> str:
        return decrypt(self.nir_chiffre)

    @nir.setter
    def nir(self, value: str) -> None:
        value = normalize_nir(value) if value else ""
        self.nir_chiffre = encrypt(value)
        self.nir_empreinte = fingerprint(value)

    @property
    def nir_masque(self) -> str:
        """The NIR as shown anywhere outside its own field."""
        return mask_nir(self.nir) if self.nir_chiffre else ""


def _nir_masque_dans_l_historique(sender, instance, history_instance, **kwargs):
    history_instance.nir_masque = instance.nir_masque


pre_create_historical_record.connect(_nir_masque_dans_l_historique, sender=Salarie.history.model)


# Contracts a tutor follows outside the portal, as the employer declares them (TUT-04/05): a small number.
AUTRES_ALTERNANTS_MAXIMUM = 10
MESSAGE_AUTRES_ALTERNANTS = f"Saisissez un nombre entier entre 0 et {AUTRES_ALTERNANTS_MAXIMUM}."


class Tuteur(models.Model):
    """A tutor (CERFA T1–T6): rang 1 in the employer's establishment, rang 2 in the user company."""

    class Rang(models.IntegerChoices):
        EMPLOYEUR = 1, "Au sein de l'établissement employeur"
        UTILISATRICE = 2, "Au sein de l'entreprise utilisatrice, si travail temporaire, groupement employeur ou GEIQ"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="tuteurs")
    rang = models.PositiveSmallIntegerField(choices=Rang.choices)
    nom = models.CharField("Nom", max_length=50, blank=True, validators=[validate_nom])
    prenom = models.CharField("Prénom", max_length=50, blank=True, validators=[validate_nom])
    emploi = models.CharField("Emploi occupé", max_length=100, blank=True)
    date_naissance = models.DateField("Date de naissance", null=True, blank=True)
    est_employeur = models.BooleanField("Le tuteur est l'employeur", null=True, blank=True)
    autres_alternants = models.PositiveSmallIntegerField(
        "Nombre d'autres alternants (contrats de professionnalisation ou d'apprentissage) suivis par ce tuteur en "
        "dehors de ce portail pendant ce contrat",
        default=0,
        validators=[MaxValueValidator(AUTRES_ALTERNANTS_MAXIMUM, MESSAGE_AUTRES_ALTERNANTS)],
        help_text="Ne comptez ni ce contrat, ni les dossiers déjà transmis sur ce portail (ils sont comptés).",
    )

    history = HistoriqueSaisie()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "rang"], name="tuteur_rang_unique")]
        ordering = ["rang"]

    def __str__(self):
        return f"{self.prenom} {self.nom}".strip() or f"Tuteur {self.rang}"

    @property
    def identite_complete(self) -> bool:
        return bool(self.nom and self.prenom and self.date_naissance)


class DossierEvenement(models.Model):
    """The log of every transition: who, when, from, to, comment."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evenements")
    transition = models.CharField(max_length=50)
    from_state = models.CharField(max_length=30, choices=DossierState.choices, blank=True)
    to_state = models.CharField(max_length=30, choices=DossierState.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    comment = models.TextField(blank=True)
    # The decision's data as the transition wrote them (``Transition.champs``), kept with the event: the dossier
    # holds only the latest decision's, the history every one's.
    montant_engage = models.DecimalField(
        "Montant de la prise en charge engagée", max_digits=9, decimal_places=2, null=True, blank=True
    )
    motif_refus = models.CharField("Motif du refus", max_length=40, choices=MotifRefus.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_state=models.F("to_state")),
                name="evenement_change_state",
                violation_error_message="Un événement change l'état du dossier.",
            )
        ]
