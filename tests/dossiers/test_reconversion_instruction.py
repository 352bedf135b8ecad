"""The back office and the history of a période de reconversion: the *Accepter* form proposes its estimate (hours ×
the forfait in force), the lists show its agreement's dates, an Accord change after a transmission appears in
« Modifications depuis la dernière transmission », and its decision deadline (R6324-2: 20 days, no tacit
acceptance) as data."""

import csv
import datetime as dt
import html
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dossiers.calculs.financement import estimation
from dossiers.enums import DossierState
from dossiers.historique import historique_initial
from dossiers.instruction import decisions as instruction
from dossiers.instruction import export
from dossiers.instruction.modifications import modifications
from dossiers.models import AccordReconversion, Contrat, Dossier, SousDispositif
from dossiers.workflow import DEMANDER_COMPLEMENTS, PRENDRE_EN_INSTRUCTION, TRANSMETTRE, fire
from notifications.events import Evenement
from notifications.models import Notification
from referentiels.models import ParametreRegle
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

LISTE = "/admin/dossiers/dossier/"
JOUR_0 = dt.datetime(2026, 3, 2, 10, 0)  # a Monday, Paris time


def parametres():
    call_command("load_parametres", stdout=io.StringIO())


def reconversion(state=DossierState.BROUILLON, **accord):
    dossier = DossierFactory(sous_dispositif=SousDispositif.objects.get(code="REC_INT"), type_contrat="", state=state)
    AccordReconversion.objects.create(dossier=dossier, **accord)
    if state != DossierState.BROUILLON:
        Dossier.objects.filter(pk=dossier.pk).update(transmis_le=timezone.now())
    return Dossier.objects.get(pk=dossier.pk)


