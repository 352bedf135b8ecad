"""The prestataire's « Webhooks » page in the browser: an address refused, then a receiver on 127.0.0.1 registered
(its secret shown once), « Envoyer un test » received signed, the delivery in the log, revoked; axe on each page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from dossiers import webhooks
from tests.e2e.test_accessibilite import Releve
from tests.e2e.test_journeys import login
from tests.recepteur import Recepteur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected as an inline script


def test_le_prestataire_enregistre_un_webhook_voit_le_secret_une_fois_et_envoie_un_test(page: Page, demo_data):
    base_url = demo_data.url
    releve = Releve()
    login(page, base_url, "prestataire@demo.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", level=1)).to_be_visible()
    expect(page.get_by_text("Aucun webhook.")).to_be_visible()
    expect(page.get_by_text("Aucune livraison.")).to_be_visible()

    page.get_by_label("Adresse de réception (https)").fill("ftp://erp.exemple.fr/webhooks")
    page.get_by_role("button", name="Enregistrer le webhook").click()
    expect(page.get_by_text("L'adresse doit commencer par https://")).to_be_visible()
    releve(page, "webhooks, adresse refusée")

    with Recepteur() as recepteur:
        page.get_by_label("Adresse de réception (https)").fill(recepteur.url)
        page.get_by_role("button", name="Enregistrer le webhook").click()
        expect(page.get_by_text("Copiez-le maintenant : il ne sera plus jamais affiché.")).to_be_visible()
        secret = page.locator(".webhook-secret-nouveau").inner_text()
        assert re.fullmatch(r"whsec_[\w-]{43}", secret)
        releve(page, "webhooks, secret affiché")

        page.get_by_role("link", name="Webhooks", exact=True).click()  # shown once
        ligne = page.locator("table.abonnements-webhook").get_by_role("row", name=recepteur.url)
        expect(ligne).to_contain_text("Actif")
        assert secret not in page.content()

        ligne.get_by_role("button", name=re.compile("Envoyer un test")).click()
        expect(page.get_by_text("Événement de test envoyé")).to_be_visible()
        journal = page.locator("table.journal-webhooks")
        expect(journal.get_by_role("row", name=re.compile("ping"))).to_contain_text("Livrée")
        expect(journal.get_by_role("row", name=re.compile("ping"))).to_contain_text("200")
        releve(page, "webhooks, journal des livraisons")
    (recu,) = recepteur.recus
    assert json.loads(recu.corps)["type"] == "ping"
    assert webhooks.verifier_signature(secret, recu.corps, recu.entetes["X-Portail-Signature"])

    page.get_by_role("link", name=recepteur.url).click()
    expect(page.get_by_role("heading", name="Journal des livraisons", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("ping"))).to_contain_text("Livrée")
    releve(page, "journal d'un webhook")

    page.get_by_role("link", name="Retour aux webhooks").click()
    page.locator("table.abonnements-webhook").get_by_role("row", name=recepteur.url).get_by_role(
        "button", name=re.compile("Révoquer")
    ).click()
    expect(page.get_by_text("est révoqué : il ne reçoit plus aucun événement.")).to_be_visible()
    expect(page.locator("table.abonnements-webhook").get_by_role("row", name=recepteur.url)).to_contain_text(
        "Révoqué le"
    )
    releve.verifier()
