"""The gestionnaire's decisions (``dossiers/instruction.py``): each one's effect, who may take it, its event and
recipients, the 20-day deadline, and the correction loop end to end (transmit → à compléter → edit → transmit
again → accept) through the real views of both sides."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from dossiers import acces as droits
from dossiers.enums import DossierState, MotifRefus
from dossiers.instruction import decisions as instruction
from dossiers.models import Dossier, DossierEvenement
from dossiers.workflow import (
    ACCEPTER_DOSSIER,
    ACCEPTER_TACITEMENT,
    DEMANDER_COMPLEMENTS,
    PRENDRE_EN_INSTRUCTION,
    REFUSER_DOSSIER,
    TRANSITIONS,
    TRANSMETTRE,
    TransitionError,
    fire,
    possibles,
)
from notifications.models import Notification
from portal.models import Role
from tests.complet import dossier_complet
from tests.conftest import client_for
from tests.factories import DossierFactory, UserFactory, prestataire_user

pytestmark = pytest.mark.django_db


def transmettre(dossier, user):
    with transaction.atomic():
        fire(dossier, TRANSMETTRE, user=user)
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def dossier(adherent):
    """A dossier the adhérent transmitted (the event and ``transmis_le`` as the real transmission writes them)."""
    draft = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    return transmettre(draft, adherent)


@pytest.fixture
def en_instruction(dossier, gestionnaire):
    instruction.prendre_en_instruction(dossier, gestionnaire)
    return Dossier.objects.get(pk=dossier.pk)


def dernier_evenement(dossier) -> DossierEvenement:
    return dossier.evenements.order_by("-pk").first()


def page(client, url) -> str:
    return html.unescape(client.get(url).content.decode())


# -- each decision's effect ----------------------------------------------------------------------------------


def test_transmission_stores_its_date(dossier):
    event = dossier.evenements.get(transition=TRANSMETTRE)
    assert dossier.transmis_le is not None
    assert abs(dossier.transmis_le - event.created_at) < dt.timedelta(seconds=5)


def test_prendre_en_instruction(dossier, gestionnaire, adherent):
    event = instruction.prendre_en_instruction(dossier, gestionnaire, "Pris par Nadia.")
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == DossierState.EN_INSTRUCTION
    assert (event.transition, event.from_state, event.to_state) == (
        PRENDRE_EN_INSTRUCTION,
        DossierState.TRANSMIS,
        DossierState.EN_INSTRUCTION,
    )
    assert (event.user, event.comment) == (gestionnaire, "Pris par Nadia.")
    assert notifies(event, "en_instruction") == {adherent}
    with pytest.raises(TransitionError, match="impossible : le dossier est à l'état « En cours d'instruction »"):
        instruction.prendre_en_instruction(stored, gestionnaire)


@pytest.mark.parametrize("depuis", ["transmis", "en_instruction"])
def test_demander_des_complements_gives_the_dossier_back_editable(dossier, gestionnaire, adherent, depuis):
    if depuis == "en_instruction":
        instruction.prendre_en_instruction(dossier, gestionnaire)
    with pytest.raises(TransitionError, match="Un commentaire est obligatoire"):
        instruction.demander_complements(dossier, gestionnaire, "   ")
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState(depuis)

    event = instruction.demander_complements(dossier, gestionnaire, "Le programme de formation manque.")
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == DossierState.A_COMPLETER and droits.peut_modifier(adherent, stored)
    assert (event.to_state, event.comment) == (DossierState.A_COMPLETER, "Le programme de formation manque.")
    assert notifies(event, "a_completer") == {adherent}
    assert Notification.objects.get(dossier_evenement=event).commentaire == "Le programme de formation manque."
    avis = instruction.avis_gestionnaire(stored)
    assert avis.commentaire == "Le programme de formation manque." and avis.kind == "warning"
    assert TRANSMETTRE in {t.name for t in possibles(stored, adherent)}  # the adhérent may transmit again


def test_accepter_stores_the_amount_and_the_decision_date(
    en_instruction, gestionnaire, adherent, django_capture_on_commit_callbacks
):
    with pytest.raises(TransitionError, match="supérieur à zéro"):
        instruction.accepter(en_instruction, gestionnaire, Decimal("0"))
    with django_capture_on_commit_callbacks(execute=True):
        event = instruction.accepter(en_instruction, gestionnaire, Decimal("3660.00"), "Accord de la branche.")
    stored = Dossier.objects.get(pk=en_instruction.pk)
    assert stored.state == DossierState.ACCEPTE
    assert stored.montant_engage == Decimal("3660.00")
    assert timezone.now() - stored.decide_le < dt.timedelta(seconds=5)
    assert (event.transition, event.comment) == (ACCEPTER_DOSSIER, "Accord de la branche.")
    assert notifies(event, "dossier_accepte") == {adherent}
    (mail,) = [m for m in mailoutbox_of(adherent) if "accepté par AKTO" in m.body]
    assert "Montant de la prise en charge engagée : 3\xa0660,00 €" in mail.body
    avis = instruction.avis_gestionnaire(stored)
    assert "3\u202f660,00 €" in avis.texte and avis.kind == "success"


def test_refuser_with_a_reason_of_the_notice(
    en_instruction, gestionnaire, adherent, django_capture_on_commit_callbacks
):
    with pytest.raises(TransitionError, match="motif du refus"):
        instruction.refuser(en_instruction, gestionnaire, "pas envie")
    with django_capture_on_commit_callbacks(execute=True):
        event = instruction.refuser(
            en_instruction, gestionnaire, MotifRefus.ABSENCE_DISPONIBILITES, "Enveloppe épuisée."
        )
    stored = Dossier.objects.get(pk=en_instruction.pk)
    assert (stored.state, stored.motif_refus) == (DossierState.REFUSE, MotifRefus.ABSENCE_DISPONIBILITES)
    assert stored.decide_le is not None and stored.montant_engage is None
    assert (event.transition, event.comment) == (REFUSER_DOSSIER, "Enveloppe épuisée.")
    assert notifies(event, "dossier_refuse") == {adherent}
    (mail,) = [m for m in mailoutbox_of(adherent) if "refus" in m.body.lower()]
    assert "Motif du refus : Absence de disponibilités financières" in mail.body and "Enveloppe épuisée." in mail.body
    avis = instruction.avis_gestionnaire(stored)
    assert "Absence de disponibilités financières" in avis.texte and avis.kind == "danger"


def test_refusal_reasons_are_the_notices():
    assert MotifRefus.labels == [
        "Non-conformité du contrat au regard des dispositions législatives, réglementaires et conventionnelles",
        "Qualification non prioritaire au regard des priorités de la branche",
        "Absence de disponibilités financières",
        "Dossier incomplet",
    ]


@pytest.mark.parametrize("decision", [ACCEPTER_DOSSIER, REFUSER_DOSSIER])
def test_a_decision_in_one_step_from_transmis_takes_the_dossier_in_instruction_first(dossier, gestionnaire, decision):
    """From *Transmis*, *Accepter* and *Refuser* take the dossier in instruction, then decide: two events (the log
    still says who instructed it and from when), the decision's data and comment on the decision's event."""
    version = dossier.version
    if decision == ACCEPTER_DOSSIER:
        event = instruction.accepter(dossier, gestionnaire, Decimal("3660.00"), "Accord.")
    else:
        event = instruction.refuser(dossier, gestionnaire, MotifRefus.DOSSIER_INCOMPLET, "Accord.")
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.version == version + 2
    prise, decidee = stored.evenements.order_by("-created_at", "-pk")[:2][::-1]
    assert (prise.transition, prise.from_state, prise.to_state, prise.user, prise.comment) == (
        PRENDRE_EN_INSTRUCTION,
        DossierState.TRANSMIS,
        DossierState.EN_INSTRUCTION,
        gestionnaire,
        "",
    )
    assert decidee == event and (event.from_state, event.comment) == (DossierState.EN_INSTRUCTION, "Accord.")
    assert notifies(prise, "en_instruction") and notifies(event, TRANSITIONS[decision].notification)
    assert stored.evenements.filter(transition=PRENDRE_EN_INSTRUCTION).count() == 1


def test_a_decision_refused_takes_nothing_in_instruction(dossier, adherent):
    """The one-step decision is one unit: a user who may not decide leaves the dossier *Transmis*, without event."""
    nombre = dossier.evenements.count()
    with pytest.raises(TransitionError, match="pas autorisé"):
        instruction.accepter(dossier, adherent, Decimal("100"))
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS
    assert dossier.evenements.count() == nombre


def test_the_decisions_data_are_kept_on_their_events(dossier, en_instruction, gestionnaire, adherent):
    """The dossier holds the latest decision's amount or reason; each event keeps its own (the history shows them)."""
    refus = instruction.refuser(en_instruction, gestionnaire, MotifRefus.NON_CONFORMITE)
    refus.refresh_from_db()
    assert (refus.motif_refus, refus.montant_engage) == (MotifRefus.NON_CONFORMITE, None)
    autre = transmettre(DossierFactory(etablissement=dossier.etablissement, created_by=adherent), adherent)
    acceptation = instruction.accepter(autre, gestionnaire, Decimal("1250.50"))
    acceptation.refresh_from_db()
    assert (acceptation.montant_engage, acceptation.motif_refus) == (Decimal("1250.50"), "")


