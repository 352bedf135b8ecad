"""A dossier every tab of which is valid, built in the database as the adhérent's whole journey leaves it.

For the tests that need a real transmission (the correction loop: transmit → à compléter → edit → transmit
again), in Python tests and in the browser journeys (whose live server sees what this writes).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.base import ContentFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NIR_13 = "1040578006084"


def referentiels() -> tuple:
    """What a valid dossier reads from the referentials: parameters, an RNCP fiche, an organisme, Lyon."""
    from django.core.management import call_command

    from referentiels.models import Certification, CodePostal, Commune, Departement, OrganismeFormation
    from referentiels.validators import siren_with_check_digit, siret_with_check_digit

    call_command("load_parametres", stdout=io.StringIO())
    departement, _ = Departement.objects.get_or_create(code="69", defaults={"nom": "Rhône", "region": "84"})
    lyon, _ = Commune.objects.get_or_create(code="69123", defaults={"nom": "Lyon", "departement": departement})
    CodePostal.objects.get_or_create(code="69002", commune=lyon)
    certification, _ = Certification.objects.get_or_create(
        code="RNCP300",
        defaults={
            "type": "RNCP",
            "intitule": "BTS Management commercial opérationnel",
            "niveau": 5,
            "actif": True,
            "accessible_contrat_pro": True,
            "codes_nsf": "312t",
        },
    )
    organisme, _ = OrganismeFormation.objects.get_or_create(
        siret=siret_with_check_digit(siren_with_check_digit("77000002"), "0001"),
        defaults={
            "nda": "11755555575",
            "raison_sociale": "ECOLE DES METIERS DE LA SALLE",
            "adresse": "12 rue des Écoles",
            "code_postal": "69002",
            "commune": "Lyon",
            "qualiopi": True,
        },
    )
    return certification, organisme


def dossier_complet(adherent, etablissement=None, **kwargs):
    """A draft of ``adherent`` with every tab valid (no blocking anomaly), ready to be transmitted."""
    from documents.models import DossierDocuments, PieceJointe, TypeDocument
    from dossiers.enums import ModalitePedagogique, NatureContrat, TypeModule
    from dossiers.models import Dossier, ModuleFormation, Synthese
    from referentiels.validators import nir_key
    from tests.factories import DossierFactory

    certification, organisme = referentiels()
    etablissement = etablissement or adherent.rattachements.get().etablissement
    dossier = DossierFactory(etablissement=etablissement, created_by=adherent, **kwargs)
    dossier.notice_lue = True
    dossier.save(update_fields=["notice_lue"])

    e = dossier.employeur
    e.telephone, e.effectif_total, e.caisse_retraite, e.organisme_prevoyance = "0478000000", 14, "AG2R", "APICIL"
    e.save()

    s = dossier.salarie
    s.nom_naissance, s.prenom, s.date_naissance, s.sexe = "MARTIN", "Lucas", dt.date(2004, 5, 12), "M"
    s.departement_naissance, s.commune_naissance = "78", "Versailles"
    s.nir_temporaire = False
    s.nir = f"{NIR_13}{nir_key(NIR_13):02d}"
    s.rqth, s.equivalence_jeunes, s.extension_boe, s.inscrit_france_travail = False, False, False, False
    s.situation_avant_contrat, s.diplome_plus_eleve = "9", "41"
    s.numero_voie, s.code_postal, s.commune, s.code_commune = "3 rue de la République", "69002", "Lyon", "69123"
    s.attestation_tuteur = s.attestation_tuteur_qualifie = True
    s.save()
    t = dossier.tuteur(1)
    t.nom, t.prenom, t.emploi, t.date_naissance, t.est_employeur = (
        "Durand",
        "Claire",
        "Cheffe de rang",
        dt.date(1980, 2, 3),
        False,
    )
    t.save()

    debut = dt.date.today() + dt.timedelta(days=3)
    fin = debut.replace(year=debut.year + 1) - dt.timedelta(days=1)
    c = dossier.contrat
    c.nature, c.emploi, c.classification, c.niveau, c.coefficient = (
        NatureContrat.CDD,
        "Serveur en salle",
        "Employé",
        "I",
        "120",
    )
    c.duree_essai_jours, c.date_debut, c.date_fin, c.date_conclusion = 14, debut, fin, debut
    c.duree_hebdo_minutes, c.salaire_brut = 35 * 60, Decimal("1900.00")
    c.save()

    f = dossier.formation
    f.diplome_vise, f.type_qualification, f.code_rncp, f.certification = "31", "1", "RNCP300", certification
    f.intitule, f.specialite_nsf, f.apprentissage = certification.intitule, "312", False
    f.duree_totale_heures, f.duree_enseignements_heures = 400, 300
    f.date_debut_cycle, f.date_fin_examens = debut, fin
    f.save()
    ModuleFormation.objects.create(
        formation=f,
        ordre=1,
        type=TypeModule.EXTERNE,
        organisme=organisme,
        apprentissage_controle=False,
        date_debut=debut,
        date_fin=fin,
        heures=400,
        heures_distance=0,
        modalite=ModalitePedagogique.PRESENTIEL,
    )

    for code in ["PROGRAMME", "CONVENTION_DEVIS"]:
        piece = PieceJointe(
            dossier=dossier,
            type=TypeDocument.objects.get(code=code),
            nom_original=f"{code.lower()}.pdf",
            taille=len(PDF),
            type_contenu="application/pdf",
            depose_par=adherent,
        )
        piece.fichier.save("piece.pdf", ContentFile(PDF), save=False)
        piece.save()
    DossierDocuments.objects.update_or_create(dossier=dossier, defaults={"attestation_pieces": True})
    Synthese.objects.filter(dossier=dossier).update(
        attestation_exactitude=True,
        attestation_gratuite=True,
        attestation_sans_dedit=True,
        acceptation_cg=True,
        commentaire="Premier contrat pro de l'établissement.",
    )
    return Dossier.objects.get(pk=dossier.pk)


def autre_salarie(dossier, rang: int):
    """Make the salarié of ``dossier`` (from ``dossier_complet``) another person: a NIR of another order number.

    The tutor's load counts salariés (TUT-04): two complete dossiers are otherwise the same salarié twice."""
    from referentiels.validators import nir_key

    premiers = f"{NIR_13[:10]}{100 + rang:03d}"
    salarie = dossier.salarie
    salarie.nir = f"{premiers}{nir_key(premiers):02d}"
    salarie.save(update_fields=["nir_chiffre", "nir_empreinte"])
    return dossier
