"""Creating a dossier checks the establishment in Sirene; degraded mode keeps the portal working."""

import json
from pathlib import Path

import pytest

from dossiers.models import Dossier
from dossiers.services import EtablissementFerme, dossier_create
from referentiels import sirene
from referentiels.models import Etablissement
from tests.conftest import client_for
from tests.factories import EntrepriseFactory, EtablissementFactory, UserFactory, attach, sous_dispositif

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent.parent / "referentiels" / "fixtures" / "sirene"


def answer(monkeypatch, status, body=b"", headers=None):
    def transport(url, headers_sent, timeout):
        return sirene.HttpResponse(status=status, body=body, headers=headers or {})

    monkeypatch.setattr(sirene, "urllib_transport", transport)


@pytest.fixture
def sirene_on(settings):
    settings.SIRENE_API_KEY = "cle-de-test"
    from django.core.cache import cache

    cache.clear()


def creer(user, etablissement):
    return dossier_create(user=user, etablissement=etablissement, sous_dispositif=sous_dispositif(), type_contrat="11")


def test_without_key_the_local_referential_is_used(adherent):
    etablissement = adherent.rattachements.get().etablissement
    dossier = creer(adherent, etablissement)
    assert dossier.employeur.verification_insee == "desactive"
    assert dossier.employeur.saisie_manuelle == []
    assert dossier.employeur.message_insee == ""


def test_sirene_data_refreshes_the_snapshot(sirene_on, monkeypatch):
    body = (FIXTURES / "restaurant_lyon.json").read_bytes()
    siret = json.loads(body)["etablissement"]["siret"]
    etablissement = EtablissementFactory(
        entreprise=EntrepriseFactory(siren=siret[:9]), siret=siret, numero_voie="ANCIENNE ADRESSE", commune="X"
    )
    user = UserFactory()
    attach(user, etablissement)
    answer(monkeypatch, 200, body)
    dossier = creer(user, etablissement)
    assert dossier.employeur.verification_insee == "ok"
    assert dossier.employeur.numero_voie == "12 BIS RUE SAINT JEAN"
    assert dossier.employeur.code_postal == "69005"
    assert dossier.employeur.naf == "5610A"
    assert Etablissement.objects.get(pk=etablissement.pk).numero_voie == "12 BIS RUE SAINT JEAN"


def test_closed_establishment_is_refused(sirene_on, monkeypatch, adherent):
    body = json.loads((FIXTURES / "etablissement_ferme.json").read_bytes())
    etablissement = adherent.rattachements.get().etablissement
    body["etablissement"]["siret"] = etablissement.siret
    body["etablissement"]["siren"] = etablissement.siret[:9]
    answer(monkeypatch, 200, json.dumps(body).encode())
    with pytest.raises(EtablissementFerme, match="fermé"):
        creer(adherent, etablissement)
    assert not Dossier.objects.exists()


def test_closed_establishment_in_the_wizard_says_so(sirene_on, monkeypatch, adherent):
    answer(monkeypatch, 200, b"")  # unreadable → indisponible; replaced below by a closed answer
    body = json.loads((FIXTURES / "etablissement_ferme.json").read_bytes())
    etablissement = adherent.rattachements.get().etablissement
    body["etablissement"]["siret"], body["etablissement"]["siren"] = etablissement.siret, etablissement.siret[:9]
    answer(monkeypatch, 200, json.dumps(body).encode())
    client = client_for(adherent)
    client.get("/nouvelle-demande/")
    from dossiers.models import Dispositif

    client.post("/nouvelle-demande/dispositif/", {"choix": Dispositif.objects.get(code="CPRO").pk})
    client.post("/nouvelle-demande/sous_dispositif/", {"choix": sous_dispositif().pk})
    response = client.post("/nouvelle-demande/type_contrat/", {"choix": "11"}, follow=True)
    assert "Cet établissement est fermé dans le répertoire Sirene" in response.content.decode()
    assert not Dossier.objects.exists()


def test_unreachable_api_degrades_and_lets_missing_fields_be_entered(sirene_on, monkeypatch):
    user = UserFactory()
    etablissement = EtablissementFactory(naf="", idcc="")  # the local referential lacks NAF and IDCC
    attach(user, etablissement)
    answer(monkeypatch, 503)
    dossier = creer(user, etablissement)
    employeur = dossier.employeur
    assert employeur.verification_insee == "indisponible"
    assert employeur.saisie_manuelle == ["naf", "idcc"]
    assert employeur.a_verifier

    client = client_for(user)
    page = client.get(f"/dossiers/{dossier.pk}/employeur/").content.decode()
    assert "Le service de l&#x27;INSEE ne répond pas" in page
    assert 'name="naf"' in page and 'name="idcc"' in page
    assert 'name="raison_sociale"' not in page  # known data stays read-only

    response = client.post(
        f"/dossiers/{dossier.pk}/employeur/",
        {"version": dossier.version, "naf": "56.10a", "idcc": "19"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert "Le code IDCC comporte 4 chiffres" in text
    employeur.refresh_from_db()
    assert employeur.naf == "5610A" and employeur.idcc == ""
    assert "Saisie obligatoire" in text


def test_forged_post_cannot_change_insee_data_that_sirene_gave(sirene_on, monkeypatch, adherent):
    etablissement = adherent.rattachements.get().etablissement
    answer(monkeypatch, 503)
    dossier = creer(adherent, etablissement)
    assert dossier.employeur.saisie_manuelle == []
    client_for(adherent).post(
        f"/dossiers/{dossier.pk}/employeur/", {"version": dossier.version, "naf": "0111Z", "raison_sociale": "X"}
    )
    dossier.employeur.refresh_from_db()
    assert dossier.employeur.naf == etablissement.naf
    assert dossier.employeur.raison_sociale == etablissement.entreprise.raison_sociale
