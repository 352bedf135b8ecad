"""The Salarié tab: saving, conditional fields (open, mandatory, cleared), the NIR at rest, the commune."""

import datetime as dt
import html
import re

import pytest

from dossiers.models import Dossier, Salarie
from portal.chiffrement import fingerprint
from referentiels.models import CodePostal, Commune, Departement
from referentiels.validators import nir_key
from tests.conftest import client_for
from tests.factories import DossierFactory, EtablissementFactory, UserFactory, attach

pytestmark = pytest.mark.django_db

NIR = "1850578006084" + f"{nir_key('1850578006084'):02d}"  # a man born in May 1985 in the Yvelines (78)


@pytest.fixture
def lyon(db):
    departement = Departement.objects.create(code="69", nom="Rhône", region="84")
    lyon1 = Commune.objects.create(code="69381", nom="Lyon 1er Arrondissement", departement=departement, actuelle=True)
    lyon = Commune.objects.create(code="69123", nom="Lyon", departement=departement, actuelle=True)
    CodePostal.objects.create(code="69001", commune=lyon)
    return lyon, lyon1


def make(adherent, **employeur):
    etablissement = adherent.rattachements.get().etablissement
    dossier = DossierFactory(etablissement=etablissement, created_by=adherent)
    if employeur:
        for name, value in employeur.items():
            setattr(dossier.employeur, name, value)
        dossier.employeur.save()
    return dossier


def complet(**overrides):
    data = {
        "nom_naissance": "Martin",
        "prenom": "Lucas",
        "date_naissance": "12/05/1985",
        "sexe": "M",
        "departement_naissance": "78",
        "commune_naissance": "Versailles",
        "nir_temporaire": "False",
        "nir": "1 85 05 78 006 084 " + NIR[-2:],
        "rqth": "False",
        "equivalence_jeunes": "False",
        "extension_boe": "False",
        "inscrit_france_travail": "True",
        "numero_france_travail": "1234567A",
        "duree_inscription_mois": "14",
        "situation_avant_contrat": "9",
        "diplome_plus_eleve": "41",
        "numero_voie": "3 rue de la République",
        "code_postal": "69001",
        "commune": "69123",
        "telephone": "0612345678",
        "email": "lucas.martin@exemple.fr",
        "tuteur1_nom": "Durand",
        "tuteur1_prenom": "Claire",
        "tuteur1_emploi": "Cheffe de rang",
        "tuteur1_date_naissance": "03/02/1980",
        "tuteur1_est_employeur": "False",
        "attestation_tuteur": "on",
        "attestation_tuteur_qualifie": "on",
    }
    data.update(overrides)
    return data


def save(client, dossier, data):
    dossier.refresh_from_db()
    return client.post(f"/dossiers/{dossier.pk}/salarie/", {"version": dossier.version, **data}, HTTP_HX_REQUEST="true")


def text(response):
    return html.unescape(response.content.decode())


def messages(response, name):
    page = text(response)
    start = page.find(f'<div id="messages-{name}"')
    block = page[start:].split('id="field-', 1)[0] if start >= 0 else ""
    return re.findall(r'class="field-message field-message--(\w+)"[^>]*>([^<]*)<', block)


def test_complete_tab_is_saved_and_validated(adherent, lyon):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet())
    assert "Enregistrement effectué." in text(response)
    salarie = Salarie.objects.get(dossier=dossier)
    assert (salarie.nom_naissance, salarie.prenom, salarie.date_naissance) == ("MARTIN", "Lucas", dt.date(1985, 5, 12))
    assert (salarie.commune, salarie.code_commune) == ("Lyon", "69123")
    assert salarie.telephone == "06 12 34 56 78"
    tuteur = Dossier.objects.get(pk=dossier.pk).tuteur(1)
    assert (tuteur.nom, tuteur.est_employeur, tuteur.date_naissance) == ("Durand", False, dt.date(1980, 2, 3))
    assert re.search(r'id="puce-salarie"[^>]*data-status="valid"', text(response), re.S)


def test_nir_is_encrypted_at_rest_with_a_fingerprint(adherent, lyon):
    dossier = make(adherent)
    save(client_for(adherent), dossier, complet())
    salarie = Salarie.objects.get(dossier=dossier)
    assert NIR[:13] not in salarie.nir_chiffre
    assert salarie.nir == NIR
    assert salarie.nir_empreinte == fingerprint(NIR)
    assert salarie.nir_masque == "1 85 05 •• ••• ••• ••"
    # Not in the lists, nor in any URL.
    page = client_for(adherent).get("/brouillons/").content.decode()
    assert NIR[:7] not in page


