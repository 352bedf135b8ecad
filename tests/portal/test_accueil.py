"""The Accueil's to-do list: what needs the user, each row a link, the same queries for 3 or 30 dossiers."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.models import DossierEvenement, NoteInterne
from dossiers.workflow import DEMANDER_COMPLEMENTS
from tests.complet import dossier_complet
from tests.conftest import client_for
from tests.factories import DossierFactory, prestataire_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def etablissement(adherent):
    return adherent.rattachements.get().etablissement


def page(user) -> str:
    return html.unescape(client_for(user).get("/").content.decode())


def section(contenu: str, nom: str) -> str:
    match = re.search(rf'<ul class="list-group[^"]*" data-a-faire="{nom}">(.*?)</ul>', contenu, re.S)
    return match.group(1) if match else ""


def liens(contenu: str, nom: str) -> list[str]:
    return re.findall(r'href="/dossiers/(\d+)/"', section(contenu, nom))


def complements(dossier, gestionnaire, comment):
    dossier.state = DossierState.A_COMPLETER
    dossier.save(update_fields=["state"])
    return DossierEvenement.objects.create(
        dossier=dossier,
        transition=DEMANDER_COMPLEMENTS,
        from_state=DossierState.EN_INSTRUCTION,
        to_state=DossierState.A_COMPLETER,
        user=gestionnaire,
        comment=comment,
    )


def test_a_completer_shows_akto_s_last_comment_never_an_internal_note(adherent, etablissement, gestionnaire):
    dossier = DossierFactory(etablissement=etablissement, transmis=True)
    complements(dossier, gestionnaire, "Ancienne demande")
    evenement = complements(dossier, gestionnaire, "Joignez le diplôme du tuteur.")
    NoteInterne.objects.create(dossier=dossier, auteur=gestionnaire, texte="Employeur douteux", evenement=evenement)
    contenu = page(adherent)
    assert liens(contenu, "a_completer") == [str(dossier.pk)]
    assert "Joignez le diplôme du tuteur." in section(contenu, "a_completer")
    assert "Ancienne demande" not in contenu
    assert "Employeur douteux" not in contenu


def test_a_valider_lists_the_pre_entries_to_take_over(adherent, etablissement):
    reprise = DossierFactory(etablissement=etablissement, a_reprendre=True)
    DossierFactory(etablissement=etablissement)
    contenu = page(adherent)
    assert liens(contenu, "a_valider") == [str(reprise.pk)]
    assert str(reprise.pk) not in liens(contenu, "brouillons")  # a pre-entry is not a draft to finalise


def test_drafts_show_the_transmission_deadline_and_the_tabs_to_complete(adherent, etablissement):
    jour = timezone.localdate()
    proche = DossierFactory(etablissement=etablissement, parts={"contrat": {"date_debut": jour + dt.timedelta(days=3)}})
    passe = DossierFactory(etablissement=etablissement, parts={"contrat": {"date_debut": jour - dt.timedelta(days=10)}})
    lointain = DossierFactory(
        etablissement=etablissement, parts={"contrat": {"date_debut": jour + dt.timedelta(days=90)}}
    )
    contenu = page(adherent)
    # The most urgent first: the start date already past, then the near one, then the far one.
    assert liens(contenu, "brouillons") == [str(passe.pk), str(proche.pk), str(lointain.pk)]
    limite = (jour + dt.timedelta(days=8)).strftime("%d/%m")
    assert f"Transmettre au plus tard le {limite}" in contenu
    depasse = (jour - dt.timedelta(days=5)).strftime("%d/%m")
    assert f"Délai de transmission dépassé depuis le {depasse}" in contenu
    assert contenu.count("data-echeance") == 2  # 90 days away: no deadline shown yet
    assert "Salarié, Contrat, Formation" in section(contenu, "brouillons")


def test_a_complete_draft_is_ready_to_transmit(adherent):
    dossier = dossier_complet(adherent)
    contenu = page(adherent)
    assert str(dossier.pk) in liens(contenu, "brouillons")
    assert "Prêt à être transmis" in section(contenu, "brouillons")


def test_recent_dossiers_are_the_last_five_modified(adherent, etablissement):
    dossiers = DossierFactory.create_batch(7, etablissement=etablissement)
    ancien = dossiers[0]
    ancien.save()  # modified last
    contenu = page(adherent)
    recents = liens(contenu, "recents")
    assert len(recents) == 5 and recents[0] == str(ancien.pk)


def test_another_company_s_dossiers_never_appear(adherent, etablissement, gestionnaire):
    autres = [
        DossierFactory(),
        DossierFactory(a_reprendre=True),
        DossierFactory(parts={"contrat": {"date_debut": timezone.localdate()}}),
    ]
    complements(DossierFactory(transmis=True), gestionnaire, "Pour une autre entreprise")
    autres.append(DossierFactory(state=DossierState.A_COMPLETER))
    contenu = page(adherent)
    assert "Aucun dossier n'attend votre action." in contenu
    for dossier in autres:
        assert f"/dossiers/{dossier.pk}/" not in contenu and dossier.numero not in contenu
    assert "Pour une autre entreprise" not in contenu


def test_a_prestataire_sees_its_drafts_and_those_refused_by_the_adherent(etablissement):
    prestataire = prestataire_user()
    organisme = prestataire.rattachements.get().organisme
    mien = {"created_by": prestataire, "prestataire": organisme, "etablissement": etablissement}
    brouillon = DossierFactory(**mien, state=DossierState.BROUILLON_PRESTATAIRE)
    refuse = DossierFactory(**mien, state=DossierState.REFUSE_PAR_ADHERENT)
    attente = DossierFactory(**mien, state=DossierState.A_REPRENDRE)
    DossierFactory(etablissement=etablissement)  # the adhérent's own draft: not the prestataire's
    contenu = page(prestataire)
    assert liens(contenu, "brouillons") == [str(brouillon.pk)]
    assert liens(contenu, "refuses") == [str(refuse.pk)]
    assert liens(contenu, "a_valider") == [str(attente.pk)]
    assert "En attente de reprise par l'adhérent" in contenu
    # Only the tabs the prestataire enters (the adhérent completes Employeur and Financement when taking over).
    onglets = re.search(r"data-onglets>([^<]*) à compléter<", section(contenu, "brouillons")).group(1).split(", ")
    assert "Salarié" in onglets and "Employeur" not in onglets and "Financement" not in onglets
    assert 'data-counter="a_valider">1<' in contenu  # the counters are still there


def _dossiers(etablissement, gestionnaire, n):
    jour = timezone.localdate()
    for i in range(n):
        DossierFactory(etablissement=etablissement, parts={"contrat": {"date_debut": jour + dt.timedelta(days=i)}})
        DossierFactory(etablissement=etablissement, a_reprendre=True)
        complements(DossierFactory(etablissement=etablissement, transmis=True), gestionnaire, f"Commentaire {i}")


def test_the_accueil_reads_as_many_rows_for_3_or_30_dossiers_of_each_kind(adherent, etablissement, gestionnaire):
    client = client_for(adherent)
    _dossiers(etablissement, gestionnaire, 3)
    client.get("/")  # the session and the user's establishments are cached from here on
    with CaptureQueriesContext(connection) as peu:
        assert client.get("/").status_code == 200
    _dossiers(etablissement, gestionnaire, 27)
    with CaptureQueriesContext(connection) as beaucoup:
        contenu = html.unescape(client.get("/").content.decode())
    assert len(liens(contenu, "brouillons")) == 5 and len(liens(contenu, "a_completer")) == 10
    assert len(beaucoup) == len(peu), [q["sql"] for q in beaucoup.captured_queries]
    assert len(peu) <= 12, [q["sql"] for q in peu.captured_queries]
