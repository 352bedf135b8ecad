"""*Générer le CERFA* for a dossier: its values by official field, the watermark's condition, the shared cache.

The engine (the official form, the layout, WeasyPrint) is ``documents.cerfa`` and knows no dossier; this module is
the dossier's side, and re-exports the engine so that one import serves both.

Values are keyed by the form's AcroForm field names, shortened (``documents/cerfa/champs.py``): ``t8_12`` is
« Zone de texte 8_12 », ``c1_2`` is « Case à cocher 1_2 ». A ticked box is ``True``; a value the dossier does
not hold is absent: RULES §1.3, what the dossier holds, nothing invented.
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from documents.cerfa import *  # noqa: F403 — the engine, under the same roof
from documents.cerfa import VERSION_COURANTE, VERSIONS, rendre
from dossiers import rules
from dossiers.enums import DossierState, NatureContrat, TypeModule
from portal import cache

CACHE_TIMEOUT = 24 * 3600

BROUILLONS = (DossierState.BROUILLON, DossierState.BROUILLON_PRESTATAIRE, DossierState.A_REPRENDRE)
NOM_OPCO = "AKTO"


def est_transmis(dossier) -> bool:
    return dossier.state not in BROUILLONS


def est_valide(dossier) -> bool:
    """No tab with a blocking anomaly: the tab bar's green bullets, *Transmettre*'s condition."""
    return not rules.onglets_invalides(dossier)


def filigrane(dossier) -> bool:
    """*BROUILLON — non transmis*: on a draft that is not valid yet, never on a transmitted dossier."""
    return not est_transmis(dossier) and not est_valide(dossier)


# -- values ----------------------------------------------------------------------------------------


def _s(value) -> str:
    return "" if value is None else str(value).strip()


def _date(prefix_jj: str, prefix_mm: str, prefix_aaaa: str, value) -> dict:
    if not value:
        return {}
    return {prefix_jj: f"{value.day:02d}", prefix_mm: f"{value.month:02d}", prefix_aaaa: f"{value.year:04d}"}


def _email(local: str, domaine: str, value: str) -> dict:
    value = _s(value)
    if not value:
        return {}
    avant, _, apres = value.partition("@")
    return {local: avant, domaine: apres}


def _oui_non(oui: str, non: str, value) -> dict:
    if value is None:
        return {}
    return {oui: True} if value else {non: True}


def _adresse(numero: str, voie: str, numero_voie: str) -> dict:
    """The model holds « N° et voie » in one field: the leading number (with B/T/Q) goes to the N° box."""
    numero_voie = _s(numero_voie)
    if not numero_voie:
        return {}
    tete, _, reste = numero_voie.partition(" ")
    if tete[:1].isdigit() and reste:
        if reste.split(" ", 1)[0].upper() in ("B", "BIS", "T", "TER", "Q", "QUATER"):
            mot, _, reste = reste.partition(" ")
            tete = f"{tete} {mot}"
        return {numero: tete, voie: reste}
    return {voie: numero_voie}


def _salaire(value) -> dict:
    if value is None:
        return {}
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    euros, cents = divmod(int(value * 100), 100)
    return {"t8_81": str(euros), "t8_68": f"{cents:02d}"}


def _sans_zero(value) -> str:
    return "" if value is None else str(value)


def valeurs(dossier) -> dict:
    """The form's values by AcroForm field (RULES §1.3): what the dossier holds, nothing invented."""
    f: dict = {}
    e = dossier.employeur
    # L'EMPLOYEUR (E1–E17). No particulier-employeur in this portal: companies only (E2 = non).
    f["t8"] = e.raison_sociale
    f["c1_2"] = True
    f.update(_adresse("t8_8", "t8_9", e.numero_voie))
    f["t8_2"] = e.complement_adresse
    f["t8_5"] = e.code_postal
    f["t8_3"] = e.commune
    f["t8_4"] = e.telephone
    f.update(_email("t8_10", "t8_11", e.email))
    f["t8_13"] = e.siret
    f["t8_14"] = e.naf
    f["t8_15"] = _sans_zero(e.effectif_total)
    f["t8_16"] = e.idcc
    f["t8_6"] = e.caisse_retraite
    f["t8_7"] = e.organisme_prevoyance

    # LE SALARIÉ (S1–S20)
    s = dossier.salarie
    f["t8_18"] = _s(s.nom_naissance).upper()
    f["t8_19"] = _s(s.nom_usage).upper()
    f["t8_20"] = _s(s.prenom).split(" ")[0] if s.prenom else ""
    f.update(_adresse("t8_36", "t8_37", s.numero_voie))
    f["t8_38"] = s.complement_adresse
    f["t8_39"] = s.code_postal
    f["t8_40"] = s.commune
    f["t8_41"] = s.telephone
    f.update(_email("t8_34", "t8_35", s.email))
    f["t8_42"] = s.nir if s.nir_chiffre else (s.ntt or "")
    f.update(_date("t8_43", "t8_44", "t8_49", s.date_naissance))
    if s.sexe:
        f["c1_11" if s.sexe == "M" else "c1_12"] = True
    f["t8_21"] = s.departement_naissance
    f["t8_22"] = s.commune_naissance
    f.update(_oui_non("c1_3", "c1_4", s.rqth))
    if s.rqth is False:
        f.update(_oui_non("c1_5", "c1_7", s.equivalence_jeunes))
        f.update(_oui_non("c1_6", "c1_8", s.extension_boe))
    f.update(_oui_non("c1_9", "c1_10", s.inscrit_france_travail))
    if s.inscrit_france_travail:
        f["t8_23"] = s.numero_france_travail
        f["t8_24"] = _sans_zero(s.duree_inscription_mois)
    f["t8_25"] = s.situation_avant_contrat
    f["t8_26"] = s.minimum_social
    f["t8_27"] = s.diplome_plus_eleve

    # LE TUTEUR (T1–T8)
    for rang, (nom, prenom, emploi, dates) in {
        1: ("t8_28", "t8_29", "t8_30", ("t8_45", "t8_46", "t8_50")),
        2: ("t8_31", "t8_32", "t8_33", ("t8_47", "t8_48", "t8_51")),
    }.items():
        t = dossier.tuteur(rang)
        f[nom], f[prenom], f[emploi] = _s(t.nom).upper(), t.prenom, t.emploi
        f.update(_date(*dates, t.date_naissance))
    f["c2"] = bool(s.attestation_tuteur)

    # LE CONTRAT (C1–C14)
    c = dossier.contrat
    nature = {NatureContrat.CDI: "c1_13", NatureContrat.CDD: "c1_14", NatureContrat.TRAVAIL_TEMPORAIRE: "c1_15"}
    if c.nature in nature:
        f[nature[c.nature]] = True
    f["t8_65"] = dossier.type_contrat
    f["t8_90"] = c.emploi
    f["t8_91"] = c.classification
    f["t8_83"] = c.niveau
    f["t8_82"] = c.coefficient
    f["t8_76"] = _sans_zero(c.duree_essai_jours)
    f.update(_date("t8_57", "t8_58", "t8_77", c.date_debut))
    f.update(_date("t8_59", "t8_60", "t8_78", c.date_effet_avenant))
    f.update(_date("t8_63", "t8_64", "t8_80", c.date_fin))
    if c.duree_hebdo_minutes is not None:
        heures, minutes = divmod(c.duree_hebdo_minutes, 60)
        f["t8_66"], f["t8_67"] = str(heures), f"{minutes:02d}"
    f.update(_date("t8_61", "t8_62", "t8_79", c.date_conclusion))
    f.update(_salaire(c.salaire_brut))

    # LA FORMATION (F1–F17)
    fo = dossier.formation
    principal = fo.module_principal
    if principal is not None:
        if principal.type == TypeModule.EXTERNE and principal.organisme is not None:
            f["t8_92"] = principal.organisme.raison_sociale
            f["t8_93"] = principal.organisme.siret
            f["t8_94"] = principal.organisme.nda
            f["c1_17"] = True
        elif principal.type == TypeModule.INTERNE:
            f["t8_92"] = principal.service_interne or e.raison_sociale
            f["t8_93"] = e.siret  # the employer establishment the internal service belongs to (notice)
            f["c1_16"] = True
            f["c1_18"] = bool(principal.attestation_interne)
    if fo.liste_modules:
        f["t8_69"] = str(fo.nombre_organismes)
    f["t8_71"] = fo.type_qualification
    f["t8_70"] = fo.diplome_vise
    f["t8_84"] = fo.code_rncp
    f["t8_54"] = fo.intitule
    f["t8_85"] = fo.specialite_nsf
    f["t8_86"] = _sans_zero(fo.duree_totale_heures)
    f["t8_87"] = _sans_zero(fo.duree_enseignements_heures)
    f.update(_date("t8_72", "t8_73", "t8_88", fo.date_debut_cycle))
    f.update(_date("t8_74", "t8_75", "t8_89", fo.date_fin_examens))
    f["t8_56"] = e.commune  # « Fait à »: the place of execution of the contract

    # Expérimentation VAE (E15, T7, C2)
    f["t8_17"] = fo.numero_projet_vae
    f["t8_52"] = c.naf_entreprise_utilisatrice
    f["c1_19"] = bool(c.avenant_vae)

    # CADRE RÉSERVÉ À L'OPCO (O1–O2)
    f["t8_53"] = NOM_OPCO
    f["t8_55"] = _s(dossier.etablissement.numero_adherent)
    return {k: v for k, v in f.items() if v not in (None, "", False)}


