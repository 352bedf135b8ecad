"""Business rules of the Salarié tab: NIR consistency, NIR vs birth name, age and public, tutor load."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dossiers import rules
from dossiers.enums import AnomalieKind, DossierState
from dossiers.models import Dossier, Tuteur
from dossiers.rules.salarie import (
    MESSAGE_NIR_NOM_NAISSANCE,
    age_revolu,
    code_departement,
    departements_concordants,
)
from referentiels.validators import nir_key, validate_nir
from tests.factories import DossierFactory, EntrepriseFactory, EtablissementFactory

pytestmark = pytest.mark.django_db


def nir(first_13: str) -> str:
    """A valid NIR from its 13 first characters (the key computed as the CNAM does)."""
    value = first_13 + f"{nir_key(first_13):02d}"
    validate_nir(value)
    return value


# A man born in May 1985 in Versailles (78 646).
HOMME_78 = nir("1850578646123")
# A woman born in March 1992 in Ajaccio (2A 004).
FEMME_2A = nir("292032A004056")
# A man born in June 1999 in Saint-Denis de La Réunion (974 11).
HOMME_974 = nir("1990697411234")
# A woman born in November 1988 in Spain (99, country 134).
FEMME_ETRANGER = nir("2881199134045")
# A woman born in 1980 in Paris whose civil status gives no month (pseudo-month 40).
FEMME_MOIS_40 = nir("2804075056078")


def codes(dossier, *wanted):
    found = {a.code for a in rules.check_onglet(dossier, "salarie")}
    return found & set(wanted) if wanted else found


def anomalies(dossier, code):
    return [a for a in rules.check_onglet(dossier, "salarie") if a.code == code]


def with_nir(dossier, value, *, sexe, naissance, departement, nom="MARTIN"):
    s = dossier.salarie
    s.nir_temporaire, s.nir, s.sexe, s.date_naissance, s.departement_naissance = (
        False,
        value,
        sexe,
        naissance,
        departement,
    )
    s.nom_naissance = nom
    return dossier


NIR_CODES = (
    "SALARIE_NIR_SEXE",
    "SALARIE_NIR_ANNEE_NAISSANCE",
    "SALARIE_NIR_MOIS_NAISSANCE",
    "SALARIE_NIR_DEPARTEMENT_NAISSANCE",
    "SALARIE_NIR_NOM_NAISSANCE",
)


# --- NIR vs civil status (NIR-06…09) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, sexe, naissance, departement",
    [
        (HOMME_78, "M", date(1985, 5, 17), "78"),
        (HOMME_78, "M", date(1985, 5, 17), "078"),
        (FEMME_2A, "F", date(1992, 3, 2), "2A"),
        (FEMME_2A, "F", date(1992, 3, 2), "2a"),
        (HOMME_974, "M", date(1999, 6, 30), "974"),
        (FEMME_ETRANGER, "F", date(1988, 11, 5), "99"),
        (FEMME_ETRANGER, "F", date(1988, 11, 5), "099"),
        (FEMME_MOIS_40, "F", date(1980, 7, 14), "75"),  # pseudo-month: any month is fine
    ],
)
def test_consistent_nir_raises_nothing(value, sexe, naissance, departement):
    dossier = with_nir(DossierFactory(), value, sexe=sexe, naissance=naissance, departement=departement)
    assert codes(dossier, *NIR_CODES) == set()


def test_sex_digit_must_match_sexe():
    dossier = with_nir(DossierFactory(), HOMME_78, sexe="F", naissance=date(1985, 5, 17), departement="78")
    found = anomalies(dossier, "SALARIE_NIR_SEXE")
    assert {a.field for a in found} == {"nir", "sexe"}
    assert found[0].message == "Le NIR ne correspond pas au sexe saisi."
    assert found[0].kind == AnomalieKind.REGLE
    dossier.salarie.sexe = "M"
    assert anomalies(dossier, "SALARIE_NIR_SEXE") == []
    dossier.salarie.sexe = ""
    assert anomalies(dossier, "SALARIE_NIR_SEXE") == []  # sexe has its own « Saisie obligatoire »


def test_birth_year_must_match():
    dossier = with_nir(DossierFactory(), FEMME_2A, sexe="F", naissance=date(1993, 3, 2), departement="2A")
    [message] = {a.message for a in anomalies(dossier, "SALARIE_NIR_ANNEE_NAISSANCE")}
    assert message == "L'année de naissance du NIR ne correspond pas à la date de naissance."
    dossier.salarie.date_naissance = date(1992, 3, 2)
    assert anomalies(dossier, "SALARIE_NIR_ANNEE_NAISSANCE") == []
    dossier.salarie.date_naissance = None
    assert anomalies(dossier, "SALARIE_NIR_ANNEE_NAISSANCE") == []


def test_birth_month_must_match_when_the_nir_gives_one():
    dossier = with_nir(DossierFactory(), HOMME_974, sexe="M", naissance=date(1999, 7, 1), departement="974")
    assert codes(dossier, *NIR_CODES) == {"SALARIE_NIR_MOIS_NAISSANCE"}
    assert anomalies(dossier, "SALARIE_NIR_MOIS_NAISSANCE")[0].message == (
        "Le mois de naissance du NIR ne correspond pas à la date de naissance."
    )
    dossier.salarie.date_naissance = date(1999, 6, 1)
    assert codes(dossier, *NIR_CODES) == set()
    dossier.salarie.date_naissance = None
    assert anomalies(dossier, "SALARIE_NIR_MOIS_NAISSANCE") == []


def test_pseudo_month_is_tolerated_but_not_the_year():
    dossier = with_nir(DossierFactory(), FEMME_MOIS_40, sexe="F", naissance=date(1981, 1, 1), departement="75")
    assert codes(dossier, *NIR_CODES) == {"SALARIE_NIR_ANNEE_NAISSANCE"}


@pytest.mark.parametrize(
    "value, sexe, naissance, departement",
    [
        (HOMME_78, "M", date(1985, 5, 17), "75"),
        (FEMME_2A, "F", date(1992, 3, 2), "2B"),
        (HOMME_974, "M", date(1999, 6, 30), "971"),
        (FEMME_ETRANGER, "F", date(1988, 11, 5), "64"),
        (HOMME_78, "M", date(1985, 5, 17), "99"),
    ],
)
def test_birth_departement_must_match(value, sexe, naissance, departement):
    dossier = with_nir(DossierFactory(), value, sexe=sexe, naissance=naissance, departement=departement)
    assert codes(dossier, *NIR_CODES) == {"SALARIE_NIR_DEPARTEMENT_NAISSANCE"}
    assert {a.field for a in anomalies(dossier, "SALARIE_NIR_DEPARTEMENT_NAISSANCE")} == {
        "nir",
        "departement_naissance",
    }
    dossier.salarie.departement_naissance = ""
    assert anomalies(dossier, "SALARIE_NIR_DEPARTEMENT_NAISSANCE") == []


def test_departement_codes_are_compared_normalised():
    assert [code_departement(v) for v in ("075", "2a", " 974 ", "099", "99", "02A")] == [
        "75",
        "2A",
        "974",
        "99",
        "99",
        "2A",
    ]
    assert departements_concordants("20", "2A")  # Corsica before 1976
    assert departements_concordants("985", "976")  # Mayotte before 2011
    assert departements_concordants("91", "099")  # Algeria before 1962
    assert not departements_concordants("99", "91")


def test_nir_rules_are_silent_for_a_temporary_nir_or_a_malformed_value():
    dossier = with_nir(DossierFactory(), HOMME_78, sexe="F", naissance=date(1990, 1, 1), departement="13")
    assert codes(dossier, *NIR_CODES) == set(NIR_CODES) - {"SALARIE_NIR_NOM_NAISSANCE"}
    dossier.salarie.nir_temporaire = True
    assert codes(dossier, *NIR_CODES) == set()
    dossier.salarie.nir_temporaire = None
    assert codes(dossier, *NIR_CODES) == set()
    dossier.salarie.nir_temporaire = False
    dossier.salarie.nir = HOMME_78[:13] + "00"  # wrong key: the form's validator speaks, not these rules
    assert codes(dossier, *NIR_CODES) == set()
    dossier.salarie.nir = ""
    assert codes(dossier, *NIR_CODES) == set()


# --- NIR vs birth name (port dossiers.calculs.identite) ------------------------------------------------------------


def recorded_elsewhere(value, nom, **kwargs):
    """A dossier of another company already holding this NIR under that birth name."""
    return DossierFactory(parts={"salarie": {"nir_temporaire": False, "nir": value, "nom_naissance": nom}}, **kwargs)


def test_nir_known_under_another_birth_name_elsewhere():
    recorded_elsewhere(HOMME_78, "DUPONT-AIGNAN")
    dossier = with_nir(DossierFactory(), HOMME_78, sexe="M", naissance=date(1985, 5, 17), departement="78")
    [anomalie] = anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE")
    assert (anomalie.field, anomalie.kind) == ("nir", AnomalieKind.REGLE)
    assert anomalie.message == MESSAGE_NIR_NOM_NAISSANCE == "Le NIR ne correspond pas au nom de naissance"
    assert "dupont" not in anomalie.message.lower()


def test_same_birth_name_whatever_case_accents_spaces_hyphens():
    recorded_elsewhere(FEMME_2A, "Le Gall-Hélias")
    dossier = with_nir(DossierFactory(), FEMME_2A, sexe="F", naissance=date(1992, 3, 2), departement="2A")
    for nom in ("LE GALL HELIAS", "le-gall-helias", "LEGALLHÉLIAS", " Le  Gall - Hélias "):
        dossier.salarie.nom_naissance = nom
        assert anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE") == [], nom


def test_message_is_the_same_whatever_the_other_name():
    dossier = with_nir(DossierFactory(), HOMME_974, sexe="M", naissance=date(1999, 6, 30), departement="974")
    recorded_elsewhere(HOMME_974, "PAYET")
    first = anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE")
    recorded_elsewhere(HOMME_974, "HOARAU")
    second = anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE")
    assert first == second and len(first) == 1
    assert all(nom not in a.message.upper() for nom in ("PAYET", "HOARAU") for a in second)


def test_unknown_nir_and_own_stored_values_say_nothing():
    dossier = with_nir(DossierFactory(), FEMME_ETRANGER, sexe="F", naissance=date(1988, 11, 5), departement="99")
    assert anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE") == []  # INCONNU
    dossier.salarie.save()
    dossier.salarie.nom_naissance = "GARCIA"  # edited in memory: its own stored "MARTIN" does not answer
    assert anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE") == []


def test_the_nir_typed_in_memory_is_the_one_compared():
    recorded_elsewhere(HOMME_78, "DUPONT")
    dossier = with_nir(DossierFactory(), FEMME_2A, sexe="F", naissance=date(1992, 3, 2), departement="2A")
    dossier.salarie.save()
    assert anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE") == []
    dossier.salarie.nir = "1 85 05 78 646 123 " + HOMME_78[13:]  # unsaved, typed with spaces
    assert len(anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE")) == 1


def test_birth_name_rule_is_silent_until_both_fields_are_filled():
    recorded_elsewhere(HOMME_78, "DUPONT")
    dossier = with_nir(DossierFactory(), HOMME_78, sexe="M", naissance=date(1985, 5, 17), departement="78", nom="")
    assert anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE") == []
    dossier.salarie.nom_naissance = "MARTIN"
    dossier.salarie.nir_temporaire = True  # the NIR question answered « Oui »: no NIR to compare
    assert anomalies(dossier, "SALARIE_NIR_NOM_NAISSANCE") == []


# --- Age at the date of conclusion (PUB-01…04) -------------------------------------------------------------


def aged(naissance, conclusion, *, inscrit=False, situation="8", minimum=""):
    dossier = DossierFactory(parts={"contrat": {"date_conclusion": conclusion}})
    s = dossier.salarie
    s.date_naissance, s.inscrit_france_travail, s.situation_avant_contrat, s.minimum_social = (
        naissance,
        inscrit,
        situation,
        minimum,
    )
    return dossier


AGE_CODES = ("SALARIE_PUB04_AGE_MINIMUM", "SALARIE_PUB02_PUB03_PUBLIC_26_ANS_ET_PLUS")


def test_age_in_full_years():
    assert age_revolu(date(2010, 3, 15), date(2026, 3, 14)) == 15
    assert age_revolu(date(2010, 3, 15), date(2026, 3, 15)) == 16
    assert age_revolu(date(2000, 2, 29), date(2026, 2, 28)) == 25  # common year: reached on 1 March
    assert age_revolu(date(2000, 2, 29), date(2026, 3, 1)) == 26
    assert age_revolu(date(2000, 2, 29), date(2024, 2, 29)) == 24
    assert age_revolu(date(2000, 12, 31), date(2001, 1, 1)) == 0


def test_under_16_the_day_before_the_birthday():
    dossier = aged(date(2010, 3, 15), date(2026, 3, 14))
    [anomalie] = anomalies(dossier, "SALARIE_PUB04_AGE_MINIMUM")
    assert anomalie.field == "date_naissance"
    assert anomalie.message == "Le salarié doit avoir au moins 16 ans à la date de conclusion du contrat."
    dossier.contrat.date_conclusion = date(2026, 3, 15)
    assert codes(dossier, *AGE_CODES) == set()


def test_under_16_even_with_a_minimum_social():
    dossier = aged(date(2010, 3, 15), date(2026, 3, 14), minimum="1")
    assert codes(dossier, *AGE_CODES) == {"SALARIE_PUB04_AGE_MINIMUM"}


def test_from_the_26th_birthday_an_eligible_public_is_required():
    dossier = aged(date(2000, 3, 15), date(2026, 3, 14))
    assert codes(dossier, *AGE_CODES) == set()  # 25 ans révolus: PUB-01
    dossier.contrat.date_conclusion = date(2026, 3, 15)
    [anomalie] = anomalies(dossier, "SALARIE_PUB02_PUB03_PUBLIC_26_ANS_ET_PLUS")
    assert "L6325-1" in anomalie.message and "France Travail" in anomalie.message
    assert "RSA" in anomalie.message and "contrat unique d'insertion" in anomalie.message


@pytest.mark.parametrize(
    "eligible",
    [
        {"inscrit": True},  # PUB-02
        {"minimum": "1"},  # PUB-03 RSA
        {"minimum": "2"},  # ASS
        {"minimum": "3"},  # AAH
        {"situation": "6"},  # PUB-03 former contrat aidé (CUI)
    ],
)
def test_26_and_over_eligible_publics(eligible):
    assert codes(aged(date(1980, 6, 1), date(2026, 9, 1), **eligible), *AGE_CODES) == set()


def test_26th_birthday_on_29_february():
    dossier = aged(date(2000, 2, 29), date(2026, 2, 28))
    assert codes(dossier, *AGE_CODES) == set()
    dossier.contrat.date_conclusion = date(2026, 3, 1)
    assert codes(dossier, *AGE_CODES) == {"SALARIE_PUB02_PUB03_PUBLIC_26_ANS_ET_PLUS"}


def test_age_rules_are_silent_without_both_dates_or_the_answers():
    dossier = aged(date(2012, 1, 1), None)
    assert codes(dossier, *AGE_CODES) == set()  # no date of conclusion yet (Contrat tab)
    dossier = aged(None, date(2026, 1, 1))
    assert codes(dossier, *AGE_CODES) == set()
    dossier = aged(date(1970, 1, 1), date(2026, 1, 1), inscrit=None)
    assert codes(dossier, *AGE_CODES) == set()  # « Inscrit à France Travail ? » not answered yet
    dossier = aged(date(1970, 1, 1), date(2026, 1, 1), situation="")
    assert codes(dossier, *AGE_CODES) == set()


# --- Tutor load (TUT-04, TUT-05, X-22, D6325-9) -------------------------------------------------------------

TUTEUR = {"nom": "Le Gall", "prenom": "Jean-Pierre", "date_naissance": date(1975, 4, 12)}
DEBUT = date(2026, 9, 1)
FIN = date(2027, 8, 31)


def tutored(etablissement, *, state=DossierState.TRANSMIS, date_debut=None, date_fin=None, **tuteur):
    """A saved dossier of ``etablissement`` whose establishment tutor is ``TUTEUR`` (or ``tuteur``); transmitted."""
    contrat = {"date_debut": date_debut, "date_fin": date_fin}
    dossier = DossierFactory(etablissement=etablissement, state=state, parts={"contrat": contrat})
    Tuteur.objects.filter(dossier=dossier, rang=Tuteur.Rang.EMPLOYEUR).update(**{**TUTEUR, **tuteur})
    return dossier


def current(etablissement, *, est_employeur=False, autres_alternants=0, **tuteur):
    """The dossier being entered, a contract from DEBUT to FIN: its tutor held in memory only."""
    dossier = DossierFactory(etablissement=etablissement, parts={"contrat": {"date_debut": DEBUT, "date_fin": FIN}})
    t = dossier.tuteur(Tuteur.Rang.EMPLOYEUR)
    valeurs = {**TUTEUR, **tuteur, "est_employeur": est_employeur, "autres_alternants": autres_alternants}
    for name, value in valeurs.items():
        setattr(t, name, value)
    return dossier


TROP = "SALARIE_TUTEUR1_TROP_DE_CONTRATS"


@pytest.fixture
def etablissement():
    return EtablissementFactory()


def test_salaried_tutor_with_2_others_is_accepted_with_3_others_refused(etablissement):
    autres = [tutored(etablissement) for _ in range(2)]
    dossier = current(etablissement)
    assert anomalies(dossier, TROP) == []  # 2 others + this one = 3, the maximum
    autres.append(tutored(etablissement, nom="LE GALL", prenom="jean pierre"))  # the same person, typed otherwise
    [anomalie] = anomalies(dossier, TROP)  # 3 others + this one = 4
    assert anomalie.field == "tuteur1_nom" and anomalie.bloquant
    a, b, c = sorted(d.numero for d in autres)
    assert anomalie.message == (
        f"Ce tuteur suit déjà 3 contrats sur la même période : les dossiers n° {a}, n° {b} et n° {c} (transmis ou "
        "acceptés). Un salarié tuteur ne peut pas suivre plus de 3 salariés en contrat de professionnalisation ou "
        "d'apprentissage en même temps, ce contrat compris (article D6325-9 du code du travail)."
    )
    assert all(d.salarie.nom_naissance not in anomalie.message for d in autres if d.salarie.nom_naissance)
    assert rules.onglets_en_anomalie([anomalie]) == {"salarie"}  # the Salarié tab turns red


def test_employer_tutor_with_1_other_is_accepted_with_2_others_refused(etablissement):
    tutored(etablissement)
    dossier = current(etablissement, est_employeur=True)
    assert anomalies(dossier, TROP) == []  # 1 other + this one = 2, the maximum
    autre = tutored(etablissement)
    [anomalie] = anomalies(dossier, TROP)
    assert anomalie.message.startswith("Ce tuteur suit déjà 2 contrats sur la même période : les dossiers n° ")
    assert anomalie.message.endswith(
        f"n° {autre.numero} (transmis ou acceptés). L'employeur tuteur ne peut pas suivre plus de 2 salariés en "
        "contrat de professionnalisation ou d'apprentissage en même temps, ce contrat compris (article D6325-9 du "
        "code du travail)."
    )
    dossier.tuteur(Tuteur.Rang.EMPLOYEUR).est_employeur = False
    assert anomalies(dossier, TROP) == []


def test_drafts_are_not_counted_even_over_the_same_period(etablissement):
    for state in (DossierState.BROUILLON, DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE):
        tutored(etablissement, state=state, date_debut=DEBUT, date_fin=FIN)
    tutored(etablissement, state=DossierState.BROUILLON)  # no dates either
    dossier = current(etablissement)
    assert anomalies(dossier, TROP) == []  # 4 abandoned drafts do not block a real contract


def test_refused_dossiers_are_not_counted(etablissement):
    tutored(etablissement, state=DossierState.REFUSE)
    tutored(etablissement, state=DossierState.REFUSE_PAR_ADHERENT)
    tutored(etablissement)
    tutored(etablissement)
    dossier = current(etablissement)
    assert anomalies(dossier, TROP) == []
    tutored(etablissement, state=DossierState.ACCEPTE)
    assert len(anomalies(dossier, TROP)) == 1


@pytest.mark.parametrize("state", DossierState.contrats_conclus())
def test_every_concluded_state_is_counted(etablissement, state):
    assert set(DossierState.contrats_conclus()) == {
        DossierState.TRANSMIS,
        DossierState.EN_INSTRUCTION,
        DossierState.A_COMPLETER,
        DossierState.ACCEPTE,
    }
    tutored(etablissement)
    tutored(etablissement)
    dossier = current(etablissement)
    tutored(etablissement, state=state)
    assert len(anomalies(dossier, TROP)) == 1


def test_only_contracts_overlapping_this_one_are_counted(etablissement):
    tutored(etablissement)  # no dates: counted
    tutored(etablissement, date_debut=DEBUT - timedelta(days=400), date_fin=DEBUT - timedelta(days=1))  # ended
    tutored(etablissement, date_debut=FIN + timedelta(days=1), date_fin=FIN + timedelta(days=300))  # starts after
    dossier = current(etablissement)
    assert anomalies(dossier, TROP) == []  # 1 other
    tutored(etablissement, date_debut=DEBUT - timedelta(days=400), date_fin=DEBUT)  # ends on this one's first day
    assert anomalies(dossier, TROP) == []  # 2 others
    tutored(etablissement, date_debut=FIN, date_fin=FIN + timedelta(days=300))  # starts on this one's last day
    assert len(anomalies(dossier, TROP)) == 1  # 3 others


def test_a_contract_ended_the_day_before_is_not_counted_ending_on_the_start_day_is(etablissement):
    tutored(etablissement)
    tutored(etablissement)
    dossier = current(etablissement)
    tutored(etablissement, date_fin=DEBUT - timedelta(days=1))
    assert anomalies(dossier, TROP) == []
    tutored(etablissement, date_fin=DEBUT)
    assert len(anomalies(dossier, TROP)) == 1


def test_without_dates_today_is_the_reference(etablissement):
    today = timezone.localdate()
    for _ in range(2):
        tutored(etablissement)
    tutored(etablissement, date_fin=today - timedelta(days=1))
    tutored(etablissement, date_debut=today + timedelta(days=1))
    dossier = current(etablissement)
    dossier.contrat.date_debut = dossier.contrat.date_fin = None
    assert anomalies(dossier, TROP) == []
    tutored(etablissement, date_fin=today)
    assert len(anomalies(dossier, TROP)) == 1


def test_contracts_declared_outside_the_portal_are_counted(etablissement):
    tutored(etablissement)
    tutored(etablissement)
    dossier = current(etablissement, autres_alternants=0)
    assert anomalies(dossier, TROP) == []
    dossier.tuteur(Tuteur.Rang.EMPLOYEUR).autres_alternants = 1  # 2 others + 1 outside + this one = 4
    [anomalie] = anomalies(dossier, TROP)
    assert "(transmis ou acceptés), et 1 contrat déclaré hors du portail. Un salarié tuteur" in anomalie.message
    assert "Ce tuteur suit déjà 3 contrats sur la même période" in anomalie.message


def test_outside_contracts_alone_may_reach_the_limit(etablissement):
    dossier = current(etablissement, autres_alternants=2)
    assert anomalies(dossier, TROP) == []  # 2 outside + this one = 3
    dossier.tuteur(Tuteur.Rang.EMPLOYEUR).autres_alternants = 3
    [anomalie] = anomalies(dossier, TROP)
    assert anomalie.message.startswith(
        "Ce tuteur suit déjà 3 contrats sur la même période : 3 contrats déclarés hors du portail. "
    )
    dossier.tuteur(Tuteur.Rang.EMPLOYEUR).est_employeur = True
    dossier.tuteur(Tuteur.Rang.EMPLOYEUR).autres_alternants = 1
    assert anomalies(dossier, TROP) == []  # employer-tutor: 1 outside + this one = 2
    tutored(etablissement)
    [anomalie] = anomalies(dossier, TROP)
    assert anomalie.message.startswith("Ce tuteur suit déjà 2 contrats sur la même période : le dossier n° ")
    assert "(transmis ou accepté), et 1 contrat déclaré hors du portail. L'employeur tuteur" in anomalie.message


def salarie_de(dossier, *, nir_=None, nom="MARTIN", prenom="Lucas", naissance=date(2004, 5, 12)):
    """Give ``dossier`` (saved) a salarié: by NIR, or by civil status only (a temporary number)."""
    s = dossier.salarie
    s.nom_naissance, s.prenom, s.date_naissance = nom, prenom, naissance
    if nir_:
        s.nir = nir_
    s.save()
    return dossier


def test_this_contracts_salarie_in_another_dossier_is_not_another_salarie(etablissement):
    """An avenant or a renewal: the initial contract of the same salarié is not a second tutored salarié."""
    tutored(etablissement)
    tutored(etablissement)
    initial = salarie_de(tutored(etablissement, state=DossierState.ACCEPTE), nir_=HOMME_78)
    dossier = salarie_de(current(etablissement), nir_=HOMME_78)
    assert anomalies(dossier, TROP) == []  # 2 other salariés + this one
    dossier.salarie.nir = HOMME_974  # another salarié after all: the accepted dossier is a third other
    [anomalie] = anomalies(dossier, TROP)
    assert f"n° {initial.numero}" in anomalie.message


def test_a_salarie_is_recognised_by_civil_status_without_a_nir(etablissement):
    tutored(etablissement)
    tutored(etablissement)
    salarie_de(tutored(etablissement), nom="DURAND", prenom="Léa", naissance=date(2003, 1, 2))
    dossier = salarie_de(current(etablissement), nom="Durand", prenom="LEA", naissance=date(2003, 1, 2))
    assert anomalies(dossier, TROP) == []  # the same person, typed otherwise
    dossier.salarie.date_naissance = date(2003, 1, 3)
    assert len(anomalies(dossier, TROP)) == 1


def test_two_dossiers_of_one_other_salarie_count_once(etablissement):
    premier = salarie_de(tutored(etablissement), nir_=HOMME_974)
    avenant = salarie_de(tutored(etablissement), nir_=HOMME_974)
    tutored(etablissement)
    dossier = salarie_de(current(etablissement), nir_=HOMME_78)
    assert anomalies(dossier, TROP) == []  # 2 other salariés + this one
    autre = tutored(etablissement)
    [anomalie] = anomalies(dossier, TROP)
    assert "Ce tuteur suit déjà 3 contrats sur la même période" in anomalie.message
    assert f"n° {avenant.numero}" in anomalie.message and f"n° {premier.numero}" not in anomalie.message
    assert f"n° {autre.numero}" in anomalie.message


def test_another_siren_or_another_person_is_not_counted(etablissement):
    for _ in range(3):
        tutored(EtablissementFactory())  # another company
    tutored(etablissement, date_naissance=date(1975, 4, 13))  # a namesake
    tutored(etablissement, prenom="Jean-Paul")
    dossier = current(etablissement)
    assert anomalies(dossier, TROP) == []
    tutored(EtablissementFactory(entreprise=etablissement.entreprise))  # same SIREN, another establishment
    tutored(etablissement)
    assert anomalies(dossier, TROP) == []  # 2 others
    tutored(etablissement)
    assert len(anomalies(dossier, TROP)) == 1


def test_the_dossier_itself_is_not_counted_twice(etablissement):
    for _ in range(2):
        tutored(etablissement)
    dossier = current(etablissement)
    dossier.state = DossierState.A_COMPLETER  # sent back to the adhérent: its own row is concluded
    dossier.save(update_fields=["state"])
    dossier.tuteur(Tuteur.Rang.EMPLOYEUR).save()
    assert anomalies(dossier, TROP) == []


def test_the_tutor_of_a_travail_temporaire_or_geiq_employer_is_not_limited(etablissement):
    for _ in range(4):
        tutored(etablissement)
    dossier = current(etablissement, autres_alternants=5)
    assert len(anomalies(dossier, TROP)) == 1
    dossier.employeur.travail_temporaire = True
    assert anomalies(dossier, TROP) == []  # TUT-08: D6325-9 does not apply to the ETT/GE tutor
    dossier.employeur.travail_temporaire, dossier.employeur.geiq = False, True
    assert anomalies(dossier, TROP) == []


@pytest.mark.parametrize("field", ["nom", "prenom", "date_naissance", "est_employeur"])
def test_tutor_rule_is_silent_until_the_tutor_is_entered(etablissement, field):
    for _ in range(4):
        tutored(etablissement)
    dossier = current(etablissement)
    setattr(dossier.tuteur(Tuteur.Rang.EMPLOYEUR), field, None if field in ("date_naissance", "est_employeur") else "")
    assert anomalies(dossier, TROP) == []


def test_tutor_rule_cites_its_requirements_and_source():
    rule = next(r for r in rules.REGISTRY.rules if r.code == TROP)
    assert rule.exigences == ("TUT-04", "TUT-05", "X-22") and rule.source == "Code du travail, art. D6325-9"
    assert rule.message_de is not None


def test_tutor_count_is_one_query_whatever_the_number_of_dossiers(etablissement, django_assert_num_queries):
    rule = next(r for r in rules.REGISTRY.rules if r.code == TROP)
    tutored(etablissement)
    dossier = current(etablissement)
    assert dossier.employeur and dossier.contrat  # loaded with the dossier by the view
    with django_assert_num_queries(1):
        assert rule.anomalies(dossier) == []
    for _ in range(6):
        tutored(etablissement)
    tutored(EtablissementFactory(entreprise=etablissement.entreprise), state=DossierState.REFUSE)
    with django_assert_num_queries(1):  # the message reuses what the rule read
        assert len(rule.anomalies(dossier)) == 1


def charge(dossier):
    """The dossier as the views load it, with ``avec_indices``'s hints."""
    lu = (
        Dossier.objects.avec_tuteurs()
        .avec_indices()
        .select_related("employeur", "salarie", "contrat")
        .get(pk=dossier.pk)
    )
    lu.noter_indices()
    return lu


