"""The training organisations' API (dossiers/api): keys, authentication, the dossiers' list and page, the schema."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers import rules, workflow
from dossiers.api import cles
from dossiers.enums import DossierState
from dossiers.models import CleApi, Dossier
from tests.complet import NIR_13, dossier_complet
from tests.conftest import client_for
from tests.factories import DossierFactory, prestataire_user

pytestmark = pytest.mark.django_db


def appel(cle: str | None, url: str, **params) -> tuple[int, dict, str]:
    headers = {"Authorization": f"Bearer {cle}"} if cle is not None else {}
    response = Client().get(url, params, headers=headers)
    body = response.content.decode()
    return response.status_code, json.loads(body), body


def cle_de(organisme, user) -> str:
    return cles.creer(organisme, user, "Logiciel")[1]


# -- keys in the portal -----------------------------------------------------------------------------------------


def test_the_prestataire_creates_a_key_shown_once_and_only_its_hash_is_stored(prestataire, organisme):
    client = client_for(prestataire)
    created = client.post("/cles-api/", {"nom": "Mon ERP", "organisme": organisme.pk})
    assert created.status_code == 302 and created["Location"] == "/cles-api/"  # a reload creates nothing
    response = client.get("/cles-api/")
    cle = CleApi.objects.get()
    cle_en_clair = response.context["nouvelle"]
    assert cle_en_clair.startswith(f"ak_{cle.prefixe}.") and cle_en_clair in response.content.decode()
    secret = cle_en_clair.partition(".")[2]
    assert cle.organisme == organisme and cle.cree_par == prestataire and cle.nom == "Mon ERP"
    assert secret not in cle.empreinte and cle.empreinte == cles.empreinte(secret)
    # Shown once: the page opened again lists the key by its prefix, never the secret.
    again = client.get("/cles-api/").content.decode()
    assert "Mon ERP" in again and f"ak_{cle.prefixe}" in again and secret not in again
    assert appel(cle_en_clair, "/api/v1/dossiers")[0] == 200
    assert "cle_api_nouvelle" not in client.session  # the secret left the session when it was shown


def test_the_prestataire_revokes_a_key_which_then_answers_401(prestataire, organisme):
    cle_en_clair = cle_de(organisme, prestataire)
    cle = CleApi.objects.get()
    response = client_for(prestataire).post(f"/cles-api/{cle.pk}/revoquer/")
    assert response.status_code == 302
    cle.refresh_from_db()
    assert cle.revoquee_le is not None
    status, body, _ = appel(cle_en_clair, "/api/v1/dossiers")
    assert status == 401 and body == {"detail": "Clé d'API absente, inconnue ou révoquée."}


def test_a_key_stops_working_when_its_authors_account_is_deactivated(prestataire, organisme):
    """The writes act as the key's author: a deactivated account acts no more, by key as by session."""
    cle_en_clair = cle_de(organisme, prestataire)
    assert appel(cle_en_clair, "/api/v1/dossiers")[0] == 200
    prestataire.is_active = False
    prestataire.save(update_fields=["is_active"])
    status, body, _ = appel(cle_en_clair, "/api/v1/dossiers")
    assert status == 401 and body == {"detail": "Clé d'API absente, inconnue ou révoquée."}
    assert (
        Client()
        .post(
            f"/api/v1/dossiers/CP{timezone.now():%Y}000001/finaliser",
            headers={"Authorization": f"Bearer {cle_en_clair}"},
        )
        .status_code
        == 401
    )


def test_only_the_organisations_prestataire_users_see_and_revoke_its_keys(prestataire, organisme, adherent):
    cle_de(organisme, prestataire)
    cle = CleApi.objects.get()
    autre = prestataire_user()
    assert "Logiciel" not in client_for(autre).get("/cles-api/").content.decode()
    assert client_for(autre).post(f"/cles-api/{cle.pk}/revoquer/").status_code == 404
    assert client_for(adherent).get("/cles-api/").status_code == 404
    cle.refresh_from_db()
    assert cle.revoquee_le is None


def test_the_key_page_is_in_the_prestataires_navigation_only(prestataire, adherent):
    assert 'href="/cles-api/"' in client_for(prestataire).get("/").content.decode()
    assert 'href="/cles-api/"' not in client_for(adherent).get("/").content.decode()


# -- authentication, rate limit, log ----------------------------------------------------------------------------


@pytest.mark.parametrize("entete", [None, "ak_inconnu.secret", "n-importe-quoi", "WRONG"])
def test_no_key_or_a_wrong_key_is_401_in_french(prestataire, organisme, entete):
    vraie = cle_de(organisme, prestataire)
    if entete == "WRONG":  # the right prefix, a wrong secret
        entete = vraie.partition(".")[0] + ".mauvais-secret"
    status, body, _ = appel(entete, "/api/v1/dossiers")
    assert status == 401 and body["detail"] == "Clé d'API absente, inconnue ou révoquée."


