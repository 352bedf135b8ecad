"""The per-piece review in the back office: *Conforme* / *Non conforme* with a mandatory reason, only by a
gestionnaire and only within the dossier; *Demander des compléments* pre-filled with the pieces to replace; the
adhérent sees « Non conforme : … — à remplacer » and a new upload of that type replaces the piece."""

import html

import pytest
from django.db import transaction
from django.urls import reverse

from documents.models import AvisPiece, PieceJointe, TypeDocument
from dossiers.instruction import decisions as instruction
from dossiers.models import Dossier, ModuleFormation
from dossiers.workflow import TRANSMETTRE, fire
from tests.conftest import client_for
from tests.documents.conftest import (  # noqa: F401 — the documents' fixtures (types, in-memory storage)
    fichier,
    pdf,
    stockage_neuf,
    types_document,
)
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def piece(dossier, code, nom):
    return PieceJointe.objects.create(
        dossier=dossier,
        type=TypeDocument.objects.get(code=code),
        fichier=f"pieces/{dossier.pk}/{nom}",
        nom_original=nom,
        taille=1234,
        type_contenu="application/pdf",
    )


def nouveau_dossier(adherent, transmis=True):
    d = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    ModuleFormation.objects.create(formation=d.formation, ordre=1, type="externe")
    if transmis:
        with transaction.atomic():
            fire(d, TRANSMETTRE, user=adherent)
    return Dossier.objects.get(pk=d.pk)


@pytest.fixture
def dossier(adherent):
    return nouveau_dossier(adherent)


@pytest.fixture
def programme(dossier):
    return piece(dossier, "PROGRAMME", "programme.pdf")


@pytest.fixture
def convention(dossier):
    return piece(dossier, "CONVENTION_DEVIS", "convention.pdf")


def avis_url(dossier, p):
    return reverse("admin:dossiers_dossier_avis_piece", args=[dossier.pk, p.pk])


def donner(client, dossier, p, avis, motif=""):
    return client.post(avis_url(dossier, p), {"avis": avis, "motif": motif}, follow=True)


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def test_conforme_and_non_conforme_with_reason(dossier, programme, convention, gestionnaire):
    client = client_for(gestionnaire)
    page = texte(client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])))
    assert page.count(">Conforme</button>") == 2 and page.count(">Non conforme</button>") == 2
    assert page.count("À vérifier") == 2

    reponse = donner(client, dossier, convention, "conforme")
    assert "Convention signée des 2 parties ou Devis — « convention.pdf » : Conforme." in texte(reponse)
    reponse = donner(client, dossier, programme, "non_conforme", "  illisible,   page 2 manquante ")
    assert "Non conforme : illisible, page 2 manquante" in texte(reponse)

    programme.refresh_from_db()
    convention.refresh_from_db()
    assert (convention.avis, convention.motif_avis, convention.avis_par) == (AvisPiece.CONFORME, "", gestionnaire)
    assert (programme.avis, programme.motif_avis) == (AvisPiece.NON_CONFORME, "illisible, page 2 manquante")
    assert programme.avis_par == gestionnaire and programme.avis_le is not None
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version  # AKTO's side: no new version


def test_non_conforme_needs_a_reason(dossier, programme, gestionnaire):
    reponse = donner(client_for(gestionnaire), dossier, programme, "non_conforme", "   ")
    assert "Saisissez le motif de la non-conformité" in texte(reponse)
    programme.refresh_from_db()
    assert programme.avis == AvisPiece.A_VERIFIER


def test_only_a_gestionnaire_sets_the_avis(dossier, programme, adherent, gestionnaire):
    reponse = client_for(adherent).post(avis_url(dossier, programme), {"avis": "conforme"})
    assert reponse.status_code == 302 and reponse["Location"].startswith("/admin/login/")  # not staff: the login
    gestionnaire.groups.clear()  # staff without the decision permission
    assert client_for(gestionnaire).post(avis_url(dossier, programme), {"avis": "conforme"}).status_code == 403
    programme.refresh_from_db()
    assert programme.avis == AvisPiece.A_VERIFIER and programme.avis_par is None