def test_the_hint_read_with_the_dossier_ignores_drafts(etablissement, django_assert_num_queries):
    rule = next(r for r in rules.REGISTRY.rules if r.code == TROP)
    for _ in range(4):
        tutored(etablissement, state=DossierState.BROUILLON)
    dossier = current(etablissement)
    dossier.tuteur(Tuteur.Rang.EMPLOYEUR).save()
    dossier = charge(dossier)
    with django_assert_num_queries(0):  # no concluded contract of this tutor: nothing to count
        assert rule.anomalies(dossier) == []
        dossier.tuteur(Tuteur.Rang.EMPLOYEUR).autres_alternants = 3
        assert len(rule.anomalies(dossier)) == 1  # the declared ones still count
    tutored(etablissement, state=DossierState.ACCEPTE)
    dossier = charge(dossier)
    assert dossier.indice("tuteur", TUTEUR["date_naissance"], etablissement.siret[:9]) is True


# --- Fields mandatory exactly when their condition holds -------------------------------------------------


def mandatory_codes(dossier):
    return {a.code for a in rules.check_onglet(dossier, "salarie") if a.kind == AnomalieKind.OBLIGATOIRE}


def test_nir_or_ntt_depending_on_the_temporary_nir_answer():
    dossier = DossierFactory()
    s = dossier.salarie
    assert {"SALARIE_NIR_OBLIGATOIRE", "SALARIE_NTT_OBLIGATOIRE"} & mandatory_codes(dossier) == set()
    s.nir_temporaire = False
    assert {"SALARIE_NIR_OBLIGATOIRE", "SALARIE_NTT_OBLIGATOIRE"} & mandatory_codes(dossier) == {
        "SALARIE_NIR_OBLIGATOIRE"
    }
    s.nir_temporaire = True
    assert {"SALARIE_NIR_OBLIGATOIRE", "SALARIE_NTT_OBLIGATOIRE"} & mandatory_codes(dossier) == {
        "SALARIE_NTT_OBLIGATOIRE"
    }


