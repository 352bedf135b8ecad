"""Saving and checking a tab: partial save, optimistic locking, messages, bullets."""

import html
import re

import pytest

from dossiers.models import Dossier
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

EMPLOYEUR_OK = {
    "telephone": "01.23.45.67.89",
    "email": "rh@entreprise.fr",
    "effectif_total": "42",
    "caisse_retraite": "AG2R LA MONDIALE",
    "organisme_prevoyance": "APICIL",
}


@pytest.fixture
def dossier(adherent):
    return DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)


def text(response):
    return html.unescape(response.content.decode())


def field_messages(response, name):
    page = text(response)
    start = page.find(f'<div id="messages-{name}"')
    if start < 0:
        return []
    block = page[start : page.find("</div></div>", start) + 6] if "</div></div>" in page[start:] else page[start:]
    block = page[start:].split('id="field-', 1)[0].split("</form>", 1)[0]
    return re.findall(r'<div class="field-message field-message--(\w+)"[^>]*>([^<]*)</div>', block)


def bullets(response):
    """Each tab's bullet, in the full page's tab bar or in a save's out-of-band bullets."""
    return dict(re.findall(r'id="puce-(\w+)"[^>]*data-status="(\w+)"', text(response)))


def save(client, dossier, slug, data, version=None, htmx=True):
    payload = {"version": dossier.version if version is None else version, **data}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(f"/dossiers/{dossier.pk}/{slug}/", payload, **headers)


def test_employeur_saved_and_tab_validated(adherent, dossier):
    client = client_for(adherent)
    response = save(client, dossier, "employeur", EMPLOYEUR_OK)
    assert response.status_code == 200
    assert "Enregistrement effectué." in text(response)
    employeur = Dossier.objects.get(pk=dossier.pk).employeur
    assert employeur.telephone == "01 23 45 67 89"  # normalized
    assert employeur.effectif_total == 42
    assert employeur.caisse_retraite == "AG2R LA MONDIALE"
    assert bullets(response)["employeur"] == "valid"
    assert bullets(response)["introduction"] == "invalid"  # notice not acknowledged yet
    assert bullets(response)["salarie"] == "invalid"  # nothing entered yet
    assert bullets(response)["contrat"] == "invalid"  # nothing entered yet
    assert set(bullets(response).values()) <= {"valid", "invalid"}  # every tab is available
    assert 'hx-swap-oob="true"' in text(response)  # the tab bar is refreshed out of band


def test_partial_save_writes_well_formed_fields_and_keeps_bad_input(adherent, dossier):
    client = client_for(adherent)
    response = save(client, dossier, "employeur", {**EMPLOYEUR_OK, "effectif_total": "douze", "telephone": "12"})
    employeur = Dossier.objects.get(pk=dossier.pk).employeur
    assert employeur.caisse_retraite == "AG2R LA MONDIALE"  # well-formed: written
    assert employeur.effectif_total is None  # malformed: not written
    assert employeur.telephone == ""
    assert ("format", "Saisissez un nombre entier positif ou nul.") in field_messages(response, "effectif_total")
    assert 'value="douze"' in text(response)  # what the user typed stays on screen
    assert 'data-dirty="true"' in text(response)
    assert bullets(response)["employeur"] == "invalid"


def test_after_a_partial_save_the_next_save_is_not_taken_for_a_stale_one(adherent, dossier):
    """The form shown back with its format errors carries the version just written, not the posted one."""
    client = client_for(adherent)
    response = save(client, dossier, "employeur", {**EMPLOYEUR_OK, "effectif_total": "douze"})
    version = Dossier.objects.get(pk=dossier.pk).version
    assert version == dossier.version + 1
    assert re.search(rf'name="version" value="{version}"', text(response))
    response = save(client, dossier, "employeur", EMPLOYEUR_OK, version=version)  # as the browser posts it back
    assert response.status_code == 200 and "Enregistrement effectué." in text(response)
    assert Dossier.objects.get(pk=dossier.pk).employeur.effectif_total == 42


def test_mandatory_fields_do_not_block_a_draft_but_are_reported(adherent, dossier):
    client = client_for(adherent)
    response = save(client, dossier, "employeur", {"email": "", "effectif_total": "", "caisse_retraite": ""})
    assert response.status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version + 1
    for name in ["email", "effectif_total", "caisse_retraite", "organisme_prevoyance"]:
        assert ("obligatoire", "Saisie obligatoire") in field_messages(response, name)
    assert field_messages(response, "telephone") == []  # optional


