"""Generate a realistic volume of dossiers for measuring the portal at AKTO's scale (``make bench-volume``).

``python manage.py generer_volume --dossiers 100000 --etablissements 2000 [--seed 1] [--adherents]`` creates
companies and establishments (varied names, communes, NAF and IDCC from the shipped referentials when they are
loaded, a fixed list otherwise), one adhérent per company (the dossiers' creators), a few training organisations
with their prestataire, then N dossiers in every state with all their parts, as ``services._create`` and the
workflow leave them: Employeur (the establishment's snapshot), Salarié (names, birth date, the NIR encrypted
through the model's own property), two Tuteur rows, Contrat (dates), Formation (title, RNCP code) and its
modules, Financement, Synthèse, and the events of the transitions the state implies; ``transmis_le`` and
``decide_le`` follow the state, ``created_at`` is spread over two years, the search key is filled
(``dossiers.recherche.cle``: bulk inserts send no signal).

Bulk inserts in batches, ids reserved up front so that the numbers are the portal's (``CP<year><id>``). Refused
when a volume was already generated in the database (its first company exists), and under HTTPS (production).
With ``--adherents``: four demo accounts (password of ``load_demo``), printed at the end.
"""

from __future__ import annotations

import contextlib
import math
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from dossiers import acces
from dossiers.enums import (
    Diplome,
    DossierState,
    ModalitePedagogique,
    MotifRefus,
    NatureContrat,
    Sexe,
    TypeContrat,
    TypeModule,
    TypeQualification,
)
from dossiers.models import (
    Contrat,
    Dossier,
    DossierEvenement,
    Employeur,
    Financement,
    Formation,
    ModuleFormation,
    Salarie,
    SousDispositif,
    Synthese,
    Tuteur,
)
from dossiers.recherche import cle
from dossiers.services import employeur_snapshot
from dossiers.workflow import (
    ACCEPTER_DOSSIER,
    ACCEPTER_REPRISE,
    CREATION,
    DEMANDER_COMPLEMENTS,
    FINALISER,
    PRENDRE_EN_INSTRUCTION,
    REFUSER_DOSSIER,
    REFUSER_REPRISE,
    TRANSMETTRE,
)
from portal.models import Role, User
from referentiels.models import (
    Certification,
    CodeNaf,
    CodePostal,
    ConventionCollective,
    Entreprise,
    Etablissement,
    OrganismeFormation,
    Rattachement,
)
from referentiels.validators import nir_key, siren_with_check_digit, siret_with_check_digit

# Generated SIRENs: 50 000 000 + company index (the tests' factories start at 10 000 000, the bench's at 60 000 000).
SIREN_BASE = 50_000_000
ORGANISME_SIREN_BASE = 58_000_000
EMAIL_DOMAINE = "volume.test"
LOT = 2_000  # dossiers per batch (each: about 13 rows)

# State → share of the dossiers (mostly sent, being reviewed or accepted; drafts; pre-entries).
ETATS = {
    DossierState.BROUILLON: 12,
    DossierState.BROUILLON_PRESTATAIRE: 3,
    DossierState.A_REPRENDRE: 2,
    DossierState.REFUSE_PAR_ADHERENT: 1,
    DossierState.TRANSMIS: 12,
    DossierState.EN_INSTRUCTION: 10,
    DossierState.A_COMPLETER: 5,
    DossierState.ACCEPTE: 45,
    DossierState.REFUSE: 10,
}
PRESAISIES = {DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE, DossierState.REFUSE_PAR_ADHERENT}
ENVOYES = {DossierState.TRANSMIS, DossierState.EN_INSTRUCTION, DossierState.A_COMPLETER}
DECIDES = {DossierState.ACCEPTE, DossierState.REFUSE}
PART_PRESTATAIRE = 0.12  # of the other dossiers: pre-entered by a prestataire, then taken over