def test_equivalence_jeunes_and_extension_boe_when_not_rqth():
    dossier = DossierFactory()
    wanted = {"SALARIE_EQUIVALENCE_JEUNES_OBLIGATOIRE", "SALARIE_EXTENSION_BOE_OBLIGATOIRE"}
    assert wanted & mandatory_codes(dossier) == set()
    dossier.salarie.rqth = True
    assert wanted & mandatory_codes(dossier) == set()
    dossier.salarie.rqth = False
    assert wanted <= mandatory_codes(dossier)
    dossier.salarie.equivalence_jeunes = dossier.salarie.extension_boe = False  # « Non » is an answer
    assert wanted & mandatory_codes(dossier) == set()


def test_public_specifique_only_for_travail_temporaire():
    dossier = DossierFactory()
    assert "SALARIE_PUBLIC_SPECIFIQUE_OBLIGATOIRE" not in mandatory_codes(dossier)
    dossier.employeur.travail_temporaire = True
    assert "SALARIE_PUBLIC_SPECIFIQUE_OBLIGATOIRE" in mandatory_codes(dossier)


def test_france_travail_number_and_duration_when_registered():
    dossier = DossierFactory()
    wanted = {"SALARIE_NUMERO_FRANCE_TRAVAIL_OBLIGATOIRE", "SALARIE_DUREE_INSCRIPTION_MOIS_OBLIGATOIRE"}
    dossier.salarie.inscrit_france_travail = False
    assert wanted & mandatory_codes(dossier) == set()
    dossier.salarie.inscrit_france_travail = True
    assert wanted <= mandatory_codes(dossier)