def transmission(dossier) -> dict | None:
    if not est_transmis(dossier) or not dossier.transmis_le:
        return None
    return {"numero": dossier.numero, "date": dossier.transmis_le}  # the last transmission (the workflow sets it)


def render_pdf(dossier, version: str = VERSION_COURANTE) -> bytes:
    """The dossier's filled form as PDF bytes, rendered now (no cache)."""
    envoi = transmission(dossier)
    tampon = None
    if envoi:
        quand = timezone.localtime(envoi["date"])
        tampon = {"texte": f"Dossier n° {envoi['numero']} transmis à {NOM_OPCO} le {quand:%d/%m/%Y à %H:%M}"}
    return rendre(
        valeurs(dossier),
        brouillon=filigrane(dossier),
        tampon=tampon,
        titre=f"Cerfa {VERSIONS[version].code} — {dossier.numero}",
        version=version,
    )


def cache_key(dossier, version: str = VERSION_COURANTE) -> str:
    slug = hashlib.sha1(version.encode()).hexdigest()[:8]
    transmis = f"{dossier.transmis_le:%Y%m%d%H%M%S}" if dossier.transmis_le else ""
    return f"cerfa:{dossier.pk}:{slug}:{dossier.version}:{dossier.state}:{transmis}"


def pdf(dossier, version: str = VERSION_COURANTE) -> bytes:
    """The filled form, from the shared cache when the dossier (pk, version, state, transmission) is unchanged:
    ``Dossier.version`` is bumped by every save and transition."""
    key = cache_key(dossier, version)
    data = cache.lire(key)
    if data is None:
        data = render_pdf(dossier, version)
        cache.ecrire(key, data, CACHE_TIMEOUT)
    return data


def nom_fichier(dossier, version: str = VERSION_COURANTE) -> str:
    return f"cerfa_{VERSIONS[version].slug}_{dossier.numero or dossier.pk}.pdf"
