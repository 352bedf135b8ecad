"""The identity port: NIR fingerprint vs birth name, its embedded adapter and its setting."""

from datetime import date

import pytest
from django.test import override_settings

from dossiers import rules
from dossiers.calculs.identite import (
    IdentityVerifier,
    PortalIdentityVerifier,
    Verdict,
    cle_nom,
    empreinte_nir,
    get_identity_verifier,
)
from referentiels.validators import nir_key
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db

# A man born in May 1985 in Versailles; a woman born in March 1992 in Ajaccio.
HOMME_78 = "1850578646123" + f"{nir_key('1850578646123'):02d}"
FEMME_2A = "292032A004056" + f"{nir_key('292032A004056'):02d}"


class ToujoursDiscordant:
    """A stand-in for an external service, to show the adapter is chosen by the setting."""

    calls: list = []

    def verify(self, nir_fingerprint, nom_naissance, *, exclude_dossier_id):
        ToujoursDiscordant.calls.append((nir_fingerprint, nom_naissance, exclude_dossier_id))
        return Verdict.DISCORDANT


def recorded(value, nom):
    return DossierFactory(parts={"salarie": {"nir_temporaire": False, "nir": value, "nom_naissance": nom}})


def verify(value, nom, exclude=None):
    return PortalIdentityVerifier().verify(empreinte_nir(value), nom, exclude_dossier_id=exclude)


def test_name_key_ignores_case_accents_spaces_hyphens_apostrophes():
    assert cle_nom("Le Gall") == cle_nom("LEGALL") == cle_nom("le-gall") == cle_nom(" lé  gall ") == "legall"
    assert cle_nom("N'Diaye") == cle_nom("NDIAYE") == cle_nom("N’DIAYE")
    assert cle_nom("Martin") != cle_nom("Martins")


def test_fingerprint_is_the_stored_one_and_never_the_nir():
    dossier = recorded(HOMME_78, "MARTIN")
    typed = " ".join([HOMME_78[0], HOMME_78[1:3], HOMME_78[3:5], HOMME_78[5:7], HOMME_78[7:10], HOMME_78[10:]])
    assert empreinte_nir(typed) == dossier.salarie.nir_empreinte
    assert HOMME_78 not in empreinte_nir(HOMME_78)
    assert empreinte_nir("") == ""


def test_portal_adapter_verdicts():
    other = recorded(HOMME_78, "Le Gall")
    assert verify(HOMME_78, "LEGALL") is Verdict.CONCORDANT
    assert verify(HOMME_78, "le-gall") is Verdict.CONCORDANT
    assert verify(HOMME_78, "Martin") is Verdict.DISCORDANT
    assert verify(FEMME_2A, "Martin") is Verdict.INCONNU
    assert verify(HOMME_78, "Martin", exclude=other.pk) is Verdict.INCONNU  # only itself knew the NIR
    assert verify(HOMME_78, "") is Verdict.INCONNU
    assert PortalIdentityVerifier().verify("", "Martin", exclude_dossier_id=None) is Verdict.INCONNU


def test_a_name_agreeing_with_one_recorded_name_is_concordant():
    recorded(FEMME_2A, "ALBERTINI")
    recorded(FEMME_2A, "ALBERTINI")
    recorded(FEMME_2A, "CASANOVA")  # someone else's mistake elsewhere does not flag a right entry
    assert verify(FEMME_2A, "Albertini") is Verdict.CONCORDANT
    assert verify(FEMME_2A, "Santoni") is Verdict.DISCORDANT


def test_records_without_a_birth_name_do_not_answer():
    recorded(FEMME_2A, "")
    assert verify(FEMME_2A, "Albertini") is Verdict.INCONNU


def test_any_company_any_state_counts_in_one_query(django_assert_num_queries):
    recorded(HOMME_78, "DUPONT")  # another company (each factory dossier has its own)
    DossierFactory(
        state="refuse", parts={"salarie": {"nir_temporaire": False, "nir": HOMME_78, "nom_naissance": "DUPONT"}}
    )
    with django_assert_num_queries(1):
        assert verify(HOMME_78, "Durand") is Verdict.DISCORDANT


def test_the_verdict_is_all_that_comes_back():
    recorded(HOMME_78, "DUPONT")
    result = verify(HOMME_78, "Durand")
    assert isinstance(result, Verdict)
    assert {v.name for v in Verdict} == {"CONCORDANT", "DISCORDANT", "INCONNU"}


def test_default_adapter_is_the_portal_one():
    verifier = get_identity_verifier()
    assert isinstance(verifier, PortalIdentityVerifier)
    assert isinstance(verifier, IdentityVerifier)


def test_the_rule_uses_the_configured_adapter():
    dossier = DossierFactory()
    s = dossier.salarie
    s.nir_temporaire, s.nir, s.nom_naissance = False, HOMME_78, "Martin"
    s.sexe, s.date_naissance, s.departement_naissance = "M", date(1985, 5, 2), "78"

    def nom_naissance_codes():
        return [a for a in rules.check_onglet(dossier, "salarie") if a.code == "SALARIE_NIR_NOM_NAISSANCE"]

    assert nom_naissance_codes() == []  # portal adapter: NIR unknown elsewhere
    ToujoursDiscordant.calls = []
    with override_settings(IDENTITY_VERIFIER="tests.dossiers.test_identite.ToujoursDiscordant"):
        assert isinstance(get_identity_verifier(), ToujoursDiscordant)
        [anomalie] = nom_naissance_codes()
    assert anomalie.message == "Le NIR ne correspond pas au nom de naissance"
    # The adapter receives the fingerprint of the value in memory, the name as typed and the dossier to leave out.
    assert ToujoursDiscordant.calls == [(empreinte_nir(HOMME_78), "Martin", dossier.pk)]
    assert nom_naissance_codes() == []
