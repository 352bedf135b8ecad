"""Who reaches the back office: no adhérent nor prestataire on any admin URL; gestionnaires read the adhérent's
data but never edit it; they edit the referentials, each change kept in the admin's history."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import URLPattern, URLResolver

from dossiers.acces import GROUPE_GESTIONNAIRES, REFERENTIELS_EDITABLES
from dossiers.enums import DossierState
from dossiers.models import Dossier, Employeur
from referentiels.models import ParametreRegle
from tests.conftest import client_for
from tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db


def admin_urls(patterns=None, prefix="/admin/"):
    """Every URL of the admin site, its parameters filled (object id 1, each app label)."""
    patterns = admin.site.get_urls() if patterns is None else patterns
    for pattern in patterns:
        route = str(pattern.pattern)
        if app_label := re.search(r"\(\?P<app_label>([^)]*)\)", route):  # the app index: ^(?P<app_label>…)/$
            paths = [f"{label}/" for label in app_label.group(1).split("|")]
        elif route.startswith("^"):  # another regex (simple-history's ^([^/]+)/history/([^/]+)/$): groups → 1
            paths = [re.sub(r"\([^)]*\)", "1", route).removeprefix("^").removesuffix("$")]
        else:
            route = re.sub(r"<int:[^>]+>", "1", route)
            route = re.sub(r"<slug:transition>", "prendre_en_instruction", route)
            paths = [re.sub(r"<[^>]+>", "1", route)]
        for path in paths:
            if isinstance(pattern, URLResolver):
                yield from admin_urls(pattern.url_patterns, prefix + path)
            elif isinstance(pattern, URLPattern):
                yield prefix + path


def test_the_walk_covers_the_back_office():
    urls = set(admin_urls())
    assert len(urls) > 100
    for url in [
        "/admin/",
        "/admin/dossiers/",
        "/admin/dossiers/dossier/",
        "/admin/dossiers/dossier/export/",
        "/admin/dossiers/dossier/1/change/",
        "/admin/dossiers/dossier/1/decision/prendre_en_instruction/",
        "/admin/referentiels/smic/add/",
        "/admin/portal/user/1/password/",
    ]:
        assert url in urls


@pytest.mark.parametrize("role", ["adherent", "prestataire"])
def test_no_admin_page_for_adherents_and_prestataires(role):
    user = UserFactory(role=role)
    dossier = DossierFactory(state=DossierState.TRANSMIS, pk=1)
    client = client_for(user)
    for url in admin_urls():
        if url in ("/admin/login/", "/admin/logout/"):
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 403), (method, url, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith("/admin/login/"), (method, url, response.url)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.TRANSMIS
    # The login page itself does not let them in either.
    page = client.get("/admin/login/", follow=True).content.decode()
    assert "n’êtes pas autorisé" in page or "pas autorisé" in page


def test_anonymous_goes_to_the_login():
    client = client_for(UserFactory())
    client.logout()
    for url in ["/admin/", "/admin/dossiers/dossier/", "/admin/dossiers/dossier/export/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_gestionnaire_reads_but_never_edits_the_adherents_data(gestionnaire):
    from tests.dossiers.test_admin import formulaires  # the page's forms but the assignment's and the notes'

    dossier = DossierFactory(state=DossierState.TRANSMIS, parts={"salarie": {"nom_naissance": "MARTIN"}})
    client = client_for(gestionnaire)
    for model in ["dossier", "employeur", "salarie", "tuteur", "contrat", "formation", "moduleformation"]:
        assert not gestionnaire.has_perm(f"dossiers.change_{model}"), model
        assert not gestionnaire.has_perm(f"dossiers.delete_{model}"), model
    for model in ["financement", "synthese", "dossierevenement"]:
        assert gestionnaire.has_perm(f"dossiers.view_{model}") and not gestionnaire.has_perm(f"dossiers.change_{model}")
    assert not gestionnaire.has_perm("documents.change_piecejointe")
    assert gestionnaire.has_perm("dossiers.instruire_dossier")
    # Even a superuser finds no form to edit a dossier: the page is read-only, add and delete are refused.
    for user in (gestionnaire, UserFactory(gestionnaire=True)):
        client = client_for(user)
        response = client.post(
            f"/admin/dossiers/dossier/{dossier.pk}/change/", {"numero": "PIRATE", "state": "accepte"}
        )
        assert response.status_code == 200 and formulaires(response.content.decode(), dossier) == []
        assert client.get("/admin/dossiers/dossier/add/").status_code == 403
        assert client.post(f"/admin/dossiers/dossier/{dossier.pk}/delete/").status_code == 403
        assert client.post("/admin/documents/piecejointe/add/").status_code == 403
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.numero, stored.state) == (dossier.numero, DossierState.TRANSMIS)
    assert Employeur.objects.filter(dossier=dossier).count() == 1


def test_gestionnaire_edits_the_referentials_with_history(gestionnaire):
    for label in REFERENTIELS_EDITABLES:
        app_label, model = label.split(".")
        for action in ("add", "change", "view"):
            assert gestionnaire.has_perm(f"{app_label}.{action}_{model}"), (action, label)
        assert not gestionnaire.has_perm(f"{app_label}.delete_{model}"), label
    client = client_for(gestionnaire)
    for url in [
        "/admin/referentiels/smic/add/",
        "/admin/referentiels/forfaitpriseencharge/add/",
        "/admin/referentiels/parametreregle/add/",
        "/admin/documents/typedocument/add/",
        "/admin/dossiers/dispositif/add/",
    ]:
        assert client.get(url).status_code == 200, url

    parametre = ParametreRegle.objects.order_by("pk").first()
    url = f"/admin/referentiels/parametreregle/{parametre.pk}/change/"
    response = client.post(
        url,
        {
            "code": parametre.code,
            "date_effet": parametre.date_effet.strftime("%d/%m/%Y"),
            "valeur": "42",
            "unite": parametre.unite,
            "libelle": parametre.libelle,
            "source": "Décision AKTO du 1er décembre 2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    parametre.refresh_from_db()
    assert parametre.valeur == 42
    entry = LogEntry.objects.get(object_id=str(parametre.pk), content_type__model="parametreregle")
    assert (entry.user, entry.action_flag) == (gestionnaire, CHANGE)
    historique = client.get(f"{url.removesuffix('change/')}history/").content.decode()
    assert "Nadia Lefèvre" in historique or gestionnaire.email in historique


def test_group_is_declared_once_and_kept_after_migrate(gestionnaire):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    group = Group.objects.get(name=GROUPE_GESTIONNAIRES)
    group.permissions.clear()
    call_command("migrate", verbosity=0)  # post_migrate brings the group back to what the code declares
    assert group.permissions.filter(codename="instruire_dossier").exists()
    assert not group.permissions.filter(codename="change_dossier").exists()
