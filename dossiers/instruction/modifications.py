"""« Modifications depuis la dernière transmission »: what the adhérent changed, field by field, for the gestionnaire.

The tabs' models keep a field-level history (django-simple-history, ``portal/historique.py``: every save, by whom,
when; the NIR kept masked only). Here the state of each part at the previous transmission (the latest history row
at or before that *Transmettre* event) is compared with its current one (its latest row), and each field that
differs is listed in its tab, with the tab form's French label and the value as the tab shows it (JJ/MM/AAAA,
« 2 000,00 € », a choice's label, Oui/Non), and who changed it last and when. A module added or deleted, a piece
added, deleted or replaced are listed too. Nothing when the dossier was transmitted once.

The reference transmission: while the dossier is *A compléter* (the adhérent is answering), the last one;
otherwise the one before the last (the changes the last transmission brought).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist

from documents.models import DossierDocuments, PieceJointe, TypeDocument
from dossiers.calculs.salaire import montant_fr
from dossiers.enums import DossierState
from dossiers.historique import MODELES_HISTORISES
from dossiers.models import (
    AccordReconversion,
    Contrat,
    Dossier,
    Employeur,
    Financement,
    Formation,
    ModuleFormation,
    Salarie,
    Synthese,
    Tuteur,
)
from dossiers.saisie import lecture, onglets
from dossiers.saisie.onglets.contrat.formulaire import format_duree
from dossiers.saisie.onglets.formation.formulaire import ModuleForm
from dossiers.workflow import TRANSMETTRE

# Fields a part records that the tab does not show as such (keys, the INSEE snapshot's technical data, the INSEE
# commune code beside its name, the RNCP fiche beside its code).
NON_AFFICHES = frozenset(
    {
        "id",
        "dossier",
        "formation",
        "rang",
        "ordre",
        "type",
        "code_commune",
        "certification",
        "verification_insee",
        "saisie_manuelle",
        "travail_temporaire",
        "geiq",
        "categorie_juridique",
    }
)
HEURES = frozenset(
    {
        "duree_formation_heures",
        "cpf_heures",
        "duree_totale_heures",
        "duree_enseignements_heures",
        "heures",
        "heures_distance",
    }
)
# How a part's history rows name their dossier (the others: ``dossier_id``).
CLE_DU_DOSSIER = {Dossier: "id", ModuleFormation: "formation__dossier_id"}
# Which tab shows a field of the dossier itself.
ONGLET_DU_DOSSIER = {"notice_lue": "introduction", "type_public": "employeur", "type_contrat": "contrat"}


@dataclass
class Modification:
    libelle: str
    avant: str
    apres: str
    par: str
    le: dt.datetime


@dataclass
class OngletModifie:
    slug: str
    label: str
    modifications: list[Modification] = field(default_factory=list)


@dataclass
class Modifications:
    depuis: dt.datetime | None = None  # the reference transmission
    onglets: list[OngletModifie] = field(default_factory=list)
    # The field-level history began after the reference transmission (rows written before it was installed).
    historique_posterieur: bool = False

    def __bool__(self) -> bool:
        return bool(self.onglets)


def reference(dossier: Dossier, evenements) -> dt.datetime | None:
    """The time of the transmission the current data is compared with (None: transmitted once, or never)."""
    transmissions = [e.created_at for e in evenements if e.transition == TRANSMETTRE]
    if dossier.state == DossierState.A_COMPLETER:
        return transmissions[-1] if transmissions else None
    return transmissions[-2] if len(transmissions) >= 2 else None


def modifications(dossier: Dossier, evenements) -> Modifications:
    """The changes since the reference transmission, tab by tab (``evenements``: the dossier's events, in order)."""
    depuis = reference(dossier, evenements)
    if depuis is None:
        return Modifications()
    ses_onglets = onglets.du_dossier(dossier)
    slugs = {o.slug for o in ses_onglets}
    historiques = {  # the parts of the dossier's tabs only (no Accord for a contrat pro, no Contrat for a reconversion)
        model: model.history.filter(**{CLE_DU_DOSSIER.get(model, "dossier_id"): dossier.pk})
        for model in MODELES_HISTORISES
        if FORMULAIRES_DES_MODELES.get(model, "") in slugs | {""}
    }
    lignes: dict[str, list[Modification]] = defaultdict(list)
    debut = None
    for model, queryset in historiques.items():
        rows = list(queryset.select_related("history_user").order_by("history_date", "history_id"))
        if model is Dossier and rows:
            debut = rows[0].history_date
        if model is PieceJointe:
            _pieces(rows, depuis, lignes)
            continue
        par_objet: dict[int, list] = defaultdict(list)
        for row in rows:
            par_objet[row.id].append(row)
        for objet in sorted(par_objet.values(), key=_ordre):
            _objet(model, objet, depuis, lignes)
    if debut is None or debut > depuis:
        return Modifications(depuis=depuis, historique_posterieur=True)
    return Modifications(
        depuis=depuis,
        onglets=[OngletModifie(o.slug, o.label, lignes[o.slug]) for o in ses_onglets if lignes.get(o.slug)],
    )


def _ordre(rows):
    last = rows[-1]
    return (getattr(last, "rang", 0) or getattr(last, "ordre", 0) or 0, last.id)


def _objet(model, rows, depuis, lignes) -> None:
    avant_rows = [r for r in rows if r.history_date <= depuis]
    apres_rows = [r for r in rows if r.history_date > depuis]
    if not apres_rows:
        return
    avant = avant_rows[-1] if avant_rows and avant_rows[-1].history_type != "-" else None
    actuel = rows[-1] if rows[-1].history_type != "-" else None
    if model is ModuleFormation:
        numero = (actuel or avant).ordre
        if actuel is None:
            if avant is not None:
                realise_par = str(avant.organisme or "") if avant.organisme_id else avant.service_interne
                ancien = " — ".join(p for p in [avant.get_type_display(), realise_par] if p)
                lignes["formation"].append(
                    Modification(f"Module {numero} (supprimé)", ancien, "—", *_auteur(apres_rows[-1]))
                )
            return
        prefixe = f"Module {numero}{' (ajouté)' if avant is None else ''} — "
    elif actuel is None:
        return
    elif model is Tuteur:
        prefixe = f"{_section_tuteur(actuel.rang)} — "
    else:
        prefixe = ""
    precedent = avant
    auteurs: dict[str, tuple] = {}
    for row in apres_rows:  # who changed each field last, and when
        for name in _champs(row):
            if precedent is None or getattr(precedent, name) != getattr(row, name):
                auteurs[name] = _auteur(row)
        precedent = row
    for name in _champs(actuel):
        ancien = getattr(avant, name) if avant is not None else None
        nouveau = getattr(actuel, name)
        if ancien == nouveau or name not in auteurs:
            continue
        slug, libelle = _libelle(model, actuel, name)
        if libelle is None:
            continue
        texte_avant, texte_apres = _texte(model, avant, name), _texte(model, actuel, name)
        if texte_avant == texte_apres:
            continue  # None → "" or False → False: nothing the user would see
        lignes[slug].append(Modification(prefixe + libelle, texte_avant or "—", texte_apres or "—", *auteurs[name]))


def _champs(row) -> list[str]:
    """The recorded fields of a history row (attnames), the masked NIR included."""
    names = []
    for f in row._meta.fields:
        if f.name.startswith("history_") or f.name in NON_AFFICHES:
            continue
        names.append(f.attname)
    return names


def _auteur(row) -> tuple[str, dt.datetime]:
    user = row.history_user
    return ((user.get_full_name() or user.email) if user else "—", row.history_date)


def _section_tuteur(rang: int) -> str:
    return "Tuteur — " + str(Tuteur.Rang(rang).label)


FORMULAIRES_DES_MODELES = {
    Employeur: "employeur",
    Salarie: "salarie",
    Tuteur: "salarie",
    Contrat: "contrat",
    AccordReconversion: "accord",
    Formation: "formation",
    ModuleFormation: "formation",
    Financement: "financement",
    Synthese: "synthese",
    DossierDocuments: "documents",
}


def _libelle(model, row, attname: str) -> tuple[str, str | None]:
    """The tab and the label the tab shows for a recorded field (None: a field the tab does not show)."""
    name = attname.removesuffix("_id") if attname.endswith("_id") else attname
    if model is Dossier:
        slug = ONGLET_DU_DOSSIER.get(name)
        if slug is None:
            return "", None
        form_class = onglets.get(slug).form_class
        if name in form_class.base_fields:
            return slug, str(form_class.base_fields[name].label)
        return slug, str(Dossier._meta.get_field(name).verbose_name)
    slug = FORMULAIRES_DES_MODELES[model]
    if model is ModuleFormation:
        form_fields = ModuleForm.base_fields
    elif model is Tuteur:
        form_fields = {
            n.removeprefix(f"tuteur{row.rang}_"): f
            for n, f in onglets.get("salarie").form_class.base_fields.items()
            if n.startswith(f"tuteur{row.rang}_")
        }
    else:
        form_fields = onglets.get(slug).form_class.base_fields
    if name == "nir_masque":
        name = "nir"
    if name in form_fields:
        return slug, str(form_fields[name].label)
    try:
        return slug, str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return slug, None


def _texte(model, row, attname: str) -> str:
    """A recorded value as the tab shows it."""
    if row is None:
        return ""
    value = getattr(row, attname)
    if value is None or value == "":
        return ""
    name = attname.removesuffix("_id")
    if attname.endswith("_id") and name != attname:
        objet = getattr(row, name, None)  # the FK's object (a type of contribution, an organisme)
        return str(objet) if objet is not None else ""
    if attname == "duree_hebdo_minutes":
        return format_duree(value)
    if attname in HEURES:
        return f"{value} h"
    if isinstance(value, Decimal):
        return f"{montant_fr(value)} €"
    try:
        model_field = row._meta.get_field(attname)
    except FieldDoesNotExist:
        model_field = None
    if model_field is not None and model_field.choices and not isinstance(value, bool):
        return str(dict(model_field.flatchoices).get(value, value))
    return lecture._texte(value)


def _pieces(rows, depuis, lignes) -> None:
    """Per type of document, the files' names at the reference transmission and now, when they differ."""
    par_piece: dict[int, list] = defaultdict(list)
    for row in rows:
        par_piece[row.id].append(row)
    avant: dict[int, list[str]] = defaultdict(list)
    maintenant: dict[int, list[str]] = defaultdict(list)
    auteurs: dict[int, tuple] = {}
    for piece_rows in par_piece.values():
        anciens = [r for r in piece_rows if r.history_date <= depuis]
        if anciens and anciens[-1].history_type != "-":
            avant[anciens[-1].type_id].append(anciens[-1].nom_original)
        dernier = piece_rows[-1]
        if dernier.history_type != "-":
            maintenant[dernier.type_id].append(dernier.nom_original)
        if dernier.history_date > depuis:
            auteur = _auteur(dernier)
            if dernier.type_id not in auteurs or auteurs[dernier.type_id][1] < auteur[1]:
                auteurs[dernier.type_id] = auteur
    types = {t.pk: t for t in TypeDocument.objects.filter(pk__in=auteurs)} if auteurs else {}
    for type_id in sorted(auteurs, key=lambda pk: (types[pk].ordre, pk) if pk in types else (0, pk)):
        if sorted(avant[type_id]) == sorted(maintenant[type_id]):
            continue
        libelle = str(types.get(type_id, "Pièce jointe"))
        lignes["documents"].append(
            Modification(
                libelle,
                ", ".join(sorted(avant[type_id])) or "—",
                ", ".join(sorted(maintenant[type_id])) or "—",
                *auteurs[type_id],
            )
        )
