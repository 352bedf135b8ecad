"""The back office's own records on a dossier (``dossiers/instruction/suivi.py``): the assignment (*M'attribuer*,
*Attribuer à…*, single and bulk, « Instruit par » column and filter, « Mes dossiers », its history), the decisions'
data in the history, a decision in one step from the dossier page, the bulk *Accepter* with its confirmation, and
the internal notes, which neither the adhérent nor the prestataire ever see (pages, notifications, e-mails)."""

import datetime as dt
import html
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.enums import DossierState, MotifRefus, OngletDossier
from dossiers.instruction import decisions as instruction
from dossiers.instruction import suivi
from dossiers.models import Attribution, Dossier, NoteInterne, Tuteur
from dossiers.workflow import (
    ACCEPTER_DOSSIER,
    DEMANDER_COMPLEMENTS,
    PRENDRE_EN_INSTRUCTION,
    REFUSER_DOSSIER,
    TRANSMETTRE,
    TransitionError,
    fire,
)
from portal.models import Role
from tests.complet import autre_salarie, dossier_complet
from tests.conftest import client_for
from tests.factories import DossierFactory, UserFactory, prestataire_user

pytestmark = pytest.mark.django_db

LISTE = "/admin/dossiers/dossier/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def numeros(response) -> list[str]:
    return re.findall(r'<th class="field-numero"><a href="[^"]+">(CP\d+)</a>', response.content.decode())


def transmettre(dossier, user):
    with transaction.atomic():
        fire(dossier, TRANSMETTRE, user=user)
    return Dossier.objects.get(pk=dossier.pk)


def transmis(**kwargs):
    """A dossier that reached AKTO (as the list's tests make them: the state and date, not the adhérent's journey)."""
    dossier = DossierFactory(**kwargs)
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.TRANSMIS, transmis_le=timezone.now())
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def akto(gestionnaire):
    return client_for(gestionnaire)


@pytest.fixture
def collegue(db):
    from dossiers.acces import groupe_gestionnaires

    user = UserFactory(role=Role.GESTIONNAIRE, is_staff=True, first_name="Paul", last_name="Martin")
    user.groups.add(groupe_gestionnaires())
    return user


@pytest.fixture
def types_document(db):
    importlib.import_module("documents.migrations.0002_types_document").load(apps, None)


def historique(page: str) -> str:
    return page[page.index('id="historique"') :]


# -- assignment -------------------------------------------------------------------------------------------------


def test_m_attribuer_on_the_dossier_page(akto, gestionnaire):
    dossier = transmis()
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert '<dd id="instruit-par">Personne</dd>' in page and "M'attribuer" in page
    response = akto.post(f"{LISTE}{dossier.pk}/attribuer/", {"instruit_par": gestionnaire.pk}, follow=True)
    page = text(response)
    assert f"1 dossier(s) attribué(s) à Nadia Lefèvre : {dossier.numero}." in page
    assert '<dd id="instruit-par">Nadia Lefèvre</dd>' in page
    assert "M'attribuer</button>" not in page  # already hers
    assert "Attribution" in historique(page) and "Instruit par Nadia Lefèvre" in historique(page)
    (attribution,) = Attribution.objects.filter(dossier=dossier)
    assert (attribution.par, attribution.instruit_par, attribution.precedent) == (gestionnaire, gestionnaire, None)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.instruit_par == gestionnaire
    assert stored.version == dossier.version  # not a new version of the adhérent's data
    assert stored.evenements.count() == dossier.evenements.count()  # no state changed


