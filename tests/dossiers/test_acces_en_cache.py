"""A user's establishments are kept between requests (dossiers.acces.etablissements_de): a change of attachment
must still apply at the very next request, in this process or another one."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from portal import tables
from referentiels.models import Rattachement
from tests.conftest import client_for
from tests.factories import DossierFactory, EtablissementFactory, UserFactory, attach

HTMX = {"HX-Request": "true"}


@pytest.mark.django_db
def test_an_attachment_removed_by_akto_hides_the_dossiers_at_the_next_request():
    user, etablissement = UserFactory(), EtablissementFactory()
    attach(user, etablissement)
    dossier = DossierFactory(etablissement=etablissement, created_by=user)
    client = client_for(user)
    assert client.get(f"/dossiers/{dossier.pk}/employeur/", headers=HTMX).status_code == 200
    Rattachement.objects.filter(user=user).delete()  # AKTO, in the admin
    assert client.get(f"/dossiers/{dossier.pk}/employeur/", headers=HTMX).status_code == 404
    assert f"{dossier.numero}" not in client.get("/brouillons/").content.decode()


@pytest.mark.django_db
def test_a_new_establishment_of_an_attached_company_is_seen_at_once():
    user, premier = UserFactory(), EtablissementFactory()
    attach(user, premier.entreprise)
    client = client_for(user)
    client.get("/brouillons/")  # the user's establishments read and kept
    second = EtablissementFactory(entreprise=premier.entreprise)  # e.g. created from Sirene in the wizard
    dossier = DossierFactory(etablissement=second, created_by=user)
    assert client.get(f"/dossiers/{dossier.pk}/employeur/", headers=HTMX).status_code == 200


@pytest.mark.django_db
def test_an_attachment_changed_in_another_process_applies_at_the_next_request():
    user, etablissement, autre = UserFactory(), EtablissementFactory(), EtablissementFactory()
    attach(user, etablissement)
    dossier = DossierFactory(etablissement=etablissement, created_by=user)
    client = client_for(user)
    assert client.get(f"/dossiers/{dossier.pk}/employeur/", headers=HTMX).status_code == 200
    # Another process moved the attachment: its rows in the database (no signal here) and a new generation.
    Rattachement.objects.filter(user=user).update(etablissement=autre)
    cache.set(tables.GENERATION, "nouvelle-generation-ailleurs", None)
    assert client.get(f"/dossiers/{dossier.pk}/employeur/", headers=HTMX).status_code == 404
