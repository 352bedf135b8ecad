"""The D6325-2 deadline's daily task, with frozen time: the assignee's warning at J+15 (once per transmission), the
tacit acceptance once the 20 days are over (« réputée acceptée »), its event and notifications, idempotent; the
days as dated parameters per dispositif."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers import acces
from dossiers.enums import DossierState
from dossiers.instruction import decisions as instruction
from dossiers.instruction import tasks
from dossiers.models import Dossier
from dossiers.workflow import ACCEPTER_TACITEMENT, TRANSMETTRE, TransitionError, fire, possibles
from notifications.events import Evenement
from notifications.models import Notification
from notifications.services import email_contenu
from referentiels.models import ParametreRegle
from tests.conftest import client_for
from tests.documents.conftest import stockage_neuf, types_document  # noqa: F401 — the pieces of dossier_complet
from tests.factories import DossierFactory, OrganismeFactory, prestataire_user

pytestmark = pytest.mark.django_db

JOUR_0 = dt.datetime(2026, 3, 2, 10, 0)  # a Monday, Paris time


def a(jours: int, heure: int = 1):
    """Frozen at ``heure`` o'clock (Paris) of J+``jours`` — the beat task runs at 00:15."""
    moment = timezone.make_aware(dt.datetime.combine(JOUR_0.date() + dt.timedelta(days=jours), dt.time(heure)))
    return time_machine.travel(moment, tick=False)


def veiller(jours: int) -> dict:
    with a(jours):
        return instruction.veiller_delais()


def alertes(dossier):
    return Notification.objects.filter(dossier=dossier, evenement=Evenement.DELAI_ALERTE)


def tacites(dossier):
    return Notification.objects.filter(dossier=dossier, evenement=Evenement.DOSSIER_ACCEPTE_TACITEMENT)


@pytest.fixture
def organisme():
    return OrganismeFactory(raison_sociale="INSTITUT DES METIERS DE LA TABLE")


@pytest.fixture
def prestataire(organisme):
    return prestataire_user(organisme)


@pytest.fixture
def dossier(adherent, gestionnaire, organisme):
    """Pre-entered by the organisme, transmitted on day 0, assigned to the gestionnaire."""
    draft = DossierFactory(
        etablissement=adherent.rattachements.get().etablissement, created_by=adherent, prestataire=organisme
    )
    with timezone.override("Europe/Paris"), time_machine.travel(timezone.make_aware(JOUR_0), tick=False):
        with transaction.atomic():
            fire(draft, TRANSMETTRE, user=adherent)
    Dossier.objects.filter(pk=draft.pk).update(instruit_par=gestionnaire)
    return Dossier.objects.get(pk=draft.pk)


def test_the_task_is_scheduled_daily():
    planifiee = settings.CELERY_BEAT_SCHEDULE["veiller-delais"]
    assert planifiee["task"] == tasks.veiller_delais.name == "dossiers.tasks.veiller_delais"
    assert planifiee["schedule"].hour == {0} and planifiee["schedule"].minute == {15}


def test_warning_at_day_15_once_then_tacit_acceptance_after_day_20(
    dossier, adherent, prestataire, gestionnaire, django_capture_on_commit_callbacks
):
    assert veiller(14) == {"acceptes": 0, "alertes": 0}
    assert not alertes(dossier).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert veiller(15) == {"acceptes": 0, "alertes": 1}
    (alerte,) = alertes(dossier)
    assert alerte.recipient == gestionnaire
    assert "au plus tard le 22/03/2026" in alerte.commentaire
    (courriel,) = mail.outbox
    assert courriel.to == [gestionnaire.email]
    assert "fin du délai de décision proche" in courriel.subject
    assert "Dossier pré-saisi par INSTITUT DES METIERS DE LA TABLE" in courriel.body
    assert f"/admin/dossiers/dossier/{dossier.pk}/change/" in courriel.body  # the back office's page

    assert veiller(15) == {"acceptes": 0, "alertes": 0}  # run again: no second warning
    assert veiller(19) == {"acceptes": 0, "alertes": 0}
    assert veiller(20) == {"acceptes": 0, "alertes": 0}  # the deadline's last day: AKTO may still decide
    assert alertes(dossier).count() == 1
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS

    with django_capture_on_commit_callbacks(execute=True):
        assert veiller(21) == {"acceptes": 1, "alertes": 0}
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == DossierState.ACCEPTE
    assert timezone.localdate(stored.decide_le) == JOUR_0.date() + dt.timedelta(days=21)
    assert stored.montant_engage == instruction.montant_tacite(stored)
    evenement = stored.evenements.get(transition=ACCEPTER_TACITEMENT)
    assert (evenement.from_state, evenement.to_state) == (DossierState.TRANSMIS, DossierState.ACCEPTE)
    assert evenement.comment == "Prise en charge réputée acceptée (article D6325-2)"
    assert evenement.user == acces.compte_systeme() and not evenement.user.is_active
    assert {n.recipient for n in tacites(dossier)} == {adherent, prestataire, gestionnaire}
    assert all(n.dossier_evenement == evenement for n in tacites(dossier))
    corps = {m.to[0]: m.body for m in mail.outbox[1:]}
    assert "réputée acceptée" in corps[adherent.email]
    assert "pré-saisi par" not in corps[adherent.email]  # the organisation is named to the gestionnaire only
    assert "Dossier pré-saisi par INSTITUT DES METIERS DE LA TABLE" in corps[gestionnaire.email]

    evenements, notifications = stored.evenements.count(), Notification.objects.count()
    assert veiller(21) == {"acceptes": 0, "alertes": 0}  # run again: nothing
    assert veiller(22) == {"acceptes": 0, "alertes": 0}
    assert (stored.evenements.count(), Notification.objects.count()) == (evenements, notifications)


