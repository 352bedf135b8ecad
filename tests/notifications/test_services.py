"""The outbox: rows written with the transition, e-mailed once after commit, retried a bounded number of times."""

import logging

import pytest
from django.db import transaction

from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierEvenement
from dossiers.workflow import TRANSMETTRE, fire
from notifications import services
from notifications.events import Evenement
from notifications.models import EmailStatut, Notification
from notifications.services import destinataires_adherents, notifier
from notifications.tasks import envoyer_notification, relancer_notifications
from tests.factories import EntrepriseFactory, EtablissementFactory, UserFactory, attach

from .outils import broker, plus_tard, port_libre, transmettre

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_notifier_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="transaction"):
        notifier(Evenement.DOSSIER_TRANSMIS, Dossier(), [])


def test_unknown_event_is_refused(dossier, adherent):
    with transaction.atomic(), pytest.raises(ValueError):
        notifier("dossier_envole", dossier, [adherent])


def test_one_row_per_distinct_active_recipient(dossier, adherent):
    inactive = UserFactory(is_active=False)
    other = UserFactory()
    with transaction.atomic():
        rows = notifier(
            Evenement.A_COMPLETER, dossier, [adherent, None, inactive, adherent, other], commentaire="RIB manquant"
        )
    assert [n.recipient for n in rows] == [adherent, other]
    assert all(n.pk for n in rows)
    assert set(Notification.objects.values_list("recipient", "evenement", "commentaire", "email_statut")) == {
        (adherent.pk, "a_completer", "RIB manquant", "en_attente"),
        (other.pk, "a_completer", "RIB manquant", "en_attente"),
    }


def test_destinataires_adherents_direct_or_through_the_company_in_one_query(django_assert_num_queries):
    entreprise = EntrepriseFactory()
    etablissement, voisin = EtablissementFactory.create_batch(2, entreprise=entreprise)
    direct, via_entreprise, autre_etablissement = UserFactory(), UserFactory(), UserFactory()
    attach(direct, etablissement)
    attach(via_entreprise, entreprise)
    attach(autre_etablissement, voisin)
    inactif = UserFactory(is_active=False)
    attach(inactif, etablissement)
    prestataire = UserFactory(prestataire=True)
    attach(prestataire, etablissement)
    attach(UserFactory(), EtablissementFactory())  # another company
    double = UserFactory()  # attached twice: listed once
    attach(double, etablissement)
    attach(double, entreprise)
    with django_assert_num_queries(1):
        users = list(destinataires_adherents(etablissement))
    assert sorted(u.pk for u in users) == sorted([direct.pk, via_entreprise.pk, double.pk])


def test_rolled_back_transition_leaves_no_row_and_sends_nothing(
    dossier, adherent, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError, match="panne"):
            with transaction.atomic():
                fire(dossier, TRANSMETTRE, user=adherent)  # writes its notifications
                assert Notification.objects.filter(dossier=dossier).exists()
                raise RuntimeError("panne après la transition")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.BROUILLON