def texte(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


# -- the proposed amount ---------------------------------------------------------------------------------------


def test_the_accepter_form_proposes_the_reconversions_estimate(gestionnaire):
    parametres()
    dossier = reconversion(DossierState.EN_INSTRUCTION, duree_formation_heures=400, date_debut=dt.date(2026, 3, 1))
    assert instruction.montant_propose(dossier) == Decimal("3660.00")  # 400 h × 9,15 €/h (D6332-89)
    assert instruction.montant_tacite(dossier) == Decimal("3660.00")
    page = texte(client_for(gestionnaire).get(f"{LISTE}{dossier.pk}/decision/accepter_dossier/"))
    assert 'value="3 660,00"' in page
    assert "400 h de formation × 9,15 €/h" in page  # its estimate shown, not the contrat pro's
    assert "Aide à la fonction tutorale" not in page


def test_a_contrat_pros_proposed_amount_is_unchanged():
    parametres()
    dossier = DossierFactory(state=DossierState.EN_INSTRUCTION)
    assert instruction.montant_propose(dossier) == estimation(dossier).total_aides


# -- the lists' dates -----------------------------------------------------------------------------------------


def test_lists_and_export_show_the_agreements_dates(adherent, gestionnaire):
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(
        etablissement=etablissement,
        created_by=adherent,
        sous_dispositif=SousDispositif.objects.get(code="REC_INT"),
        type_contrat="",
        state=DossierState.TRANSMIS,
    )
    Dossier.objects.filter(pk=dossier.pk).update(transmis_le=timezone.now())
    AccordReconversion.objects.create(dossier=dossier, date_debut=dt.date(2026, 4, 7), date_fin=dt.date(2027, 1, 29))
    for page in (texte(client_for(adherent).get("/dossiers/")), texte(client_for(gestionnaire).get(LISTE))):
        assert "07/04/2026" in page and "29/01/2027" in page
    cpro = DossierFactory(state=DossierState.TRANSMIS)
    Contrat.objects.filter(dossier=cpro).update(date_debut=dt.date(2026, 9, 1), date_fin=dt.date(2027, 8, 31))
    sortie = io.StringIO()
    export.ecrire_csv(Dossier.objects.order_by("pk"), sortie)
    entetes, *lignes = csv.reader(io.StringIO(sortie.getvalue().removeprefix("\ufeff")), delimiter=";")
    rangs = [entetes.index(e) for e in ("Numéro", "Date de début du contrat", "Date de fin du contrat")]
    dates = {ligne[rangs[0]]: (ligne[rangs[1]], ligne[rangs[2]]) for ligne in lignes}
    assert dates == {dossier.numero: ("07/04/2026", "29/01/2027"), cpro.numero: ("01/09/2026", "31/08/2027")}


# -- the Accord tab's history -----------------------------------------------------------------------------------


def a(moment: dt.datetime):
    return time_machine.travel(timezone.make_aware(moment), tick=False)


def test_an_accord_change_after_transmission_is_in_modifications(adherent, gestionnaire):
    etablissement = adherent.rattachements.get().etablissement
    with a(JOUR_0):
        dossier = DossierFactory(
            etablissement=etablissement,
            created_by=adherent,
            sous_dispositif=SousDispositif.objects.get(code="REC_INT"),
            type_contrat="",
        )
        AccordReconversion.objects.create(dossier=dossier)
    client = client_for(adherent)

    def enregistrer(heures: str):
        version = Dossier.objects.get(pk=dossier.pk).version
        reponse = client.post(f"/dossiers/{dossier.pk}/accord/", {"version": version, "duree_formation_heures": heures})
        assert reponse.status_code == 200

    with a(JOUR_0 + dt.timedelta(minutes=1)):
        enregistrer("400")
    with a(JOUR_0 + dt.timedelta(minutes=2)), transaction.atomic():
        fire(Dossier.objects.get(pk=dossier.pk), TRANSMETTRE, user=adherent)
    with a(JOUR_0 + dt.timedelta(minutes=3)), transaction.atomic():
        fire(Dossier.objects.get(pk=dossier.pk), PRENDRE_EN_INSTRUCTION, user=gestionnaire)
    with a(JOUR_0 + dt.timedelta(minutes=4)), transaction.atomic():
        fire(Dossier.objects.get(pk=dossier.pk), DEMANDER_COMPLEMENTS, user=gestionnaire, comment="La durée ?")
    with a(JOUR_0 + dt.timedelta(minutes=5)):
        enregistrer("450")

    assert AccordReconversion.history.filter(dossier_id=dossier.pk).count() == 3  # created, 400 h, 450 h
    stored = Dossier.objects.get(pk=dossier.pk)
    changes = modifications(stored, list(stored.evenements.order_by("created_at", "pk")))
    (onglet,) = changes.onglets
    assert (onglet.slug, onglet.label) == ("accord", "Accord")
    (modification,) = onglet.modifications
    assert (modification.avant, modification.apres) == ("400 h", "450 h")
    assert "Durée totale de la formation" in modification.libelle


def test_historique_initial_covers_the_agreements():
    dossier = DossierFactory(sous_dispositif=SousDispositif.objects.get(code="REC_INT"), type_contrat="")
    AccordReconversion.objects.bulk_create([AccordReconversion(dossier=dossier, duree_formation_heures=300)])
    assert not AccordReconversion.history.exists()  # a bulk insert writes no history
    assert historique_initial()["dossiers.AccordReconversion"] == 1
    assert AccordReconversion.history.get().duree_formation_heures == 300


# -- the decision deadline (R6324-2) ---------------------------------------------------------------------------


def transmise(adherent, gestionnaire, code="REC_INT"):
    draft = DossierFactory(
        etablissement=adherent.rattachements.get().etablissement,
        created_by=adherent,
        sous_dispositif=SousDispositif.objects.get(code=code),
        type_contrat="",
    )
    AccordReconversion.objects.create(dossier=draft, duree_formation_heures=400, date_debut=dt.date(2026, 4, 1))
    with timezone.override("Europe/Paris"), a(JOUR_0), transaction.atomic():
        fire(draft, TRANSMETTRE, user=adherent)
    Dossier.objects.filter(pk=draft.pk).update(instruit_par=gestionnaire)
    return Dossier.objects.get(pk=draft.pk)


def veiller(jours: int) -> dict:
    with a(JOUR_0.replace(hour=1) + dt.timedelta(days=jours)):
        return instruction.veiller_delais()


@pytest.mark.parametrize("charges", [True, False], ids=["parametres", "sans-parametres"])
def test_a_reconversion_is_never_accepted_tacitly(adherent, gestionnaire, charges):
    if charges:
        parametres()
    else:  # the law's figures in the code: R6324-2's 20 days, and still no tacit acceptance
        ParametreRegle.objects.filter(code__startswith="D6325_2_").delete()
    dossier = transmise(adherent, gestionnaire)
    assert instruction.seuils(dossier) == (15, 20)  # R6324-2: 20 days
    assert not instruction.acceptation_tacite(dossier)
    assert veiller(15) == {"acceptes": 0, "alertes": 1}
    (alerte,) = Notification.objects.filter(dossier=dossier, evenement=Evenement.DELAI_ALERTE)
    assert "au plus tard le 22/03/2026" in alerte.commentaire
    assert "réputée acceptée" not in alerte.commentaire
    assert veiller(21) == {"acceptes": 0, "alertes": 0}
    assert veiller(40) == {"acceptes": 0, "alertes": 0}
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == DossierState.TRANSMIS and stored.montant_engage is None
    with a(JOUR_0 + dt.timedelta(days=21)):
        assert instruction.delai(stored).libelle == "Délai dépassé"  # the list still shows it overdue


def test_a_contrat_pro_is_still_accepted_tacitly_with_the_data_loaded(adherent, gestionnaire):
    parametres()
    draft = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    with timezone.override("Europe/Paris"), a(JOUR_0), transaction.atomic():
        fire(draft, TRANSMETTRE, user=adherent)
    assert instruction.acceptation_tacite(Dossier.objects.get(pk=draft.pk))
    assert veiller(21)["acceptes"] == 1
    assert Dossier.objects.get(pk=draft.pk).state == DossierState.ACCEPTE


def test_the_agreements_dates_cost_no_query_per_row(adherent, gestionnaire):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    etablissement = adherent.rattachements.get().etablissement
    client, back = client_for(adherent), client_for(gestionnaire)

    def requetes(client, url) -> int:
        client.get(url)  # the session and the caches warmed
        with CaptureQueriesContext(connection) as capture:
            assert client.get(url).status_code == 200
        return len(capture)

    def ajouter(n: int):
        for _ in range(n):
            dossier = DossierFactory(
                etablissement=etablissement,
                created_by=adherent,
                sous_dispositif=SousDispositif.objects.get(code="REC_INT"),
                type_contrat="",
                state=DossierState.TRANSMIS,
            )
            Dossier.objects.filter(pk=dossier.pk).update(transmis_le=timezone.now())
            AccordReconversion.objects.create(dossier=dossier, date_debut=dt.date(2026, 4, 7))

    ajouter(1)
    une = (requetes(client, "/dossiers/"), requetes(back, LISTE))
    ajouter(4)
    assert (requetes(client, "/dossiers/"), requetes(back, LISTE)) == une
