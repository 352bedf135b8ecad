"""The gestionnaire's landing dashboard (``/admin/``, ``dossiers/instruction/tableau.py``): the figures, their query
count (constant in the number of dossiers), and each bar's link opening the list on exactly the dossiers it counts."""

import datetime as dt
import html
import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.enums import DossierState
from dossiers.instruction import tableau
from dossiers.instruction.decisions import debut_du_jour
from dossiers.models import Dossier
from portal.models import Role
from referentiels.models import ConventionCollective
from tests.conftest import client_for
from tests.dossiers.test_admin import numeros
from tests.factories import DossierFactory, EtablissementFactory, UserFactory

pytestmark = pytest.mark.django_db

TABLEAU = "/admin/"
S = DossierState


def midi(jours: int) -> dt.datetime:
    """Noon, local time, ``jours`` calendar days ago (« J+jours »), whatever the hour the test runs."""
    return debut_du_jour(timezone.localdate() - dt.timedelta(days=jours)) + dt.timedelta(hours=12)


def dossier(state=S.TRANSMIS, jours=0, idcc="1979", instruit_par=None, decide=None) -> Dossier:
    """A dossier transmitted ``jours`` days ago (decided ``decide`` days ago), of an employer under ``idcc``."""
    cree = DossierFactory(state=state, etablissement=EtablissementFactory(idcc=idcc))
    Dossier.objects.filter(pk=cree.pk).update(
        transmis_le=midi(jours), decide_le=midi(decide) if decide is not None else None, instruit_par=instruit_par
    )
    return Dossier.objects.get(pk=cree.pk)


def liens(page: str) -> dict[str, str]:
    """The dashboard's links: accessible name → URL."""
    return {
        html.unescape(nom): html.unescape(url)
        for url, nom in re.findall(r'<a href="([^"]+)" class="barre-lien" aria-label="([^"]+)"', page)
    }


@pytest.fixture
def akto(gestionnaire):
    return client_for(gestionnaire)


@pytest.fixture
def conventions(db):
    for idcc, titre in [("1979", "Hôtels, cafés, restaurants"), ("3248", "Métallurgie"), ("1486", "Bureaux d'études")]:
        ConventionCollective.objects.update_or_create(idcc=idcc, defaults={"titre": titre})


