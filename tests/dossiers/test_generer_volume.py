"""``manage.py generer_volume``: every state, every part, coherent dates, search keys, attachments, no clear NIR."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dossiers.enums import DossierState
from dossiers.models import Dossier, DossierEvenement, Formation, ModuleFormation, Salarie, Tuteur
from dossiers.recherche import cle
from portal.models import Role, User
from referentiels.models import Etablissement
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

N = 400


@pytest.fixture
def volume():
    out = io.StringIO()
    call_command("generer_volume", dossiers=N, etablissements=80, seed=3, adherents=True, stdout=out)
    return out.getvalue()


def test_every_state_with_all_its_parts(volume):
    dossiers = Dossier.objects.select_related("employeur", "salarie", "contrat", "formation")
    assert dossiers.count() == N
    assert set(dossiers.values_list("state", flat=True)) == set(DossierState.values)
    assert len(set(dossiers.values_list("numero", flat=True))) == N
    for dossier in dossiers:
        assert dossier.numero == f"CP{dossier.created_at:%Y}{dossier.pk:06d}"
        assert dossier.employeur.siret == dossier.etablissement.siret
        assert dossier.salarie.nom_naissance and dossier.salarie.prenom
        assert dossier.formation is not None and dossier.contrat is not None
        assert dossier.recherche == cle(dossier)  # what the signals would have written
        assert dossier.financement and dossier.synthese
    assert Tuteur.objects.count() == 2 * N
    assert ModuleFormation.objects.filter(formation__in=Formation.objects.exclude(intitule="")).exists()


def test_dates_and_decisions_follow_the_state(volume):
    envoyes = [DossierState.TRANSMIS, DossierState.EN_INSTRUCTION, DossierState.A_COMPLETER]
    decides = [DossierState.ACCEPTE, DossierState.REFUSE]
    for dossier in Dossier.objects.all():
        if dossier.state in envoyes + decides:
            assert dossier.created_at <= dossier.transmis_le <= dossier.updated_at
        else:
            assert dossier.transmis_le is None
        if dossier.state in decides:
            assert dossier.transmis_le <= dossier.decide_le
        else:
            assert dossier.decide_le is None
        assert (dossier.montant_engage is not None) == (dossier.state == DossierState.ACCEPTE)
        assert bool(dossier.motif_refus) == (dossier.state == DossierState.REFUSE)
        evenements = list(dossier.evenements.all())
        assert evenements[0].transition == "creation" and evenements[-1].to_state == dossier.state
        assert all(e.created_at >= dossier.created_at for e in evenements)
    dates = sorted(Dossier.objects.values_list("created_at", flat=True))
    assert (dates[-1] - dates[0]).days > 365  # spread over two years
    assert DossierEvenement.objects.count() > N


def test_pre_entries_have_their_organisme(volume):
    presaisies = [DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE, DossierState.REFUSE_PAR_ADHERENT]
    assert not Dossier.objects.filter(state__in=presaisies, prestataire=None).exists()
    assert Dossier.objects.exclude(state__in=presaisies).exclude(prestataire=None).exists()  # taken over


def test_the_nir_is_encrypted(volume):
    salarie = Salarie.objects.exclude(nir_chiffre="").first()
    assert len(salarie.nir) == 15 and salarie.nir not in salarie.nir_chiffre
    assert salarie.nir_empreinte


def test_demo_accounts_see_what_they_should(volume):
    for email in ["adherent.reseau", "adherent.local", "prestataire", "gestionnaire"]:
        assert f"{email}@volume.test" in volume
    reseau = User.objects.get(email="adherent.reseau@volume.test")
    local = User.objects.get(email="adherent.local@volume.test")
    assert Etablissement.objects.rattaches_a(reseau).count() == 60
    assert Etablissement.objects.rattaches_a(local).count() == 8
    assert Dossier.objects.visible_to(reseau).count() > Dossier.objects.visible_to(local).count() > 0
    prestataire = User.objects.get(email="prestataire@volume.test")
    assert Dossier.objects.visible_to(prestataire).exists()
    gestionnaire = User.objects.get(email="gestionnaire@volume.test", role=Role.GESTIONNAIRE)
    assert client_for(gestionnaire).get("/admin/dossiers/dossier/").status_code == 200
    assert client_for(reseau).get("/dossiers/", {"q": "martin"}).status_code == 200


def test_a_second_run_is_refused(volume):
    with pytest.raises(CommandError, match="déjà été généré"):
        call_command("generer_volume", dossiers=10, etablissements=5, stdout=io.StringIO())
