"""The Contrat tab of a type 12 contract (DUR-13 / X-08): each message under its field, on a save and on the type's
own check."""

import datetime as dt

import pytest

from tests.conftest import client_for
from tests.dossiers.test_contrat import complet, make, messages, save, text

pytestmark = pytest.mark.django_db

NATURE = "Un contrat conclu avec deux employeurs pour une activité saisonnière (type 12) est un CDD"
AGE = "réservé aux personnes de 16 à 25 ans révolus à la date de début d'exécution du contrat"


def saisonnier(adherent, naissance):
    dossier = make(adherent)
    dossier.salarie.date_naissance = naissance
    dossier.salarie.save()
    return dossier


def test_type_12_messages_under_the_nature_and_under_the_type(adherent):
    dossier = saisonnier(adherent, dt.date(2000, 2, 2))  # 26 on the start day, 02/02/2026
    response = save(client_for(adherent), dossier, complet(type_contrat="12", nature="cdi", duree_essai_jours="30"))
    sous_nature = " ".join(m for _, m in messages(response, "nature"))
    sous_type = " ".join(m for _, m in messages(response, "type_contrat"))
    assert NATURE in sous_nature and AGE not in sous_nature
    assert AGE in sous_type and "Le salarié a 26 ans à cette date" in sous_type
    assert NATURE not in sous_type


def test_type_12_fits_a_25_year_old_in_cdd(adherent):
    dossier = saisonnier(adherent, dt.date(2000, 2, 3))  # 25 révolus on the start day
    response = save(client_for(adherent), dossier, complet(type_contrat="12"))
    assert messages(response, "type_contrat") == []
    assert NATURE not in text(response)


def test_the_type_s_check_speaks_of_the_age(adherent):
    dossier = saisonnier(adherent, dt.date(2000, 2, 2))
    client = client_for(adherent)
    save(client, dossier, complet())
    dossier.refresh_from_db()
    response = client.post(
        f"/dossiers/{dossier.pk}/contrat/verifier/",
        {"version": dossier.version, **complet(type_contrat="12"), "_field": "type_contrat"},
    )
    assert AGE in text(response)