# The transitions each state implies after the creation (the events' log).
CHEMINS = {
    DossierState.BROUILLON: [],
    DossierState.BROUILLON_PRESTATAIRE: [],
    DossierState.A_REPRENDRE: [(FINALISER, DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE)],
    DossierState.REFUSE_PAR_ADHERENT: [
        (FINALISER, DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE),
        (REFUSER_REPRISE, DossierState.A_REPRENDRE, DossierState.REFUSE_PAR_ADHERENT),
    ],
    DossierState.TRANSMIS: [(TRANSMETTRE, DossierState.BROUILLON, DossierState.TRANSMIS)],
    DossierState.EN_INSTRUCTION: [
        (TRANSMETTRE, DossierState.BROUILLON, DossierState.TRANSMIS),
        (PRENDRE_EN_INSTRUCTION, DossierState.TRANSMIS, DossierState.EN_INSTRUCTION),
    ],
    DossierState.A_COMPLETER: [
        (TRANSMETTRE, DossierState.BROUILLON, DossierState.TRANSMIS),
        (PRENDRE_EN_INSTRUCTION, DossierState.TRANSMIS, DossierState.EN_INSTRUCTION),
        (DEMANDER_COMPLEMENTS, DossierState.EN_INSTRUCTION, DossierState.A_COMPLETER),
    ],
    DossierState.ACCEPTE: [
        (TRANSMETTRE, DossierState.BROUILLON, DossierState.TRANSMIS),
        (PRENDRE_EN_INSTRUCTION, DossierState.TRANSMIS, DossierState.EN_INSTRUCTION),
        (ACCEPTER_DOSSIER, DossierState.EN_INSTRUCTION, DossierState.ACCEPTE),
    ],
    DossierState.REFUSE: [
        (TRANSMETTRE, DossierState.BROUILLON, DossierState.TRANSMIS),
        (PRENDRE_EN_INSTRUCTION, DossierState.TRANSMIS, DossierState.EN_INSTRUCTION),
        (REFUSER_DOSSIER, DossierState.EN_INSTRUCTION, DossierState.REFUSE),
    ],
}
REPRISE = (ACCEPTER_REPRISE, DossierState.A_REPRENDRE, DossierState.BROUILLON)

# Fallbacks when the referentials are not loaded (tests, a bare database).
NAF_IDCC = [
    ("5610A", "1979"),
    ("5510Z", "1979"),
    ("8121Z", "3043"),
    ("4711D", "2216"),
    ("4639B", "0573"),
    ("7820Z", "1413"),
    ("4941A", "0016"),
    ("8810A", "2941"),
    ("4520A", "1090"),
    ("1071C", "0843"),
    ("9602A", "2596"),
    ("6202A", "1486"),
]
COMMUNES = [
    ("69002", "LYON"),
    ("13002", "MARSEILLE"),
    ("44000", "NANTES"),
    ("59000", "LILLE"),
    ("35000", "RENNES"),
    ("21000", "DIJON"),
    ("29200", "BREST"),
    ("37000", "TOURS"),
    ("31000", "TOULOUSE"),
    ("33000", "BORDEAUX"),
    ("67000", "STRASBOURG"),
    ("42000", "SAINT-ETIENNE"),
    ("94240", "L'HAY-LES-ROSES"),
    ("54500", "VANDOEUVRE-LES-NANCY"),
    ("76800", "SAINT-ETIENNE-DU-ROUVRAY"),
    ("06000", "NICE"),
]
CERTIFICATIONS = [
    ("RNCP37874", "Titre professionnel Serveur en restauration"),
    ("RNCP34794", "Titre professionnel Agent de propreté et d'hygiène"),
    ("RNCP37098", "BTS Management commercial opérationnel"),
    ("RNCP35671", "Titre professionnel Conducteur du transport routier de marchandises"),
    ("RNCP38210", "CAP Cuisine"),
    ("RNCP36004", "Titre professionnel Vendeur conseil en magasin"),
    ("RNCP35285", "Titre professionnel Secrétaire assistant"),
    ("RNCP34143", "Titre professionnel Préparateur de commandes en entrepôt"),
    ("RNCP37682", "Titre professionnel Développeur web et web mobile"),
    ("RNCP35994", "Bachelor Responsable du développement commercial"),
]
ACTIVITES = [
    "BOULANGERIE",
    "BRASSERIE",
    "PROPRETE",
    "HOTELLERIE",
    "INTERIM",
    "TRANSPORTS",
    "DISTRIBUTION",
    "SERVICES",
    "RESTAURATION",
    "BATIMENT",
    "COIFFURE",
    "LOGISTIQUE",
    "AUTOMOBILES",
    "INFORMATIQUE",
]
QUALIFICATIFS = [
    "DU CENTRE",
    "DES CELESTINS",
    "DE L'ATLANTIQUE",
    "DU SUD-OUEST",
    "LEFÈVRE ET FILS",
    "SAINT-MICHEL",
    "DE LA GARE",
    "DES ALPES",
    "DU LITTORAL",
    "MÉDITERRANÉE",
    "ŒUVRES RÉUNIES",
    "DU VAL DE LOIRE",
]
VOIES = ["RUE DE LA REPUBLIQUE", "AVENUE JEAN JAURES", "BOULEVARD GAMBETTA", "PLACE DU MARCHE", "QUAI DES ORFEVRES"]
NOMS = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Müller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "N'Diaye",
    "Benali",
    "Nguyen",
    "Da Silva",
    "Le Goff",
    "Saint-Cyr",
    "Kowalski",
    "Haddad",
    "Traoré",
    "O'Neill",
]
PRENOMS = {
    Sexe.FEMININ: ["Camille", "Léa", "Chloé", "Inès", "Manon", "Jade", "Zoé", "Hélène", "Anaïs", "Fatou", "Noémie"],
    Sexe.MASCULIN: ["Lucas", "Hugo", "Théo", "Nathan", "Enzo", "Karim", "Louis", "Mathéo", "Yanis", "Jérôme", "Noé"],
}
DEPARTEMENTS = [f"{d:02d}" for d in range(1, 96) if d != 20]  # birth départements of the NIRs (2A/2B aside)
EMPLOIS = ["Serveur", "Agent de propreté", "Vendeur", "Commis de cuisine", "Préparateur de commandes", "Assistant"]


