"""The gestionnaire's back office (``dossiers/admin.py``): the list (work queue, deadline, filters, search, sort,
query count), the read-only dossier page, the decisions' pages and bulk action, the CSV export."""

import csv
import datetime as dt
import html
import io
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.enums import DossierState, MotifRefus, TypeContrat, TypeModule
from dossiers.instruction import decisions as instruction
from dossiers.models import (
    Contrat,
    Dossier,
    Employeur,
    ExportDossiers,
    Formation,
    ModuleFormation,
    Salarie,
    SousDispositif,
)
from dossiers.services import employeur_snapshot
from dossiers.workflow import ACCEPTER_DOSSIER, DEMANDER_COMPLEMENTS, PRENDRE_EN_INSTRUCTION, REFUSER_DOSSIER
from referentiels.models import ConventionCollective, OrganismeFormation
from tests.complet import NIR_13, dossier_complet
from tests.conftest import client_for
from tests.factories import DossierFactory, EtablissementFactory, UserFactory

pytestmark = pytest.mark.django_db

LISTE = "/admin/dossiers/dossier/"
EXPORT = "/admin/dossiers/dossier/export/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def numeros(response) -> list[str]:
    return re.findall(r'<th class="field-numero"><a href="[^"]+">(CP\d+)</a>', response.content.decode())


def lue(page: str, libelle: str) -> str | None:
    """The value of a line of the dossier page's reading (``<th>libellé</th><td><span class="valeur">…``)."""
    match = re.search(
        rf'<th scope="row">{re.escape(libelle)}</th>\s*<td[^>]*><span class="valeur">([^<]*)</span>', page
    )
    return match.group(1) if match else None


def formulaires(page: str, dossier) -> list[str]:
    """The targets of the page's forms but the back office's own records (assignment, internal notes, the pieces'
    review)."""
    cibles = re.findall(r'<form method="post"(?: action="([^"]*)")?', page)
    propres = {f"{LISTE}{dossier.pk}/attribuer/", f"{LISTE}{dossier.pk}/notes/"}
    avis = re.compile(rf"{LISTE}{dossier.pk}/pieces/\d+/avis/")
    return [cible for cible in cibles if cible not in propres and not avis.fullmatch(cible)]


def transmis(jours=0, state=DossierState.TRANSMIS, **kwargs):
    """A dossier that reached AKTO ``jours`` days ago."""
    dossier = DossierFactory(state=state, **kwargs)
    Dossier.objects.filter(pk=dossier.pk).update(transmis_le=timezone.now() - dt.timedelta(days=jours))
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def akto(gestionnaire):
    return client_for(gestionnaire)


@pytest.fixture
def types_document(db):
    import importlib

    from django.apps import apps

    importlib.import_module("documents.migrations.0002_types_document").load(apps, None)


# -- the list ------------------------------------------------------------------------------------------------


def test_list_opens_on_the_work_queue_oldest_first(akto):
    recent = transmis(2)
    ancien = transmis(12)
    en_cours = transmis(5, state=DossierState.EN_INSTRUCTION)
    accepte = transmis(30, state=DossierState.ACCEPTE)
    brouillon = DossierFactory()  # never reached AKTO: never listed
    assert numeros(akto.get(LISTE)) == [ancien.numero, en_cours.numero, recent.numero]
    assert numeros(akto.get(LISTE, {"etat": "accepte"})) == [accepte.numero]
    tous = numeros(akto.get(LISTE, {"etat": "tous"}))
    assert set(tous) == {recent.numero, ancien.numero, en_cours.numero, accepte.numero}
    assert brouillon.numero not in tous