def test_bad_nir_gets_its_format_message_and_is_not_written(adherent, lyon):
    dossier = make(adherent)
    wrong_key = NIR[:13] + f"{(int(NIR[13:]) % 97) + 1:02d}"
    response = save(client_for(adherent), dossier, complet(nir=wrong_key))
    assert ("format", "Le numéro de sécurité sociale (NIR) n'est pas valide : vérifiez les 13 chiffres et la clé.") in (
        messages(response, "nir")
    )
    assert f'value="{wrong_key}"' in text(response)  # the input stays on screen
    salarie = Salarie.objects.get(dossier=dossier)
    assert salarie.nir_chiffre == "" and salarie.nom_naissance == "MARTIN"  # the rest was saved


@pytest.mark.parametrize(
    "answers,closed,opened",
    [
        ({"nir_temporaire": "True", "ntt": "AB123456789"}, ["nir"], ["ntt"]),
        ({"rqth": "True"}, ["equivalence_jeunes", "extension_boe"], []),
        ({"inscrit_france_travail": "False"}, ["numero_france_travail", "duree_inscription_mois"], []),
    ],
)
def test_answers_close_their_fields_and_clear_them(adherent, lyon, answers, closed, opened):
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet())
    response = save(client, dossier, complet(**answers))
    salarie = Salarie.objects.get(dossier=dossier)
    cleared = {"nir": salarie.nir, "equivalence_jeunes": salarie.equivalence_jeunes}
    cleared.update({n: getattr(salarie, n) for n in closed if n != "nir"})
    for name in closed:
        assert cleared[name] in ("", None), name
        assert re.search(rf'name="{name}"[^>]*disabled', text(response)), name
        assert messages(response, name) == []
    for name in opened:
        assert getattr(salarie, name)


def test_open_conditional_fields_are_mandatory(adherent, lyon):
    dossier = make(adherent)
    response = save(
        client_for(adherent),
        dossier,
        complet(
            nir_temporaire="True",
            ntt="",
            rqth="False",
            equivalence_jeunes="",
            inscrit_france_travail="True",
            numero_france_travail="",
        ),
    )
    for name in ["ntt", "equivalence_jeunes", "numero_france_travail"]:
        assert ("obligatoire", "Saisie obligatoire") in messages(response, name), name
    assert messages(response, "nir") == []


# --- Names: the civil status's characters (referentiels.validators.normalize_nom) -------------------------

NOMS = ["nom_naissance", "nom_usage", "prenom", "tuteur1_nom", "tuteur1_prenom", "tuteur2_nom", "tuteur2_prenom"]


def test_names_with_accents_hyphens_and_apostrophes_are_saved(adherent, lyon):
    dossier = make(adherent)
    data = complet(
        nom_naissance="N’Diaye-Lefèvre",
        nom_usage="de l'Œuvre",
        prenom="Zoë  Anaïs",
        tuteur1_nom="Ægir-Müller",
        tuteur1_prenom="Hélène",
        tuteur2_nom="Wałęsa",
        tuteur2_prenom="Çağrı",
    )
    response = save(client_for(adherent), dossier, data)
    for name in NOMS:
        assert messages(response, name) == [], name
    salarie = Salarie.objects.get(dossier=dossier)
    assert (salarie.nom_naissance, salarie.nom_usage, salarie.prenom) == ("N’DIAYE-LEFÈVRE", "de l'Œuvre", "Zoë Anaïs")
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert (dossier.tuteur(1).nom, dossier.tuteur(1).prenom) == ("Ægir-Müller", "Hélène")
    assert (dossier.tuteur(2).nom, dossier.tuteur(2).prenom) == ("Wałęsa", "Çağrı")