@dataclass
class Volume:
    """What was generated (the command's summary, and the bench's)."""

    entreprises: int = 0
    etablissements: int = 0
    organismes: int = 0
    dossiers: int = 0
    par_etat: dict | None = None
    comptes: dict | None = None
    secondes: float = 0.0


@contextlib.contextmanager
def dates_imposees():
    """Let bulk inserts keep the generated ``created_at`` / ``updated_at`` (auto_now(_add) would overwrite them)."""
    champs = [
        (Dossier._meta.get_field("created_at"), "auto_now_add"),
        (Dossier._meta.get_field("updated_at"), "auto_now"),
        (DossierEvenement._meta.get_field("created_at"), "auto_now_add"),
    ]
    anciens = [getattr(champ, attribut) for champ, attribut in champs]
    try:
        for champ, attribut in champs:
            setattr(champ, attribut, False)
        yield
    finally:
        for (champ, attribut), ancien in zip(champs, anciens, strict=True):
            setattr(champ, attribut, ancien)


def reserver_ids(model, nombre: int) -> list[int]:
    """``nombre`` fresh primary keys of ``model`` (PostgreSQL: from its sequence; SQLite: after the largest)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, nombre]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        debut = cursor.fetchone()[0] + 1
    return list(range(debut, debut + nombre))


class Generateur:
    def __init__(self, *, dossiers: int, etablissements: int, seed: int, out=None):
        self.n_dossiers = dossiers
        self.n_etablissements = etablissements
        self.rng = random.Random(seed)
        self.out = out or (lambda message: None)
        self.maintenant = timezone.now()
        self.mot_de_passe = make_password(None)  # unusable: the creators never log in

    # -- reference data --------------------------------------------------------------------------------------

    def referentiels(self):
        """NAF/IDCC pairs, communes, certifications: from the loaded referentials, else the fixed lists."""
        nafs = list(CodeNaf.objects.filter(niveau="sous-classe").values_list("code_compact", flat=True)[:400])
        idccs = list(ConventionCollective.objects.filter(active=True).values_list("idcc", flat=True)[:300])
        if nafs and idccs:
            # Mostly the branches AKTO covers (the fixed list), some of any other.
            self.naf_idcc = NAF_IDCC * 4 + [(self.rng.choice(nafs), self.rng.choice(idccs)) for _ in range(40)]
        else:
            self.naf_idcc = NAF_IDCC
        communes = list(
            CodePostal.objects.filter(commune__actuelle=True)
            .order_by("commune__population")
            .reverse()
            .values_list("code", "commune__nom")[:300]
        )
        self.communes = [(cp, nom.upper()) for cp, nom in communes] or COMMUNES
        certifications = list(
            Certification.objects.filter(type="RNCP", actif=True)
            .order_by("code")
            .values_list("pk", "code", "intitule")[:500]
        )
        self.certifications = [(pk, code, intitule[:255]) for pk, code, intitule in certifications] or [
            (None, code, intitule) for code, intitule in CERTIFICATIONS
        ]

    # -- companies, establishments, users --------------------------------------------------------------------

    def tailles_entreprises(self) -> list[int]:
        """How many establishments each company has: a network of 60, one of 8, then mostly 1 to 5."""
        restant = self.n_etablissements
        tailles = []
        for taille in (60, 8):
            if restant > taille:
                tailles.append(taille)
                restant -= taille
        while restant > 0:
            taille = min(restant, self.rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 5, 12]))
            tailles.append(taille)
            restant -= taille
        return tailles

    def entreprises(self):
        tailles = self.tailles_entreprises()
        entreprises = Entreprise.objects.bulk_create(
            Entreprise(
                siren=siren_with_check_digit(f"{SIREN_BASE + i}"),
                raison_sociale=(
                    f"{self.rng.choice(ACTIVITES)} {self.rng.choice(QUALIFICATIFS)}"
                    + ("" if i % 3 else f" {i}")  # homonyms, as in real life, and distinct ones
                ),
                categorie_juridique=self.rng.choice(["5710", "5499", "5720", "1000", "9220"]),
            )
            for i in range(len(tailles))
        )
        etablissements = []
        for entreprise, taille in zip(entreprises, tailles, strict=True):
            naf, idcc = self.rng.choice(self.naf_idcc)
            for nic in range(1, taille + 1):
                cp, commune = self.rng.choice(self.communes)
                e = Etablissement(
                    entreprise=entreprise,
                    siret=siret_with_check_digit(entreprise.siren, f"{nic:04d}"),
                    enseigne="" if nic == 1 or self.rng.random() < 0.7 else f"{entreprise.raison_sociale} {commune}",
                    numero_voie=f"{self.rng.randint(1, 120)} {self.rng.choice(VOIES)}",
                    code_postal=cp,
                    commune=commune,
                    naf=naf,
                    idcc=idcc,
                    effectif=self.rng.randint(1, 400),
                    travail_temporaire=naf == "7820Z",
                )
                e.recherche = e.search_key()
                etablissements.append(e)
        self.etablissements = Etablissement.objects.bulk_create(etablissements, batch_size=1000)
        if any(e.pk is None for e in self.etablissements):
            self.etablissements = list(Etablissement.objects.filter(siret__in=[e.siret for e in etablissements]))
        self.entreprises_creees = entreprises
        # Each company's adhérent (attached to the company): the creator of its dossiers.
        createurs = User.objects.bulk_create(
            User(
                email=f"adherent.{e.siren}@{EMAIL_DOMAINE}",
                first_name=self.rng.choice(PRENOMS[Sexe.FEMININ] + PRENOMS[Sexe.MASCULIN]),
                last_name=self.rng.choice(NOMS),
                role=Role.ADHERENT,
                password=self.mot_de_passe,
            )
            for e in entreprises
        )
        if any(u.pk is None for u in createurs):
            createurs = [User.objects.get(email=u.email) for u in createurs]
        par_siren = {e.siren: u for e, u in zip(entreprises, createurs, strict=True)}
        Rattachement.objects.bulk_create(Rattachement(user=par_siren[e.siren], entreprise=e) for e in entreprises)
        self.createur = {e.pk: par_siren[e.entreprise.siren] for e in self.etablissements}
        # Dossiers per establishment: skewed (a few establishments recruit a lot), never zero.
        self.poids = [math.exp(self.rng.gauss(0, 0.6)) for _ in self.etablissements]

    def organismes(self, nombre: int = 20):
        """Training organisations: the loaded ones (a prestataire for the first ones), else made up."""
        existants = list(OrganismeFormation.objects.filter(actif=True).exclude(raison_sociale="").order_by("pk")[:200])
        if len(existants) < nombre:
            for i in range(nombre - len(existants)):
                cp, commune = self.rng.choice(self.communes)
                organisme = OrganismeFormation(
                    siret=siret_with_check_digit(siren_with_check_digit(f"{ORGANISME_SIREN_BASE + i}"), "0001"),
                    raison_sociale=f"INSTITUT DE FORMATION {self.rng.choice(QUALIFICATIFS)} {i}",
                    nda=f"{84_000_000_000 + i:011d}",
                    code_postal=cp,
                    commune=commune,
                    qualiopi=True,
                    nature="responsable_formateur",
                )
                organisme.save()
                existants.append(organisme)
        self.organismes_formation = existants
        self.prestataires = []
        for organisme in existants[:nombre]:
            user = User.objects.create(
                email=f"prestataire.{organisme.siret}@{EMAIL_DOMAINE}",
                first_name=self.rng.choice(PRENOMS[Sexe.MASCULIN]),
                last_name=self.rng.choice(NOMS),
                role=Role.PRESTATAIRE,
                password=self.mot_de_passe,
            )
            Rattachement.objects.create(user=user, organisme=organisme)
            self.prestataires.append((organisme, user))

    # -- dossiers --------------------------------------------------------------------------------------------

    def date_entre(self, debut: datetime, fin: datetime) -> datetime:
        return debut + (fin - debut) * self.rng.random()

    def nir(self, sexe: str, naissance: date) -> str:
        debut = (
            f"{1 if sexe == Sexe.MASCULIN else 2}{naissance:%y%m}{self.rng.choice(DEPARTEMENTS)}"
            f"{self.rng.randint(1, 999):03d}{self.rng.randint(1, 999):03d}"
        )
        return f"{debut}{nir_key(debut):02d}"

    def dossiers(self, lot: int = LOT) -> dict:
        etats = list(ETATS)
        poids_etats = list(ETATS.values())
        sous_dispositifs = list(SousDispositif.objects.select_related("dispositif").order_by("pk"))
        poids_sd = [0.9] + [0.1 / max(1, len(sous_dispositifs) - 1)] * (len(sous_dispositifs) - 1)
        par_etat = dict.fromkeys(etats, 0)
        faits = 0
        while faits < self.n_dossiers:
            taille = min(lot, self.n_dossiers - faits)
            with transaction.atomic():
                self.lot(taille, etats, poids_etats, sous_dispositifs, poids_sd, par_etat)
            faits += taille
            self.out(f"  {faits} / {self.n_dossiers} dossiers")
        return par_etat

    def lot(self, taille, etats, poids_etats, sous_dispositifs, poids_sd, par_etat):
        rng = self.rng
        pks = reserver_ids(Dossier, taille)
        pks_formation = iter(reserver_ids(Formation, taille))  # the modules point at them
        etablissements = rng.choices(self.etablissements, weights=self.poids, k=taille)
        choix_etats = rng.choices(etats, weights=poids_etats, k=taille)
        choix_sd = rng.choices(sous_dispositifs, weights=poids_sd, k=taille)
        deux_ans = self.maintenant - timedelta(days=730)
        dossiers, employeurs, salaries, tuteurs, contrats, formations, autres = [], [], [], [], [], [], []
        evenements, modules_a_faire = [], []
        for pk, e, state, sd in zip(pks, etablissements, choix_etats, choix_sd, strict=True):
            par_etat[state] += 1
            envoye = state in ENVOYES or state in DECIDES
            # Drafts are recent; what was sent had time to be; a decision came after the sending.
            if envoye:
                created_at = self.date_entre(deux_ans, self.maintenant - timedelta(days=3))
            else:
                created_at = self.date_entre(self.maintenant - timedelta(days=120), self.maintenant)
            presaisie = state in PRESAISIES or rng.random() < PART_PRESTATAIRE
            organisme, prestataire_user = rng.choice(self.prestataires) if presaisie else (None, None)
            createur = prestataire_user or self.createur[e.pk]
            transmis_le = decide_le = None
            if envoye:
                transmis_le = min(created_at + timedelta(days=rng.uniform(0.5, 40)), self.maintenant)
                if state in DECIDES:
                    decide_le = min(transmis_le + timedelta(days=rng.uniform(1, 20)), self.maintenant)
            updated_at = max(d for d in (created_at, transmis_le, decide_le) if d)
            if not envoye:
                updated_at = self.date_entre(created_at, self.maintenant)
            dossier = Dossier(
                pk=pk,
                numero=f"CP{created_at:%Y}{pk:06d}",
                state=state,
                etablissement=e,
                dispositif=sd.dispositif,
                sous_dispositif=sd,
                type_contrat=rng.choices(
                    [TypeContrat.INITIAL, TypeContrat.AVENANT, TypeContrat.ECHEC_EPREUVES], [90, 7, 3]
                )[0],
                type_public="interimaire" if e.travail_temporaire else "",
                notice_lue=True,
                version=rng.randint(2, 30),
                created_by=createur,
                prestataire=organisme,
                created_at=created_at,
                updated_at=updated_at,
                transmis_le=transmis_le,
                decide_le=decide_le,
                montant_engage=(
                    Decimal(rng.randrange(150_000, 1_200_000)) / 100 if state == DossierState.ACCEPTE else None
                ),
                motif_refus=rng.choice(MotifRefus.values) if state == DossierState.REFUSE else "",
            )
            complet = envoye or rng.random() < 0.5  # a draft is often half entered
            sexe = rng.choice(Sexe.values)
            naissance = date(rng.randint(1975, 2007), rng.randint(1, 12), rng.randint(1, 28))
            employeurs.append(
                Employeur(
                    dossier=dossier,
                    verification_insee="ok",
                    telephone="01 23 45 67 89" if complet else "",
                    effectif_total=e.effectif,
                    **employeur_snapshot(e, email="" if presaisie and state in PRESAISIES else "rh@exemple.test"),
                )
            )
            salarie = Salarie(
                dossier=dossier,
                nom_naissance=rng.choice(NOMS),
                nom_usage=rng.choice(NOMS) if rng.random() < 0.05 else "",
                prenom=rng.choice(PRENOMS[sexe]),
                sexe=sexe,
                date_naissance=naissance,
            )
            if complet:
                salarie.nir = self.nir(sexe, naissance)  # encrypted and fingerprinted by the model
                salarie.situation_avant_contrat = rng.choice(["3", "8", "9"])
                salarie.diplome_plus_eleve = rng.choice([Diplome.BAC_PRO, Diplome.CAP, Diplome.BTS, Diplome.AUCUN])
                salarie.code_postal, salarie.commune = rng.choice(self.communes)
                salarie.numero_voie = f"{rng.randint(1, 80)} {rng.choice(VOIES)}"
            salaries.append(salarie)
            tuteurs.append(
                Tuteur(
                    dossier=dossier,
                    rang=Tuteur.Rang.EMPLOYEUR,
                    nom=rng.choice(NOMS) if complet else "",
                    prenom=rng.choice(PRENOMS[Sexe.FEMININ]) if complet else "",
                    emploi="Responsable d'équipe" if complet else "",
                )
            )
            tuteurs.append(Tuteur(dossier=dossier, rang=Tuteur.Rang.UTILISATRICE))
            debut = (created_at + timedelta(days=rng.randint(5, 60))).date()
            fin = debut + timedelta(days=rng.choice([182, 365, 540, 730]))
            contrats.append(
                Contrat(
                    dossier=dossier,
                    nature=(NatureContrat.TRAVAIL_TEMPORAIRE if e.travail_temporaire else NatureContrat.CDD)
                    if complet
                    else "",
                    emploi=rng.choice(EMPLOIS) if complet else "",
                    date_debut=debut if complet or rng.random() < 0.5 else None,
                    date_fin=fin if complet else None,
                    date_conclusion=debut - timedelta(days=rng.randint(1, 10)) if complet else None,
                    duree_hebdo_minutes=2100 if complet else None,
                    salaire_brut=Decimal(rng.randrange(120_000, 220_000)) / 100 if complet else None,
                    duree_essai_jours=30 if complet else None,
                )
            )
            certification_id, code_rncp, intitule = rng.choice(self.certifications)
            a_formation = complet or rng.random() < 0.6
            formation = Formation(
                pk=next(pks_formation),
                dossier=dossier,
                intitule=intitule if a_formation else "",
                code_rncp=code_rncp if a_formation else "",
                certification_id=certification_id if a_formation else None,
                type_qualification=TypeQualification.RNCP if a_formation else "",
                diplome_vise=rng.choice([Diplome.BAC_PRO, Diplome.CAP, Diplome.BTS]) if a_formation else "",
                duree_totale_heures=rng.choice([400, 450, 600, 800]) if complet else None,
                date_debut_cycle=debut if complet else None,
                date_fin_examens=fin - timedelta(days=15) if complet else None,
            )
            formations.append(formation)
            if complet:
                modules_a_faire.append((formation, debut, fin, organisme))
            autres += [Financement(dossier=dossier), Synthese(dossier=dossier)]
            dossier.recherche = cle(dossier)  # the parts are cached on the dossier: no query
            dossiers.append(dossier)
            evenements += self.evenements(dossier, createur, presaisie)

        with dates_imposees():
            inserer(Dossier, dossiers)
            inserer(DossierEvenement, evenements)
        for model, objets in [
            (Employeur, employeurs),
            (Salarie, salaries),
            (Tuteur, tuteurs),
            (Contrat, contrats),
            (Formation, formations),
            (Financement, [a for a in autres if isinstance(a, Financement)]),
            (Synthese, [a for a in autres if isinstance(a, Synthese)]),
            (ModuleFormation, list(self.modules(modules_a_faire))),
        ]:
            inserer(model, objets)

    def evenements(self, dossier, createur, presaisie) -> list[DossierEvenement]:
        """The log of the transitions that led to the state, dated between the creation and the last change."""
        initial = DossierState.BROUILLON_PRESTATAIRE if presaisie else DossierState.BROUILLON
        chemin = list(CHEMINS[dossier.state])
        if presaisie and dossier.state not in PRESAISIES:
            chemin = [(FINALISER, DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE), REPRISE, *chemin]
        evenements = [
            DossierEvenement(
                dossier=dossier,
                transition=CREATION,
                from_state="",
                to_state=initial,
                user=createur,
                created_at=dossier.created_at,
            )
        ]
        quand = dossier.created_at
        for transition, source, cible in chemin:
            if transition == TRANSMETTRE and dossier.transmis_le:
                quand = dossier.transmis_le
            elif transition in (ACCEPTER_DOSSIER, REFUSER_DOSSIER) and dossier.decide_le:
                quand = dossier.decide_le
            else:
                quand = self.date_entre(quand, dossier.decide_le or dossier.updated_at)
            evenements.append(
                DossierEvenement(
                    dossier=dossier,
                    transition=transition,
                    from_state=source,
                    to_state=cible,
                    user=self.createur[dossier.etablissement_id] if transition != FINALISER else createur,
                    created_at=quand,
                    comment="Merci de joindre la convention de formation."
                    if transition == DEMANDER_COMPLEMENTS
                    else "",
                )
            )
        return evenements

    def modules(self, a_faire):
        rng = self.rng
        for formation, debut, fin, organisme in a_faire:
            externe = rng.random() < 0.85
            yield ModuleFormation(
                formation=formation,
                ordre=1,
                type=TypeModule.EXTERNE if externe else TypeModule.INTERNE,
                organisme=(organisme or rng.choice(self.organismes_formation)) if externe else None,
                service_interne="" if externe else "Service formation",
                attestation_interne=not externe,
                date_debut=debut,
                date_fin=fin,
                heures=formation.duree_totale_heures,
                modalite=rng.choice(ModalitePedagogique.values),
            )
            if rng.random() < 0.3:  # a second, internal module
                yield ModuleFormation(
                    formation=formation,
                    ordre=2,
                    type=TypeModule.INTERNE,
                    service_interne="Service formation",
                    attestation_interne=True,
                    date_debut=debut,
                    date_fin=fin,
                    heures=70,
                    modalite=ModalitePedagogique.PRESENTIEL,
                )

    # -- demo accounts ---------------------------------------------------------------------------------------

    def comptes(self, mot_de_passe: str) -> dict[str, str]:
        """Four accounts to look at the volume: a network adhérent, a local one, a prestataire, a gestionnaire."""
        reseau = self.entreprises_creees[0]
        par_entreprise: dict[int, list[Etablissement]] = {}
        for e in self.etablissements:
            par_entreprise.setdefault(e.entreprise_id, []).append(e)
        # Eight establishments, of as many companies as there are (the head offices first), attached one by one.
        autres = [liste for pk, liste in par_entreprise.items() if pk != reseau.pk]
        locaux = sorted((e for liste in autres for e in liste), key=lambda e: (e.siret[9:], e.siret))[:8]
        comptes = {}
        for email, prenom, nom, role, cibles in [
            (f"adherent.reseau@{EMAIL_DOMAINE}", "Agnès", "Réseau", Role.ADHERENT, [reseau]),
            (f"adherent.local@{EMAIL_DOMAINE}", "Loïc", "Local", Role.ADHERENT, locaux),
            (f"prestataire@{EMAIL_DOMAINE}", "Paul", "Prestataire", Role.PRESTATAIRE, [self.prestataires[0][0]]),
            (f"gestionnaire@{EMAIL_DOMAINE}", "Gaëlle", "Gestion", Role.GESTIONNAIRE, []),
        ]:
            user = User.objects.create_user(
                email=email,
                password=mot_de_passe,
                first_name=prenom,
                last_name=nom,
                role=role,
                is_staff=role == Role.GESTIONNAIRE,
            )
            for cible in cibles:
                champ = {Entreprise: "entreprise", Etablissement: "etablissement"}.get(type(cible), "organisme")
                Rattachement.objects.create(user=user, **{champ: cible})
            if role == Role.GESTIONNAIRE:
                user.groups.add(acces.groupe_gestionnaires())
            comptes[email] = role.label
        return comptes


def inserer(model, objets: list) -> None:
    """Insert ``objets`` as they are (no ``save()``, no signal): PostgreSQL's COPY, else ``bulk_create``.

    The values are the fields' own database values (``get_db_prep_save``); a primary key left empty is the
    table's to give.
    """
    if not objets:
        return
    if connection.vendor != "postgresql":
        # SQLite: at most 999 parameters per statement on older versions.
        model.objects.bulk_create(objets, batch_size=max(1, 900 // len(model._meta.concrete_fields)))
        return
    champs = [f for f in model._meta.concrete_fields if not (f.primary_key and getattr(objets[0], f.attname) is None)]
    colonnes = ", ".join(connection.ops.quote_name(f.column) for f in champs)
    base = connections[DEFAULT_DB_ALIAS]  # not the proxy: read once per value otherwise
    with base.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({colonnes}) FROM STDIN"
        ) as copie:
            for objet in objets:
                copie.write_row([f.get_db_prep_save(getattr(objet, f.attname), base) for f in champs])


def generer(*, dossiers: int, etablissements: int, seed: int = 1, adherents: bool = False, out=None) -> Volume:
    """Generate the volume in the default database (see the module's docstring); refuse a second time."""
    premier = siren_with_check_digit(f"{SIREN_BASE}")
    if Entreprise.objects.filter(siren=premier).exists():
        raise CommandError(
            f"Un volume a déjà été généré dans cette base (entreprise {premier}) : relancez sur une base neuve "
            "(ou supprimez-la) plutôt que de mélanger deux volumes."
        )
    if etablissements < 1 or dossiers < 0:
        raise CommandError("Il faut au moins un établissement, et un nombre de dossiers positif.")
    debut = time.perf_counter()
    out = out or (lambda message: None)
    generateur = Generateur(dossiers=dossiers, etablissements=etablissements, seed=seed, out=out)
    with transaction.atomic():
        generateur.referentiels()
        generateur.entreprises()
        generateur.organismes()
    out(f"  {len(generateur.entreprises_creees)} entreprises, {len(generateur.etablissements)} établissements")
    par_etat = generateur.dossiers()
    comptes = None
    if adherents:
        from portal.management.commands.load_demo import PASSWORD

        with transaction.atomic():
            comptes = generateur.comptes(PASSWORD)
    return Volume(
        entreprises=len(generateur.entreprises_creees),
        etablissements=len(generateur.etablissements),
        organismes=len(generateur.prestataires),
        dossiers=dossiers,
        par_etat=par_etat,
        comptes=comptes,
        secondes=time.perf_counter() - debut,
    )


class Command(BaseCommand):
    help = (
        "Génère un volume réaliste de dossiers (tous états, toutes parties) sur des établissements fictifs, "
        "pour mesurer le portail à l'échelle d'AKTO."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=100_000, help="nombre de dossiers (défaut 100 000)")
        parser.add_argument("--etablissements", type=int, default=2_000, help="nombre d'établissements (défaut 2 000)")
        parser.add_argument("--seed", type=int, default=1, help="graine du tirage (défaut 1)")
        parser.add_argument(
            "--adherents",
            action="store_true",
            help="crée aussi quatre comptes de démonstration (mot de passe de load_demo)",
        )

    def handle(self, *args, dossiers, etablissements, seed, adherents, **options):
        if getattr(settings, "HTTPS", False):
            raise CommandError("Génération refusée : le portail est servi en HTTPS (production).")
        volume = generer(
            dossiers=dossiers, etablissements=etablissements, seed=seed, adherents=adherents, out=self.stdout.write
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{volume.dossiers} dossiers sur {volume.etablissements} établissements ({volume.entreprises} "
                f"entreprises, {volume.organismes} organismes de formation) en {volume.secondes:.1f} s"
            )
        )
        for state, nombre in volume.par_etat.items():
            self.stdout.write(f"  {DossierState(state).label} : {nombre}")
        if volume.comptes:
            from portal.management.commands.load_demo import PASSWORD

            self.stdout.write(f"Comptes (mot de passe : {PASSWORD}) :")
            for email, role in volume.comptes.items():
                self.stdout.write(f"  {email} ({role})")