def test_second_tutor_only_for_travail_temporaire_and_geiq():
    dossier = DossierFactory()
    tuteur2 = {c for c in mandatory_codes(dossier) if c.startswith("SALARIE_TUTEUR2_")}
    assert tuteur2 == set()
    dossier.employeur.geiq = True
    tuteur2 = {c for c in mandatory_codes(dossier) if c.startswith("SALARIE_TUTEUR2_")}
    assert tuteur2 == {f"SALARIE_TUTEUR2_{n}_OBLIGATOIRE" for n in ("NOM", "PRENOM", "EMPLOI", "DATE_NAISSANCE")}
    dossier.employeur.geiq, dossier.employeur.travail_temporaire = False, True
    assert {c for c in mandatory_codes(dossier) if c.startswith("SALARIE_TUTEUR2_")} == tuteur2


def test_rules_of_the_tab_are_documented():
    for rule in rules.REGISTRY.rules:
        if rule.onglet == "salarie" and rule.kind == AnomalieKind.REGLE:
            assert rule.description, rule.code
            assert rule.code == rule.code.upper() and rule.code.startswith("SALARIE_")


def test_establishments_of_one_company_share_the_siren():
    """What the tutor rule groups on: the SIREN, first 9 digits of the SIRET."""
    entreprise = EntrepriseFactory()
    a, b = EtablissementFactory(entreprise=entreprise), EtablissementFactory(entreprise=entreprise)
    assert a.siret[:9] == b.siret[:9] == entreprise.siren