def test_a_piece_of_another_dossier_is_404(dossier, programme, gestionnaire, adherent):
    from tests.factories import EtablissementFactory, UserFactory, attach

    autre = UserFactory()
    attach(autre, EtablissementFactory())
    ailleurs = piece(nouveau_dossier(autre), "PROGRAMME", "autre.pdf")
    reponse = client_for(gestionnaire).post(
        reverse("admin:dossiers_dossier_avis_piece", args=[dossier.pk, ailleurs.pk]), {"avis": "conforme"}
    )
    assert reponse.status_code == 404
    brouillon = nouveau_dossier(adherent, transmis=False)  # not in the back office: a draft
    du_brouillon = piece(brouillon, "PROGRAMME", "brouillon.pdf")
    reponse = client_for(gestionnaire).post(avis_url(brouillon, du_brouillon), {"avis": "conforme"})
    assert reponse.status_code == 404
    ailleurs.refresh_from_db()
    assert ailleurs.avis == AvisPiece.A_VERIFIER
    assert client_for(gestionnaire).get(avis_url(dossier, programme)).status_code == 404  # POST only


def test_no_avis_once_decided(dossier, programme, gestionnaire):
    instruction.prendre_en_instruction(dossier, gestionnaire)
    instruction.demander_complements(Dossier.objects.get(pk=dossier.pk), gestionnaire, "Voir les pièces.")
    reponse = donner(client_for(gestionnaire), dossier, programme, "conforme")
    assert "Avis impossible sur les pièces : le dossier est à l'état « A compléter »" in texte(reponse)
    assert ">Conforme</button>" not in texte(reponse)
    programme.refresh_from_db()
    assert programme.avis == AvisPiece.A_VERIFIER


def test_demander_des_complements_is_prefilled_with_the_pieces_to_replace(dossier, programme, convention, gestionnaire):
    client = client_for(gestionnaire)
    url = reverse("admin:dossiers_dossier_decision", args=[dossier.pk, "demander_complements"])
    assert "Pièces à remplacer" not in texte(client.get(url))
    donner(client, dossier, programme, "non_conforme", "illisible")
    donner(client, dossier, convention, "non_conforme", "non signée")
    assert (
        "Pièces à remplacer : Programme (programme.pdf) — illisible ; Convention signée des 2 parties ou Devis "
        "(convention.pdf) — non signée." in texte(client.get(url))
    )


def test_the_adherent_sees_the_piece_to_replace_and_a_new_upload_replaces_it(
    dossier, programme, convention, gestionnaire, adherent
):
    client = client_for(gestionnaire)
    donner(client, dossier, programme, "non_conforme", "illisible")
    donner(client, dossier, convention, "conforme")
    instruction.demander_complements(dossier, gestionnaire, "Pièces à remplacer : Programme — illisible.")
    onglet = reverse("dossier_onglet", args=[dossier.pk, "documents"])
    page = texte(client_for(adherent).get(onglet))
    assert "Non conforme : illisible — à remplacer" in page
    assert page.count("Non conforme") == 1  # the conforming piece says nothing

    version = Dossier.objects.get(pk=dossier.pk).version
    reponse = client_for(adherent).post(
        reverse("documents_deposer", args=[dossier.pk, "PROGRAMME"]),
        {"fichiers_PROGRAMME": [fichier("programme-v2.pdf", pdf())], "version": version},
        HTTP_HX_REQUEST="true",
    )
    assert reponse.status_code == 200
    restants = set(PieceJointe.objects.filter(dossier=dossier).values_list("nom_original", "avis"))
    assert restants == {("programme-v2.pdf", AvisPiece.A_VERIFIER), ("convention.pdf", AvisPiece.CONFORME)}
    assert "à remplacer" not in texte(reponse)
