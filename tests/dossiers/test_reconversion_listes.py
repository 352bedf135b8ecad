"""The lists sort a période de reconversion by its agreement's dates, as they show them (``Dossier.periode``): the
« Début » / « Fin » columns and the Accueil's « Brouillons à finaliser » (the earliest start first) interleave
contrats pro and reconversions by the dates each shows."""

import datetime as dt
import re

import pytest

from dossiers.enums import DossierState
from dossiers.models import AccordReconversion, Contrat, SousDispositif
from dossiers.saisie.accueil import a_faire
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trois(adherent):
    """A contrat pro starting 10/03, a reconversion starting 05/03, a contrat pro starting 20/03 (and ending in that
    order reversed), all the adhérent's drafts."""
    etablissement = adherent.rattachements.get().etablissement

    def dossier(**kwargs):
        return DossierFactory(etablissement=etablissement, created_by=adherent, state=DossierState.BROUILLON, **kwargs)

    premier = dossier()
    Contrat.objects.filter(dossier=premier).update(date_debut=dt.date(2027, 3, 10), date_fin=dt.date(2028, 3, 1))
    reconversion = dossier(sous_dispositif=SousDispositif.objects.get(code="REC_INT"), type_contrat="")
    AccordReconversion.objects.update_or_create(
        dossier=reconversion, defaults={"date_debut": dt.date(2027, 3, 5), "date_fin": dt.date(2028, 6, 1)}
    )
    dernier = dossier()
    Contrat.objects.filter(dossier=dernier).update(date_debut=dt.date(2027, 3, 20), date_fin=dt.date(2027, 9, 1))
    return premier.numero, reconversion.numero, dernier.numero


def numeros(page: str) -> list[str]:
    return re.findall(r"CP\d{10}", page)


def test_the_list_sorts_by_the_dates_each_dossier_shows(adherent, trois):
    premier, reconversion, dernier = trois
    client = client_for(adherent)
    par_debut = numeros(client.get("/brouillons/?tri=debut").content.decode())
    assert list(dict.fromkeys(par_debut)) == [reconversion, premier, dernier]
    par_fin = numeros(client.get("/brouillons/?tri=-fin").content.decode())
    assert list(dict.fromkeys(par_fin)) == [reconversion, premier, dernier]  # 01/06/2028, 01/03/2028, 01/09/2027


def test_the_accueil_lists_the_earliest_start_first_whatever_the_dispositif(adherent, trois):
    premier, reconversion, dernier = trois
    assert [b.dossier.numero for b in a_faire(adherent)["brouillons"]] == [reconversion, premier, dernier]
