"""The e-mails: one French subject and body per event, with what identifies the dossier and never the NIR."""

import pytest
from django.conf import settings
from django.db import transaction
from django.template.loader import get_template

from notifications.events import TEXTES, Evenement
from notifications.services import email_contenu, notifier
from referentiels.validators import mask_nir, normalize_nir

pytestmark = pytest.mark.django_db

NIR = "2 87 01 75 115 423 19"


def notification(dossier, user, evenement, commentaire=""):
    with transaction.atomic():
        (row,) = notifier(evenement, dossier, [user], commentaire=commentaire)
    return row


@pytest.mark.parametrize("evenement", Evenement.values)
def test_every_event_has_its_templates_and_its_line(evenement):
    get_template(f"notifications/email/{evenement}_subject.txt")
    get_template(f"notifications/email/{evenement}_body.txt")
    assert "{numero}" in TEXTES[evenement]


@pytest.mark.parametrize("evenement", Evenement.values)
def test_mail_names_the_dossier_employer_and_salarie_never_the_nir(dossier, adherent, evenement):
    dossier.employeur.raison_sociale = "BRASSERIE L'ÉTOILE & FILS"
    dossier.employeur.save()
    assert dossier.salarie.nir == normalize_nir(NIR)  # the dossier does hold a NIR
    sujet, corps = email_contenu(notification(dossier, adherent, evenement, commentaire="Pièce d'identité illisible"))
    assert "\n" not in sujet and dossier.numero in sujet and sujet.startswith("Mon Espace AKTO")
    assert dossier.numero in corps
    assert "BRASSERIE L'ÉTOILE & FILS" in corps  # plain text: nothing HTML-escaped
    assert "Léa MARTIN" in corps
    assert "Pièce d'identité illisible" in corps
    assert f"{settings.SITE_URL}/dossiers/{dossier.pk}/" in corps
    assert corps.startswith(f"Bonjour {adherent.get_full_name()},")
    for forme in [normalize_nir(NIR), NIR, mask_nir(NIR), "115 423", "115423"]:
        assert forme not in sujet + corps
    assert "INVALID_TEMPLATE_VARIABLE" not in sujet + corps
    assert "\n\n\n" not in corps


def test_no_comment_no_comment_paragraph(dossier, adherent):
    _, corps = email_contenu(notification(dossier, adherent, Evenement.DOSSIER_REFUSE))
    assert "Commentaire du gestionnaire" not in corps
    _, corps = email_contenu(notification(dossier, adherent, Evenement.DOSSIER_REFUSE, "Hors champ du dispositif"))
    assert "Commentaire du gestionnaire :\nHors champ du dispositif" in corps


def test_a_pre_entry_without_salarie_name_omits_the_line(dossier, adherent):
    dossier.salarie.nom_naissance = dossier.salarie.prenom = ""
    dossier.salarie.save()
    _, corps = email_contenu(notification(dossier, adherent, Evenement.DOSSIER_A_REPRENDRE))
    assert "Salarié(e)" not in corps


def test_site_url_makes_the_link(dossier, adherent, settings):
    settings.SITE_URL = "https://monespace.akto.example"
    _, corps = email_contenu(notification(dossier, adherent, Evenement.DOSSIER_ACCEPTE))
    assert f"https://monespace.akto.example/dossiers/{dossier.pk}/" in corps