def test_decisions_are_declared_once_with_their_sources():
    sources = {name: set(TRANSITIONS[name].sources) for name in instruction.DECISIONS + (PRENDRE_EN_INSTRUCTION,)}
    assert sources == {
        PRENDRE_EN_INSTRUCTION: {DossierState.TRANSMIS},
        DEMANDER_COMPLEMENTS: {DossierState.TRANSMIS, DossierState.EN_INSTRUCTION},
        ACCEPTER_DOSSIER: {DossierState.TRANSMIS, DossierState.EN_INSTRUCTION},
        REFUSER_DOSSIER: {DossierState.TRANSMIS, DossierState.EN_INSTRUCTION},
        ACCEPTER_TACITEMENT: {DossierState.TRANSMIS, DossierState.EN_INSTRUCTION},
    }
    assert [n for n in TRANSITIONS if TRANSITIONS[n].commentaire_obligatoire] == [DEMANDER_COMPLEMENTS]
    assert {n for n in TRANSITIONS if TRANSITIONS[n].prealable} == {ACCEPTER_DOSSIER, REFUSER_DOSSIER}


# -- who may decide ------------------------------------------------------------------------------------------


def autres_utilisateurs(adherent):
    sans_groupe = UserFactory(role=Role.GESTIONNAIRE, is_staff=True)  # the role without the group's permission
    staff_adherent = UserFactory(role=Role.ADHERENT, is_staff=True, is_superuser=True)  # a superuser is not a role
    return [adherent, UserFactory(prestataire=True), sans_groupe, staff_adherent]