def test_names_with_other_characters_are_format_errors_kept_on_screen(adherent, lyon):
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet())  # MARTIN Lucas, tutor Durand Claire
    bad = {
        "nom_naissance": "Martin2",
        "nom_usage": "Du_Pont",
        "prenom": "Lucas!",
        "tuteur1_nom": "Durand#",
        "tuteur1_prenom": "Cl@ire",
        "tuteur2_nom": "Иванов",
        "tuteur2_prenom": "Paul.",
    }
    response = save(client, dossier, complet(**bad, telephone="0698765432"))
    page = text(response)
    assert "Les champs signalés en format invalide n'ont pas été enregistrés." in page
    for name, value in bad.items():
        found = messages(response, name)
        assert found and found[0][0] == "format" and "comme à l'état civil" in found[0][1], name
        assert f'value="{value}"' in page, name  # the input stays on screen
    assert "Caractère non accepté : « 2 »." in messages(response, "nom_naissance")[0][1]
    # Partial save: the names keep their stored values, the well-formed fields are written.
    salarie = Salarie.objects.get(dossier=dossier)
    assert (salarie.nom_naissance, salarie.nom_usage, salarie.prenom) == ("MARTIN", "", "Lucas")
    assert salarie.telephone == "06 98 76 54 32"
    tuteur = Dossier.objects.get(pk=dossier.pk).tuteur(1)
    assert (tuteur.nom, tuteur.prenom, tuteur.emploi) == ("Durand", "Claire", "Cheffe de rang")
    # The rules read what is stored, not the refused input: the names are not « Saisie obligatoire ».
    assert ("obligatoire", "Saisie obligatoire") not in messages(response, "nom_naissance")


def test_field_check_on_leaving_a_name(adherent, lyon):
    dossier = make(adherent)
    response = client_for(adherent).post(
        f"/dossiers/{dossier.pk}/salarie/verifier/",
        {"version": dossier.version, **complet(tuteur1_prenom="Claire3"), "_field": "tuteur1_prenom"},
    )
    assert "field-message--format" in text(response) and "comme à l'état civil" in text(response)


def test_ntt_format(adherent, lyon):
    response = save(client_for(adherent), make(adherent), complet(nir_temporaire="True", ntt="ABC"))
    assert any("11 à 40 caractères" in m for _, m in messages(response, "ntt"))


def test_public_specifique_only_for_travail_temporaire(adherent, lyon):
    client = client_for(adherent)
    dossier = make(adherent)
    assert 'name="public_specifique"' not in client.get(f"/dossiers/{dossier.pk}/salarie/").content.decode()
    interim = make(adherent, travail_temporaire=True)
    page = text(client.get(f"/dossiers/{interim.pk}/salarie/"))
    assert 'name="public_specifique"' in page
    response = save(client, interim, complet())
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "public_specifique")


def test_second_tutor_mandatory_exactly_for_travail_temporaire_and_geiq(adherent, lyon):
    client = client_for(adherent)
    assert messages(save(client, make(adherent), complet()), "tuteur2_nom") == []
    for flag in ("travail_temporaire", "geiq"):
        response = save(client, make(adherent, **{flag: True}), complet(public_specifique="cpi"))
        assert ("obligatoire", "Saisie obligatoire") in messages(response, "tuteur2_nom"), flag


def test_attestation_must_be_ticked(adherent, lyon):
    data = complet()
    del data["attestation_tuteur"]
    response = save(client_for(adherent), make(adherent), data)
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "attestation_tuteur")


def test_tutor_qualification_attestation_must_be_ticked(adherent, lyon):
    """TUT-02: the employer attests the tutor is a qualified volunteer with two years' experience."""
    data = complet()
    del data["attestation_tuteur_qualifie"]
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, data)
    assert ("obligatoire", "Saisie obligatoire") in messages(response, "attestation_tuteur_qualifie")
    assert "volontaire, qualifié et justifie d'au moins deux ans d'expérience professionnelle" in text(response)
    assert re.search(r'id="puce-salarie"[^>]*data-status="invalid"', text(response), re.S)
    response = save(client_for(adherent), dossier, complet())
    assert messages(response, "attestation_tuteur_qualifie") == []
    assert Salarie.objects.get(dossier=dossier).attestation_tuteur_qualifie is True


def test_contracts_outside_the_portal_are_saved_with_the_tutor(adherent, lyon):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet(tuteur1_autres_alternants="2"))
    assert "Enregistrement effectué." in text(response)
    assert Dossier.objects.get(pk=dossier.pk).tuteur(1).autres_alternants == 2
    save(client_for(adherent), dossier, complet(tuteur1_autres_alternants=""))  # emptied: none declared
    assert Dossier.objects.get(pk=dossier.pk).tuteur(1).autres_alternants == 0


