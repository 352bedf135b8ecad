"""Field-level merge of the tab saves (dossiers/saisie/fusion.py): two browser tabs (two clients) of the same adhérent
on the same tab or on different tabs, a piece uploaded meanwhile, a refused conflict showing both values, the choice,
and the autosave's answer (status and messages only, out of band)."""

from __future__ import annotations

import html
import re

import pytest
from django.core import signing
from django.urls import reverse

from dossiers.models import Dossier, Employeur, Salarie
from dossiers.saisie import fusion
from referentiels.validators import nir_key
from tests.conftest import client_for
from tests.documents.conftest import fichier, pdf
from tests.dossiers.test_historique import donnees
from tests.dossiers.test_requetes_onglets import REQUETES_ENREGISTREMENT, _requetes, complet  # noqa: F401
from tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(adherent):
    return DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)


class Onglet:
    """A browser tab on one of the dossier's tabs: what its form was loaded with, posted back as the form would."""

    def __init__(self, client, dossier, slug):
        self.client, self.pk, self.slug = client, dossier.pk, slug
        self.charger()

    def charger(self):
        page = self.client.get(f"/dossiers/{self.pk}/{self.slug}/").content.decode()
        self.lire(page)

    def lire(self, page):
        self.charge = re.search(r'name="_charge" value="([^"]+)"', page).group(1)
        self.version = re.search(r'name="version" value="(\d+)"', page).group(1)

    def donnees(self, auto=False, attente=(), **valeurs):
        # The fields as they were loaded (every other field as shown), the user's changes on top.
        data = donnees(self.slug, self.affiche, **valeurs) | {"version": self.version, "_charge": self.charge}
        if auto:
            data["_auto"] = "1"
        if attente:
            data["_attente"] = list(attente)
        return data

    def enregistrer(self, auto=False, attente=(), **valeurs):
        return self.poster(self.donnees(auto, attente, **valeurs))

    def poster(self, data):
        response = self.client.post(f"/dossiers/{self.pk}/{self.slug}/", data, HTTP_HX_REQUEST="true")
        return response, html.unescape(response.content.decode())


