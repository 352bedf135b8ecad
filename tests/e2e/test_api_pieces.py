"""The organisation's software through the API, the people in the portal: the prestataire pre-enters a dossier and
creates a key (« Clés d'API »); its software uploads the Programme (sent twice with the same Idempotency-Key: one
file) and finalises the dossier; the adhérent is notified and finds the dossier with its piece in Documents."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_journeys import MONO, login, tab
from tests.e2e.test_reprise import PRESTATAIRE, contexte, ouvrir_la_demande_a_valider, presaisir

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def test_le_logiciel_de_l_organisme_depose_une_piece_et_finalise_l_adherent_la_retrouve(browser: Browser, demo_data):
    live = demo_data.url
    prestataire = contexte(browser)
    login(prestataire, live, PRESTATAIRE)
    numero = presaisir(prestataire)
    prestataire.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Clés d'API").click()
    prestataire.get_by_label("Nom de la clé").fill("Logiciel de gestion")
    prestataire.get_by_role("button", name="Créer la clé").click()
    cle = prestataire.locator(".cle-api-nouvelle").inner_text()

    # The organisation's software: the upload, retried with the same key, then Finaliser.
    api = prestataire.request
    url = f"{live}/api/v1/dossiers/{numero}"
    fichier = {"name": "programme.pdf", "mimeType": "application/pdf", "buffer": PDF}
    entetes = {"Authorization": f"Bearer {cle}", "Idempotency-Key": "depot-programme-1"}
    premier = api.post(f"{url}/pieces", headers=entetes, multipart={"type": "PROGRAMME", "fichiers": fichier})
    assert premier.status == 201, premier.text()
    renvoi = api.post(f"{url}/pieces", headers=entetes, multipart={"type": "PROGRAMME", "fichiers": fichier})
    assert renvoi.status == 201 and renvoi.headers["idempotency-replayed"] == "true"
    assert renvoi.json() == premier.json()
    liste = api.get(f"{url}/pieces", headers={"Authorization": f"Bearer {cle}"}).json()
    assert [p["nom"] for p in liste["pieces"]] == ["programme.pdf"]
    finalise = api.post(f"{url}/finaliser", headers={"Authorization": f"Bearer {cle}", "Idempotency-Key": "fin-1"})
    assert finalise.status == 200 and finalise.json()["etat_libelle"] == "A reprendre par l'adhérent"

    # The prestataire's list shows the new state; the adhérent is notified and finds the piece.
    prestataire.get_by_role("link", name="Dossiers", exact=True).click()
    expect(prestataire.get_by_role("row", name=re.compile(numero))).to_contain_text("A reprendre par l'adhérent")
    adherent = contexte(browser)
    login(adherent, live, MONO.email)
    expect(adherent.get_by_role("link", name="Notifications (1 non lue)")).to_be_visible()
    ouvrir_la_demande_a_valider(adherent, numero)
    tab(adherent, "Documents").click()
    expect(adherent.locator("#type-PROGRAMME")).to_contain_text("programme.pdf")
    expect(adherent.locator("#type-PROGRAMME").get_by_text("programme.pdf")).to_have_count(1)
