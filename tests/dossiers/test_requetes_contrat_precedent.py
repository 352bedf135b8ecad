"""DUR-09 / X-07's look at the salarié's previous contract costs a query only for a renewal (types 21–24) and only
when another dossier of the same salarié and employer is known (the hint read with the dossier, ``avec_indices``)."""

from __future__ import annotations

import datetime as dt

import pytest

from dossiers.enums import DossierState
from dossiers.models import Contrat, Dossier
from tests.complet import dossier_complet
from tests.conftest import client_for
from tests.dossiers.test_requetes_onglets import EN_PLUS, HTMX, ONGLETS, REQUETES_AFFICHAGE, _puce, _requetes

pytestmark = pytest.mark.django_db


def _vue_contrat(client, dossier):
    for onglet in ONGLETS:  # the session and the tables read once
        client.get(f"/dossiers/{dossier.pk}/{onglet}/", headers=HTMX)
    return _requetes(lambda: client.get(f"/dossiers/{dossier.pk}/contrat/", headers=HTMX))


def _precedent(adherent, dossier, type_contrat):
    """Another dossier of the same salarié (same NIR) and employer, transmitted, ended the day before the start;
    its tutor is someone else (the tutors' rule then needs no query)."""
    autre = dossier_complet(adherent, type_contrat=type_contrat)
    Dossier.objects.filter(pk=autre.pk).update(state=DossierState.TRANSMIS)
    debut = dossier.contrat.date_debut
    Contrat.objects.filter(dossier=autre).update(
        date_debut=debut - dt.timedelta(days=365), date_fin=debut - dt.timedelta(days=1)
    )
    tuteur = autre.tuteur(1)
    tuteur.date_naissance = dt.date(1975, 6, 7)
    tuteur.save()
    return autre


@pytest.mark.parametrize("type_contrat", ["21", "30"])
def test_a_renewal_or_an_avenant_without_another_dossier_asks_nothing_more(adherent, type_contrat):
    dossier = dossier_complet(adherent, type_contrat=type_contrat)
    Contrat.objects.filter(dossier=dossier).update(date_effet_avenant=dossier.contrat.date_debut)
    response, requetes = _vue_contrat(client_for(adherent), dossier)
    assert len(requetes) == REQUETES_AFFICHAGE + EN_PLUS.get("contrat", 0), "\n".join(requetes)
    assert _puce(response, "contrat") == "valid"


def test_a_renewal_after_a_renewal_asks_once_and_is_blocked(adherent):
    dossier = dossier_complet(adherent, type_contrat="21")
    _precedent(adherent, dossier, "21")
    response, requetes = _vue_contrat(client_for(adherent), dossier)
    # + the NIR's names (X-26: the same NIR in another dossier) + the previous contract, once for rule and message.
    assert len(requetes) == REQUETES_AFFICHAGE + 2, "\n".join(requetes)
    assert _puce(response, "contrat") == "invalid"  # the message shows once the tab is saved (rule tests)


def test_an_initial_contract_never_asks_for_the_previous_one(adherent):
    dossier = dossier_complet(adherent)
    _precedent(adherent, dossier, "21")
    response, requetes = _vue_contrat(client_for(adherent), dossier)
    assert len(requetes) == REQUETES_AFFICHAGE + 1, "\n".join(requetes)  # the NIR's names only
    assert _puce(response, "contrat") == "valid"