def test_columns_and_deadline_highlight(akto):
    transmis(12, parts={"salarie": {"nom_naissance": "Martin", "prenom": "Léa"}})
    transmis(16)
    transmis(21)
    page = text(akto.get(LISTE))
    for colonne in ["Numéro", "Etat", "Transmis le", "Délai", "Employeur", "Salarié", "Formation", "Dispositif"]:
        assert f">{colonne}" in page
    assert "Léa MARTIN" in page
    assert re.search(r'class="delai delai--normal"[^>]*>J\+12<', page)
    assert re.search(r'class="delai delai--alerte"[^>]*>J\+16<', page)
    assert re.search(r'class="delai delai--depasse"[^>]*>Délai dépassé<', page)
    assert "Exporter en CSV" in page
    assert "Prendre en instruction" in page  # the bulk action


def test_deadline_filter(akto):
    normal, alerte, depasse = transmis(3), transmis(15), transmis(25)
    assert numeros(akto.get(LISTE, {"delai": "depasse"})) == [depasse.numero]
    assert numeros(akto.get(LISTE, {"delai": "alerte"})) == [alerte.numero]
    assert numeros(akto.get(LISTE, {"delai": "normal"})) == [normal.numero]


def test_filters_dispositif_idcc_organisme_dates(akto):
    hope = SousDispositif.objects.get(code="CPRO_HOPE")
    a = transmis(1, etablissement=EtablissementFactory(idcc="1979"), sous_dispositif=hope)
    b = transmis(
        2, etablissement=EtablissementFactory(idcc="3043"), parts={"contrat": {"date_debut": dt.date(2020, 1, 6)}}
    )
    organisme = OrganismeFormation.objects.create(siret="77000002400016", raison_sociale="ECOLE DES METIERS")
    ModuleFormation.objects.create(formation=b.formation, type=TypeModule.EXTERNE, organisme=organisme)
    assert numeros(akto.get(LISTE, {"sous_dispositif__id__exact": hope.pk})) == [a.numero]
    assert numeros(akto.get(LISTE, {"dispositif__id__exact": a.dispositif_id})) == [b.numero, a.numero]
    assert numeros(akto.get(LISTE, {"idcc": "3043"})) == [b.numero]
    assert numeros(akto.get(LISTE, {"organisme": organisme.pk})) == [b.numero]
    # Typed like the Formation tab's search: SIRET, SIREN, words of the name.
    for saisie in ("77000002400016", "770000024", "ecole metiers"):
        assert numeros(akto.get(LISTE, {"organisme": saisie})) == [b.numero], saisie
    assert numeros(akto.get(LISTE, {"organisme": "boulangerie"})) == []
    # The boxes suggest the referential's conventions and show the value chosen, the other filters kept.
    ConventionCollective.objects.create(idcc="3043", titre="Entreprises de propreté et services associés")
    page = text(akto.get(LISTE, {"idcc": "3043", "organisme": organisme.pk, "etat": "tous"}))
    assert "ECOLE DES METIERS (77000002400016)" in page and "3043 — Entreprises de propreté" in page
    assert '<option value="3043">' in page
    assert '<input type="hidden" name="etat" value="tous">' in page
    debut = {"contrat__date_debut__gte": "2020-01-01", "contrat__date_debut__lt": "2020-02-01"}
    assert numeros(akto.get(LISTE, debut)) == [b.numero]


def test_search_by_number_siret_raison_sociale_and_names_never_the_nir(akto):
    dossier = transmis(1, parts={"salarie": {"nom_naissance": "BERNARD", "nom_usage": "ROUX", "prenom": "Inès"}})
    Employeur.objects.filter(dossier=dossier).update(raison_sociale="BOULANGERIE DU PARC")
    salarie = dossier.salarie
    salarie.nir = f"{NIR_13}{97 - int(NIR_13) % 97:02d}"
    salarie.save()
    autre = transmis(1)
    for terme in [dossier.numero, dossier.employeur.siret, "boulangerie du parc", "bernard", "roux", "inès"]:
        assert numeros(akto.get(LISTE, {"q": terme})) == [dossier.numero], terme
    assert autre.numero not in numeros(akto.get(LISTE, {"q": "bernard"}))
    assert numeros(akto.get(LISTE, {"q": NIR_13})) == []
    assert numeros(akto.get(LISTE, {"q": salarie.nir})) == []