def test_only_gestionnaires_decide(dossier, adherent):
    for user in autres_utilisateurs(adherent):
        with pytest.raises(TransitionError, match="Vous n'êtes pas autorisé"):
            instruction.prendre_en_instruction(dossier, user)
        with pytest.raises(TransitionError, match="Vous n'êtes pas autorisé"):
            instruction.demander_complements(dossier, user, "Non.")
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS
    assert not dossier.evenements.exclude(transition__in=["creation", TRANSMETTRE]).exists()


def test_a_decision_is_atomic(en_instruction, gestionnaire, monkeypatch):
    def panne(*args, **kwargs):
        raise RuntimeError("panne au milieu de la décision")

    monkeypatch.setattr(DossierEvenement.objects, "create", panne)
    with pytest.raises(RuntimeError):
        instruction.accepter(en_instruction, gestionnaire, Decimal("100"))
    stored = Dossier.objects.get(pk=en_instruction.pk)
    assert (stored.state, stored.montant_engage, stored.decide_le) == (DossierState.EN_INSTRUCTION, None, None)


def test_decisions_are_notified_to_the_prestataire_who_pre_entered_the_dossier(adherent, gestionnaire):
    prestataire = prestataire_user()
    draft = DossierFactory(
        etablissement=adherent.rattachements.get().etablissement,
        created_by=prestataire,
        prestataire=prestataire.rattachements.get().organisme,
    )
    dossier = transmettre(draft, adherent)
    event = instruction.prendre_en_instruction(dossier, gestionnaire)
    assert notifies(event, "en_instruction") == {adherent, prestataire}


def notifies(event, evenement) -> set:
    """Who the decision's notification (written with it, in the same transaction) goes to."""
    return {n.recipient for n in Notification.objects.filter(dossier_evenement=event, evenement=evenement)}


# -- the 20-day deadline -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "jours, niveau, libelle",
    [
        (0, "normal", "J+0"),
        (14, "normal", "J+14"),
        (15, "alerte", "J+15"),
        (20, "alerte", "J+20"),
        (21, "depasse", "Délai dépassé"),
    ],
)
def test_delai_since_the_last_transmission(dossier, jours, niveau, libelle):
    dossier.transmis_le = timezone.now() - dt.timedelta(days=jours)
    compte = instruction.delai(dossier)
    assert (compte.jours, compte.niveau, compte.libelle) == (jours, niveau, libelle)


