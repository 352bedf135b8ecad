"""The Documents tab: upload, refusal (nothing stored), 5-file limit, download, delete, locks and 404s."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from documents.models import DossierDocuments, PieceJointe, TypeDocument
from dossiers.enums import DossierState
from dossiers.models import Dossier, ModuleFormation
from tests.conftest import client_for
from tests.factories import DossierFactory, EtablissementFactory, UserFactory, attach

from .conftest import fichier, pdf

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture
def dossier(adherent):
    etablissement = adherent.rattachements.get().etablissement
    d = DossierFactory(etablissement=etablissement, created_by=adherent)
    ModuleFormation.objects.create(formation=d.formation, ordre=1, type="externe")
    return d


@pytest.fixture
def client(adherent):
    return client_for(adherent)


def deposer(client, dossier, code, *fichiers, version=None):
    version = Dossier.objects.get(pk=dossier.pk).version if version is None else version
    return client.post(
        reverse("documents_deposer", args=[dossier.pk, code]),
        {f"fichiers_{code}": list(fichiers), "version": version},
        HTTP_HX_REQUEST="true",
    )


def stockes(dossier) -> list[str]:
    try:
        return default_storage.listdir(f"pieces/{dossier.pk}")[1]
    except FileNotFoundError:
        return []


def test_tab_shows_the_guide_s_texts(client, dossier):
    html = client.get(reverse("dossier_onglet", args=[dossier.pk, "documents"])).content.decode()
    assert "L'employeur atteste disposer de l'ensemble des pièces justificatives" in html.replace("&#x27;", "'")
    assert "Documents à transmettre" in html
    assert "0/2 types de documents obligatoires à transmettre" in html
    assert "Programme (1 fichier minimum)" in html
    assert "Convention signée des 2 parties ou Devis (1 fichier minimum)" in html
    assert "Bilan de positionnement</h4>" in html
    assert "Poids : 20Mo maximum. Formats acceptés : pdf, jpg, png, xls, doc, docx, csv. 5 fichiers maximum." in html
    assert "Choisir des fichiers" in html and "Aucun fichier chargé" in html and "Ajouter un fichier" in html
    assert "Attestation de capacité du formateur interne" not in html  # external training only
    assert "data-upload-progress" in html  # the progress bar (static/portal/js/htmx-actions.js)


def test_upload_stores_the_file_bumps_the_version_and_refreshes_it(client, dossier):
    response = deposer(client, dossier, "PROGRAMME", fichier("Programme.pdf", pdf()), fichier("annexe.pdf", pdf()))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Programme.pdf" in html and "annexe.pdf" in html
    assert "1/2 types de documents obligatoires à transmettre" in html
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.version == dossier.version + 1
    assert f'value="{fresh.version}" id="id_version" hx-swap-oob="true"' in html
    pieces = list(PieceJointe.objects.filter(dossier=dossier))
    assert {p.nom_original for p in pieces} == {"Programme.pdf", "annexe.pdf"}
    assert all(p.type_contenu == "application/pdf" and p.depose_par_id for p in pieces)
    assert len(stockes(dossier)) == 2
    assert all("Programme" not in name for name in stockes(dossier))  # random stored names


def test_counter_turns_green_when_complete(client, dossier):
    deposer(client, dossier, "PROGRAMME", fichier("p.pdf", pdf()))
    html = deposer(client, dossier, "CONVENTION_DEVIS", fichier("c.pdf", pdf())).content.decode()
    assert "2/2 types de documents obligatoires à transmettre" in html
    assert 'class="fw-semibold text-success" data-complet="true"' in html


@pytest.mark.parametrize(
    "hostile",
    [
        ("programme.pdf", b""),
        ("programme.pdf", EXE),
        ("programme.pdf", b"<html><script>alert(1)</script></html>"),
        ("cv.pdf.exe", EXE),
        ("convention.docx", b"PK\x03\x04" + b"\x00" * 50),
    ],
)
def test_refused_file_stores_nothing_and_says_why_under_the_type(client, dossier, hostile):
    nom, contenu = hostile
    response = deposer(client, dossier, "PROGRAMME", fichier("bon.pdf", pdf()), fichier(nom, contenu))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"« {nom} »" in html.replace("&#x27;", "'")
    assert 'id="type-PROGRAMME"' in html
    assert not PieceJointe.objects.exists()  # the good file of the same selection is not stored either
    assert stockes(dossier) == []
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


def test_five_files_per_type(client, dossier):
    assert deposer(client, dossier, "PROGRAMME", *[fichier(f"p{i}.pdf", pdf()) for i in range(5)]).status_code == 200
    response = deposer(client, dossier, "PROGRAMME", fichier("p6.pdf", pdf()))
    assert response.status_code == 400
    assert "Programme : 5 fichiers maximum (déjà 5 chargé(s), 1 sélectionné(s))." in response.content.decode()
    assert PieceJointe.objects.filter(dossier=dossier).count() == 5
    assert len(stockes(dossier)) == 5


def test_six_files_at_once_refused(client, dossier):
    response = deposer(client, dossier, "AUTRE", *[fichier(f"p{i}.pdf", pdf()) for i in range(6)])
    assert response.status_code == 400
    assert not PieceJointe.objects.exists()


def test_stale_version_refused_nothing_stored(client, dossier):
    response = deposer(client, dossier, "PROGRAMME", fichier("p.pdf", pdf()), version=dossier.version - 1)
    assert response.status_code == 409
    assert "Ce dossier a été modifié ailleurs" in response.content.decode().replace("&#x27;", "'")
    assert not PieceJointe.objects.exists()
    assert stockes(dossier) == []


def test_writes_refused_when_the_dossier_is_not_editable(client, dossier):
    deposer(client, dossier, "PROGRAMME", fichier("p.pdf", pdf()))
    piece = PieceJointe.objects.get()
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.TRANSMIS)
    response = deposer(client, dossier, "PROGRAMME", fichier("q.pdf", pdf()))
    assert response.status_code == 409
    assert "Ce dossier n&#x27;est plus modifiable dans son état actuel." in response.content.decode()
    version = Dossier.objects.get(pk=dossier.pk).version
    response = client.post(reverse("documents_supprimer", args=[dossier.pk, piece.pk]), {"version": version})
    assert response.status_code == 409
    assert PieceJointe.objects.count() == 1
    html = client.get(reverse("dossier_onglet", args=[dossier.pk, "documents"])).content.decode()
    assert "Choisir des fichiers" not in html and "Supprimer" not in html
    assert "p.pdf" in html  # still downloadable


def test_delete_removes_row_and_file(client, dossier, django_capture_on_commit_callbacks):
    deposer(client, dossier, "AUTRE", fichier("autre.pdf", pdf()))
    piece = PieceJointe.objects.get()
    version = Dossier.objects.get(pk=dossier.pk).version
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents_supprimer", args=[dossier.pk, piece.pk]), {"version": version})
    assert response.status_code == 200
    assert "Autre : « autre.pdf » supprimé." in response.content.decode()
    assert not PieceJointe.objects.exists()
    assert stockes(dossier) == []
    assert Dossier.objects.get(pk=dossier.pk).version == version + 1


def test_delete_with_stale_version_refused(client, dossier):
    deposer(client, dossier, "AUTRE", fichier("autre.pdf", pdf()))
    piece = PieceJointe.objects.get()
    response = client.post(reverse("documents_supprimer", args=[dossier.pk, piece.pk]), {"version": dossier.version})
    assert response.status_code == 409
    assert PieceJointe.objects.count() == 1


def test_download_is_an_attachment_never_sniffed(client, dossier):
    deposer(client, dossier, "PROGRAMME", fichier("Programme été.pdf", pdf()))
    piece = PieceJointe.objects.get()
    response = client.get(reverse("documents_telecharger", args=[dossier.pk, piece.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == pdf()


def test_another_company_gets_404_everywhere(client, dossier):
    deposer(client, dossier, "PROGRAMME", fichier("p.pdf", pdf()))
    piece = PieceJointe.objects.get()
    autre = UserFactory()
    attach(autre, EtablissementFactory())
    intrus = client_for(autre)
    assert intrus.get(reverse("documents_telecharger", args=[dossier.pk, piece.pk])).status_code == 404
    assert intrus.get(reverse("documents_bloc", args=[dossier.pk])).status_code == 404
    response = intrus.post(
        reverse("documents_deposer", args=[dossier.pk, "PROGRAMME"]),
        {"fichiers_PROGRAMME": [fichier("x.pdf", pdf())], "version": dossier.version + 1},
    )
    assert response.status_code == 404
    assert intrus.post(reverse("documents_supprimer", args=[dossier.pk, piece.pk]), {"version": 99}).status_code == 404
    assert PieceJointe.objects.count() == 1


def test_a_piece_of_another_dossier_is_404(client, dossier, adherent):
    deposer(client, dossier, "PROGRAMME", fichier("p.pdf", pdf()))
    piece = PieceJointe.objects.get()
    autre = DossierFactory(etablissement=dossier.etablissement, created_by=adherent)
    assert client.get(reverse("documents_telecharger", args=[autre.pk, piece.pk])).status_code == 404


def test_ajouter_un_fichier_then_autre_then_retour(client, dossier):
    html = client.get(reverse("documents_bloc", args=[dossier.pk]) + "?choix=1").content.decode()
    assert ">Autre</button>" in html and "Retour à la liste" in html
    html = client.get(reverse("documents_bloc", args=[dossier.pk]) + "?afficher=AUTRE").content.decode()
    assert 'id="type-AUTRE"' in html and "Retour à la liste" in html
    html = client.get(reverse("documents_bloc", args=[dossier.pk])).content.decode()
    assert 'id="type-AUTRE"' not in html


def test_unknown_type_is_404(client, dossier):
    assert deposer(client, dossier, "INCONNU", fichier("p.pdf", pdf())).status_code == 404


def test_attestation_saved_with_the_tab(client, dossier):
    url = reverse("dossier_onglet", args=[dossier.pk, "documents"])
    response = client.post(url, {"attestation_pieces": "on", "version": dossier.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert DossierDocuments.objects.get(dossier=dossier).attestation_pieces is True
    response = client.post(url, {"version": dossier.version + 1}, HTTP_HX_REQUEST="true")
    assert DossierDocuments.objects.get(dossier=dossier).attestation_pieces is False
    assert "Saisie obligatoire" in response.content.decode()


def test_types_follow_the_training(client, dossier):
    ModuleFormation.objects.filter(formation=dossier.formation).update(type="interne")
    html = client.get(reverse("dossier_onglet", args=[dossier.pk, "documents"])).content.decode()
    assert "Attestation de capacité du formateur interne (1 fichier minimum)" in html
    assert "Annexe pédagogique ou budget prévisionnel (1 fichier minimum)" in html
    assert "Convention signée des 2 parties ou Devis" not in html
    # The Convention tripartite is for type 12 only (and the période de reconversion's types for it only).
    assert TypeDocument.objects.exclude(sous_dispositifs__contains="REC_").exclude(code="AVENANT_PROA").count() == 7


def test_counter_asks_for_a_module_before_it_can_count(client, adherent):
    # Issue 20: no green « ✓ 0/0 » while no module says which pieces are required.
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(etablissement=etablissement, created_by=adherent)
    html = client.get(f"/dossiers/{dossier.pk}/documents/").content.decode()
    assert "Ajoutez un module de formation pour connaître les pièces à fournir" in html
    assert "0/0 types de documents" not in html and "✓" not in html
    ModuleFormation.objects.create(formation=dossier.formation, ordre=1, type="externe")
    html = client.get(f"/dossiers/{dossier.pk}/documents/").content.decode()
    assert "Ajoutez un module de formation" not in html
    assert "0/2 types de documents obligatoires à transmettre" in html