def test_sort_by_deadline_and_by_employer(akto):
    a = transmis(3, parts={"salarie": {"nom_naissance": "ALPHA"}})
    b = transmis(10, parts={"salarie": {"nom_naissance": "BRAVO"}})
    # Columns: 0 checkbox, 1 numéro, 2 état, 3 transmis le, 4 délai, 5 employeur, 6 salarié…
    assert numeros(akto.get(LISTE, {"o": "4"})) == [a.numero, b.numero]  # smallest délai first
    assert numeros(akto.get(LISTE, {"o": "-4"})) == [b.numero, a.numero]
    assert numeros(akto.get(LISTE, {"o": "6"})) == [a.numero, b.numero]


def creer_dossiers(nombre: int, etablissement, user):
    """``nombre`` transmitted dossiers with the parts a list row reads, in a few bulk INSERTs."""
    sous_dispositif = SousDispositif.objects.select_related("dispositif").get(code="CPRO")
    maintenant = timezone.now()
    debut = Dossier.objects.count()
    with transaction.atomic():
        dossiers = Dossier.objects.bulk_create(
            Dossier(
                numero=f"CP9{debut + i:09d}",
                state=DossierState.TRANSMIS,
                etablissement=etablissement,
                dispositif=sous_dispositif.dispositif,
                sous_dispositif=sous_dispositif,
                type_contrat=TypeContrat.INITIAL,
                created_by=user,
                transmis_le=maintenant - dt.timedelta(days=i % 30),
            )
            for i in range(nombre)
        )
        if any(d.pk is None for d in dossiers):
            dossiers = list(Dossier.objects.filter(numero__startswith="CP9"))
        snapshot = employeur_snapshot(etablissement, email=user.email)
        Employeur.objects.bulk_create(Employeur(dossier=d, **snapshot) for d in dossiers)
        Salarie.objects.bulk_create(
            Salarie(dossier=d, nom_naissance=f"NOM{i}", prenom="Alex") for i, d in enumerate(dossiers)
        )
        Contrat.objects.bulk_create(Contrat(dossier=d, date_debut=dt.date(2026, 9, 1)) for d in dossiers)
        Formation.objects.bulk_create(Formation(dossier=d, intitule="Titre professionnel") for d in dossiers)


def test_changelist_query_count_does_not_grow_with_the_dossiers(akto, gestionnaire):
    etablissement, user = EtablissementFactory(), UserFactory()
    creer_dossiers(10, etablissement, user)
    akto.get(LISTE)  # warm the session
    with CaptureQueriesContext(connection) as dix:
        response = akto.get(LISTE)
    assert len(numeros(response)) == 10
    creer_dossiers(990, etablissement, user)
    with CaptureQueriesContext(connection) as mille:
        response = akto.get(LISTE)
    assert len(numeros(response)) == 50  # one page
    assert "1000 dossiers" in text(response)
    assert len(mille) == len(dix), [q["sql"] for q in mille.captured_queries]
    assert len(mille) <= 12, [q["sql"] for q in mille.captured_queries]
    print(f"\nRequêtes SQL de la liste des dossiers : {len(dix)} à 10 dossiers, {len(mille)} à 1 000 dossiers")


# Snapshot of the list's SQL queries: as many at 2 as at 30 dossiers, with each filter, a search and a deep page
# (user, permissions ×2, dispositifs, sous-dispositifs, gestionnaires of « Instruit par », count, page, conventions'
# datalist; + the label of a typed filter's value). The session comes from the cache (cached_db).
REQUETES_LISTE = {
    "": 9,
    "etat=tous": 9,
    "delai=normal": 9,
    "idcc=1979": 10,
    "organisme=ecole": 10,
    "q=nom1": 9,
    "o=-5.3": 9,
    "contrat__date_debut__gte=2020-01-01&contrat__date_debut__lt=2030-01-01": 9,
    "instruit_par=aucun": 9,
}