def test_delai_only_while_a_decision_is_awaited(dossier, gestionnaire):
    assert instruction.delai(dossier) is not None
    instruction.demander_complements(dossier, gestionnaire, "Pièce manquante.")
    assert instruction.delai(dossier) is None  # the adhérent has the dossier: the OPCO waits for the complete one


# -- the correction loop, end to end -------------------------------------------------------------------------


def test_correction_loop_end_to_end(adherent, gestionnaire):
    import importlib

    from django.apps import apps

    importlib.import_module("documents.migrations.0002_types_document").load(apps, None)
    dossier = dossier_complet(adherent)
    cote_adherent, cote_akto = client_for(adherent), client_for(gestionnaire)
    admin = f"/admin/dossiers/dossier/{dossier.pk}"

    # The adhérent transmits: the dossier arrives in the back office's work queue.
    assert cote_adherent.post(f"/dossiers/{dossier.pk}/transmettre/").status_code == 200
    premiere = Dossier.objects.get(pk=dossier.pk).transmis_le
    assert dossier.numero in page(cote_akto, "/admin/dossiers/dossier/")

    # The gestionnaire takes it and asks for compléments.
    cote_akto.post(f"{admin}/decision/{PRENDRE_EN_INSTRUCTION}/", {"commentaire": ""})
    response = cote_akto.post(
        f"{admin}/decision/{DEMANDER_COMPLEMENTS}/",
        {"commentaire": "Merci de préciser le téléphone de l'établissement."},
        follow=True,
    )
    assert "renvoyé à l'adhérent pour compléments" in html.unescape(response.content.decode())
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.A_COMPLETER

    # The adhérent sees the comment, edits a field (the dossier is editable again) and transmits again.
    onglet = page(cote_adherent, f"/dossiers/{dossier.pk}/employeur/")
    assert "Le gestionnaire AKTO demande des compléments" in onglet
    assert "Merci de préciser le téléphone de l'établissement." in onglet
    assert "lecture seule" not in onglet
    version = Dossier.objects.get(pk=dossier.pk).version
    saved = cote_adherent.post(
        f"/dossiers/{dossier.pk}/employeur/",
        {
            "version": version,
            "telephone": "04 78 11 22 33",
            "email": dossier.employeur.email,
            "effectif_total": "14",
            "caisse_retraite": "AG2R",
            "organisme_prevoyance": "APICIL",
        },
    )
    assert "Enregistrement effectué." in html.unescape(saved.content.decode())
    assert Dossier.objects.get(pk=dossier.pk).employeur.telephone == "04 78 11 22 33"
    assert cote_adherent.post(f"/dossiers/{dossier.pk}/transmettre/").status_code == 200
    retransmis = Dossier.objects.get(pk=dossier.pk)
    assert retransmis.state == DossierState.TRANSMIS and retransmis.transmis_le > premiere

    # The gestionnaire takes it again and accepts it with the amount the form offers (the funding estimate).
    cote_akto.post(f"{admin}/decision/{PRENDRE_EN_INSTRUCTION}/", {"commentaire": ""})
    formulaire = page(cote_akto, f"{admin}/decision/{ACCEPTER_DOSSIER}/")
    propose = instruction.montant_propose(retransmis)
    # 400 h × 9,15 € (legal forfait) + 6 months × 345 € (tutor aid, majorée: the tutor is 45 or older).
    assert propose == Decimal("5730.00")
    assert 'value="5\u202f730,00"' in formulaire
    cote_akto.post(f"{admin}/decision/{ACCEPTER_DOSSIER}/", {"montant": "5 730,00", "commentaire": "Bon contrat."})
    accepte = Dossier.objects.get(pk=dossier.pk)
    assert (accepte.state, accepte.montant_engage) == (DossierState.ACCEPTE, Decimal("5730.00"))
    assert "Votre demande a été acceptée" in page(cote_adherent, f"/dossiers/{dossier.pk}/introduction/")

    assert list(accepte.evenements.order_by("pk").values_list("transition", flat=True)) == [
        TRANSMETTRE,
        PRENDRE_EN_INSTRUCTION,
        DEMANDER_COMPLEMENTS,
        TRANSMETTRE,
        PRENDRE_EN_INSTRUCTION,
        ACCEPTER_DOSSIER,
    ]


def mailoutbox_of(user) -> list:
    from django.core import mail

    return [m for m in mail.outbox if m.to == [user.email]]