def test_committed_transition_mails_each_recipient_once(
    dossier, adherent, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = transmettre(dossier, adherent)
    notification.refresh_from_db()
    assert notification.dossier_evenement == DossierEvenement.objects.get(dossier=dossier, transition=TRANSMETTRE)
    assert (notification.email_statut, notification.email_tentatives) == (EmailStatut.ENVOYE, 1)
    assert notification.email_envoye_le is not None and notification.email_prochain_essai is None
    assert [m.to for m in mailoutbox] == [[adherent.email]]
    assert mailoutbox[0].extra_headers["Auto-Submitted"] == "auto-generated"


def test_a_task_delivered_twice_sends_once(dossier, adherent, mailoutbox):
    (notification,) = transmettre(dossier, adherent)  # on_commit not run: the row is pending
    assert envoyer_notification(notification.pk) is True
    assert envoyer_notification(notification.pk) is False
    plus_tard()
    assert relancer_notifications() == 0
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.email_tentatives == 1


def test_a_row_locked_by_another_delivery_is_skipped(dossier, adherent, mailoutbox, monkeypatch):
    """Two deliveries racing: the one that finds the row locked (``skip_locked``) leaves it to the other."""
    (notification,) = transmettre(dossier, adherent)
    real_filter = Notification.objects.select_for_update

    def locked_elsewhere(**kwargs):
        assert kwargs == {"skip_locked": True, "of": ("self",)}
        return real_filter(**kwargs).none()

    monkeypatch.setattr(Notification.objects, "select_for_update", locked_elsewhere)
    assert envoyer_notification(notification.pk) is False
    assert mailoutbox == []


def test_retries_are_bounded_then_failed(dossier, adherent, settings, mailoutbox, caplog):
    settings.EMAIL_BACKEND = "tests.notifications.outils.EchecBackend"
    (notification,) = transmettre(dossier, adherent)
    assert envoyer_notification(notification.pk) is False
    notification.refresh_from_db()
    premier_delai = notification.email_prochain_essai - notification.created_at
    assert notification.email_statut == EmailStatut.EN_ATTENTE and notification.email_tentatives == 1
    assert notification.email_erreur.startswith("SMTPServerDisconnected")
    assert relancer_notifications() == 0  # not due yet: the sweep waits for the next attempt's time
    for _ in range(10):
        plus_tard()
        relancer_notifications()
    notification.refresh_from_db()
    assert notification.email_tentatives == services.TENTATIVES_MAX
    assert notification.email_statut == EmailStatut.ECHEC and notification.email_prochain_essai is None
    assert mailoutbox == []
    assert premier_delai >= services.DELAI_RELANCE
    # Logged without personal data: ids and the error's class only.
    assert "SMTPServerDisconnected" in caplog.text
    assert adherent.email not in caplog.text and "MARTIN" not in caplog.text.upper()


def test_the_delay_doubles_between_attempts(dossier, adherent, settings):
    settings.EMAIL_BACKEND = "tests.notifications.outils.EchecBackend"
    (notification,) = transmettre(dossier, adherent)
    delais = []
    for _ in range(3):
        plus_tard()
        before = Notification.objects.get(pk=notification.pk)
        relancer_notifications()
        after = Notification.objects.get(pk=notification.pk)
        delais.append(round((after.email_prochain_essai - before.email_prochain_essai).total_seconds() / 60))
    assert delais == [1, 2, 4]


def test_sweep_sends_only_what_is_due_and_counts_it(adherent, etablissement, mailoutbox):
    from tests.factories import DossierFactory

    dus = [transmettre(DossierFactory(etablissement=etablissement), adherent)[0] for _ in range(3)]
    plus_tard()
    frais = transmettre(DossierFactory(etablissement=etablissement), adherent)[0]
    assert relancer_notifications() == 3
    assert sorted(m.to[0] for m in mailoutbox) == [adherent.email] * 3
    assert set(Notification.objects.filter(email_statut="envoye").values_list("pk", flat=True)) == {n.pk for n in dus}
    assert Notification.objects.get(pk=frais.pk).email_statut == EmailStatut.EN_ATTENTE


def test_a_deactivated_recipient_gets_no_mail(dossier, adherent, mailoutbox):
    (notification,) = transmettre(dossier, adherent)
    type(adherent).objects.filter(pk=adherent.pk).update(is_active=False)
    assert envoyer_notification(notification.pk) is False
    notification.refresh_from_db()
    assert notification.email_statut == EmailStatut.ECHEC and mailoutbox == []


def test_a_notification_deleted_with_its_dossier_is_skipped(dossier, adherent):
    (notification,) = transmettre(dossier, adherent)
    Notification.objects.filter(pk=notification.pk).delete()
    assert envoyer_notification(notification.pk) is False


def test_broker_unreachable_the_commit_succeeds_and_the_row_waits(
    dossier, adherent, django_capture_on_commit_callbacks, mailoutbox, caplog
):
    caplog.set_level(logging.WARNING, logger="notifications")
    with broker(f"redis://127.0.0.1:{port_libre()}/0"):  # nothing listens there: a real refused connection
        with django_capture_on_commit_callbacks(execute=True):
            (notification,) = transmettre(dossier, adherent)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS
    notification.refresh_from_db()
    assert (notification.email_statut, notification.email_tentatives) == (EmailStatut.EN_ATTENTE, 0)
    assert mailoutbox == []
    assert f"notifications [{notification.pk}] non planifié (OperationalError)" in caplog.text
    assert adherent.email not in caplog.text


def test_the_sweep_runs_every_minute_with_celery_beat(settings):
    from portal.celery import app

    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == relancer_notifications.name]
    assert entry["schedule"] <= 60
    assert relancer_notifications.name in app.tasks and envoyer_notification.name in app.tasks