@pytest.mark.parametrize("parametres", REQUETES_LISTE)
def test_changelist_queries_snapshot(akto, parametres):
    etablissement, user = EtablissementFactory(idcc="1979"), UserFactory()
    organisme = OrganismeFormation.objects.create(siret="77000002400016", raison_sociale="ECOLE DES METIERS")

    def requetes():
        for formation in Formation.objects.filter(modules=None):
            ModuleFormation.objects.create(formation=formation, type=TypeModule.EXTERNE, organisme=organisme)
        akto.get(f"{LISTE}?{parametres}")  # warm the session
        with CaptureQueriesContext(connection) as capture:
            response = akto.get(f"{LISTE}?{parametres}")
        assert response.status_code == 200
        return [q["sql"] for q in capture.captured_queries]

    creer_dossiers(2, etablissement, user)
    deux = requetes()
    creer_dossiers(28, etablissement, user)
    trente = requetes()
    assert len(deux) == len(trente) == REQUETES_LISTE[parametres], trente


def test_deep_pages_are_the_list_in_order_in_one_query(akto, monkeypatch):
    """The pages' keys are selected by a subquery (``PaginateurParCles``): page after page, the list in its order."""
    from dossiers.instruction.admin import DossierAdmin

    monkeypatch.setattr(DossierAdmin, "list_per_page", 10)
    creer_dossiers(30, EtablissementFactory(), UserFactory())
    attendus = list(Dossier.objects.order_by("transmis_le", "pk").values_list("numero", flat=True))
    for tri, ordre in (("", attendus), ("?o=-3", attendus[::-1])):
        pages = []
        for page in (1, 2, 3):
            separateur = "&" if tri else "?"
            with CaptureQueriesContext(connection) as capture:
                pages += numeros(akto.get(f"{LISTE}{tri}{separateur}p={page}"))
            pagination = [q["sql"] for q in capture.captured_queries if '"dossiers_dossier"."numero"' in q["sql"]]
            assert len(pagination) == 1 and "LIMIT 10" in pagination[0]
        assert pages == ordre, tri


# -- the dossier page ----------------------------------------------------------------------------------------


def test_dossier_page_shows_every_tab_read_only(akto, adherent, types_document):
    dossier = dossier_complet(adherent)
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.TRANSMIS, transmis_le=timezone.now())
    response = akto.get(f"{LISTE}{dossier.pk}/change/")
    assert response.status_code == 200
    page = text(response)
    for onglet in [
        "Introduction",
        "Employeur",
        "Salarié",
        "Contrat",
        "Formation",
        "Financement",
        "Synthèse",
        "Documents",
    ]:
        assert f"</span>{onglet}</h2>" in page, onglet
    for section in ["Établissement", "Adresse d'exécution du contrat", "Informations salarié(e)", "Détails du contrat"]:
        assert f"<h3>{section}</h3>" in page
    # The tab forms' labels and the values as the adhérent entered them.
    assert lue(page, "Durée hebdomadaire du travail") == "35h00"
    assert lue(page, "Salaire brut mensuel à l'embauche") == "1\u202f900,00 €"
    assert lue(page, "Êtes-vous détenteur d'un NIR temporaire ?") == "Non"
    assert lue(page, "Commentaire") == "Premier contrat pro de l'établissement."
    assert "Numéro technique temporaire" not in page  # closed on « Non », as on the tab
    assert "ECOLE DES METIERS DE LA SALLE" in page  # the module's organisme
    assert "Total estimé des aides AKTO" in page
    # The NIR is masked; the adhérent's comment, the CERFA, the pieces, the history are there.
    assert dossier.salarie.nir not in page and "1 04 05 •• ••• ••• ••" in page
    assert "Premier contrat pro de l'établissement." in page
    assert f'href="/dossiers/{dossier.pk}/cerfa.pdf"' in page
    piece = dossier.pieces_jointes.get(type__code="PROGRAMME")
    assert f'href="/dossiers/{dossier.pk}/documents/pieces/{piece.pk}/telecharger/">programme.pdf</a>' in page
    assert akto.get(f"/dossiers/{dossier.pk}/documents/pieces/{piece.pk}/telecharger/").status_code == 200
    assert "Contrôles de saisie — aucune anomalie" in page
    assert formulaires(page, dossier) == []  # nothing to edit
    avis = re.findall(r'<form method="post" action="(/admin/dossiers/dossier/\d+/pieces/\d+/avis/)"', page)
    assert len(avis) == dossier.pieces_jointes.count()  # the pieces' review (AKTO's side)
    assert "Prendre en instruction" in page and "Demander des compléments" in page
    assert ">Accepter<" in page and ">Refuser<" in page  # in one step from Transmis