def test_attribuer_a_offers_the_gestionnaires_of_the_group_only(akto, gestionnaire, collegue):
    dossier = transmis()
    intrus = UserFactory(role=Role.GESTIONNAIRE, is_staff=True, first_name="Hors", last_name="Groupe")
    adherent = UserFactory(first_name="Ada", last_name="Herent")
    page = text(akto.get(f"{LISTE}{dossier.pk}/attribuer/"))
    options = dict((v, t) for v, t in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page))
    assert options[str(gestionnaire.pk)] == "Nadia Lefèvre" and options[str(collegue.pk)] == "Paul Martin"
    assert str(intrus.pk) not in options and str(adherent.pk) not in options
    assert options["aucun"] == "Personne (retirer l'attribution)"
    refus = text(akto.post(f"{LISTE}{dossier.pk}/attribuer/", {"instruit_par": intrus.pk}))
    assert "Choisissez le gestionnaire." in refus
    assert Dossier.objects.get(pk=dossier.pk).instruit_par is None
    akto.post(f"{LISTE}{dossier.pk}/attribuer/", {"instruit_par": gestionnaire.pk})
    page = text(akto.post(f"{LISTE}{dossier.pk}/attribuer/", {"instruit_par": collegue.pk}, follow=True))
    assert Dossier.objects.get(pk=dossier.pk).instruit_par == collegue
    assert "Instruit par Paul Martin (auparavant Nadia Lefèvre)" in historique(page)
    page = text(akto.post(f"{LISTE}{dossier.pk}/attribuer/", {"instruit_par": "aucun"}, follow=True))
    assert Dossier.objects.get(pk=dossier.pk).instruit_par is None
    assert "Attribution retirée (instruit auparavant par Paul Martin)" in historique(page)
    assert Attribution.objects.filter(dossier=dossier).count() == 3


def test_assignment_is_the_gestionnaires(gestionnaire, adherent):
    dossier = transmis()
    lecteur = UserFactory(role=Role.GESTIONNAIRE, is_staff=True)
    lecteur.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    client = client_for(lecteur)
    assert "M'attribuer" not in text(client.get(f"{LISTE}{dossier.pk}/change/"))
    assert client.post(f"{LISTE}{dossier.pk}/attribuer/", {"instruit_par": lecteur.pk}).status_code == 403
    assert "action_m_attribuer" not in text(client.get(LISTE))
    response = client_for(adherent).post(f"{LISTE}{dossier.pk}/attribuer/", {"instruit_par": adherent.pk})
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    with pytest.raises(TransitionError, match="pas autorisé"):
        suivi.attribuer([dossier], par=adherent, a=gestionnaire)
    with pytest.raises(TransitionError, match="n'est pas un gestionnaire AKTO"):
        suivi.attribuer([dossier], par=gestionnaire, a=adherent)
    assert not Attribution.objects.exists() and Dossier.objects.get(pk=dossier.pk).instruit_par is None


def test_bulk_m_attribuer_and_the_instruit_par_column(akto, gestionnaire):
    a, b, c = transmis(), transmis(), transmis()
    response = akto.post(LISTE, {"action": "action_m_attribuer", "_selected_action": [a.pk, b.pk]}, follow=True)
    page = text(response)
    assert "2 dossier(s) attribué(s) à Nadia Lefèvre" in page
    assert set(Dossier.objects.filter(instruit_par=gestionnaire).values_list("pk", flat=True)) == {a.pk, b.pk}
    cellules = dict(re.findall(r'>(CP\d+)</a></th>.*?<td class="field-instruit_par_col">([^<]*)</td>', page, re.S))
    assert cellules == {a.numero: "Nadia Lefèvre", b.numero: "Nadia Lefèvre", c.numero: "—"}
    page = text(akto.post(LISTE, {"action": "action_m_attribuer", "_selected_action": [a.pk]}, follow=True))
    assert "1 dossier(s) déjà attribué(s) à Nadia Lefèvre." in page
    assert Attribution.objects.count() == 2


