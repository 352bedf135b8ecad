"""The Financement tab: the funding estimate (standard, renforcé, GEIQ, branch level, tutor aid, reste à charge)
and the travail temporaire options (reste à charge, type de contribution)."""

import datetime as dt
import html
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers import rules
from dossiers.calculs.financement import estimation
from dossiers.enums import Diplome, MinimumSocial
from dossiers.models import Financement, ModuleFormation, TypeContribution
from referentiels.models import ForfaitPriseEnCharge, ParametreRegle, PublicForfait
from tests.conftest import client_for
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def parametres():
    call_command("load_parametres", stdout=StringIO())


def make(user, heures=400, **kwargs):
    etablissement = user.rattachements.get().etablissement
    dossier = DossierFactory(etablissement=etablissement, created_by=user, **kwargs)
    contrat = dossier.contrat
    contrat.date_debut, contrat.date_fin = dt.date(2026, 2, 2), dt.date(2027, 2, 1)
    contrat.save()
    dossier.formation.duree_totale_heures = heures
    dossier.formation.save()
    salarie = dossier.salarie
    salarie.date_naissance, salarie.diplome_plus_eleve = dt.date(2000, 5, 1), Diplome.BAC_PRO
    salarie.save()
    return dossier


def text(response):
    return html.unescape(response.content.decode())


def codes(dossier, onglet="financement"):
    return {a.code for a in rules.check_onglet(dossier, onglet)}


def save(client, dossier, data):
    dossier.refresh_from_db()
    return client.post(
        f"/dossiers/{dossier.pk}/financement/", {"version": dossier.version, **data}, HTTP_HX_REQUEST="true"
    )


# --- the estimate ----------------------------------------------------------------------------------------------


def test_standard_forfait_times_training_hours(adherent):
    est = estimation(make(adherent))
    assert (est.forfait, est.heures, est.prise_en_charge) == (Decimal("9.15"), 400, Decimal("3660.00"))
    assert not est.renforce and "défaut" in est.forfait_origine
    assert est.date_reference == dt.date(2026, 2, 2)
    assert est.parametres[0].date_effet == dt.date(2019, 1, 1)  # the legal forfait's date is shown


def test_renforce_young_without_diploma(adherent):
    dossier = make(adherent)
    dossier.salarie.diplome_plus_eleve = Diplome.AUCUN  # RENF-01: 25 at the start, no diploma
    est = estimation(dossier)
    assert est.renforce and est.forfait == Decimal("15.00") and est.prise_en_charge == Decimal("6000.00")
    assert est.tutorat_majore and est.tutorat_mensuel == Decimal("345")


def test_renforce_job_seeker_over_a_year_and_minimum_social(adherent):
    dossier = make(adherent)
    salarie = dossier.salarie
    salarie.inscrit_france_travail, salarie.duree_inscription_mois = True, 12
    assert not estimation(dossier).renforce  # « plus d'un an »: 12 months is not enough
    salarie.duree_inscription_mois = 13
    assert estimation(dossier).motifs_renforce == ["inscrit à France Travail depuis plus d'un an"]
    salarie.inscrit_france_travail, salarie.minimum_social = False, MinimumSocial.RSA
    assert estimation(dossier).forfait == Decimal("15.00")


def test_young_with_a_vocational_diploma_is_not_renforce(adherent):
    dossier = make(adherent)
    dossier.salarie.diplome_plus_eleve = Diplome.CAP  # vocational: not RENF-01
    assert estimation(dossier).forfait == Decimal("9.15")


def test_geiq_employer_gets_the_renforce_forfait_but_no_tutor_majoration(adherent):
    dossier = make(adherent)
    dossier.employeur.geiq = True
    est = estimation(dossier)
    assert est.geiq and est.forfait == Decimal("15.00") and not est.tutorat_majore


def test_branch_level_overrides_the_legal_default(adherent):
    dossier = make(adherent)
    ForfaitPriseEnCharge.objects.create(
        idcc=dossier.employeur.idcc, public=PublicForfait.STANDARD, date_effet=dt.date(2025, 1, 1), montant_horaire=12
    )
    est = estimation(dossier)
    assert est.forfait == Decimal("12.00") and est.prise_en_charge == Decimal("4800.00")
    assert f"IDCC {dossier.employeur.idcc}" in est.forfait_origine
    assert est.parametres[0].date_effet == dt.date(2025, 1, 1)
    dossier.contrat.date_debut = dt.date(2024, 6, 1)  # before the branch's level: the legal default
    assert estimation(dossier).forfait == Decimal("9.15")


def test_tutor_aid_standard_majored_and_capped_by_the_contract(adherent):
    dossier = make(adherent)
    est = estimation(dossier)
    assert (est.tutorat_mensuel, est.tutorat_mois, est.tutorat) == (Decimal("230"), 6, Decimal("1380.00"))
    assert any(p.date_effet == dt.date(2019, 1, 1) for p in est.parametres[1:])
    tuteur = dossier.tuteur(1)
    tuteur.date_naissance = dt.date(1980, 1, 1)  # 46 at the start
    est = estimation(dossier)
    assert est.tutorat_majore and est.tutorat == Decimal("2070.00") and "45 ans" in est.tutorat_motif
    dossier.contrat.date_fin = dt.date(2026, 5, 31)  # 4 months
    assert estimation(dossier).tutorat_mois == 4