def texte(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace(" :  ", " : ").replace("  ", " ")


def ouvrir(client, dossier, slug) -> Onglet:
    onglet = Onglet(client, dossier, slug)
    onglet.affiche = Dossier.objects.get(pk=dossier.pk)  # the values the page shows
    return onglet


def test_same_tab_different_fields_both_kept(adherent, dossier):
    a = ouvrir(client_for(adherent), dossier, "employeur")
    b = ouvrir(client_for(adherent), dossier, "employeur")
    response, _ = a.enregistrer(telephone="01 23 45 67 89")
    assert response.status_code == 200
    response, page = b.enregistrer(email="rh@exemple.test")
    assert response.status_code == 200, page[:500]
    assert "Enregistrement effectué." in page
    employeur = Employeur.objects.get(dossier=dossier)
    assert employeur.telephone == "01 23 45 67 89" and employeur.email == "rh@exemple.test"  # A's phone not overwritten
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version + 2  # one version per write


def test_same_field_refused_with_both_values_the_rest_written(adherent, dossier):
    a = ouvrir(client_for(adherent), dossier, "employeur")
    b = ouvrir(client_for(adherent), dossier, "employeur")
    a.enregistrer(email="a@exemple.test")
    response, page = b.enregistrer(email="b@exemple.test", telephone="01 23 45 67 89")
    assert response.status_code == 409
    assert "Modifié par ailleurs : a@exemple.test" in texte(page)
    assert "Enregistrement partiel : des champs que vous avez modifiés l'ont aussi été par ailleurs." in page
    assert 'value="b@exemple.test"' in page  # the user's input stays in the field
    assert "Garder ma saisie" in page and "Reprendre la valeur enregistrée" in page
    assert 'name="_attente" value="email"' in page
    employeur = Employeur.objects.get(dossier=dossier)
    assert employeur.email == "a@exemple.test"  # the conflicting field is not written
    assert employeur.telephone == "01 23 45 67 89"  # the other change is
    # « Garder ma saisie »: the box (and its _attente) goes, the next save writes the user's value.
    b.lire(page)
    b.affiche = Dossier.objects.get(pk=dossier.pk)
    response, page = b.enregistrer(email="b@exemple.test")
    assert response.status_code == 200, page[:500]
    assert Employeur.objects.get(dossier=dossier).email == "b@exemple.test"


def test_a_conflict_waiting_for_the_choice_is_never_written(adherent, dossier):
    a = ouvrir(client_for(adherent), dossier, "employeur")
    b = ouvrir(client_for(adherent), dossier, "employeur")
    a.enregistrer(email="a@exemple.test")
    _, page = b.enregistrer(email="b@exemple.test")
    b.lire(page)
    b.affiche = Dossier.objects.get(pk=dossier.pk)
    response, page = b.enregistrer(attente=["email"], email="b@exemple.test")  # no choice made yet (autosave…)
    assert response.status_code == 409 and "Modifié par ailleurs : a@exemple.test" in texte(page)
    assert Employeur.objects.get(dossier=dossier).email == "a@exemple.test"


def test_different_tabs_both_kept(adherent, dossier):
    salarie = ouvrir(client_for(adherent), dossier, "salarie")
    employeur = ouvrir(client_for(adherent), dossier, "employeur")
    assert employeur.enregistrer(email="rh@exemple.test")[0].status_code == 200
    response, page = salarie.enregistrer(prenom="Léa")
    assert response.status_code == 200, page[:500]
    assert Salarie.objects.get(dossier=dossier).prenom == "Léa"
    assert Employeur.objects.get(dossier=dossier).email == "rh@exemple.test"


def test_a_piece_uploaded_during_a_tab_edit_does_not_make_the_save_fail(adherent, dossier):
    client = client_for(adherent)
    employeur = ouvrir(client, dossier, "employeur")
    upload = client.post(
        reverse("documents_deposer", args=[dossier.pk, "PROGRAMME"]),
        {"fichiers_PROGRAMME": [fichier("Programme.pdf", pdf())], "version": employeur.version},
        HTTP_HX_REQUEST="true",
    )
    assert upload.status_code == 200
    response, page = employeur.enregistrer(email="rh@exemple.test")
    assert response.status_code == 200, page[:500]
    assert Employeur.objects.get(dossier=dossier).email == "rh@exemple.test"


def test_without_theaffiche_values_a_stale_version_is_still_refused(adherent, dossier):
    a = ouvrir(client_for(adherent), dossier, "employeur")
    b = ouvrir(client_for(adherent), dossier, "employeur")
    a.enregistrer(telephone="01 23 45 67 89")
    b.charge = b.charge[:-2] + "xx"  # tampered with: ignored
    response, page = b.enregistrer(email="rh@exemple.test")
    assert response.status_code == 409 and "modifié" in page
    assert Employeur.objects.get(dossier=dossier).email != "rh@exemple.test"


def test_untouched_fields_changed_elsewhere_are_kept_by_autosave_rounds(adherent, dossier):
    """After a merged autosave the page still shows the old value of a field changed elsewhere: its loaded
    fingerprint stays the old one, so the next autosave does not write the old value back."""
    a = ouvrir(client_for(adherent), dossier, "employeur")
    b = ouvrir(client_for(adherent), dossier, "employeur")
    a.enregistrer(telephone="01 23 45 67 89")
    response, page = b.enregistrer(auto=True, email="rh@exemple.test")
    assert response.status_code == 200
    b.lire(page)  # the out-of-band version and loaded values
    response, page = b.enregistrer(auto=True, email="rh2@exemple.test")  # the page still shows the old phone
    employeur = Employeur.objects.get(dossier=dossier)
    assert employeur.telephone == "01 23 45 67 89" and employeur.email == "rh2@exemple.test"


def test_autosave_answers_status_and_messages_only(adherent, dossier):
    employeur = ouvrir(client_for(adherent), dossier, "employeur")
    response, page = employeur.enregistrer(auto=True, email="rh@exemple.test", telephone="12")
    assert response.status_code == 200
    assert re.search(r'id="statut-enregistrement"[^>]*>Enregistré à \d\d h \d\d, sauf les champs au format', page)
    assert 'name="email"' not in page and 'id="onglet"' not in page  # no input swapped
    assert 'id="messages-telephone"' in page and 'data-champs="telephone"' in page  # not written: guard stays
    assert Employeur.objects.get(dossier=dossier).email == "rh@exemple.test"


def test_autosave_conflict_says_non_enregistre(adherent, dossier):
    a = ouvrir(client_for(adherent), dossier, "employeur")
    b = ouvrir(client_for(adherent), dossier, "employeur")
    a.enregistrer(email="a@exemple.test")
    response, page = b.enregistrer(auto=True, email="b@exemple.test")
    assert response.status_code == 200
    assert "Non enregistré : E-mail modifié(s) par ailleurs." in page or "Non enregistré :" in page
    assert "Modifié par ailleurs : a@exemple.test" in texte(page) and 'data-champs="email"' in page


def test_theaffiche_values_never_carry_the_nir_in_clear(adherent, dossier):
    salarie = dossier.salarie
    salarie.nir = "187017512345638"
    salarie.save()
    onglet = ouvrir(client_for(adherent), dossier, "salarie")
    contenu = signing.loads(onglet.charge, salt=fusion.SEL)
    assert "187017512345638" not in str(contenu) and "1870175123456" not in str(contenu)
    assert contenu["nir"][1] == fusion.empreinte("187017512345638")


def test_a_nir_conflict_shows_the_stored_nir_masked(adherent, dossier):
    a = ouvrir(client_for(adherent), dossier, "salarie")
    b = ouvrir(client_for(adherent), dossier, "salarie")
    nir_a = "1870175123456%02d" % nir_key("1870175123456")
    assert a.enregistrer(nir_temporaire="False", nir=nir_a)[0].status_code == 200
    assert Salarie.objects.get(dossier=dossier).nir == nir_a
    response, page = b.enregistrer(nir_temporaire="False", nir="2 99 07 75 120 005 %02d" % nir_key("2990775120005"))
    assert response.status_code == 409
    assert "Modifié par ailleurs : 1 87 01 •• ••• ••• ••" in texte(page)
    assert Salarie.objects.get(dossier=dossier).nir == nir_a
    assert nir_a not in texte(page)  # the text read is masked (the input « Reprendre » fills takes it whole)


def test_a_tutor_field_merges_with_the_salarie_s(adherent, dossier):
    a = ouvrir(client_for(adherent), dossier, "salarie")
    b = ouvrir(client_for(adherent), dossier, "salarie")
    assert a.enregistrer(tuteur1_nom="Martin")[0].status_code == 200
    response, page = b.enregistrer(prenom="Léa")
    assert response.status_code == 200, page[:500]
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.tuteur(1).nom == "MARTIN" or dossier.tuteur(1).nom == "Martin"
    assert dossier.salarie.prenom == "Léa"


def test_a_merged_save_asks_what_a_plain_save_asks(complet):  # noqa: F811 — the fixture imported above
    """The merge compares fingerprints in memory: a save carrying the loaded values, after another write, asks the
    same queries as today's plain save (tests/dossiers/test_requetes_onglets.py)."""
    client, dossier = complet
    onglet = ouvrir(client, dossier, "employeur")
    Dossier.objects.filter(pk=dossier.pk).update(version=dossier.version + 1)  # a piece, a module, another tab…
    data = onglet.donnees(email="rh@exemple.test")
    response, requetes = _requetes(lambda: onglet.poster(data)[0])
    assert "Enregistrement effectué." in html.unescape(response.content.decode())
    assert len(requetes) == REQUETES_ENREGISTREMENT, "\n".join(requetes)


@pytest.mark.parametrize(
    "slug", ["introduction", "employeur", "salarie", "contrat", "formation", "financement", "synthese", "documents"]
)
def test_every_field_of_every_tab_has_its_conflict_box(adherent, slug):
    """An autosave's conflict is swapped out of band into #conflit-<field>: every field of the form has one."""
    from dossiers.saisie import onglets
    from tests.complet import dossier_complet

    dossier = dossier_complet(adherent)
    page = client_for(adherent).get(f"/dossiers/{dossier.pk}/{slug}/").content.decode()
    onglet = onglets.get(slug)
    form = onglet.form_class(instance=onglet.instance(Dossier.objects.get(pk=dossier.pk)))
    manquants = [name for name in fusion.noms(form) if f'id="conflit-{name}"' not in page]
    assert manquants == []


def test_an_autosave_on_a_dossier_transmitted_meanwhile_writes_nothing_and_says_so(adherent, dossier):
    from dossiers.enums import DossierState

    employeur = ouvrir(client_for(adherent), dossier, "employeur")
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.TRANSMIS, version=dossier.version + 1)
    response, page = employeur.enregistrer(auto=True, email="rh@exemple.test")
    assert response.status_code == 200
    assert "Non enregistré : ce dossier n'est plus modifiable, rechargez la page." in page
    assert re.search(r'data-champs="[^"]*\bemail\b', page)  # the guard stays raised for it
    assert Employeur.objects.get(dossier=dossier).email != "rh@exemple.test"


def test_a_module_added_during_a_formation_edit_does_not_make_the_save_fail(adherent, dossier):
    from dossiers.models import Formation, ModuleFormation
    from tests.dossiers.test_formation import add_module, module_externe, organisme

    client = client_for(adherent)
    formation = ouvrir(client, dossier, "formation")  # another browser tab, loaded before the module
    assert add_module(client, dossier, "externe", **module_externe(organisme())).status_code == 200
    assert ModuleFormation.objects.filter(formation__dossier=dossier).count() == 1
    response, page = formation.enregistrer(intitule="BTS Management commercial opérationnel")
    assert response.status_code == 200, page[:500]
    assert Formation.objects.get(dossier=dossier).intitule == "BTS Management commercial opérationnel"


def test_an_autosave_asks_what_a_save_asks(complet):  # noqa: F811 — the fixture imported above
    client, dossier = complet
    onglet = ouvrir(client, dossier, "employeur")
    data = onglet.donnees(auto=True, email="rh@exemple.test")
    response, requetes = _requetes(lambda: onglet.poster(data)[0])
    assert "Enregistré à" in response.content.decode()
    assert len(requetes) == REQUETES_ENREGISTREMENT, "\n".join(requetes)