def test_a_call_records_the_keys_last_use(prestataire, organisme):
    cle_en_clair = cle_de(organisme, prestataire)
    assert CleApi.objects.get().derniere_utilisation is None
    avant = timezone.now()
    appel(cle_en_clair, "/api/v1/dossiers")
    assert CleApi.objects.get().derniere_utilisation >= avant


def test_over_the_rate_limit_is_429_in_french(prestataire, organisme, settings):
    settings.API_LIMITE_PAR_MINUTE = 3
    cle_en_clair = cle_de(organisme, prestataire)
    statuts = [appel(cle_en_clair, "/api/v1/dossiers")[0] for _ in range(3)]
    status, body, _ = appel(cle_en_clair, "/api/v1/dossiers")
    assert statuts == [200, 200, 200] and status == 429
    assert body["detail"].startswith("Trop de requêtes : limite de 3 appels par minute")
    # Another organisation's key has its own count.
    autre = prestataire_user()
    assert appel(cle_de(autre.rattachements.get().organisme, autre), "/api/v1/dossiers")[0] == 200


def test_every_call_is_logged_with_its_path_template_and_no_personal_data(prestataire, organisme, adherent, caplog):
    dossier = dossier_complet(adherent, prestataire=organisme)
    cle_en_clair = cle_de(organisme, prestataire)
    with caplog.at_level(logging.INFO, logger="portail.api"):
        appel(cle_en_clair, f"/api/v1/dossiers/{dossier.numero}")
        appel("ak_faux.faux", "/api/v1/dossiers")
    lignes = [r.getMessage() for r in caplog.records if r.name == "portail.api"]
    assert len(lignes) == 2
    assert lignes[0].startswith(f"api GET /api/v1/dossiers/<numero> organisme={organisme.pk} statut=200 duree_ms=")
    assert lignes[1].startswith("api GET /api/v1/dossiers organisme=- statut=401 duree_ms=")
    for ligne in lignes:
        assert dossier.numero not in ligne and NIR_13 not in ligne and cle_en_clair.partition(".")[2] not in ligne


# -- the dossier ------------------------------------------------------------------------------------------------


def test_a_dossier_with_its_state_anomalies_and_history_never_the_nir(prestataire, organisme, adherent, gestionnaire):
    dossier = dossier_complet(adherent, prestataire=organisme)
    workflow.fire(Dossier.objects.get(pk=dossier.pk), workflow.TRANSMETTRE, user=adherent)
    workflow.fire(Dossier.objects.get(pk=dossier.pk), workflow.PRENDRE_EN_INSTRUCTION, user=gestionnaire)
    dossier.contrat.date_debut = None  # a blocking anomaly (entered before, say, a correction)
    dossier.contrat.save()
    status, body, texte = appel(cle_de(organisme, prestataire), f"/api/v1/dossiers/{dossier.numero}")
    assert status == 200
    assert body["numero"] == dossier.numero and body["etat"] == DossierState.EN_INSTRUCTION
    assert body["transmis_le"] is not None
    attendues = [
        {
            "onglet": a.onglet,
            "champ": a.field,
            "type": a.kind,
            "code": a.code,
            "message": a.message,
            "bloquant": a.bloquant,
        }
        for a in rules.check(Dossier.objects.get(pk=dossier.pk))
    ]
    assert body["anomalies"] == attendues
    assert {"onglet": "contrat", "champ": "date_debut", "message": "Saisie obligatoire", "bloquant": True}.items() <= (
        next(a for a in body["anomalies"] if a["champ"] == "date_debut").items()
    )
    assert [(e["transition"], e["de"], e["vers"], e["auteur"]) for e in body["historique"]] == [
        ("transmettre", DossierState.BROUILLON, DossierState.TRANSMIS, "Adhérent"),
        ("prendre_en_instruction", DossierState.TRANSMIS, DossierState.EN_INSTRUCTION, "AKTO"),
    ]
    # Never the NIR, never the gestionnaire's name or e-mail.
    assert NIR_13 not in texte and gestionnaire.last_name not in texte and gestionnaire.email not in texte