def test_the_gestionnaire_lands_on_the_dashboard(gestionnaire):
    gestionnaire.set_password("mot-de-passe-2026")
    gestionnaire.save()
    client = Client()
    response = client.post(
        "/connexion/", {"username": gestionnaire.email, "password": "mot-de-passe-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    page = html.unescape(response.content.decode())
    assert "<h1>Tableau de bord</h1>" in page
    for titre in (
        "En attente de décision, par délai",
        "Dossiers par état",
        "En attente de décision, par gestionnaire",
        "En attente de décision, par branche",
        "Décisions par semaine",
    ):
        assert f">{titre}</h2>" in page
    # The admin's list of models stays below (the referentials the gestionnaires edit).
    assert "Référentiels et administration" in page and 'href="/admin/referentiels/smic/"' in page


def test_staff_who_may_not_see_the_dossiers_get_the_usual_index():
    staff = UserFactory(role=Role.GESTIONNAIRE, is_staff=True)  # not in the Gestionnaires AKTO group
    response = client_for(staff).get(TABLEAU)
    assert response.status_code == 200
    assert "Tableau de bord" not in response.content.decode() and "graphique" not in response.content.decode()


def remplir(nombre: int, gestionnaires) -> None:
    """``nombre`` dossiers in every state, band, branch, gestionnaire and decision week."""
    etats = [S.TRANSMIS, S.EN_INSTRUCTION, S.A_COMPLETER, S.ACCEPTE, S.REFUSE]
    for i in range(nombre):
        state = etats[i % len(etats)]
        decide = i % 80 if state in (S.ACCEPTE, S.REFUSE) else None
        dossier(
            state,
            jours=(decide or 0) + i % 25,
            idcc=f"{1000 + i % 12:04d}",
            instruit_par=gestionnaires[i % 3],
            decide=decide,
        )


def test_the_query_count_does_not_grow_with_the_dossiers(akto, gestionnaire, conventions):
    """One query per figure (5), plus the user and its permissions (3): as many at 3 as at 60 dossiers."""
    gestionnaires = [gestionnaire, UserFactory(gestionnaire=True), None]

    def requetes():
        akto.get(TABLEAU)  # the session
        with CaptureQueriesContext(connection) as capture:
            response = akto.get(TABLEAU)
        assert response.status_code == 200
        return [q["sql"] for q in capture.captured_queries]

    remplir(3, gestionnaires)
    trois = requetes()
    remplir(57, gestionnaires)
    soixante = requetes()
    assert len(trois) == len(soixante) == 8, soixante
    print(f"\nRequêtes SQL du tableau de bord : {len(trois)} à 3 dossiers, {len(soixante)} à 60 dossiers")


def test_each_bar_opens_the_list_on_the_dossiers_it_counts(akto, gestionnaire, conventions):
    autre = UserFactory(gestionnaire=True, first_name="Paul", last_name="Martin")
    j3 = dossier(jours=3, idcc="1979")
    j14 = dossier(S.EN_INSTRUCTION, jours=14, idcc="3248", instruit_par=gestionnaire)
    j15 = dossier(jours=15, idcc="1979", instruit_par=autre)
    j19 = dossier(S.EN_INSTRUCTION, jours=19, idcc="1979", instruit_par=gestionnaire)
    j20 = dossier(jours=20, idcc="3248")
    j25 = dossier(S.EN_INSTRUCTION, jours=25, idcc="1486", instruit_par=gestionnaire)
    complements = dossier(S.A_COMPLETER, jours=30, idcc="1979")
    accepte = dossier(S.ACCEPTE, jours=10, decide=1, instruit_par=gestionnaire)
    refuse = dossier(S.REFUSE, jours=20, decide=8, instruit_par=autre)
    DossierFactory()  # a draft: the adhérent's, never in the back office

    page = akto.get(TABLEAU).content.decode()
    urls = liens(page)
    # A bar is named by what it shows: its label, then its numbers (a week's bar: a link per segment).
    attendus = {
        "0–14 jours 2 dossiers": {j3, j14},
        "15–19 jours 2 dossiers": {j15, j19},
        "20 jours et plus 2 dossiers": {j20, j25},
        "Transmis 3 dossiers": {j3, j15, j20},
        "En cours d'instruction 3 dossiers": {j14, j19, j25},
        "A compléter 1 dossier": {complements},
        "Accepté 1 dossier": {accepte},
        "Refusé 1 dossier": {refuse},
        "1979 Hôtels, cafés, restaurants 3 dossiers": {j3, j15, j19},
        "3248 Métallurgie 2 dossiers": {j14, j20},
        "1486 Bureaux d'études 1 dossier": {j25},
        "Nadia Lefèvre 3 dossiers": {j14, j19, j25},
        "Paul Martin 1 dossier": {j15},
        "Non attribué 2 dossiers": {j3, j20},
        f"1 accepté(s), sem. du {tableau_lundi(1):%d/%m}": {accepte},
        f"1 refusé(s), sem. du {tableau_lundi(8):%d/%m}": {refuse},
    }
    for nom, dossiers in attendus.items():
        assert nom in urls, (nom, sorted(urls))
        assert sorted(numeros(akto.get(urls[nom]))) == sorted(d.numero for d in dossiers), nom
    # Every other link (the weeks without decision are not links) is one of these.
    assert set(urls) == set(attendus)


def tableau_lundi(jours: int) -> dt.date:
    jour = timezone.localdate() - dt.timedelta(days=jours)
    return jour - dt.timedelta(days=jour.weekday())


def test_the_deadline_bands_are_the_columns_count(akto):
    """J+14 is in the first band, J+15 and J+19 in the second, J+20 (the last day) and beyond in the third: the
    « J+n » of the list's column, by calendar day."""
    dossiers = {n: dossier(jours=n) for n in (0, 14, 15, 19, 20, 21)}
    bandes = {"normal": [0, 14], "j15_19": [15, 19], "j20_plus": [20, 21]}
    for code, jours in bandes.items():
        rows = numeros(akto.get("/admin/dossiers/dossier/", {"delai": code}))
        assert sorted(rows) == sorted(dossiers[n].numero for n in jours), code
    page = akto.get("/admin/dossiers/dossier/", {"delai": "j15_19"}).content.decode()
    assert ">J+15<" in page and ">J+19<" in page


def test_the_branches_beyond_the_first_are_summed_as_others(akto, conventions):
    for i in range(tableau.BRANCHES + 2):
        for _ in range(1 if i >= tableau.BRANCHES else 2):
            dossier(idcc=f"{2000 + i:04d}")
    dossier(S.ACCEPTE, idcc="2999", decide=1)  # decided: not awaiting, not counted
    figure = tableau.par_branche(Dossier.objects.filter(state__in=DossierState.dossiers()))
    assert [ligne.libelle for ligne in figure.lignes] == [f"{2000 + i:04d}" for i in range(tableau.BRANCHES)] + [
        "Autres"
    ]
    autres = figure.lignes[-1]
    assert autres.total == 2 and autres.segments[0].url == "" and "2 branches" in autres.texte


def test_the_decisions_per_week_and_the_median_days(akto):
    lundi = tableau_lundi(0)
    # This week: decided 2, 4 and 9 days after transmission (median 4); four weeks ago: 3 and 6 (median 4.5).
    jours_cette_semaine = (timezone.localdate() - lundi).days
    for delai, state in ((2, S.ACCEPTE), (4, S.ACCEPTE), (9, S.REFUSE)):
        dossier(state, jours=jours_cette_semaine + delai, decide=jours_cette_semaine)
    for delai in (3, 6):
        dossier(S.ACCEPTE, jours=28 + delai, decide=28)
    dossier(S.ACCEPTE, jours=200, decide=7 * tableau.SEMAINES + 7)  # before the period
    figure = tableau.decisions_par_semaine(Dossier.objects.all(), timezone.localdate())
    assert len(figure.lignes) == tableau.SEMAINES
    derniere, il_y_a_4 = figure.lignes[-1], figure.lignes[-5]
    assert [s.valeur for s in derniere.segments] == [2, 1] and derniere.texte == "2 acc., 1 ref., médiane 4 j"
    assert [s.valeur for s in il_y_a_4.segments] == [2, 0] and il_y_a_4.texte.endswith("médiane 4,5 j")
    assert figure.note.startswith("Délai médian de décision : 4 j") and "sur 5 décisions" in figure.note


@pytest.mark.parametrize(
    "valeurs, attendue",
    [([], None), ([7], 7), ([1, 9], 5), ([3, 1, 2], 2), ([1, 1, 1, 10], 1), ([1, 2, 3, 4, 100, 100], 3.5)],
)
def test_mediane(valeurs, attendue):
    assert tableau.mediane(Counter(valeurs)) == attendue


def test_the_numbers_are_written_the_french_way():
    assert tableau.nombre(13516) == "13\u202f516" and tableau.dossiers(1) == "1 dossier"
    assert tableau.dossiers(1200) == "1\u202f200 dossiers"