def test_dossier_page_shows_the_employers_attestations_and_the_tutors_outside_contracts(akto, adherent, types_document):
    """What the gestionnaire relies on without seeing it in the data: TUT-02, FOR-09, FOR-10, the tutor's load."""
    from dossiers.models import Salarie, Synthese, Tuteur

    dossier = dossier_complet(adherent)
    Tuteur.objects.filter(dossier=dossier, rang=1).update(autres_alternants=2)
    Synthese.objects.filter(dossier=dossier).update(attestation_sans_dedit=False)
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.A_COMPLETER, transmis_le=timezone.now())
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    for modele, name, valeur in [
        (Salarie, "attestation_tuteur_qualifie", "Oui"),
        (Tuteur, "autres_alternants", "2"),
        (Synthese, "attestation_gratuite", "Oui"),
        (Synthese, "attestation_sans_dedit", "Non"),
    ]:
        assert lue(page, str(modele._meta.get_field(name).verbose_name)) == valeur, name
    assert formulaires(page, dossier) == []  # read-only


def test_dossier_page_lists_the_rules_anomalies_and_alerts(akto):
    dossier = transmis(1, parts={"contrat": {"duree_essai_jours": 40, "date_debut": dt.date(2026, 9, 1)}})
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert re.search(r"Contrôles de saisie — \d+ anomalie\(s\) bloquante\(s\), \d+ alerte\(s\)", page)
    assert "Saisie obligatoire" in page and "Bloquant" in page
    assert "EMPLOYEUR_EFFECTIF_OBLIGATOIRE" in page


def test_history_shows_each_event_with_its_comment(akto, gestionnaire):
    dossier = transmis(1)
    instruction.prendre_en_instruction(dossier, gestionnaire)
    instruction.demander_complements(dossier, gestionnaire, "Joindre le programme signé.")
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    historique = page[page.index('id="historique"') :]
    assert "Prendre en instruction" in historique and "Transmis → En cours d'instruction" in historique
    assert "Demander des compléments" in historique and "Joindre le programme signé." in historique
    assert "Nadia Lefèvre" in historique


def test_a_draft_is_not_in_the_back_office(akto):
    brouillon = DossierFactory()
    response = akto.get(f"{LISTE}{brouillon.pk}/change/")
    assert response.status_code == 302 and response.url == "/admin/"


# -- the decisions -------------------------------------------------------------------------------------------


def decision(client, dossier, transition, data=None):
    url = f"{LISTE}{dossier.pk}/decision/{transition}/"
    return client.post(url, data or {}, follow=True) if data is not None else client.get(url)


