"""The Synthèse tab: recap of every tab (masked NIR, modules, estimate), tab statuses and links, the two
mandatory attestations, the comment for the gestionnaire; the Conditions Générales page."""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from dossiers import rules
from dossiers.models import ModuleFormation, Synthese
from dossiers.saisie import onglets
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

NIR = "185057800608491"


@pytest.fixture(autouse=True)
def parametres():
    call_command("load_parametres", stdout=StringIO())


@pytest.fixture
def dossier(adherent):
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(etablissement=etablissement, created_by=adherent)
    salarie = dossier.salarie
    salarie.nom_naissance, salarie.prenom, salarie.nir = "DUPONT", "Jean", NIR
    salarie.save()
    formation = dossier.formation
    formation.intitule, formation.duree_totale_heures = "CQP Agent de propreté", 400
    formation.save()
    ModuleFormation.objects.create(
        formation=formation, ordre=1, type="interne", service_interne="Service formation", heures=150
    )
    ModuleFormation.objects.create(formation=formation, ordre=2, type="interne", service_interne="Atelier", heures=250)
    return dossier


def text(response):
    return html.unescape(response.content.decode())


def save(client, dossier, data):
    dossier.refresh_from_db()
    return client.post(
        f"/dossiers/{dossier.pk}/synthese/", {"version": dossier.version, **data}, HTTP_HX_REQUEST="true"
    )


def test_recap_shows_every_tab_with_masked_nir_and_modules(adherent, dossier):
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    assert "Récapitulatif des principales informations" in page
    assert dossier.employeur.raison_sociale in page and dossier.employeur.siret in page
    assert "DUPONT" in page and dossier.salarie.nir_masque in page
    assert NIR not in page  # the NIR in full is never shown outside its own field
    assert "CQP Agent de propreté" in page
    assert "Service formation" in page and "Atelier" in page and "150 h" in page and "250 h" in page
    assert "Estimation" in page and "3\u202f660,00 €" in page


def test_statuses_and_links_to_fix(adherent, dossier):
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    statuts = {p.onglet.slug: p.status for p in onglets.puces(rules.check(dossier))}
    assert statuts["salarie"] == "invalid"
    assert 'data-onglet="salarie" data-status="invalid"' in page
    assert f'href="/dossiers/{dossier.pk}/salarie/"' in page and "Corriger l'onglet Salarié" in page
    assert f'href="/dossiers/{dossier.pk}/formation/"' in page
    assert 'data-onglet="synthese"' not in page  # its own status is the tab bar's


ATTESTATIONS = {"attestation_exactitude": "on", "attestation_gratuite": "on", "attestation_sans_dedit": "on"}


def test_attestations_are_mandatory_boxes(adherent, dossier):
    codes = {a.code for a in rules.check_onglet(dossier, "synthese")}
    assert codes == {
        "SYNTHESE_ATTESTATION_EXACTITUDE_OBLIGATOIRE",
        "SYNTHESE_ATTESTATION_GRATUITE_OBLIGATOIRE",
        "SYNTHESE_ATTESTATION_SANS_DEDIT_OBLIGATOIRE",
        "SYNTHESE_ACCEPTATION_CG_OBLIGATOIRE",
    }
    client = client_for(adherent)
    response = save(client, dossier, ATTESTATIONS)
    assert "Saisie obligatoire" in text(response)
    dossier.refresh_from_db()
    assert [a.field for a in rules.check_onglet(dossier, "synthese")] == ["acceptation_cg"]
    response = save(client, dossier, {**ATTESTATIONS, "acceptation_cg": "on", "commentaire": "Merci"})
    assert 'id="puce-synthese"' in text(response)  # the save's out-of-band bullets
    synthese = Synthese.objects.get(dossier=dossier)
    assert synthese.attestation_exactitude and synthese.acceptation_cg and synthese.commentaire == "Merci"
    assert synthese.attestation_gratuite and synthese.attestation_sans_dedit
    dossier.refresh_from_db()
    assert rules.check_onglet(dossier, "synthese") == []
    assert {p.onglet.slug: p.status for p in onglets.puces(rules.check(dossier))}["synthese"] == "valid"