def test_another_organisations_dossier_is_a_404(prestataire, organisme, adherent):
    autre = prestataire_user()
    chez_autre = DossierFactory(
        created_by=autre, prestataire=autre.rattachements.get().organisme, brouillon_prestataire=True
    )
    de_l_adherent = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    cle_en_clair = cle_de(organisme, prestataire)
    for dossier in (chez_autre, de_l_adherent):
        status, body, _ = appel(cle_en_clair, f"/api/v1/dossiers/{dossier.numero}")
        assert status == 404 and body == {"detail": "Dossier introuvable."}
        assert appel(cle_en_clair, "/api/v1/dossiers", numero=dossier.numero)[1]["resultats"] == []


# -- the list ---------------------------------------------------------------------------------------------------


def _dossiers(organisme, prestataire, n):
    return [DossierFactory(created_by=prestataire, prestataire=organisme, brouillon_prestataire=True) for _ in range(n)]


def test_the_list_walks_every_dossier_once_by_cursor_in_a_stable_order(prestataire, organisme, adherent):
    mes = _dossiers(organisme, prestataire, 5)
    autre = prestataire_user()
    _dossiers(autre.rattachements.get().organisme, autre, 2)
    DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    cle_en_clair = cle_de(organisme, prestataire)
    vus, curseur, pages = [], None, 0
    while True:
        params = {"taille": 2} | ({"curseur": curseur} if curseur else {})
        status, body, _ = appel(cle_en_clair, "/api/v1/dossiers", **params)
        assert status == 200
        vus += [d["numero"] for d in body["resultats"]]
        pages += 1
        curseur = body["curseur_suivant"]
        if curseur is None:
            break
    attendu = [d.numero for d in sorted(mes, key=lambda d: (d.updated_at, d.pk))]
    assert vus == attendu and pages == 3


def test_a_tampered_cursor_is_a_400_in_french(prestataire, organisme):
    status, body, _ = appel(cle_de(organisme, prestataire), "/api/v1/dossiers", curseur="bidon")
    assert status == 400 and body == {"detail": "Curseur invalide."}


def test_the_list_filters_on_state_number_and_modification_date(prestataire, organisme):
    premier, deuxieme, troisieme = _dossiers(organisme, prestataire, 3)
    Dossier.objects.filter(pk=premier.pk).update(state=DossierState.A_REPRENDRE)
    Dossier.objects.filter(pk=deuxieme.pk).update(updated_at=timezone.now() - timezone.timedelta(days=10))
    cle_en_clair = cle_de(organisme, prestataire)

    def numeros(**params):
        return {d["numero"] for d in appel(cle_en_clair, "/api/v1/dossiers", **params)[1]["resultats"]}

    assert numeros(etat=DossierState.A_REPRENDRE) == {premier.numero}
    assert numeros(numero=troisieme.numero) == {troisieme.numero}
    depuis = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    assert numeros(modifie_depuis=depuis) == {premier.numero, troisieme.numero}
    status, body, _ = appel(cle_en_clair, "/api/v1/dossiers", etat="inconnu")
    assert status == 422 and body["detail"] == "Paramètres invalides."
    assert [e["parametre"] for e in body["erreurs"]] == ["etat"]


def test_the_lists_query_count_does_not_grow_with_the_dossiers_and_no_nir(prestataire, organisme, adherent):
    cle_en_clair = cle_de(organisme, prestataire)
    dossier_complet(adherent, prestataire=organisme)
    appel(cle_en_clair, "/api/v1/dossiers")  # last use written (at most once a minute)

    def requetes():
        with CaptureQueriesContext(connection) as ctx:
            status, body, texte = appel(cle_en_clair, "/api/v1/dossiers")
        assert status == 200 and NIR_13 not in texte
        return len(ctx.captured_queries), len(body["resultats"])

    peu = requetes()
    _dossiers(organisme, prestataire, 6)
    beaucoup = requetes()
    assert peu == (2, 1) and beaucoup == (2, 7)  # the key (with its organisation), the page


# -- the schema and its page ------------------------------------------------------------------------------------


def test_the_openapi_schema_is_served_and_describes_the_endpoints():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/dossiers", "/api/v1/dossiers/{numero}"} <= set(schema["paths"])  # and the writes'
    assert "get" in schema["paths"]["/api/v1/dossiers/{numero}"]
    parametres = {p["name"] for p in schema["paths"]["/api/v1/dossiers"]["get"]["parameters"]}
    assert {"etat", "numero", "modifie_depuis", "curseur", "taille"} <= parametres
    assert schema["components"]["securitySchemes"]["CleOrganisme"]["scheme"] == "bearer"
    assert set(schema["components"]["schemas"]["AnomalieSchema"]["properties"]) == {
        "onglet",
        "champ",
        "type",
        "code",
        "message",
        "bloquant",
    }


def test_the_docs_page_uses_the_vendored_swagger_ui_and_no_inline_script():
    response = Client().get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="fr">' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