def test_the_adherent_reads_the_tacit_acceptance(dossier, adherent):
    veiller(21)
    html = client_for(adherent).get(f"/dossiers/{dossier.pk}/", follow=True).content.decode()
    assert "Votre demande est réputée acceptée" in html
    assert "article D6325-2" in html


def test_a_dossier_decided_on_day_18_is_untouched(dossier, gestionnaire):
    veiller(15)
    with a(18, heure=11):
        instruction.prendre_en_instruction(dossier, gestionnaire)
        instruction.accepter(dossier, gestionnaire, Decimal("4170"))
    assert veiller(21) == {"acceptes": 0, "alertes": 0}
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.montant_engage == Decimal("4170")
    assert not stored.evenements.filter(transition=ACCEPTER_TACITEMENT).exists()
    assert alertes(dossier).count() == 1 and not tacites(dossier).exists()


def test_a_transmission_after_complements_restarts_the_count(dossier, adherent, gestionnaire):
    veiller(15)
    with a(16, heure=11):
        instruction.demander_complements(dossier, gestionnaire, "Programme illisible.")
    assert veiller(17) == {"acceptes": 0, "alertes": 0}  # the adhérent has it: no count
    with a(18, heure=11), transaction.atomic():
        fire(Dossier.objects.get(pk=dossier.pk), TRANSMETTRE, user=adherent)
    assert veiller(21) == {"acceptes": 0, "alertes": 0}  # J+3 of the new transmission
    assert veiller(32) == {"acceptes": 0, "alertes": 0}  # J+14
    assert veiller(33) == {"acceptes": 0, "alertes": 1}  # J+15: this transmission's own warning
    assert veiller(38) == {"acceptes": 0, "alertes": 0}  # J+20
    assert veiller(39) == {"acceptes": 1, "alertes": 0}  # J+21
    assert alertes(dossier).count() == 2


def test_an_unassigned_dossier_warns_nobody_until_assigned(dossier, gestionnaire):
    Dossier.objects.filter(pk=dossier.pk).update(instruit_par=None)
    assert veiller(15) == {"acceptes": 0, "alertes": 0}
    assert not alertes(dossier).exists()
    Dossier.objects.filter(pk=dossier.pk).update(instruit_par=gestionnaire)
    assert veiller(16) == {"acceptes": 0, "alertes": 1}  # whoever takes it is warned, once
    assert veiller(17) == {"acceptes": 0, "alertes": 0}


def test_the_days_are_dated_parameters_per_dispositif(dossier):
    ParametreRegle.objects.create(
        code="D6325_2_DELAI_JOURS__CPRO", date_effet=dt.date(2026, 1, 1), valeur=30, libelle="CPRO : 30 jours"
    )
    ParametreRegle.objects.create(
        code="D6325_2_ALERTE_JOURS__CPRO", date_effet=dt.date(2026, 1, 1), valeur=25, libelle="CPRO : J+25"
    )
    # A later value does not apply to a dossier transmitted before it: read at the transmission date.
    ParametreRegle.objects.create(
        code="D6325_2_DELAI_JOURS__CPRO", date_effet=dt.date(2026, 3, 10), valeur=10, libelle="CPRO : 10 jours"
    )
    assert veiller(15) == {"acceptes": 0, "alertes": 0}
    assert veiller(21) == {"acceptes": 0, "alertes": 0}
    assert veiller(25) == {"acceptes": 0, "alertes": 1}
    assert veiller(30) == {"acceptes": 0, "alertes": 0}
    assert veiller(31) == {"acceptes": 1, "alertes": 0}
    with a(0):
        dossier.state = DossierState.TRANSMIS
        assert instruction.delai(dossier).titre.endswith("30 jour(s) avant la fin du délai de décision")