def test_bulk_attribuer_a_through_its_intermediate_page(akto, gestionnaire, collegue):
    a, b = transmis(), transmis()
    selection = {"action": "action_attribuer_a", "_selected_action": [a.pk, b.pk]}
    page = text(akto.post(f"{LISTE}?etat=tous", selection))
    assert "Attribuer les dossiers sélectionnés" in page and a.numero in page and b.numero in page
    assert 'action="/admin/dossiers/dossier/?etat=tous"' in page  # posts back to the list as filtered
    assert not Attribution.objects.exists()
    page = text(akto.post(f"{LISTE}?etat=tous", {**selection, "confirmer": "1", "instruit_par": ""}))
    assert "Choisissez le gestionnaire." in page
    response = akto.post(
        f"{LISTE}?etat=tous", {**selection, "confirmer": "1", "instruit_par": collegue.pk}, follow=True
    )
    assert "2 dossier(s) attribué(s) à Paul Martin" in text(response)
    assert set(Dossier.objects.values_list("instruit_par", flat=True)) == {collegue.pk}
    assert set(Attribution.objects.values_list("par", flat=True)) == {gestionnaire.pk}


def test_instruit_par_filter_and_mes_dossiers(akto, gestionnaire, collegue):
    mien, sien, personne = transmis(), transmis(), transmis()
    suivi.attribuer([mien], par=gestionnaire, a=gestionnaire)
    suivi.attribuer([sien], par=gestionnaire, a=collegue)
    page = text(akto.get(LISTE))
    assert f'<a href="?instruit_par={gestionnaire.pk}" class="mes-dossiers">Mes dossiers</a>' in page
    assert "Par instruit par" in page and "Personne (non attribués)" in page and "Paul Martin" in page
    assert numeros(akto.get(f"{LISTE}?instruit_par={gestionnaire.pk}")) == [mien.numero]
    assert numeros(akto.get(f"{LISTE}?instruit_par={collegue.pk}")) == [sien.numero]
    assert numeros(akto.get(f"{LISTE}?instruit_par=aucun")) == [personne.numero]


# -- the decisions' data in the history; a decision in one step --------------------------------------------------


def test_history_shows_the_amount_engaged_and_the_refusal_reason(akto, gestionnaire):
    accepte, refuse = transmis(), transmis()
    instruction.accepter(accepte, gestionnaire, Decimal("3660.00"), "Accord de la branche.")
    instruction.refuser(refuse, gestionnaire, MotifRefus.ABSENCE_DISPONIBILITES, "Enveloppe épuisée.")
    Dossier.objects.filter(pk=accepte.pk).update(montant_engage=Decimal("1.00"))  # the event keeps its own
    page = historique(text(akto.get(f"{LISTE}{accepte.pk}/change/")))
    assert "Montant de la prise en charge engagée : 3\u202f660,00 €" in page and "Accord de la branche." in page
    page = historique(text(akto.get(f"{LISTE}{refuse.pk}/change/")))
    assert "Motif du refus : Absence de disponibilités financières" in page and "Enveloppe épuisée." in page


def test_accepter_in_one_step_from_the_dossier_page(akto, gestionnaire):
    dossier = transmis()
    url = f"{LISTE}{dossier.pk}/decision/{ACCEPTER_DOSSIER}/"
    assert url in text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    page = text(akto.post(url, {"montant": "2 500,00", "commentaire": "Accord."}, follow=True))
    assert f"Le dossier {dossier.numero} est accepté" in page
    lignes = re.findall(r"<tr>\s*<td[^>]*>[^<]*</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", historique(page))
    assert lignes[-2:] == [
        ("Prendre en instruction", "Transmis → En cours d'instruction"),
        ("Accepter", "En cours d'instruction → Accepté"),
    ]
    assert "Montant de la prise en charge engagée : 2\u202f500,00 €" in historique(page)
    assert list(Dossier.objects.get(pk=dossier.pk).evenements.values_list("transition", flat=True))[-2:] == [
        PRENDRE_EN_INSTRUCTION,
        ACCEPTER_DOSSIER,
    ]