@pytest.mark.parametrize("typed", ["11", "-1", "deux", "2,5"])
def test_contracts_outside_the_portal_out_of_bounds_get_a_french_message_and_stay_typed(adherent, lyon, typed):
    dossier = make(adherent)
    save(client_for(adherent), dossier, complet(tuteur1_autres_alternants="1"))
    response = save(client_for(adherent), dossier, complet(tuteur1_autres_alternants=typed, tuteur1_emploi="Chef"))
    assert response.status_code == 200
    assert messages(response, "tuteur1_autres_alternants") == [("format", "Saisissez un nombre entier entre 0 et 10.")]
    assert f'value="{typed}"' in text(response)  # the input stays on screen
    tuteur = Dossier.objects.get(pk=dossier.pk).tuteur(1)
    assert (tuteur.autres_alternants, tuteur.emploi) == (1, "Chef")  # not written; the rest was


def test_ten_contracts_outside_the_portal_is_the_maximum_typed(adherent, lyon):
    dossier = make(adherent)
    response = save(client_for(adherent), dossier, complet(tuteur1_autres_alternants="10"))
    assert messages(response, "tuteur1_autres_alternants") == []
    assert Dossier.objects.get(pk=dossier.pk).tuteur(1).autres_alternants == 10
    assert any("hors du portail" in m for _, m in messages(response, "tuteur1_nom"))  # 10 + this one > 3


def test_the_tutor_load_message_names_the_counted_dossiers_under_the_tutor(adherent, lyon):
    from dossiers.enums import DossierState
    from tests.complet import autre_salarie, dossier_complet

    autres = [autre_salarie(dossier_complet(adherent, state=DossierState.ACCEPTE), i) for i in range(2)]
    for autre in autres:  # the tutor the form below enters
        t = autre.tuteur(1)
        t.nom, t.prenom, t.date_naissance = "Durand", "Claire", dt.date(1980, 2, 3)
        t.save()
    dossier = make(adherent)
    dossier.contrat.date_debut = autres[0].contrat.date_fin  # the other contracts' last day
    dossier.contrat.save()
    client = client_for(adherent)
    assert messages(save(client, dossier, complet(tuteur1_autres_alternants="0")), "tuteur1_nom") == []
    response = save(client, dossier, complet(tuteur1_autres_alternants="1"))
    a, b = sorted(d.numero for d in autres)
    assert messages(response, "tuteur1_nom") == [
        (
            "regle",
            f"Ce tuteur suit déjà 3 contrats sur la même période : les dossiers n° {a} et n° {b} (transmis ou "
            "acceptés), et 1 contrat déclaré hors du portail. Un salarié tuteur ne peut pas suivre plus de 3 salariés "
            "en contrat de professionnalisation ou d'apprentissage en même temps, ce contrat compris (article "
            "D6325-9 du code du travail).",
        )
    ]
    assert "MARTIN" not in [m for _, m in messages(response, "tuteur1_nom")][0]
    assert re.search(r'id="puce-salarie"[^>]*data-status="invalid"', text(response), re.S)


def test_commune_is_chosen_among_the_postal_codes_communes(adherent, lyon):
    client = client_for(adherent)
    response = save(client, make(adherent), complet(commune="69381"))  # Lyon 1er is not served by 69001 here
    assert any("parmi celles du code postal" in m for _, m in messages(response, "commune"))
    options = client.get("/referentiels/code-postal/communes/", {"code_postal": "69001"}).content.decode()
    assert 'value="69123"' in options and "69381" not in options


def test_selects_can_be_deselected(adherent, lyon):
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet(minimum_social="1"))
    save(client, dossier, complet(minimum_social=""))
    assert Salarie.objects.get(dossier=dossier).minimum_social == ""
    assert "Sélectionnez un élément" in client.get(f"/dossiers/{dossier.pk}/salarie/").content.decode()


def test_field_check_on_leaving_the_nir(adherent, lyon):
    dossier = make(adherent)
    url = f"/dossiers/{dossier.pk}/salarie/verifier/"
    response = client_for(adherent).post(url, {**complet(nir="12345"), "version": 1, "_field": "nir"})
    assert "15 caractères" in text(response)
    assert Salarie.objects.get(dossier=dossier).nir_chiffre == ""


def test_other_company_cannot_reach_the_salarie_tab(lyon):
    dossier = DossierFactory(etablissement=EtablissementFactory())
    intruder = UserFactory()
    attach(intruder, EtablissementFactory())
    assert client_for(intruder).get(f"/dossiers/{dossier.pk}/salarie/").status_code == 404


def test_stored_commune_is_selected_again(adherent, lyon):
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet())
    page = text(client.get(f"/dossiers/{dossier.pk}/salarie/"))
    assert re.search(r'<option value="69123" selected>Lyon</option>', page)


