"""A période de reconversion externe filled, transmitted by the adhérent and decided by a gestionnaire, through the
shared views (tab save, *Transmettre*, the back office's page and decision) — the engine unchanged for it."""

import datetime as dt
import html

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from documents.models import PieceJointe, TypeDocument
from dossiers.enums import DossierState
from dossiers.models import AccordReconversion, Dossier, SousDispositif
from tests.complet import PDF, dossier_complet
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_external_reconversion_is_transmitted_and_accepted(adherent, gestionnaire):
    dossier = dossier_complet(adherent, sous_dispositif=SousDispositif.objects.get(code="REC_EXT"), type_contrat="")
    AccordReconversion.objects.create(dossier=dossier)
    client = client_for(adherent)
    debut = timezone.localdate() + dt.timedelta(days=20)
    accord = {
        "version": Dossier.objects.get(pk=dossier.pk).version,
        "date_debut": f"{debut:%d/%m/%Y}",
        "date_fin": f"{debut + dt.timedelta(days=300):%d/%m/%Y}",
        "duree_formation_heures": "400",
        "objet": "rncp",
        "intitule_qualification": "Titre professionnel agent de propreté",
        "hors_temps_travail": "False",
        "accueil_siret": "79345128000015",
        "accueil_raison_sociale": "ATLANTIQUE PROPRETE SERVICES",
        "accueil_nature_contrat": "cdd",
        "accueil_duree_mois": "6",
    }
    assert client.post(f"/dossiers/{dossier.pk}/accord/", accord).status_code == 200
    page = html.unescape(client.get(f"/dossiers/{dossier.pk}/documents/").content.decode())
    for libelle in ("Accord écrit de la période de reconversion", "Contrat de travail de l'entreprise d'accueil"):
        assert libelle in page
    assert "0/3 types de documents obligatoires à transmettre" in page  # the contrat pro's are not asked
    for code in ("ACCORD_RECONVERSION", "CONVENTION_FORMATION", "CONTRAT_ACCUEIL"):
        piece = PieceJointe(
            dossier=dossier,
            type=TypeDocument.objects.get(code=code),
            nom_original=f"{code.lower()}.pdf",
            taille=len(PDF),
            type_contenu="application/pdf",
            depose_par=adherent,
        )
        piece.fichier.save("piece.pdf", ContentFile(PDF), save=False)
        piece.save()

    response = client.post(f"/dossiers/{dossier.pk}/transmettre/", {"onglet": "synthese"})
    assert response.status_code == 200, html.unescape(response.content.decode())
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == DossierState.TRANSMIS

    back = client_for(gestionnaire)
    assert "REC_EXT" in back.get("/admin/dossiers/dossier/").content.decode()  # the back office's: the sous-dispositif
    page = html.unescape(back.get(f"/admin/dossiers/dossier/{dossier.pk}/change/").content.decode())
    assert "Période de reconversion externe" in page and "ATLANTIQUE PROPRETE SERVICES" in page
    assert "Accord" in page
    base = f"/admin/dossiers/dossier/{dossier.pk}/decision"
    assert back.post(f"{base}/prendre_en_instruction/", {}).status_code == 302
    assert back.get(f"{base}/accepter_dossier/").status_code == 200
    assert back.post(f"{base}/accepter_dossier/", {"montant": "3 660,00"}).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.ACCEPTE
    # The adhérent's list shows its Dep code (the dispositif's).
    assert "<td>PROA</td>" in client.get("/dossiers/").content.decode()