def test_refuser_in_one_step_from_the_dossier_page(akto):
    dossier = transmis()
    url = f"{LISTE}{dossier.pk}/decision/{REFUSER_DOSSIER}/"
    page = text(akto.post(url, {"motif": MotifRefus.DOSSIER_INCOMPLET}, follow=True))
    assert f"Le dossier {dossier.numero} est refusé (motif : Dossier incomplet)." in page
    assert list(Dossier.objects.get(pk=dossier.pk).evenements.values_list("transition", flat=True))[-2:] == [
        PRENDRE_EN_INSTRUCTION,
        REFUSER_DOSSIER,
    ]


# -- bulk *Accepter* -----------------------------------------------------------------------------------------------


def complets(adherent, nombre: int) -> list[Dossier]:
    """``nombre`` complete dossiers of ``adherent``, transmitted, each its own salarié and tutor (no tutor overload,
    nothing for the rules that read other dossiers to look up)."""
    dossiers = []
    for rang in range(nombre):
        dossier = dossier_complet(adherent)
        autre_salarie(dossier, rang)
        Tuteur.objects.filter(dossier=dossier, rang=1).update(date_naissance=dt.date(1980, 1, 1 + rang))
        dossiers.append(transmettre(dossier, adherent))
    return dossiers


def test_bulk_accepter_confirms_the_dossiers_and_amounts_then_accepts(akto, adherent, gestionnaire, types_document):
    (complet,) = complets(adherent, 1)
    incomplet = transmettre(DossierFactory(etablissement=complet.etablissement, created_by=adherent), adherent)
    decide = transmis()
    instruction.refuser(decide, gestionnaire, MotifRefus.DOSSIER_INCOMPLET)
    montant = instruction.montant_propose(complet)
    assert montant > 0
    selection = {"action": "action_accepter", "_selected_action": [complet.pk, incomplet.pk, decide.pk]}
    page = text(akto.post(f"{LISTE}?etat=tous", selection))
    retenus = page[page.index('id="dossiers-retenus"') : page.index('id="dossiers-exclus"')]
    exclus = page[page.index('id="dossiers-exclus"') :]
    assert complet.numero in retenus and suivi.euros(montant) in retenus
    assert incomplet.numero not in retenus and decide.numero not in retenus
    assert incomplet.numero in exclus and "anomalie(s) bloquante(s) : à instruire seul" in exclus
    assert decide.numero in exclus and "Action « Accepter » impossible : le dossier est à l'état « Refusé »" in exclus
    assert "Confirmer : Accepter 1 dossier(s)" in page
    assert Dossier.objects.get(pk=complet.pk).state == DossierState.TRANSMIS  # nothing before the confirmation

    # The confirmation posts back the selection and the amounts shown.
    caches = re.findall(r'<input type="hidden" name="(_selected_action|montant_\d+)" value="([^"]*)">', page)
    assert caches == [("_selected_action", str(complet.pk)), (f"montant_{complet.pk}", str(montant))]
    confirmation = {"action": "action_accepter", "confirmer": "1", "_selected_action": [complet.pk]}
    confirmation[f"montant_{complet.pk}"] = caches[1][1]
    page = text(akto.post(f"{LISTE}?etat=tous", confirmation, follow=True))
    assert f"1 dossier(s) accepté(s) : {complet.numero} ({suivi.euros(montant)})." in page
    stored = Dossier.objects.get(pk=complet.pk)
    assert (stored.state, stored.montant_engage) == (DossierState.ACCEPTE, montant)
    assert list(stored.evenements.values_list("transition", "montant_engage"))[-2:] == [
        (PRENDRE_EN_INSTRUCTION, None),
        (ACCEPTER_DOSSIER, montant),
    ]
    assert Dossier.objects.get(pk=incomplet.pk).state == DossierState.TRANSMIS


def test_bulk_accepter_refuses_an_amount_other_than_the_one_confirmed(akto, adherent, types_document):
    (complet,) = complets(adherent, 1)
    confirmation = {
        "action": "action_accepter",
        "confirmer": "1",
        "_selected_action": [complet.pk],
        f"montant_{complet.pk}": "1.00",
    }
    page = text(akto.post(LISTE, confirmation, follow=True))
    assert f"{complet.numero} non accepté : Le montant estimé a changé depuis la confirmation" in page
    assert Dossier.objects.get(pk=complet.pk).state == DossierState.TRANSMIS


