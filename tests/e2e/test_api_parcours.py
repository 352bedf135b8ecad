"""Issue 21's journey, as an organisation lives it: its software pre-enters a dossier through the API only, the
adhérent takes it over in the browser, and the organisation's webhook receiver gets every change, signed.

Everything the organisation runs is the documented example, run as docs/api/README.md says: ``client.py webhook``
registers the receiver (its secret printed once), ``recepteur.py`` listens on 127.0.0.1 and stores only events
whose signature verifies, ``client.py demo`` creates the dossier, completes it (PATCH), uploads its pieces and
finalises it. The key is the one the prestataire creates on « Clés d'API ».
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_journeys import MONO, login, tab
from tests.e2e.test_reprise import PRESTATAIRE, contexte, ouvrir_la_demande_a_valider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

API = Path(__file__).resolve().parents[2] / "docs" / "api"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(live: str, cle: str, *args: str) -> subprocess.CompletedProcess:
    """``python docs/api/client.py <args>``, as the organisation runs it (the key in its environment)."""
    env = {**os.environ, "PORTAIL_API_BASE": live, "PORTAIL_API_CLE": cle}
    return subprocess.run(
        [sys.executable, str(API / "client.py"), *args], env=env, capture_output=True, text=True, timeout=120
    )


def evenements(fichier: Path, numero: str, n: int, delai: float = 15.0) -> list[dict]:
    """The first ``n`` events the receiver stored for ``numero`` (waits for them: delivery follows the commit)."""
    fin = time.monotonic() + delai
    while True:
        lignes = fichier.read_text(encoding="utf-8").splitlines() if fichier.exists() else []
        recus = [json.loads(x)["evenement"] for x in lignes if x.strip()]
        recus = [e for e in recus if e["donnees"].get("numero") == numero]
        if len(recus) >= n or time.monotonic() > fin:
            return recus
        time.sleep(0.2)


@pytest.fixture
def referentiels(demo_data):
    """What docs/api/dossier_demo.json names, from the reference data `make run` loads (load_referentiels): the
    salarié's commune and département of birth, its certification; the dated parameters."""
    from django.core.management import call_command

    from referentiels.models import Certification, CodePostal, Commune, Departement

    call_command("load_parametres", stdout=io.StringIO())
    rhone, _ = Departement.objects.get_or_create(code="69", defaults={"nom": "Rhône", "region": "84"})
    Departement.objects.get_or_create(code="78", defaults={"nom": "Yvelines", "region": "11"})
    lyon, _ = Commune.objects.get_or_create(code="69123", defaults={"nom": "Lyon", "departement": rhone})
    CodePostal.objects.get_or_create(code="69002", commune=lyon)
    Certification.objects.get_or_create(
        code="RNCP38430",
        defaults={
            "type": "RNCP",
            "intitule": "Cuisine",
            "niveau": 3,
            "actif": True,
            "accessible_contrat_pro": None,  # as in the RNCP extract
            "codes_nsf": "",
        },
    )
    return demo_data


def test_le_logiciel_pre_saisit_par_l_api_l_adherent_reprend_le_recepteur_recoit_les_evenements_signes(
    browser: Browser, referentiels, tmp_path
):
    from dossiers.enums import DossierState, StatutLivraison
    from dossiers.models import Dossier, LivraisonWebhook

    live = referentiels.url

    # The prestataire creates the key of its software in the portal.
    prestataire = contexte(browser)
    login(prestataire, live, PRESTATAIRE)
    prestataire.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Clés d'API").click()
    prestataire.get_by_label("Nom de la clé").fill("Logiciel de gestion des apprenants")
    prestataire.get_by_role("button", name="Créer la clé").click()
    cle = prestataire.locator(".cle-api-nouvelle").inner_text().strip()

    # Its software registers the receiver through the API and starts it with the secret it was given once.
    port = port_libre()
    abonne = client(live, cle, "webhook", f"http://127.0.0.1:{port}/")
    assert abonne.returncode == 0, abonne.stderr
    secret = abonne.stdout.strip()
    assert secret and "enregistré" in abonne.stderr
    fichier = tmp_path / "evenements.jsonl"
    recepteur = subprocess.Popen(
        [sys.executable, "-u", str(API / "recepteur.py"), "--port", str(port), "--fichier", str(fichier)],
        env={**os.environ, "PORTAIL_WEBHOOK_SECRET": secret},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert recepteur.stdout.readline().startswith(f"Écoute sur http://127.0.0.1:{port}/")

        # The software pre-enters the demo dossier: create, complete, upload the pieces, finalise. API only.
        demo = client(live, cle, "demo")
        assert demo.returncode == 0, demo.stderr
        numero = re.search(r"Finalisé : (CP\d{10})", demo.stdout).group(1)
        assert "Pièces PROGRAMME : programme.pdf" in demo.stdout
        assert "Pièces CONVENTION_DEVIS : convention.pdf" in demo.stdout
        dossier = Dossier.objects.get(numero=numero)
        assert dossier.state == DossierState.A_REPRENDRE
        assert dossier.salarie.nom_naissance and dossier.formation.modules.exists()

        # The adhérent is notified as from the portal, finds the dossier, its data and pieces, and accepts it.
        adherent = contexte(browser)
        login(adherent, live, MONO.email)
        expect(adherent.get_by_role("link", name="Notifications (1 non lue)")).to_be_visible()
        ouvrir_la_demande_a_valider(adherent, numero)
        tab(adherent, "Salarié").click()
        expect(adherent.get_by_label("Nom de naissance")).to_have_value(dossier.salarie.nom_naissance)
        tab(adherent, "Documents").click()
        expect(adherent.locator("#type-PROGRAMME")).to_contain_text("programme.pdf")
        adherent.get_by_role("button", name="Accepter").click()
        expect(adherent.get_by_text("Vous avez accepté la demande")).to_be_visible()

        # The receiver got both changes, each verified against the secret (it stores nothing unsigned), once.
        recus = evenements(fichier, numero, 2)
        assert [(e["type"], e["donnees"]["transition"]) for e in recus] == [
            ("dossier.etat_modifie", "finaliser"),
            ("dossier.etat_modifie", "accepter_reprise"),
        ]
        assert [(e["donnees"]["etat_precedent"], e["donnees"]["etat"]) for e in recus] == [
            (DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE),
            (DossierState.A_REPRENDRE, DossierState.BROUILLON),
        ]
        assert len({e["id"] for e in recus}) == 2
        assert dossier.salarie.nom_naissance not in fichier.read_text(encoding="utf-8")  # no name, no NIR
    finally:
        recepteur.terminate()
        recepteur.wait(timeout=10)
    livraisons = LivraisonWebhook.objects.filter(dossier__numero=numero)
    assert sorted(livraisons.values_list("statut", "dernier_code_http")) == [(StatutLivraison.LIVREE, 200)] * 2

    # The organisation reads the deliveries in its log.
    prestataire.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Webhooks").click()
    lignes = prestataire.get_by_role("row", name=re.compile(numero))
    expect(lignes).to_have_count(2)
    expect(lignes.first).to_contain_text("Livrée")