def test_decision_buttons_follow_the_state(akto, gestionnaire):
    dossier = transmis(1)
    boutons = f"{LISTE}{dossier.pk}/decision/"
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert f"{boutons}{PRENDRE_EN_INSTRUCTION}/" in page and f"{boutons}{DEMANDER_COMPLEMENTS}/" in page
    instruction.prendre_en_instruction(dossier, gestionnaire)
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert f"{boutons}{PRENDRE_EN_INSTRUCTION}/" not in page
    for transition in (DEMANDER_COMPLEMENTS, ACCEPTER_DOSSIER, REFUSER_DOSSIER):
        assert f"{boutons}{transition}/" in page
    instruction.refuser(dossier, gestionnaire, MotifRefus.NON_CONFORMITE)
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert "Aucune décision possible dans l'état « Refusé »" in page
    assert "Motif du refus" in page and "Non-conformité du contrat" in page


def test_demander_des_complements_needs_a_comment(akto):
    dossier = transmis(1)
    page = text(decision(akto, dossier, DEMANDER_COMPLEMENTS, {"commentaire": "  "}))
    assert "Saisissez un commentaire : il est transmis à l'adhérent." in page
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS
    page = text(decision(akto, dossier, DEMANDER_COMPLEMENTS, {"commentaire": "Ajouter la convention."}))
    assert f"Le dossier {dossier.numero} est renvoyé à l'adhérent pour compléments" in page
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.A_COMPLETER


def test_accepter_form_offers_the_estimate_and_stores_the_amount(akto, gestionnaire):
    from tests.complet import referentiels

    referentiels()  # the dated funding forfaits
    dossier = transmis(1)
    Formation.objects.filter(dossier=dossier).update(duree_totale_heures=400)
    instruction.prendre_en_instruction(dossier, gestionnaire)
    formulaire = text(decision(akto, dossier, ACCEPTER_DOSSIER))
    assert "Estimation du financement" in formulaire
    assert f'value="{instruction.montant_propose(dossier):.2f}"'.replace(".", ",") in formulaire.replace("\u202f", "")
    page = text(decision(akto, dossier, ACCEPTER_DOSSIER, {"montant": "abc"}))
    assert "Saisissez un montant" in page or "montant" in page.lower()
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.EN_INSTRUCTION
    page = text(decision(akto, dossier, ACCEPTER_DOSSIER, {"montant": "3 660,00", "commentaire": ""}))
    assert f"Le dossier {dossier.numero} est accepté : prise en charge engagée de 3\u202f660,00 €." in page
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.state, stored.montant_engage) == (DossierState.ACCEPTE, Decimal("3660.00"))


def test_refuser_needs_a_reason_of_the_notice(akto, gestionnaire):
    dossier = transmis(1)
    instruction.prendre_en_instruction(dossier, gestionnaire)
    formulaire = text(decision(akto, dossier, REFUSER_DOSSIER))
    for label in MotifRefus.labels:
        assert label in formulaire
    assert "Choisissez le motif du refus." in text(decision(akto, dossier, REFUSER_DOSSIER, {"commentaire": "x"}))
    page = text(decision(akto, dossier, REFUSER_DOSSIER, {"motif": MotifRefus.DOSSIER_INCOMPLET}))
    assert f"Le dossier {dossier.numero} est refusé (motif : Dossier incomplet)." in page
    assert Dossier.objects.get(pk=dossier.pk).motif_refus == MotifRefus.DOSSIER_INCOMPLET


def test_an_impossible_decision_says_why_in_french(akto):
    dossier = transmis(1, state=DossierState.ACCEPTE)
    page = text(decision(akto, dossier, ACCEPTER_DOSSIER, {"montant": "100"}))
    assert "Action « Accepter » impossible : le dossier est à l'état « Accepté »." in page
    page = text(akto.get(f"{LISTE}{dossier.pk}/decision/{REFUSER_DOSSIER}/", follow=True))
    assert "Action « Refuser » impossible" in page
    assert akto.get(f"{LISTE}{dossier.pk}/decision/supprimer/").status_code == 404