def test_the_generic_parameter_applies_to_every_dispositif(dossier):
    ParametreRegle.objects.create(
        code="D6325_2_DELAI_JOURS", date_effet=dt.date(2026, 2, 1), valeur=25, libelle="Délai porté à 25 jours"
    )
    assert veiller(21) == {"acceptes": 0, "alertes": 1}  # the first run past J+15 warns (a missed day caught up)
    assert veiller(26) == {"acceptes": 1, "alertes": 0}


def test_nobody_fires_the_tacit_acceptance_by_hand(dossier, gestionnaire):
    assert ACCEPTER_TACITEMENT not in {t.name for t in possibles(dossier, gestionnaire)}
    with pytest.raises(TransitionError, match="pas autorisé"), transaction.atomic():
        fire(dossier, ACCEPTER_TACITEMENT, user=gestionnaire)
    systeme = acces.compte_systeme()
    assert not systeme.is_active and not systeme.has_usable_password()
    assert acces.compte_systeme() == systeme  # one account


def test_the_gestionnaire_s_mails_name_the_training_organisation(dossier, gestionnaire, adherent):
    """Any e-mail to a gestionnaire about a pre-entered dossier says « pré-saisi par »; not for the adhérent's own."""
    with transaction.atomic():
        (pour_gestionnaire,) = Notification.objects.bulk_create(
            [Notification(recipient=gestionnaire, evenement=Evenement.DOSSIER_TRANSMIS, dossier=dossier)]
        )
    assert "Dossier pré-saisi par INSTITUT DES METIERS DE LA TABLE" in email_contenu(pour_gestionnaire)[1]
    Dossier.objects.filter(pk=dossier.pk).update(prestataire=None)
    pour_gestionnaire.dossier = Dossier.objects.get(pk=dossier.pk)
    assert "pré-saisi" not in email_contenu(pour_gestionnaire)[1]


def test_a_gestionnaire_opens_the_warning_in_the_back_office(dossier, gestionnaire):
    veiller(15)
    (alerte,) = alertes(dossier)
    reponse = client_for(gestionnaire).get(f"/notifications/{alerte.pk}/")
    assert reponse.status_code == 302 and reponse["Location"] == f"/admin/dossiers/dossier/{dossier.pk}/change/"


def test_the_tacit_acceptance_engages_the_funding_estimate(adherent):
    """A complete dossier: the amount engaged is the estimate (forfaits + tutor aid), as *Accepter* would offer."""
    from tests.complet import dossier_complet

    with time_machine.travel(timezone.make_aware(JOUR_0), tick=False):
        dossier = dossier_complet(adherent)
        with transaction.atomic():
            fire(dossier, TRANSMETTRE, user=adherent)
    attendu = instruction.montant_propose(Dossier.objects.get(pk=dossier.pk))
    assert attendu > 0
    assert veiller(21)["acceptes"] == 1
    assert Dossier.objects.get(pk=dossier.pk).montant_engage == attendu


def test_no_estimate_leaves_the_amount_empty(dossier, monkeypatch):
    from referentiels.parametres import ParametreIntrouvable

    def introuvable(dossier):
        raise ParametreIntrouvable("Aucun forfait")

    monkeypatch.setattr(instruction, "montant_propose", introuvable)
    veiller(21)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == DossierState.ACCEPTE and stored.montant_engage is None


def test_the_daily_run_reads_the_awaiting_dossiers_in_one_query(dossier):
    """Once warned, a dossier costs nothing more: the run is the one list query (the parameters' table aside: held in
    memory by portal/tables.py between runs, read again here only because a test's transaction never commits)."""

    def requetes() -> list[str]:
        with a(16), CaptureQueriesContext(connection) as capture:
            assert instruction.veiller_delais() == {"acceptes": 0, "alertes": 0}
        return [q["sql"] for q in capture.captured_queries if "referentiels_parametreregle" not in q["sql"]]

    veiller(15)
    (liste,) = requetes()
    assert "notifications_notification" in liste  # the « already warned » EXISTS, in the same query
    Dossier.objects.filter(pk=dossier.pk).update(instruit_par=None)
    assert len(requetes()) == 1  # unassigned: nobody to warn, nothing locked