def test_bulk_accepter_confirmation_queries_do_not_grow_with_the_selection(akto, adherent, types_document):
    dossiers = complets(adherent, 4)

    def requetes(selection) -> int:
        with CaptureQueriesContext(connection) as capture:
            response = akto.post(LISTE, {"action": "action_accepter", "_selected_action": [d.pk for d in selection]})
        assert text(response).count("<tr><td>CP") == len(selection)
        return len(capture.captured_queries)

    requetes(dossiers[:1])  # warm the session
    un, quatre = requetes(dossiers[:1]), requetes(dossiers)
    assert un == quatre, (un, quatre)
    print(f"\nRequêtes SQL de la confirmation d'« Accepter » : {un} pour 1 dossier, {quatre} pour 4")


# -- internal notes ------------------------------------------------------------------------------------------------

NOTE = "Employeur connu : vérifier le tuteur avec la branche, ne pas le dire à l'adhérent."
NOTE_COMPLEMENTS = "Dossier déjà refusé l'an dernier pour le même salarié."
COMMENTAIRE = "Joindre le programme de formation signé."


def test_an_internal_note_is_added_and_shown_to_the_gestionnaires(akto, gestionnaire, collegue):
    dossier = transmis()
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert "Notes internes (non visibles par l'adhérent)" in page and "Aucune note interne." in page
    assert "Saisissez le texte" in text(akto.post(f"{LISTE}{dossier.pk}/notes/", {"texte": " "}, follow=True))
    page = text(akto.post(f"{LISTE}{dossier.pk}/notes/", {"texte": NOTE}, follow=True))
    assert "Note interne ajoutée (non visible par l'adhérent)." in page
    notes = page[page.index('id="notes-internes"') :]
    assert NOTE in notes and "Nadia Lefèvre" in notes
    assert NOTE in text(client_for(collegue).get(f"{LISTE}{dossier.pk}/change/"))
    (note,) = NoteInterne.objects.filter(dossier=dossier)
    assert (note.auteur, note.texte, note.evenement) == (gestionnaire, NOTE, None)


def test_demander_des_complements_with_an_internal_note(akto, gestionnaire):
    dossier = transmis()
    url = f"{LISTE}{dossier.pk}/decision/{DEMANDER_COMPLEMENTS}/"
    assert "Note interne (non visible par l'adhérent)" in text(akto.get(url))
    page = text(akto.post(url, {"commentaire": COMMENTAIRE, "note_interne": NOTE_COMPLEMENTS}, follow=True))
    evenement = Dossier.objects.get(pk=dossier.pk).evenements.get(transition=DEMANDER_COMPLEMENTS)
    assert evenement.comment == COMMENTAIRE and NOTE_COMPLEMENTS not in evenement.comment
    (note,) = NoteInterne.objects.filter(dossier=dossier)
    assert (note.texte, note.evenement, note.auteur) == (NOTE_COMPLEMENTS, evenement, gestionnaire)
    notes = page[page.index('id="notes-internes"') :]
    assert NOTE_COMPLEMENTS in notes and COMMENTAIRE in historique(page)
    akto.post(url, {"commentaire": COMMENTAIRE})  # the note is optional (already A compléter: refused, nothing new)
    autre = transmis()
    akto.post(f"{LISTE}{autre.pk}/decision/{DEMANDER_COMPLEMENTS}/", {"commentaire": COMMENTAIRE})
    assert Dossier.objects.get(pk=autre.pk).state == DossierState.A_COMPLETER
    assert not NoteInterne.objects.filter(dossier=autre).exists()


