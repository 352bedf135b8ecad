"""The *Nouvelle demande* wizard: its branches and its refusal of forged choices."""

import html
import re

import pytest

from dossiers.enums import DossierState, TypePublic
from dossiers.models import Dispositif, Dossier, DossierEvenement, SousDispositif
from referentiels.models import Etablissement
from tests.conftest import client_for
from tests.factories import EtablissementFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def choices(response):
    return dict(re.findall(r'name="choix" value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]+)</label>', text(response)))


def walk(client, answers):
    """Start the wizard and answer the steps in order; return (visited step slugs, last response)."""
    response = client.get("/nouvelle-demande/", follow=True)
    visited = []
    for answer in answers:
        path = response.request["PATH_INFO"]
        visited.append(path.strip("/").split("/")[-1])
        value = answer(choices(response)) if callable(answer) else answer
        response = client.post(path, {"choix": value}, follow=True)
    return visited, response


def by_label(text):
    return lambda offered: next(v for v, label in offered.items() if text in label)


def cpro_steps():
    return [by_label("Contrat de professionnalisation"), by_label("Contrat de Professionnalisation"), "11"]


def test_mono_siret_goes_straight_to_dispositif_and_creates_a_draft(adherent):
    client = client_for(adherent)
    visited, response = walk(client, cpro_steps())
    assert visited == ["dispositif", "sous_dispositif", "type_contrat"]
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == f"/dossiers/{dossier.pk}/introduction/"
    assert dossier.state == DossierState.BROUILLON
    assert dossier.type_contrat == "11"
    etablissement = Etablissement.objects.get()
    assert dossier.employeur.siret == etablissement.siret
    assert dossier.employeur.raison_sociale == etablissement.entreprise.raison_sociale
    assert dossier.employeur.email == adherent.email
    assert DossierEvenement.objects.get(dossier=dossier).to_state == DossierState.BROUILLON
    assert "Nouveau contrat de professionnalisation" in text(response)


def test_multi_siren_chooses_company_then_establishment(adherent_multi):
    client = client_for(adherent_multi)
    target = Etablissement.objects.order_by("pk")[3]
    visited, _ = walk(client, [str(target.entreprise_id), str(target.pk), *cpro_steps()])
    assert visited == ["entreprise", "etablissement", "dispositif", "sous_dispositif", "type_contrat"]
    assert Dossier.objects.get().etablissement == target


def test_company_step_search_filters_choices(adherent_multi):
    client = client_for(adherent_multi)
    first, second = {e.entreprise for e in Etablissement.objects.all()}
    response = client.get("/nouvelle-demande/entreprise/", {"q": first.raison_sociale})
    offered = choices(response)
    assert list(offered) == [str(first.pk)]
    response = client.get("/nouvelle-demande/entreprise/", {"q": second.siren})
    assert list(choices(response)) == [str(second.pk)]


def test_interim_asks_type_de_public(adherent_interim):
    client = client_for(adherent_interim)
    visited, _ = walk(client, [TypePublic.INTERIMAIRE.value, *cpro_steps()])
    assert visited[0] == "public"
    assert Dossier.objects.get().type_public == TypePublic.INTERIMAIRE


def test_non_interim_never_asks_type_de_public(adherent):
    client = client_for(adherent)
    client.get("/nouvelle-demande/")
    response = client.get("/nouvelle-demande/public/", follow=True)
    assert response.redirect_chain[-1][0] == "/nouvelle-demande/dispositif/"


def test_forged_establishment_of_another_company_is_refused(adherent_multi):
    client = client_for(adherent_multi)
    other = EtablissementFactory()  # nobody attached this user to it
    mine = Etablissement.objects.exclude(pk=other.pk).first()
    client.get("/nouvelle-demande/")
    response = client.post("/nouvelle-demande/entreprise/", {"choix": str(other.entreprise_id)})
    assert response.status_code == 200
    assert "Ce choix n'est pas proposé" in text(response)
    client.post("/nouvelle-demande/entreprise/", {"choix": str(mine.entreprise_id)})
    response = client.post("/nouvelle-demande/etablissement/", {"choix": str(other.pk)})
    assert "Ce choix n'est pas proposé" in text(response)
    assert not Dossier.objects.exists()


def test_only_open_dispositifs_and_sous_dispositifs_are_offered(adherent):
    client = client_for(adherent)
    response = client.get("/nouvelle-demande/", follow=True)
    assert set(choices(response).values()) == {"Contrat de professionnalisation"}
    SousDispositif.objects.filter(code="CPRO_HOPE").update(ouvert=False)
    client.post(response.request["PATH_INFO"], {"choix": str(Dispositif.objects.get(code="CPRO").pk)})
    response = client.get("/nouvelle-demande/sous_dispositif/")
    assert set(choices(response).values()) == {
        "Contrat de Professionnalisation",
        "Contrat de Professionnalisation ProDiat",
    }


def test_dispositif_closed_for_a_branch_is_not_offered(adherent):
    Dispositif.objects.filter(code="CPRO").update(idcc_ouverts=["9999"])
    response = client_for(adherent).get("/nouvelle-demande/", follow=True)
    assert choices(response) == {}
    assert "Aucun choix n'est ouvert" in text(response)


def test_type_contrat_labels_are_the_guides(adherent):
    client = client_for(adherent)
    walk(client, cpro_steps()[:2])
    offered = choices(client.get("/nouvelle-demande/type_contrat/"))
    assert list(offered) == ["11", "12", "21", "22", "23", "24", "30"]
    assert offered["11"] == "11 - Contrat Initial"
    assert offered["30"] == "30 - Avenant"


def test_retour_goes_back_and_quit_clears(adherent_multi):
    client = client_for(adherent_multi)
    etablissement = Etablissement.objects.first()
    client.get("/nouvelle-demande/")
    client.post("/nouvelle-demande/entreprise/", {"choix": str(etablissement.entreprise_id)})
    response = client.get("/nouvelle-demande/etablissement/")
    assert 'href="/nouvelle-demande/entreprise/"' in text(response)  # Retour
    response = client.get("/nouvelle-demande/quitter/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert client.get("/nouvelle-demande/etablissement/").url == "/nouvelle-demande/entreprise/"


def test_gestionnaire_and_unattached_users_cannot_create(db):
    assert client_for(UserFactory(gestionnaire=True)).get("/nouvelle-demande/").status_code == 404
    lonely = client_for(UserFactory())
    response = lonely.get("/nouvelle-demande/", follow=True)
    assert "Aucun choix n'est ouvert" in text(response)