def test_stale_version_writes_nothing_and_keeps_input(adherent, dossier):
    client = client_for(adherent)
    save(client, dossier, "employeur", EMPLOYEUR_OK)  # someone else saved: version is now +1
    response = save(
        client, dossier, "employeur", {**EMPLOYEUR_OK, "caisse_retraite": "HUMANIS"}, version=dossier.version
    )
    assert response.status_code == 409
    assert "modifié ailleurs" in text(response)
    assert 'value="HUMANIS"' in text(response)
    assert Dossier.objects.get(pk=dossier.pk).employeur.caisse_retraite == "AG2R LA MONDIALE"


def test_introduction_notice(adherent, dossier):
    client = client_for(adherent)
    response = save(client, dossier, "introduction", {})
    assert ("obligatoire", "Saisie obligatoire") in field_messages(response, "notice_lue")
    response = save(client, Dossier.objects.get(pk=dossier.pk), "introduction", {"notice_lue": "on"})
    assert Dossier.objects.get(pk=dossier.pk).notice_lue is True
    assert bullets(response)["introduction"] == "valid"


def test_field_check_on_leaving_a_field_uses_unsaved_input_and_writes_nothing(adherent, dossier):
    client = client_for(adherent)
    url = f"/dossiers/{dossier.pk}/employeur/verifier/"
    response = client.post(url, {**EMPLOYEUR_OK, "version": 1, "effectif_total": "-3", "_field": "effectif_total"})
    assert "Saisissez un nombre entier positif ou nul." in text(response)
    response = client.post(url, {**EMPLOYEUR_OK, "version": 1, "caisse_retraite": " ", "_field": "caisse_retraite"})
    assert "Saisie obligatoire" in text(response)
    response = client.post(url, {**EMPLOYEUR_OK, "version": 1, "_field": "caisse_retraite"})
    assert 'id="messages-caisse_retraite"' in text(response) and "field-message--" not in text(response)
    assert Dossier.objects.get(pk=dossier.pk).employeur.caisse_retraite == ""
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


def test_public_employer_breaks_a_business_rule(adherent, dossier):
    dossier.employeur.categorie_juridique = "7210"  # commune
    dossier.employeur.save()
    response = save(client_for(adherent), dossier, "employeur", EMPLOYEUR_OK)
    messages = field_messages(response, "siret")
    assert messages and messages[0][0] == "regle"
    assert "collectivités territoriales" in messages[0][1]
    assert bullets(response)["employeur"] == "invalid"


def test_read_only_insee_data_cannot_be_changed_by_post(adherent, dossier):
    siret = dossier.employeur.siret
    save(client_for(adherent), dossier, "employeur", {**EMPLOYEUR_OK, "siret": "73282932000074", "raison_sociale": "X"})
    employeur = Dossier.objects.get(pk=dossier.pk).employeur
    assert (employeur.siret, employeur.raison_sociale) == (siret, dossier.employeur.raison_sociale)


def test_full_page_and_htmx_swap_render_the_same_tab(adherent, dossier):
    client = client_for(adherent)
    unmask = lambda page: re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "csrf", page)  # noqa: E731
    full = unmask(text(client.get(f"/dossiers/{dossier.pk}/employeur/")))
    partial = unmask(text(client.get(f"/dossiers/{dossier.pk}/employeur/", HTTP_HX_REQUEST="true")))
    section = re.search(r'<section id="onglet".*?</section>', full, re.S).group(0)
    assert section in partial
    assert "<html" not in partial


def test_dossier_page_shell(adherent, dossier):
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/introduction/"))
    assert "Nouveau contrat de professionnalisation" in page
    assert "Contrat de Professionnalisation" in page
    labels = re.findall(r'role="tab"[^>]*>\s*([^<]+?)\s*<span', page)
    assert labels == [
        "Introduction",
        "Employeur",
        "Salarié",
        "Contrat",
        "Formation",
        "Financement",
        "Synthèse",
        "Documents",
    ]
    for button in ["Générer le CERFA", "Enregistrer", "Transmettre", "Suivant"]:
        assert button in page


def test_transmitted_dossier_is_read_only(adherent):
    dossier = DossierFactory(etablissement=adherent.rattachements.get().etablissement, transmis=True)
    response = save(client_for(adherent), dossier, "employeur", EMPLOYEUR_OK)
    assert response.status_code == 409
    assert Dossier.objects.get(pk=dossier.pk).employeur.caisse_retraite == ""
