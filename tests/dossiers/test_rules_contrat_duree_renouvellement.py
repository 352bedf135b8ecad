"""Issue 18, part A: duration beyond 24 months (X-14), type 12 (DUR-13 / X-08), renewals where the previous contract
is known (DUR-09 / X-07), the ETT's nature (ETT-04 / X-05, ETT-01), the avenant's dates (X-09)."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers import rules
from dossiers.enums import Diplome, DossierState, NatureContrat, TypeContrat, TypePublic
from dossiers.models import Dossier
from referentiels.validators import nir_key
from tests.dossiers.test_rules_contrat import dossier as _dossier
from tests.factories import DossierFactory, EtablissementFactory

pytestmark = pytest.mark.django_db

DEBUT = date(2026, 2, 2)
NIR_13 = "1040578006084"
NIR_AUTRE = "2990775120005"


@pytest.fixture(autouse=True)
def parametres():
    call_command("load_parametres", stdout=StringIO())


def dossier(type_contrat=TypeContrat.INITIAL, naissance=date(2005, 1, 10), diplome=Diplome.BAC_PRO, **contrat):
    """A contract from 02/02/2026 for a 21-year-old with a bac pro (not the L6325-1-1 public), one year long."""
    return _dossier(type_contrat, naissance, diplome, **{"salaire_brut": Decimal("2500.00"), **contrat})


def anomalies(d):
    return {a.code: a for a in rules.check_onglet(d, "contrat")}


def bloquants(d):
    return {code for code, a in anomalies(d).items() if a.bloquant}


def alertes(d):
    return {code for code, a in anomalies(d).items() if not a.bloquant}


# --- beyond 24 months, only the L6325-1-1 public and the VAE experiment --------------------------------


@pytest.mark.parametrize(
    "fin,bloque,alerte",
    [
        (date(2028, 2, 1), False, True),  # 24 months exactly (C9 + 24 months − 1 day): the branch agreement's alert
        (date(2028, 2, 2), True, False),  # 24 months + 1 day: blocked
        (date(2028, 3, 1), True, False),  # 25 months
        (date(2029, 1, 1), True, False),  # 35 months
        (date(2029, 2, 1), True, False),  # 36 months exactly
    ],
)
def test_x14_beyond_24_months_blocked_for_a_21_year_old_with_a_bac_pro(fin, bloque, alerte):
    d = dossier(date_fin=fin)
    assert ("CONTRAT_X14_PLUS_DE_24_MOIS" in bloquants(d)) is bloque
    assert ("CONTRAT_DUR_05" in alertes(d)) is alerte
    assert ("Contrat" in rules.onglets_invalides(d)) is bloque  # *Transmettre* refused


def test_x14_message_says_what_is_allowed_and_why():
    anomalie = anomalies(dossier(date_fin=date(2028, 3, 1)))["CONTRAT_X14_PLUS_DE_24_MOIS"]
    assert anomalie.field == "date_fin"
    assert "publics de l'article L6325-1-1" in anomalie.message
    assert "Un accord de branche ne permet pas de dépasser 24 mois" in anomalie.message
    assert "la date de fin doit être au plus tard le 01/02/2028" in anomalie.message


@pytest.mark.parametrize("fin,bloque", [(date(2029, 2, 1), False), (date(2029, 2, 2), True)])
def test_x14_thirty_six_months_for_the_l6325_1_1_public(fin, bloque):
    d = dossier(date_fin=fin, diplome=Diplome.AUCUN)  # 21 without any diploma: RENF-01
    assert "CONTRAT_X14_PLUS_DE_24_MOIS" not in bloquants(d)
    assert ("CONTRAT_DUR_04" in bloquants(d)) is bloque
    assert ("Contrat" in rules.onglets_invalides(d)) is bloque


def test_x14_thirty_months_for_a_job_seeker_of_more_than_a_year():
    d = dossier(date_fin=date(2028, 8, 1))
    assert "CONTRAT_X14_PLUS_DE_24_MOIS" in bloquants(d)
    d.salarie.inscrit_france_travail, d.salarie.duree_inscription_mois = True, 13  # RENF-02
    assert "CONTRAT_X14_PLUS_DE_24_MOIS" not in bloquants(d)


def test_x14_not_for_the_vae_experiment():
    d = dossier(date_fin=date(2028, 8, 1))
    d.formation.type_qualification = "8"
    assert "CONTRAT_X14_PLUS_DE_24_MOIS" not in bloquants(d)


def test_beyond_36_months_dur_04_blocks_everyone_and_x14_says_nothing_more():
    codes = bloquants(dossier(date_fin=date(2029, 2, 2)))
    assert "CONTRAT_DUR_04" in codes
    assert "CONTRAT_X14_PLUS_DE_24_MOIS" not in codes


def test_the_rules_cite_their_exigences():
    par_code = {r.code: r for r in rules.REGISTRY.rules}
    assert {"X-14", "DUR-04", "DUR-05"} <= set(par_code["CONTRAT_X14_PLUS_DE_24_MOIS"].exigences)
    for code in ("CONTRAT_DUR_13", "CONTRAT_DUR_13_AGE"):
        assert set(par_code[code].exigences) == {"DUR-13", "X-08"}
    assert {"DUR-09", "X-07"} <= set(par_code["CONTRAT_DUR_09_CONTRAT_PRECEDENT"].exigences)
    assert {"ETT-04", "X-05"} <= set(par_code["CONTRAT_ETT04_NATURE_TRAVAIL_TEMPORAIRE"].exigences)
    assert par_code["CONTRAT_X09_DATES_DU_CONTRAT_MODIFIE"].exigences == ("X-09",)
    assert all(par_code[c].source for c in ("CONTRAT_X14_PLUS_DE_24_MOIS", "CONTRAT_DUR_13_AGE"))


# --- DUR-13 / X-08: type 12, CDD only, 16 to 25 at the start date -------------------------------------------


def test_dur_13_type_12_is_a_cdd_message_under_the_nature():
    assert "CONTRAT_DUR_13" not in bloquants(dossier(type_contrat="12"))
    anomalie = anomalies(dossier(type_contrat="12", nature=NatureContrat.CDI, duree_essai_jours=30))["CONTRAT_DUR_13"]
    assert anomalie.field == "nature"
    assert "CDD" in anomalie.message


@pytest.mark.parametrize(
    "naissance,bloque",
    [
        (date(2010, 2, 2), False),  # 16th birthday on the start day
        (date(2010, 2, 3), True),  # the day before the 16th birthday: 15
        (date(2000, 2, 3), False),  # the day before the 26th birthday: 25 révolus
        (date(2000, 2, 2), True),  # 26th birthday on the start day
    ],
)
def test_dur_13_age_16_to_25_at_the_start_date(naissance, bloque):
    d = dossier(type_contrat="12", naissance=naissance)
    assert ("CONTRAT_DUR_13_AGE" in bloquants(d)) is bloque
    assert ("Contrat" in rules.onglets_invalides(d)) is bloque
    assert "CONTRAT_DUR_13_AGE" not in bloquants(dossier(type_contrat="11", naissance=naissance))


def test_dur_13_age_is_read_at_the_start_not_at_the_conclusion():
    # Concluded on 20/01/2026 at 25, starts on 02/02/2026 at 26: the start date decides.
    d = dossier(type_contrat="12", naissance=date(2000, 2, 1), date_conclusion=date(2026, 1, 20))
    anomalie = anomalies(d)["CONTRAT_DUR_13_AGE"]
    assert anomalie.field == "type_contrat"
    assert "de 16 à 25 ans révolus à la date de début d'exécution" in anomalie.message
    assert "Le salarié a 26 ans à cette date : choisissez un autre type de contrat." in anomalie.message
    jeune = anomalies(dossier(type_contrat="12", naissance=date(2010, 2, 3)))["CONTRAT_DUR_13_AGE"]
    assert "Le salarié a 15 ans à cette date : le contrat commence au plus tôt à ses 16 ans." in jeune.message


def test_dur_13_age_silent_without_the_date_of_birth():
    assert "CONTRAT_DUR_13_AGE" not in bloquants(dossier(type_contrat="12", naissance=None))


# --- ETT-04 / X-05: an ETT's intérimaire is hired « Travail temporaire » ------------------------------------------


def dossier_ett(type_public=TypePublic.INTERIMAIRE, **contrat):
    d = dossier(**contrat)
    d.employeur.travail_temporaire = True
    d.type_public = type_public
    return d


def test_ett_04_interimaire_in_cdd_blocked():
    anomalie = anomalies(dossier_ett())["CONTRAT_ETT04_NATURE_TRAVAIL_TEMPORAIRE"]
    assert anomalie.bloquant and anomalie.field == "nature"
    assert "« Travail temporaire »" in anomalie.message


def test_ett_04_interimaire_in_travail_temporaire_allowed():
    d = dossier_ett(nature=NatureContrat.TRAVAIL_TEMPORAIRE, salaire_brut=Decimal("15.00"))
    assert not {"CONTRAT_ETT04_NATURE_TRAVAIL_TEMPORAIRE", "CONTRAT_DUR_01"} & bloquants(d)


def test_ett_01_interimaire_in_cdi_is_an_alert():
    d = dossier_ett(nature=NatureContrat.CDI, duree_essai_jours=30)
    assert "CONTRAT_ETT01_CDI_INTERIMAIRE" in alertes(d)
    assert "CONTRAT_ETT04_NATURE_TRAVAIL_TEMPORAIRE" not in bloquants(d)


def test_ett_permanent_chooses_cdd_or_cdi():
    for nature in (NatureContrat.CDD, NatureContrat.CDI):
        d = dossier_ett(type_public=TypePublic.PERMANENT, nature=nature, duree_essai_jours=30)
        assert not {"CONTRAT_ETT04_NATURE_TRAVAIL_TEMPORAIRE", "CONTRAT_ETT01_CDI_INTERIMAIRE"} & set(anomalies(d))


def test_not_an_ett_cdd_is_fine():
    d = dossier()
    d.type_public = TypePublic.INTERIMAIRE  # never set by the wizard without an ETT, but harmless
    assert "CONTRAT_ETT04_NATURE_TRAVAIL_TEMPORAIRE" not in bloquants(d)


# --- DUR-09 / X-07: one renewal, when the previous contract is known ----------------------------------------------


def _nir(nir13):
    return f"{nir13}{nir_key(nir13):02d}"


def renouvellement(etablissement, type_contrat="21", nir=NIR_13):
    d = dossier(type_contrat=type_contrat)
    d.etablissement = etablissement
    d.save()
    d.employeur.siret = etablissement.siret
    d.employeur.save()
    d.salarie.nir = _nir(nir)
    d.salarie.save()
    return d


def precedent(etablissement, *, type_contrat="11", nature=NatureContrat.CDD, fin=DEBUT, state=DossierState.ACCEPTE):
    d = DossierFactory(etablissement=etablissement, type_contrat=type_contrat, state=state)
    d.salarie.nir = _nir(NIR_13)
    d.salarie.save()
    d.contrat.nature, d.contrat.date_debut, d.contrat.date_fin = nature, date(2025, 2, 3), fin
    d.contrat.save()
    return d


@pytest.fixture
def etablissement():
    return EtablissementFactory()


def test_dur_09_first_renewal_of_a_cdd_allowed(etablissement):
    precedent(etablissement, type_contrat="11")
    assert "CONTRAT_DUR_09_CONTRAT_PRECEDENT" not in bloquants(renouvellement(etablissement))


@pytest.mark.parametrize("type_precedent", ["21", "22", "23", "24"])
def test_dur_09_second_renewal_blocked(etablissement, type_precedent):
    autre = precedent(etablissement, type_contrat=type_precedent, state=DossierState.TRANSMIS)
    d = renouvellement(etablissement, type_contrat="22")
    anomalie = anomalies(d)["CONTRAT_DUR_09_CONTRAT_PRECEDENT"]
    assert anomalie.bloquant and anomalie.field == "type_contrat"
    assert f"(dossier n° {autre.numero}) était déjà un renouvellement" in anomalie.message
    assert "/20" not in anomalie.message  # nothing of the other dossier but its number (no date)
    assert "Contrat" in rules.onglets_invalides(d)


def test_dur_09_renewal_of_a_cdi_blocked(etablissement):
    autre = precedent(etablissement, nature=NatureContrat.CDI)
    anomalie = anomalies(renouvellement(etablissement))["CONTRAT_DUR_09_CONTRAT_PRECEDENT"]
    assert f"(dossier n° {autre.numero}) est un CDI" in anomalie.message


@pytest.mark.parametrize("fin,bloque", [(DEBUT, True), (date(2026, 2, 3), False)])
def test_dur_09_previous_contract_ends_on_or_before_the_start(etablissement, fin, bloque):
    precedent(etablissement, type_contrat="21", fin=fin)
    assert ("CONTRAT_DUR_09_CONTRAT_PRECEDENT" in bloquants(renouvellement(etablissement))) is bloque


def test_dur_09_the_last_previous_contract_decides(etablissement):
    precedent(etablissement, type_contrat="21", fin=date(2024, 1, 31))  # an older renewal…
    precedent(etablissement, type_contrat="11", fin=date(2026, 1, 31))  # …then a new initial contract
    assert "CONTRAT_DUR_09_CONTRAT_PRECEDENT" not in bloquants(renouvellement(etablissement))


@pytest.mark.parametrize(
    "state", [DossierState.BROUILLON, DossierState.A_REPRENDRE, DossierState.REFUSE, DossierState.REFUSE_PAR_ADHERENT]
)
def test_dur_09_silent_when_the_previous_dossier_is_a_draft_or_refused(etablissement, state):
    precedent(etablissement, type_contrat="21", state=state)
    assert "CONTRAT_DUR_09_CONTRAT_PRECEDENT" not in bloquants(renouvellement(etablissement))


def test_dur_09_silent_for_another_salarie_or_another_employer(etablissement):
    precedent(etablissement, type_contrat="21")
    assert "CONTRAT_DUR_09_CONTRAT_PRECEDENT" not in bloquants(renouvellement(etablissement, nir=NIR_AUTRE))
    assert "CONTRAT_DUR_09_CONTRAT_PRECEDENT" not in bloquants(renouvellement(EtablissementFactory()))


def test_dur_09_same_siren_another_establishment_counts(etablissement):
    precedent(etablissement, type_contrat="21")
    voisin = EtablissementFactory(entreprise=etablissement.entreprise)
    assert "CONTRAT_DUR_09_CONTRAT_PRECEDENT" in bloquants(renouvellement(voisin))


def test_dur_09_only_for_renewals(etablissement):
    precedent(etablissement, type_contrat="21")
    assert "CONTRAT_DUR_09_CONTRAT_PRECEDENT" not in bloquants(renouvellement(etablissement, type_contrat="11"))


def test_dur_09_on_transmission(etablissement):
    from dossiers.services import SaisieInvalide, dossier_transmettre

    d = renouvellement(etablissement)
    d.contrat.save()
    assert "Contrat" not in rules.onglets_invalides(Dossier.objects.get(pk=d.pk))
    precedent(etablissement, type_contrat="21")
    with pytest.raises(SaisieInvalide) as refus:
        dossier_transmettre(dossier=Dossier.objects.get(pk=d.pk), user=d.created_by)
    assert "Contrat" in refus.value.onglets_invalides


# --- an avenant's dates are those of the amended contract, when the portal knows it --------------------------


def avenant(etablissement, **contrat):
    d = renouvellement(etablissement, type_contrat="30")
    d.contrat.date_effet_avenant = date(2026, 6, 1)
    for name, value in contrat.items():
        setattr(d.contrat, name, value)
    return d


def contrat_accepte(etablissement, debut=DEBUT, fin=date(2027, 2, 1), state=DossierState.ACCEPTE):
    d = precedent(etablissement, fin=fin, state=state)
    d.contrat.date_debut = debut
    d.contrat.save()
    return d


def test_x09_same_dates_as_the_amended_contract(etablissement):
    contrat_accepte(etablissement)
    assert "CONTRAT_X09_DATES_DU_CONTRAT_MODIFIE" not in alertes(avenant(etablissement))


@pytest.mark.parametrize(
    "debut,fin", [(date(2026, 2, 3), date(2027, 2, 1)), (DEBUT, date(2027, 1, 31)), (DEBUT, date(2027, 2, 2))]
)
def test_x09_other_dates_alert_with_the_number_only(etablissement, debut, fin):
    autre = contrat_accepte(etablissement)
    d = avenant(etablissement, date_debut=debut, date_fin=fin)
    anomalie = anomalies(d)["CONTRAT_X09_DATES_DU_CONTRAT_MODIFIE"]
    assert not anomalie.bloquant and anomalie.field == "date_debut"
    assert f"(dossier n° {autre.numero})" in anomalie.message
    assert "/20" not in anomalie.message  # no date of the other dossier
    assert "Contrat" not in rules.onglets_invalides(d)  # an alert: Transmettre is not refused for it


def test_x09_silent_when_the_amended_contract_is_not_known(etablissement):
    contrat_accepte(etablissement, state=DossierState.TRANSMIS)  # not accepted yet
    contrat_accepte(etablissement, debut=date(2023, 1, 2), fin=date(2024, 1, 1))  # accepted, but does not overlap
    assert "CONTRAT_X09_DATES_DU_CONTRAT_MODIFIE" not in alertes(avenant(etablissement, date_fin=date(2027, 3, 1)))


def test_x09_silent_when_two_contracts_may_be_the_amended_one(etablissement):
    contrat_accepte(etablissement)
    contrat_accepte(etablissement, debut=date(2026, 9, 1), fin=date(2027, 8, 31))
    assert "CONTRAT_X09_DATES_DU_CONTRAT_MODIFIE" not in alertes(avenant(etablissement, date_fin=date(2027, 3, 1)))


def test_x09_only_for_an_avenant(etablissement):
    contrat_accepte(etablissement)
    d = renouvellement(etablissement, type_contrat="11")
    d.contrat.date_fin = date(2027, 3, 1)
    assert "CONTRAT_X09_DATES_DU_CONTRAT_MODIFIE" not in alertes(d)