def test_the_adherent_and_the_prestataire_never_see_an_internal_note(
    akto, adherent, gestionnaire, django_capture_on_commit_callbacks
):
    prestataire = prestataire_user()
    dossier = DossierFactory(
        etablissement=adherent.rattachements.get().etablissement,
        created_by=prestataire,
        prestataire=prestataire.rattachements.get().organisme,
    )
    dossier = transmettre(dossier, adherent)
    with django_capture_on_commit_callbacks(execute=True):
        akto.post(f"{LISTE}{dossier.pk}/notes/", {"texte": NOTE})
        akto.post(
            f"{LISTE}{dossier.pk}/decision/{DEMANDER_COMPLEMENTS}/",
            {"commentaire": COMMENTAIRE, "note_interne": NOTE_COMPLEMENTS},
        )
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.A_COMPLETER
    assert NoteInterne.objects.filter(dossier=dossier).count() == 2
    page = text(akto.get(f"{LISTE}{dossier.pk}/change/"))
    assert NOTE in page and NOTE_COMPLEMENTS in page  # the gestionnaire sees them

    destinataires = {m.to[0] for m in mail.outbox}
    assert {adherent.email, prestataire.email} <= destinataires  # the compléments were e-mailed to both
    for message in mail.outbox:
        contenu = message.subject + message.body + "".join(str(c) for c, _ in getattr(message, "alternatives", []))
        assert NOTE not in contenu and NOTE_COMPLEMENTS not in contenu
        assert "note interne" not in contenu.lower()
    for user in (adherent, prestataire):
        client = client_for(user)
        urls = ["/dossiers/", "/brouillons/", "/notifications/", f"/dossiers/{dossier.pk}/"]
        urls += [f"/dossiers/{dossier.pk}/{onglet}/" for onglet in OngletDossier.values]
        vues = 0
        for url in urls:
            response = client.get(url, follow=True)
            contenu = text(response)
            assert NOTE not in contenu and NOTE_COMPLEMENTS not in contenu, (user, url)
            assert "Notes internes" not in contenu, (user, url)
            vues += response.status_code == 200 and dossier.numero in contenu
        assert vues >= 3, user  # the dossier's pages were really shown (lists, dossier page, tabs)
    assert COMMENTAIRE in text(
        client_for(adherent).get(f"/dossiers/{dossier.pk}/", follow=True)
    )  # the comment, not the note
    # Nor through the back office's URLs: not staff, they are sent to the admin's login.
    for user in (adherent, prestataire):
        response = client_for(user).get(f"{LISTE}{dossier.pk}/change/")
        assert response.status_code == 302 and response.url.startswith("/admin/login/")
        assert client_for(user).post(f"{LISTE}{dossier.pk}/notes/", {"texte": "x"}).status_code == 302
    assert NoteInterne.objects.filter(dossier=dossier).count() == 2


def test_staff_without_the_right_reads_no_internal_note(gestionnaire):
    dossier = transmis()
    suivi.ajouter_note(dossier, gestionnaire, NOTE)
    lecteur = UserFactory(role=Role.GESTIONNAIRE, is_staff=True)
    lecteur.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    client = client_for(lecteur)
    page = text(client.get(f"{LISTE}{dossier.pk}/change/"))
    assert page.count(dossier.numero) and NOTE not in page and "Notes internes" not in page
    assert client.post(f"{LISTE}{dossier.pk}/notes/", {"texte": "x"}).status_code == 403
    with pytest.raises(TransitionError):
        suivi.ajouter_note(dossier, lecteur, "x")


def test_a_draft_is_neither_assigned_nor_annotated(akto, gestionnaire):
    """The back office reaches only what was transmitted (the admin's queryset): a draft's id leads nowhere."""
    brouillon = DossierFactory()
    for url, data in (("attribuer/", {"instruit_par": gestionnaire.pk}), ("notes/", {"texte": NOTE})):
        response = akto.post(f"{LISTE}{brouillon.pk}/{url}", data)
        assert response.status_code == 302 and response.url == "/admin/"
    assert not Attribution.objects.exists() and not NoteInterne.objects.exists()
    assert Dossier.objects.get(pk=brouillon.pk).instruit_par is None
