"""What a tab view and a tab save ask the database, on a complete dossier (every rule runs): the dossier and its
parts once, never a reference table (held in memory), never a visibility check again (query-count snapshots)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.enums import DossierState
from dossiers.models import Dossier
from portal import tables
from referentiels.validators import nir_key
from tests.complet import autre_salarie, dossier_complet
from tests.conftest import client_for

HTMX = {"HX-Request": "true"}
NIR_AUTRE = "2990775120005"
TABLES_DE_REFERENCE = (
    "referentiels_smic",
    "referentiels_parametreregle",
    "referentiels_forfaitpriseencharge",
    "referentiels_salaireminimumconventionnel",
    "referentiels_tauxconventionnel",
    "documents_typedocument",
)
# A view: the user, the dossier with its parts and tutors (one query, with what the two rules that look at other
# dossiers need to know), its modules, its files. The session and the user's establishments come from the cache.
REQUETES_AFFICHAGE = 4
# A save: the lock's savepoint, the version's UPDATE, the part's UPDATE, its field-level history row (INSERT, the
# author and the masked NIR included: portal/historique.py), the savepoint's release.
REQUETES_ENREGISTREMENT = REQUETES_AFFICHAGE + 5
# What a tab shows beyond the dossier: the Salarié's address offers the communes of its postal code (the
# Synthèse's recap shows that address too).
EN_PLUS = {"salarie": 1, "synthese": 1}
ONGLETS = ["introduction", "employeur", "salarie", "contrat", "formation", "financement", "synthese", "documents"]


@pytest.fixture
def complet(adherent):
    dossier = dossier_complet(adherent)
    client = client_for(adherent)
    for onglet in ONGLETS:  # the session and the tables read once
        client.get(f"/dossiers/{dossier.pk}/{onglet}/", headers=HTMX)
    return client, dossier


def _requetes(call):
    tables.a_verifier()
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200, response.content[:300]
    return response, [q["sql"] for q in ctx.captured_queries]


def _sans_table_de_reference(requetes):
    lues = [t for sql in requetes for t in TABLES_DE_REFERENCE if f'FROM "{t}"' in sql]
    assert lues == [], lues


@pytest.mark.django_db
@pytest.mark.parametrize("onglet", ONGLETS)
def test_a_tab_view_reads_the_dossier_once(complet, onglet):
    client, dossier = complet
    _, requetes = _requetes(lambda: client.get(f"/dossiers/{dossier.pk}/{onglet}/", headers=HTMX))
    _sans_table_de_reference(requetes)
    dossier_lu = [sql for sql in requetes if re.search(r'FROM "dossiers_dossier"', sql)]
    assert len(dossier_lu) == 1, dossier_lu  # loaded once, its visibility included: no EXISTS again
    assert len(requetes) == REQUETES_AFFICHAGE + EN_PLUS.get(onglet, 0), "\n".join(requetes)


@pytest.mark.django_db
def test_an_employeur_save_asks_the_same_whatever_the_dossier(complet, adherent):
    client, dossier = complet
    data = {"telephone": "01 23 45 67 89", "email": "rh@exemple.test", "effectif_total": "12"}
    response, requetes = _requetes(
        lambda: client.post(f"/dossiers/{dossier.pk}/employeur/", {"version": dossier.version, **data}, headers=HTMX)
    )
    assert "Enregistrement effectué." in response.content.decode()
    _sans_table_de_reference(requetes)
    assert len(requetes) == REQUETES_ENREGISTREMENT, "\n".join(requetes)
    # A second dossier of the same adhérent, another salarié and tutor: not one query more.
    autre = _autre_personne(dossier_complet(adherent))
    tables.a_verifier()
    client.get(f"/dossiers/{autre.pk}/employeur/", headers=HTMX)
    _, requetes_autre = _requetes(
        lambda: client.post(f"/dossiers/{autre.pk}/employeur/", {"version": autre.version, **data}, headers=HTMX)
    )
    assert len(requetes_autre) == len(requetes)


def _autre_personne(dossier):
    salarie = dossier.salarie
    salarie.nir = f"{NIR_AUTRE}{nir_key(NIR_AUTRE):02d}"
    salarie.save()
    tuteur = dossier.tuteur(1)
    tuteur.date_naissance = dt.date(1975, 6, 7)
    tuteur.save()
    return dossier


@pytest.mark.django_db
def test_when_another_dossier_may_match_the_two_rules_ask_and_still_find_it(complet, adherent):
    """Same salarié's NIR and same tutor in another dossier of the employer: the two checks run their query, and
    the tutor's load counts the other salariés' contracts once transmitted (a draft is not a contract: no query)."""
    client, dossier = complet
    autres = [dossier_complet(adherent) for _ in range(3)]  # drafts: the NIR's check asks, the tutor's does not
    response, requetes = _requetes(lambda: client.get(f"/dossiers/{dossier.pk}/salarie/", headers=HTMX))
    assert len(requetes) == REQUETES_AFFICHAGE + EN_PLUS["salarie"] + 1  # the NIR's names
    for rang, autre in enumerate(autres[:2]):
        autre_salarie(autre, rang)  # two other salariés (the third is this one's salarié again: not counted)
    Dossier.objects.filter(pk__in=[a.pk for a in autres]).update(state=DossierState.TRANSMIS)
    # the tutor (a salarié, not the employer) follows three salariés with this one
    response, requetes = _requetes(lambda: client.get(f"/dossiers/{dossier.pk}/salarie/", headers=HTMX))
    assert len(requetes) == REQUETES_AFFICHAGE + EN_PLUS["salarie"] + 2  # the NIR's names, the tutor's contracts
    assert _puce(response, "salarie") == "valid"
    autre_salarie(autres[2], 2)  # a fourth salarié: TUT-04 breaks
    response, _ = _requetes(lambda: client.get(f"/dossiers/{dossier.pk}/salarie/", headers=HTMX))
    assert _puce(response, "salarie") == "invalid"


def _puce(response, onglet) -> str:
    return re.search(rf'id="puce-{onglet}"[^>]*data-status="(\w+)"', response.content.decode()).group(1)