def test_bulk_prendre_en_instruction(akto):
    a, b = transmis(1), transmis(2)
    deja = transmis(3, state=DossierState.EN_INSTRUCTION)
    response = akto.post(
        LISTE,
        {"action": "action_prendre_en_instruction", "_selected_action": [a.pk, b.pk, deja.pk]},
        follow=True,
    )
    page = text(response)
    assert f"2 dossier(s) pris en instruction : {b.numero}, {a.numero}." in page
    assert f"{deja.numero} : Action « Prendre en instruction » impossible" in page
    assert set(Dossier.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True)) == {
        DossierState.EN_INSTRUCTION
    }


def test_staff_without_the_decision_permission_sees_no_decision(gestionnaire):
    from django.contrib.auth.models import Permission

    lecteur = UserFactory(role="gestionnaire", is_staff=True)
    lecteur.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    dossier = transmis(1)
    client = client_for(lecteur)
    page = text(client.get(f"{LISTE}{dossier.pk}/change/"))
    assert "Aucune décision possible" in page
    assert client.get(f"{LISTE}{dossier.pk}/decision/{PRENDRE_EN_INSTRUCTION}/").status_code == 403
    assert "action_prendre_en_instruction" not in text(client.get(LISTE))


# -- the export ----------------------------------------------------------------------------------------------


def lire_csv(response) -> tuple[bytes, list[list[str]]]:
    contenu = b"".join(response.streaming_content)
    return contenu, list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def exporter(akto, django_capture_on_commit_callbacks):
    """« Exporter en CSV » with ``params`` as the list's query string: the job runs after commit (eager), its
    progress page offers the file; the download's response."""

    def exporter(params: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            response = akto.post(f"{EXPORT}?{urlencode(params or {})}")
        job = ExportDossiers.objects.latest("pk")
        assert response.status_code == 302 and response.url == f"{EXPORT}{job.pk}/"
        assert "Télécharger le fichier CSV" in text(akto.get(response.url))
        return akto.get(f"{EXPORT}{job.pk}/fichier/")

    return exporter


def test_export_csv_bytes(exporter):
    dossier = transmis(
        4,
        parts={
            "salarie": {"nom_naissance": "MARTIN", "prenom": "Léa"},
            "contrat": {"date_debut": dt.date(2026, 9, 1), "date_fin": dt.date(2027, 8, 31)},
        },
    )
    salarie = dossier.salarie
    salarie.nir = f"{NIR_13}{97 - int(NIR_13) % 97:02d}"
    salarie.save()
    response = exporter()
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="dossiers-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"])
    contenu, lignes = lire_csv(response)
    assert contenu.startswith(b"\xef\xbb\xbfNum\xc3\xa9ro;Dispositif;Sous-dispositif;Raison sociale;SIRET;")
    assert b"\r\n" in contenu
    entetes, ligne = lignes
    assert entetes[-5:] == [
        "Transmis le",
        "Jours depuis la transmission",
        "Décidé le",
        "Montant engagé (€)",
        "Motif du refus",
    ]
    valeurs = dict(zip(entetes, ligne, strict=True))
    assert valeurs["Numéro"] == dossier.numero
    assert valeurs["Nom de naissance"] == "MARTIN" and valeurs["Prénom"] == "Léa"
    assert valeurs["Date de début du contrat"] == "01/09/2026" and valeurs["Date de fin du contrat"] == "31/08/2027"
    assert valeurs["Transmis le"] == timezone.localtime(dossier.transmis_le).strftime("%d/%m/%Y")
    assert valeurs["Jours depuis la transmission"] == "4"
    assert valeurs["Etat"] == "Transmis"
    assert NIR_13.encode() not in contenu and "••".encode() not in contenu  # never the NIR, not even masked