def test_tutor_aid_reads_the_admin_parameter(adherent):
    ParametreRegle.objects.create(
        code="FIN_TUTORAT_MENSUEL", date_effet=dt.date(2026, 1, 1), valeur=200, libelle="Branche", source="AKTO"
    )
    est = estimation(make(adherent))
    assert est.tutorat == Decimal("1200.00")
    assert any(p.date_effet == dt.date(2026, 1, 1) and p.source == "AKTO" for p in est.parametres)


def test_reste_a_charge_from_the_quote(adherent):
    dossier = make(adherent)
    assert estimation(dossier).reste_a_charge is None
    dossier.financement.cout_pedagogique = Decimal("5000")
    assert estimation(dossier).reste_a_charge == Decimal("1340.00")
    dossier.financement.cout_pedagogique = Decimal("3000")
    assert estimation(dossier).reste_a_charge == Decimal("0")


def test_missing_hours_are_said(adherent):
    est = estimation(make(adherent, heures=None))
    assert est.prise_en_charge is None and est.manquants


def test_no_forfait_known_is_an_error_not_a_wrong_amount(adherent):
    ForfaitPriseEnCharge.objects.all().delete()
    est = estimation(make(adherent))
    assert est.forfait is None and est.erreurs


# --- the tab -----------------------------------------------------------------------------------------------------


def test_other_employers_see_what_akto_funds_and_the_estimate(adherent):
    dossier = make(adherent)
    page = text(client_for(adherent).get(f"/dossiers/{dossier.pk}/financement/"))
    assert "AKTO prend en charge les frais de formation" in page
    assert "reste_a_charge_demande" not in page and "type_contribution" not in page
    assert "Estimation" in page and "3\u202f660,00 €" in page and "02/02/2026" in page
    assert "Le salaire et les charges sociales du salarié restent à la charge de l'employeur" in page
    assert codes(dossier) == set()


def test_travail_temporaire_options_are_mandatory(adherent_interim):
    dossier = make(adherent_interim)
    assert codes(dossier) == {"FINANCEMENT_RESTE_A_CHARGE_DEMANDE_OBLIGATOIRE"}
    client = client_for(adherent_interim)
    page = text(client.get(f"/dossiers/{dossier.pk}/financement/"))
    assert "Souhaitez-vous demander le financement de votre reste à charge ?" in page
    assert "Contribution conventionnelle de la branche du travail temporaire" in page  # loaded by the migration

    response = save(client, dossier, {"reste_a_charge_demande": "True"})
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert codes(dossier) == {"FINANCEMENT_TYPE_CONTRIBUTION_OBLIGATOIRE"}
    assert 'id="puce-financement"' in text(response)  # the save's out-of-band bullets

    volontaire = TypeContribution.objects.get(code="volontaire")
    save(client, dossier, {"reste_a_charge_demande": "True", "type_contribution": volontaire.pk})
    financement = Financement.objects.get(dossier=dossier)
    assert financement.type_contribution == volontaire
    dossier.refresh_from_db()
    assert codes(dossier) == set()

    save(client, dossier, {"reste_a_charge_demande": "False", "type_contribution": volontaire.pk})
    financement.refresh_from_db()
    assert (financement.reste_a_charge_demande, financement.type_contribution) == (False, None)  # closed: cleared


def test_tt_fields_posted_by_another_employer_are_ignored(adherent):
    dossier = make(adherent)
    save(client_for(adherent), dossier, {"reste_a_charge_demande": "True", "cout_pedagogique": "4 500,50"})
    financement = Financement.objects.get(dossier=dossier)
    assert financement.reste_a_charge_demande is None
    assert financement.cout_pedagogique == Decimal("4500.50")


def test_dossier_without_the_part_is_served_and_gets_it_on_save(adherent):
    dossier = make(adherent)
    Financement.objects.filter(dossier=dossier).delete()
    client = client_for(adherent)
    assert client.get(f"/dossiers/{dossier.pk}/financement/").status_code == 200
    save(client, dossier, {"cout_pedagogique": "100"})
    assert Financement.objects.get(dossier=dossier).cout_pedagogique == Decimal("100.00")


def test_created_dossier_has_the_parts(adherent):
    from dossiers.services import _create

    etablissement = adherent.rattachements.get().etablissement
    modele = DossierFactory(etablissement=etablissement, created_by=adherent)
    dossier = _create(adherent, etablissement, modele.sous_dispositif, modele.type_contrat, "", "ok")
    assert Financement.objects.filter(dossier=dossier).exists()
    assert dossier.synthese.pk


def test_module_hours_are_not_the_base(adherent):
    """The base is the *Durée totale de formation* (F13), not the sum of the modules."""
    dossier = make(adherent, heures=100)
    ModuleFormation.objects.create(formation=dossier.formation, type="interne", heures=999)
    assert estimation(dossier).prise_en_charge == Decimal("915.00")


def test_tutor_aid_is_added_to_the_total_only_once_a_tutor_is_designated(adherent):
    from dossiers.calculs.financement import estimation
    from tests.factories import DossierFactory

    dossier = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    sans_tuteur = estimation(dossier)
    assert sans_tuteur.tutorat and sans_tuteur.total_aides in (None, sans_tuteur.prise_en_charge)
    tuteur = dossier.tuteur(1)
    tuteur.nom, tuteur.prenom = "Durand", "Claire"
    avec_tuteur = estimation(dossier)
    assert avec_tuteur.total_aides == (avec_tuteur.prise_en_charge or 0) + avec_tuteur.tutorat