@pytest.mark.parametrize(
    "name,libelle,exigence",
    [
        (
            "attestation_gratuite",
            "L'employeur atteste que l'organisme de formation ne demande au salarié aucune contribution financière, "
            "de quelque nature qu'elle soit, au titre de son inscription en formation (article L6325-2-1 du code du "
            "travail).",
            "FOR-09",
        ),
        (
            "attestation_sans_dedit",
            "L'employeur atteste que le contrat ne comporte aucune clause de dédit-formation prévoyant le "
            "remboursement par le salarié des dépenses de formation en cas de rupture du contrat (article L6325-15 "
            "du code du travail).",
            "FOR-10",
        ),
    ],
)
def test_for09_for10_attestations_are_shown_and_mandatory(adherent, dossier, name, libelle, exigence):
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    assert f'<label class="form-check-label" for="id_{name}">* {libelle}</label>' in page
    response = save(client_for(adherent), dossier, {**ATTESTATIONS, "acceptation_cg": "on", name: ""})
    assert re.search(rf'id="messages-{name}".*?Saisie obligatoire', text(response), re.S)
    [rule] = [r for r in rules.REGISTRY.rules if r.fields == (name,)]
    assert rule.exigences == (exigence,) and rule.source.startswith("Code du travail, art. L6325-")


def test_comment_over_2000_characters_is_refused(adherent, dossier):
    response = save(client_for(adherent), dossier, {"commentaire": "x" * 2001})
    assert "Le commentaire ne peut dépasser 2000 caractères." in text(response)
    assert Synthese.objects.get(dossier=dossier).commentaire == ""


def test_comment_of_2000_characters_with_newlines_is_kept_whole(adherent, dossier):
    # Issue 20: the browser sends newlines as CRLF; counted twice, 30 lines cut the comment at 1 970 characters.
    lignes = ["x" * 65] * 30  # 30 × 65, 30 newlines, 20: 2 000 characters as the counter counts them
    commentaire = "\n".join(lignes) + "\n" + "y" * 20
    assert len(commentaire) == 2000
    response = save(client_for(adherent), dossier, {"commentaire": commentaire.replace("\n", "\r\n")})
    assert "ne peut dépasser" not in text(response)
    assert Synthese.objects.get(dossier=dossier).commentaire == commentaire
    response = save(client_for(adherent), dossier, {"commentaire": commentaire.replace("\n", "\r\n") + "z"})
    assert "Le commentaire ne peut dépasser 2000 caractères." in text(response)


def test_cg_link_and_page(adherent, dossier):
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    assert 'href="/conditions-generales/"' in page
    response = Client().get("/conditions-generales/")
    assert response.status_code == 200
    page = text(response)
    assert "Conditions Générales" in page and "Données à caractère personnel" in page
    assert "à valider par le service juridique d'AKTO" in page


def test_read_only_dossier_disables_the_boxes(adherent, dossier):
    dossier.state = "transmis"
    dossier.save()
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    assert 'name="acceptation_cg"' in page and "disabled" in page


@pytest.mark.parametrize(
    "partie,name,onglet",
    [
        ("synthese", "attestation_gratuite", "Synthèse"),
        ("synthese", "attestation_sans_dedit", "Synthèse"),
        ("salarie", "attestation_tuteur_qualifie", "Salarié"),
    ],
)
def test_transmettre_is_refused_while_an_attestation_is_unticked(adherent, partie, name, onglet):
    from dossiers.enums import DossierState
    from dossiers.models import Dossier, Salarie
    from tests.complet import dossier_complet

    dossier = dossier_complet(adherent)
    modele = {"synthese": Synthese, "salarie": Salarie}[partie]
    modele.objects.filter(dossier=dossier).update(**{name: False})
    client = client_for(adherent)
    response = client.post(f"/dossiers/{dossier.pk}/transmettre/")
    assert response.status_code == 422
    assert "Saisie invalide" in text(response) and f"<li>{onglet}</li>" in text(response)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.BROUILLON
    modele.objects.filter(dossier=dossier).update(**{name: True})
    assert client.post(f"/dossiers/{dossier.pk}/transmettre/").status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS


def test_recap_shows_the_tutors_attestations_and_outside_contracts(adherent, dossier):
    from dossiers.models import Salarie, Tuteur

    Salarie.objects.filter(dossier=dossier).update(attestation_tuteur=True)
    Tuteur.objects.filter(dossier=dossier, rang=1).update(autres_alternants=1)
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/synthese/"))
    recap = page[page.index('id="synthese-salarie"') :].split("</section>", 1)[0]
    lignes = dict(re.findall(r"<dt[^>]*>([^<]*)</dt>\s*<dd[^>]*>([^<]*)</dd>", recap))
    assert lignes["Autres alternants du tuteur hors du portail"] == "1"
    assert lignes["Attestation : nombre de salariés suivis par le tuteur"] == "Oui"
    assert lignes["Attestation : tuteur volontaire, qualifié et expérimenté"] == "Non"