def test_export_follows_the_filters_and_every_page(exporter, gestionnaire):
    for jours in range(60):
        transmis(jours % 10)
    accepte = transmis(40, state=DossierState.EN_INSTRUCTION)
    instruction.accepter(accepte, gestionnaire, Decimal("4170.5"))
    _, lignes = lire_csv(exporter())
    assert len(lignes) == 1 + 60  # every row of the default list (À traiter), not the first page only
    _, lignes = lire_csv(exporter({"etat": "accepte", "p": "2"}))
    assert [ligne[0] for ligne in lignes[1:]] == [accepte.numero]
    valeurs = dict(zip(lignes[0], lignes[1], strict=True))
    assert valeurs["Montant engagé (€)"] == "4170,50"
    assert valeurs["Décidé le"] == timezone.localdate().strftime("%d/%m/%Y")
    assert valeurs["Jours depuis la transmission"] == ""  # decided: the deadline no longer runs


def test_export_button_keeps_the_current_filters(akto):
    transmis(1)
    page = akto.get(LISTE, {"etat": "tous", "q": "CP"}).content.decode()
    action = re.search(r'<form method="post" action="(/admin/dossiers/dossier/export/\?[^"]+)"', page).group(1)
    assert "etat=tous" in action and "q=CP" in action
    assert ">Exporter en CSV</button>" in page


def test_reading_follows_what_the_tab_offers_this_employer(akto):
    """Travail temporaire: the *Public spécifique* and the reste à charge questions are there, as on the tabs."""
    interim = transmis(1, etablissement=EtablissementFactory(interim=True), type_public="interimaire")
    page = text(akto.get(f"{LISTE}{interim.pk}/change/"))
    assert "Public spécifique" in page
    assert "Souhaitez-vous demander le financement de votre reste à charge ?" in page
    assert lue(page, "Type de public") == "Intérimaire"
    classique = transmis(1)
    page = text(akto.get(f"{LISTE}{classique.pk}/change/"))
    assert "Public spécifique" not in page and "reste à charge ?" not in page
    assert lue(page, "Type de public") == "Non concerné"


def test_reading_shows_the_vae_experiment_fields_as_the_tabs_do(akto):
    """E15 on Formation (open for type 8), C2 and T7 on Contrat; the nature closed by C2 is left out."""
    dossier = transmis(
        1,
        etablissement=EtablissementFactory(interim=True),
        parts={"contrat": {"avenant_vae": True, "naf_entreprise_utilisatrice": "7820Z"}},
    )
    Formation.objects.filter(dossier=dossier).update(type_qualification="8", numero_projet_vae="VAE-2023-0042")
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert lue(page, "Numéro du projet") == "VAE-2023-0042"
    libelle_c2 = (
        "Si le présent contrat de professionnalisation vaut avenant au contrat de travail initial cochez la case "
        "ci-contre"
    )
    assert lue(page, libelle_c2) == "Oui"
    assert lue(page, "Code activité de l'entreprise utilisatrice (NAF)") == "7820Z"
    assert lue(page, "Nature de contrat ou d'avenant") is None  # closed by C2, as on the tab
    classique = transmis(1)
    page = text(akto.get(f"{LISTE}{classique.pk}/change/"))
    assert "Numéro du projet" not in page  # closed: not type 8
    assert lue(page, libelle_c2) == "Non"


def test_every_field_of_every_tab_form_is_placed_in_the_reading(adherent, types_document):
    """The layout of ``dossiers/lecture.py`` places every field the tabs offer (none left to « Autres champs »)."""
    from dossiers.saisie import lecture

    dossier = dossier_complet(adherent)
    for onglet in lecture.lecture(dossier):
        assert "Autres champs" not in [s.titre for s in onglet.sections], onglet.slug


def test_dossier_page_names_the_prestataire_who_pre_entered_it(akto):
    from tests.factories import OrganismeFactory

    organisme = OrganismeFactory(raison_sociale="INSTITUT DES METIERS DE LA TABLE")
    dossier = transmis(1, prestataire=organisme)
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert "Pré-saisi par le prestataire" in page and "INSTITUT DES METIERS DE LA TABLE" in page
    assert "Pré-saisi par le prestataire" not in text(akto.get(f"{LISTE}{transmis(1).pk}/change/"))
