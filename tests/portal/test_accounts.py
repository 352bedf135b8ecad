"""Login by e-mail, roles, logout, and the demo data command."""

import html

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory

from portal.models import Role, User
from referentiels.models import Etablissement
from referentiels.validators import validate_siret
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_labels():
    page = html.unescape(Client().get("/connexion/").content.decode())
    for text in ["Adresse e-mail", "Mot de passe", "Se connecter"]:
        assert text in page


def test_login_by_email_then_logout():
    user = UserFactory(email="claire@exemple.test")
    client = Client()
    response = client.post("/connexion/", {"username": "claire@exemple.test", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    client.post("/deconnexion/")
    assert client.get("/").status_code == 302
    assert user.is_adherent


def test_wrong_password_says_so_in_french():
    UserFactory(email="claire@exemple.test")
    response = Client().post("/connexion/", {"username": "claire@exemple.test", "password": "faux"})
    assert "Adresse e-mail ou mot de passe incorrect." in html.unescape(response.content.decode())


def test_gestionnaire_lands_in_the_admin():
    user = UserFactory(gestionnaire=True)
    client = Client()
    client.force_login(user)
    assert client.get("/").url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_load_demo_is_idempotent_and_realistic():
    call_command("load_demo")
    call_command("load_demo")
    emails = set(User.objects.values_list("email", flat=True))
    assert {
        "adherent.mono@demo.test",
        "adherent.multi@demo.test",
        "adherent.interim@demo.test",
        "prestataire@demo.test",
        "gestionnaire@demo.test",
    } <= emails
    for etablissement in Etablissement.objects.all():
        validate_siret(etablissement.siret)
    multi = User.objects.get(email="adherent.multi@demo.test")
    assert Etablissement.objects.rattaches_a(multi).values("entreprise").distinct().count() >= 2
    assert Etablissement.objects.rattaches_a(multi).count() >= 4
    interim = User.objects.get(email="adherent.interim@demo.test")
    assert Etablissement.objects.rattaches_a(interim).get().travail_temporaire
    mono = User.objects.get(email="adherent.mono@demo.test")
    assert Etablissement.objects.rattaches_a(mono).count() == 1
    gestionnaire = User.objects.get(email="gestionnaire@demo.test")
    assert gestionnaire.is_staff and gestionnaire.role == Role.GESTIONNAIRE
    assert gestionnaire.has_perm("dossiers.view_dossier") and gestionnaire.has_perm("dossiers.instruire_dossier")
    assert not gestionnaire.has_perm("dossiers.change_dossier")  # they ask for compléments instead
    # Axes (portal/connexion.py) counts attempts per request: client.login passes one.
    requete = RequestFactory().post("/connexion/")
    assert Client().login(request=requete, email="adherent.mono@demo.test", password="demo-portail-2026")
