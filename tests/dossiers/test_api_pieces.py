"""The API's pieces (list, upload, deletion) and *Finaliser*: the Documents tab's checks and the portal's button."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents import sniffing
from documents.models import PieceJointe
from dossiers import rules
from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierEvenement, ModuleFormation
from dossiers.saisie.chargement import MSG_NON_MODIFIABLE
from notifications.models import Notification
from tests.factories import DossierFactory, UserFactory, attach, prestataire_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def stockage_neuf(settings):
    """A new in-memory storage per test: what a test stores (or not) is seen in isolation."""
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def adherents(adherent):
    """Two adhérents acting for the establishment (the second through its company), and a former employee."""
    etablissement = adherent.rattachements.get().etablissement
    autre = UserFactory()
    attach(autre, etablissement.entreprise)
    attach(UserFactory(is_active=False), etablissement)
    return adherent, autre


@pytest.fixture
def presaisie(prestataire, organisme, adherent):
    """The organisation's pre-entry for the adhérent's establishment, with an external training module."""
    dossier = DossierFactory(
        etablissement=adherent.rattachements.get().etablissement,
        created_by=prestataire,
        prestataire=organisme,
        brouillon_prestataire=True,
    )
    ModuleFormation.objects.create(formation=dossier.formation, ordre=1, type="externe")
    return dossier


def entetes(cle, **autres) -> dict:
    return {"Authorization": f"Bearer {cle}", **autres}


def fichier(nom: str, contenu: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu, content_type="application/octet-stream")


def deposer(cle, numero, code, *fichiers, **autres):
    response = Client().post(
        f"/api/v1/dossiers/{numero}/pieces", {"type": code, "fichiers": list(fichiers)}, headers=entetes(cle, **autres)
    )
    return response.status_code, json.loads(response.content or b"null"), response


def stockes(dossier) -> list[str]:
    try:
        return default_storage.listdir(f"pieces/{dossier.pk}")[1]
    except FileNotFoundError:
        return []


def codes_anomalies(cle, numero) -> set[str]:
    body = json.loads(Client().get(f"/api/v1/dossiers/{numero}", headers=entetes(cle)).content)
    return {a["code"] for a in body["anomalies"] if a["onglet"] == "documents"}


# -- upload -----------------------------------------------------------------------------------------------------


def test_a_valid_pdf_is_stored_and_the_documents_anomalies_change(cle, presaisie, prestataire):
    assert "DOCUMENTS_PROGRAMME_OBLIGATOIRE" in codes_anomalies(cle, presaisie.numero)
    status, body, response = deposer(cle, presaisie.numero, "PROGRAMME", fichier("Programme.pdf"))
    assert status == 201, body
    piece = PieceJointe.objects.get(dossier=presaisie)
    assert (piece.type.code, piece.nom_original, piece.taille) == ("PROGRAMME", "Programme.pdf", len(PDF))
    assert piece.depose_par == prestataire and piece.type_contenu == "application/pdf"  # the key's author
    assert len(stockes(presaisie)) == 1
    assert body["pieces"] == [
        {
            "id": piece.pk,
            "type": "PROGRAMME",
            "type_libelle": "Programme",
            "nom": "Programme.pdf",
            "taille": len(PDF),
            "deposee_le": body["pieces"][0]["deposee_le"],
        }
    ]
    assert "pieces/" not in response.content.decode()  # never the stored path
    fresh = Dossier.objects.get(pk=presaisie.pk)
    assert fresh.version == presaisie.version + 1  # the optimistic lock's write, as the tab's
    assert {a["code"] for a in body["anomalies"]} == {a.code for a in rules.check(fresh)}
    assert "DOCUMENTS_PROGRAMME_OBLIGATOIRE" not in codes_anomalies(cle, presaisie.numero)
    assert "DOCUMENTS_CONVENTION_DEVIS_OBLIGATOIRE" in codes_anomalies(cle, presaisie.numero)


@pytest.mark.parametrize(
    "nom, contenu, message, code",
    [
        ("programme.pdf", EXE, sniffing.MSG_EXECUTABLE, "DOCUMENTS_EXECUTABLE"),
        ("cv.pdf.exe", EXE, sniffing.MSG_DOUBLE_EXTENSION, "DOCUMENTS_DOUBLE_EXTENSION"),
        ("page.html", b"<html></html>", sniffing.MSG_EXTENSION, "DOCUMENTS_FORMAT_NON_ACCEPTE"),
        ("programme.pdf", b"", sniffing.MSG_VIDE, "DOCUMENTS_FICHIER_VIDE"),
        (
            "script.pdf",
            PDF.replace(b"/Catalog", b"/Catalog /JavaScript"),
            sniffing.MSG_PDF_ACTIF,
            "DOCUMENTS_PDF_ACTIF",
        ),
    ],
)
def test_a_refused_file_is_a_422_with_the_portals_message_and_nothing_is_stored(
    cle, presaisie, nom, contenu, message, code
):
    status, body, _ = deposer(cle, presaisie.numero, "PROGRAMME", fichier("bon.pdf"), fichier(nom, contenu))
    assert status == 422
    assert body == {
        "detail": "Pièces refusées : aucun fichier n'a été enregistré.",
        "anomalies": [
            {
                "onglet": "documents",
                "champ": "type_programme",
                "type": "saisie_invalide",
                "code": code,
                "message": message.format(nom=nom),
                "bloquant": True,
            }
        ],
    }
    assert not PieceJointe.objects.exists() and stockes(presaisie) == []  # the good file is not stored either
    assert Dossier.objects.get(pk=presaisie.pk).version == presaisie.version


def test_a_file_over_the_size_limit_is_refused_as_in_the_portal(cle, presaisie, settings):
    settings.DOCUMENTS_TAILLE_MAX = len(PDF) - 1
    status, body, _ = deposer(cle, presaisie.numero, "PROGRAMME", fichier("gros.pdf"))
    assert status == 422
    assert [(a["code"], a["message"]) for a in body["anomalies"]] == [
        ("DOCUMENTS_FICHIER_TROP_LOURD", "Le fichier « gros.pdf » dépasse le poids maximum de 20Mo.")
    ]
    assert not PieceJointe.objects.exists() and stockes(presaisie) == []


def test_more_than_five_files_of_a_type_are_refused_as_in_the_portal(cle, presaisie):
    assert deposer(cle, presaisie.numero, "PROGRAMME", *[fichier(f"p{i}.pdf") for i in range(4)])[0] == 201
    status, body, _ = deposer(cle, presaisie.numero, "PROGRAMME", fichier("p5.pdf"), fichier("p6.pdf"))
    assert status == 422
    assert [(a["code"], a["message"]) for a in body["anomalies"]] == [
        ("DOCUMENTS_NOMBRE_MAX", "Programme : 5 fichiers maximum (déjà 4 chargé(s), 2 sélectionné(s)).")
    ]
    assert PieceJointe.objects.filter(dossier=presaisie).count() == 4 and len(stockes(presaisie)) == 4


def test_no_file_or_a_type_that_does_not_apply_is_a_422(cle, presaisie):
    status, body, _ = deposer(cle, presaisie.numero, "PROGRAMME")
    assert status == 422 and body["anomalies"][0]["message"] == "Choisissez au moins un fichier."
    status, body, _ = deposer(cle, presaisie.numero, "CONVENTION_TRIPARTITE", fichier("c.pdf"))  # type 12 only
    assert status == 422 and body["anomalies"][0]["code"] == "DOCUMENTS_TYPE_INCONNU"
    assert body["anomalies"][0]["message"].startswith(
        "Le type de pièce « CONVENTION_TRIPARTITE » ne s'applique pas à ce dossier. Types possibles : PROGRAMME, "
    )
    assert not PieceJointe.objects.exists()


def test_a_stale_version_is_a_409_and_stores_nothing(cle, presaisie):
    response = Client().post(
        f"/api/v1/dossiers/{presaisie.numero}/pieces",
        {"type": "PROGRAMME", "fichiers": [fichier("p.pdf")], "version": presaisie.version - 1},
        headers=entetes(cle),
    )
    assert response.status_code == 409 and json.loads(response.content)["detail"].startswith(
        "Le dossier a été modifié pendant la requête"
    )
    assert not PieceJointe.objects.exists() and stockes(presaisie) == []


def test_a_dossier_no_longer_the_organisations_to_edit_is_a_409(cle, presaisie):
    assert deposer(cle, presaisie.numero, "PROGRAMME", fichier("p.pdf"))[0] == 201
    piece = PieceJointe.objects.get()
    Dossier.objects.filter(pk=presaisie.pk).update(state=DossierState.A_REPRENDRE)
    status, body, _ = deposer(cle, presaisie.numero, "PROGRAMME", fichier("p2.pdf"))
    assert status == 409 and body == {"detail": MSG_NON_MODIFIABLE}
    response = Client().delete(f"/api/v1/dossiers/{presaisie.numero}/pieces/{piece.pk}", headers=entetes(cle))
    assert response.status_code == 409 and json.loads(response.content) == {"detail": MSG_NON_MODIFIABLE}
    assert PieceJointe.objects.count() == 1


def test_another_organisations_dossier_is_a_404_for_every_write(cle, adherent):
    autre = prestataire_user()
    chez_autre = DossierFactory(
        created_by=autre, prestataire=autre.rattachements.get().organisme, brouillon_prestataire=True
    )
    ModuleFormation.objects.create(formation=chez_autre.formation, ordre=1, type="externe")
    status, body, _ = deposer(cle, chez_autre.numero, "PROGRAMME", fichier("p.pdf"))
    assert status == 404 and body == {"detail": "Dossier introuvable."}
    client = Client()
    assert client.get(f"/api/v1/dossiers/{chez_autre.numero}/pieces", headers=entetes(cle)).status_code == 404
    assert client.post(f"/api/v1/dossiers/{chez_autre.numero}/finaliser", headers=entetes(cle)).status_code == 404
    assert not PieceJointe.objects.exists()
    assert Dossier.objects.get(pk=chez_autre.pk).state == DossierState.BROUILLON_PRESTATAIRE


# -- list, deletion, types --------------------------------------------------------------------------------------


def test_the_list_gives_the_pieces_and_the_types_that_apply_never_a_path(cle, presaisie):
    deposer(cle, presaisie.numero, "PROGRAMME", fichier("Programme.pdf"))
    response = Client().get(f"/api/v1/dossiers/{presaisie.numero}/pieces", headers=entetes(cle))
    body = json.loads(response.content)
    assert response.status_code == 200
    piece = PieceJointe.objects.get()
    assert [(p["id"], p["type"], p["nom"], p["taille"]) for p in body["pieces"]] == [
        (piece.pk, "PROGRAMME", "Programme.pdf", len(PDF))
    ]
    assert set(body["pieces"][0]) == {"id", "type", "type_libelle", "nom", "taille", "deposee_le"}
    assert "pieces/" not in response.content.decode() and piece.fichier.name not in response.content.decode()
    types = {t["code"]: (t["obligatoire"], t["nombre"]) for t in body["types"]}
    assert types["PROGRAMME"] == (True, 1) and types["CONVENTION_DEVIS"] == (True, 0)
    assert types["BILAN_POSITIONNEMENT"] == (False, 0) and "CONVENTION_TRIPARTITE" not in types


def test_a_piece_is_deleted_while_editable_and_another_dossiers_piece_is_a_404(cle, presaisie, prestataire, organisme):
    autre_dossier = DossierFactory(created_by=prestataire, prestataire=organisme, brouillon_prestataire=True)
    ModuleFormation.objects.create(formation=autre_dossier.formation, ordre=1, type="externe")
    deposer(cle, presaisie.numero, "PROGRAMME", fichier("a.pdf"))
    deposer(cle, autre_dossier.numero, "PROGRAMME", fichier("b.pdf"))
    la_mienne, l_autre = PieceJointe.objects.get(dossier=presaisie), PieceJointe.objects.get(dossier=autre_dossier)
    client = Client()
    url = f"/api/v1/dossiers/{presaisie.numero}/pieces"
    response = client.delete(f"{url}/{l_autre.pk}", headers=entetes(cle))  # the organisation's, another dossier's
    assert response.status_code == 404 and json.loads(response.content) == {"detail": "Pièce introuvable."}
    version = Dossier.objects.get(pk=presaisie.pk).version
    assert client.delete(f"{url}/{la_mienne.pk}", headers=entetes(cle)).status_code == 204
    assert list(PieceJointe.objects.all()) == [l_autre]
    assert Dossier.objects.get(pk=presaisie.pk).version == version + 1
    assert "DOCUMENTS_PROGRAMME_OBLIGATOIRE" in codes_anomalies(cle, presaisie.numero)


def test_the_piece_types_are_listed_with_their_codes(cle):
    response = Client().get("/api/v1/types-pieces", headers=entetes(cle))
    body = json.loads(response.content)
    assert response.status_code == 200
    par_code = {t["code"]: t for t in body}
    assert par_code["PROGRAMME"]["libelle"] == "Programme" and par_code["PROGRAMME"]["obligation"] == "externe"
    assert par_code["CONVENTION_TRIPARTITE"]["types_contrat"] == ["12"]


# -- Finaliser --------------------------------------------------------------------------------------------------


def test_finaliser_hands_the_dossier_over_and_notifies_each_adherent_as_the_portal(
    cle, presaisie, prestataire, adherents, django_capture_on_commit_callbacks
):
    bloquantes = [a for a in rules.check(Dossier.objects.get(pk=presaisie.pk)) if a.bloquant]
    assert bloquantes  # the portal's Finaliser does not wait for a complete entry: the adhérent completes it
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave after commit
        response = Client().post(f"/api/v1/dossiers/{presaisie.numero}/finaliser", headers=entetes(cle))
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["etat"] == DossierState.A_REPRENDRE and body["etat_libelle"] == "A reprendre par l'adhérent"
    assert [(e["transition"], e["auteur"]) for e in body["historique"]][-1] == ("finaliser", "Organisme de formation")
    assert Dossier.objects.get(pk=presaisie.pk).state == DossierState.A_REPRENDRE
    event = DossierEvenement.objects.get(dossier=presaisie, transition="finaliser")
    assert (event.from_state, event.user) == (DossierState.BROUILLON_PRESTATAIRE, prestataire)
    notifications = Notification.objects.filter(dossier=presaisie, evenement="dossier_a_reprendre")
    assert sorted(n.recipient_id for n in notifications) == sorted(u.pk for u in adherents)  # one each
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in adherents)
    # Twice: the dossier is no longer the organisation's.
    again = Client().post(f"/api/v1/dossiers/{presaisie.numero}/finaliser", headers=entetes(cle))
    assert again.status_code == 409
    assert json.loads(again.content) == {
        "detail": "Action « Finaliser » impossible : le dossier est à l'état « A reprendre par l'adhérent »."
    }
    assert DossierEvenement.objects.filter(dossier=presaisie, transition="finaliser").count() == 1
    assert notifications.count() == 2


def test_the_schema_documents_the_writes_and_the_idempotency_key_on_every_post():
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    paths = schema["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/dossiers/{numero}/pieces"])
    assert "delete" in paths["/api/v1/dossiers/{numero}/pieces/{piece_id}"]
    assert "post" in paths["/api/v1/dossiers/{numero}/finaliser"] and "get" in paths["/api/v1/types-pieces"]
    corps = paths["/api/v1/dossiers/{numero}/pieces"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert {"type", "fichiers"} <= set(corps["schema"]["properties"])
    posts = [operations["post"] for operations in paths.values() if "post" in operations]
    assert len(posts) >= 2
    for post in posts:
        entete = next(p for p in post["parameters"] if p["name"] == "Idempotency-Key")
        assert entete["in"] == "header" and entete["required"] is False
        assert {"409", "422"} <= set(post["responses"])