def test_field_check_refreshes_the_fields_it_shares_a_rule_with(adherent, lyon):
    dossier = make(adherent)
    url = f"/dossiers/{dossier.pk}/salarie/verifier/"
    response = client_for(adherent).post(url, {**complet(sexe="F"), "version": 1, "_field": "sexe"})
    page = text(response)
    assert '<div id="messages-sexe"' in page
    assert re.search(r'id="messages-nir"[^>]*hx-swap-oob="true"[^>]*>.*Le NIR ne correspond pas au sexe saisi', page)
    response = client_for(adherent).post(url, {**complet(sexe="M"), "version": 1, "_field": "sexe"})
    assert "Le NIR ne correspond pas au sexe" not in text(response)


def test_nir_never_reaches_the_logs(adherent, lyon, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    dossier = make(adherent)
    client = client_for(adherent)
    save(client, dossier, complet())
    save(
        client,
        dossier,
        complet(),
    )  # a second save
    client.post(f"/dossiers/{dossier.pk}/salarie/", {"version": 1, **complet()})  # stale: logged as 409
    client.post(f"/dossiers/{dossier.pk}/salarie/verifier/", {**complet(), "_field": "nir"})
    assert caplog.records  # something was logged (the 409 at least)
    for record in caplog.records:
        assert NIR[:13] not in record.getMessage()
        assert "1 85 05 78" not in record.getMessage()


def test_nir_inconsistencies_are_alerts_not_errors(adherent, lyon):
    response = save(client_for(adherent), make(adherent), complet(sexe="F"))
    assert ("alerte", "Le NIR ne correspond pas au sexe saisi.") in messages(response, "nir")
    assert re.search(r'id="puce-salarie"[^>]*data-status="valid"', text(response), re.S)


def test_the_nir_hint_agrees_with_itself_and_with_the_check(adherent, lyon):
    """NIR-02: the help text, the example and the validator say the same length; the example is a valid NIR."""
    from referentiels.validators import normalize_nir, validate_nir

    dossier = make(adherent)
    page = client_for(adherent).get(f"/dossiers/{dossier.pk}/salarie/").content.decode()
    champ = re.search(r'<input[^>]*name="nir"[^>]*>', page).group(0)
    exemple = re.search(r'placeholder="Ex : ([^"]+)"', champ).group(1)
    aide = re.search(r'id="id_nir_helptext"[^>]*>\s*([^<]+)', page).group(1)
    assert len(normalize_nir(exemple)) == 15 and aide.startswith("15 caractères")
    validate_nir(exemple)  # the example typed as shown is accepted


def test_transmettre_is_refused_when_the_tutor_would_follow_a_fourth_contract(adherent):
    from dossiers.enums import DossierState
    from dossiers.models import Tuteur
    from tests.complet import autre_salarie, dossier_complet

    # Three other salariés with the same tutor.
    autres = [autre_salarie(dossier_complet(adherent, state=DossierState.TRANSMIS), i) for i in range(3)]
    dossier = dossier_complet(adherent)
    client = client_for(adherent)
    response = client.post(f"/dossiers/{dossier.pk}/transmettre/")
    assert response.status_code == 422 and "<li>Salarié</li>" in text(response)
    Dossier.objects.filter(pk=autres[0].pk).update(state=DossierState.REFUSE)  # 2 others + this one
    Tuteur.objects.filter(dossier=dossier, rang=1).update(autres_alternants=1)  # + 1 outside the portal
    assert client.post(f"/dossiers/{dossier.pk}/transmettre/").status_code == 422
    Tuteur.objects.filter(dossier=dossier, rang=1).update(autres_alternants=0)
    assert client.post(f"/dossiers/{dossier.pk}/transmettre/").status_code == 200


def test_leaving_the_outside_count_refreshes_the_tutor_load_message(adherent, lyon):
    """The check as the user leaves the declared count: the message under the tutor's name follows (out of band)."""
    dossier = make(adherent)
    url = f"/dossiers/{dossier.pk}/salarie/verifier/"
    champ = "tuteur1_autres_alternants"
    response = client_for(adherent).post(url, {**complet(**{champ: "3"}), "version": 1, "_field": champ})
    assert re.search(
        r'id="messages-tuteur1_nom"[^>]*hx-swap-oob="true"[^>]*>.*3 contrats déclarés hors du portail', text(response)
    )
    response = client_for(adherent).post(url, {**complet(**{champ: "2"}), "version": 1, "_field": champ})
    assert "hors du portail" not in text(response)
    assert Dossier.objects.get(pk=dossier.pk).tuteur(1).autres_alternants == 0  # a check writes nothing
