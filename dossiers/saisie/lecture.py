"""The dossier read-only for the gestionnaire: every tab, section by section, as the adhérent entered it.

Labels and values come from each tab's own form (``dossiers/onglets.py``), bound to the stored data and
closed to editing: the gestionnaire reads the words the adhérent read (« Durée hebdomadaire du travail :
35h00 »), closed conditional fields are left out as on the tab. Values the tab shows greyed (the INSEE
snapshot, the sous-dispositif) come from the model. Only the layout (sections, from the tab templates) is
written here; a form field it does not place yet is shown under « Autres champs ». The NIR is shown masked
(the CERFA prints it in full).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms

from dossiers import rules
from dossiers.saisie import onglets
from dossiers.saisie.champs import MontantFrField

AUCUN = "Non concerné"


@dataclass(frozen=True)
class C:
    """A line of a section: a field of the tab form, or (``modele=True``) of the tab's model, shown greyed.

    ``valeur`` replaces the value (the label stays the field's); ``libelle`` names a line with no field.
    """

    name: str
    modele: bool = False
    valeur: Callable[[object], object] | None = None
    libelle: str = ""


SECTIONS: dict[str, list[tuple[str, list[C]]]] = {
    "introduction": [("", [C("notice_lue")])],
    "employeur": [
        ("Établissement", [C("raison_sociale", modele=True), C("siret", modele=True)]),
        (
            "Adresse d'exécution du contrat",
            [
                C("numero_voie", modele=True),
                C("complement_adresse", modele=True),
                C("code_postal", modele=True),
                C("commune", modele=True),
                C("telephone"),
                C("email"),
            ],
        ),
        (
            "Détails complémentaires",
            [
                C("naf", modele=True),
                C("idcc", modele=True),
                C("type_public", libelle="Type de public", valeur=lambda d: d.get_type_public_display() or AUCUN),
                C("effectif_total"),
                C("caisse_retraite"),
                C("organisme_prevoyance"),
            ],
        ),
    ],
    "salarie": [
        (
            "Informations salarié(e)",
            [
                C("nom_naissance"),
                C("nom_usage"),
                C("prenom"),
                C("date_naissance"),
                C("sexe"),
                C("departement_naissance"),
                C("commune_naissance"),
                C("nir_temporaire"),
                C("nir", valeur=lambda d: d.salarie.nir_masque),
                C("ntt"),
                C("rqth"),
                C("equivalence_jeunes"),
                C("extension_boe"),
                C("public_specifique"),
                C("inscrit_france_travail"),
                C("numero_france_travail"),
                C("duree_inscription_mois"),
                C("situation_avant_contrat"),
                C("minimum_social"),
                C("diplome_plus_eleve"),
            ],
        ),
        (
            "Coordonnées du salarié(e)",
            [
                C("numero_voie"),
                C("complement_adresse"),
                C("code_postal"),
                C("commune", valeur=lambda d: d.salarie.commune),
                C("telephone"),
                C("email"),
            ],
        ),
        (
            "Tuteur — Au sein de l'établissement employeur",
            [
                C(f"tuteur1_{n}")
                for n in ("nom", "prenom", "emploi", "date_naissance", "est_employeur", "autres_alternants")
            ],
        ),
        (
            "Tuteur — Au sein de l'entreprise utilisatrice, si travail temporaire, groupement employeur ou GEIQ",
            [C(f"tuteur2_{n}") for n in ("nom", "prenom", "emploi", "date_naissance")],
        ),
        ("", [C("attestation_tuteur"), C("attestation_tuteur_qualifie")]),
    ],
    "contrat": [
        (
            "Détails du contrat",
            [
                C("sous_dispositif", libelle="Sous Dispositif", valeur=lambda d: d.sous_dispositif.libelle),
                C("nature"),
                C("avenant_vae"),
                C("type_contrat"),
                C("emploi"),
                C("classification"),
                C("niveau"),
                C("coefficient"),
                C("duree_essai_jours"),
                C("date_debut"),
                C("date_fin"),
                C("duree_hebdo_minutes"),
                C("salaire_brut"),
                C(
                    "salaire_minimum",
                    libelle="Salaire minimum applicable",
                    valeur=lambda d: _form(d, "contrat").minimum(),
                ),
                C("date_effet_avenant"),
                C("date_conclusion"),
                C("naf_entreprise_utilisatrice"),
            ],
        )
    ],
    # The période de reconversion's written agreement (a field its sous-dispositif has not is left out).
    "accord": [
        ("Période et formation", [C("date_debut"), C("date_fin"), C("duree_formation_heures"), C("accord_collectif")]),
        ("Objet", [C("objet"), C("intitule_qualification"), C("hors_temps_travail"), C("accord_ecrit_salarie")]),
        ("Co-financement CPF", [C("cpf_montant"), C("cpf_heures")]),
        (
            "Entreprise d'accueil",
            [C("accueil_siret"), C("accueil_raison_sociale"), C("accueil_nature_contrat"), C("accueil_duree_mois")],
        ),
        ("Pro-A", [C("salarie_en_cdi"), C("date_avenant")]),
    ],
    "formation": [
        (
            "",
            [
                C("diplome_vise"),
                C("reference_interne"),
                C("reference_projet"),
                C("type_qualification"),
                C("numero_projet_vae"),
                C("code_rncp"),
                C("fiche", libelle="Fiche France compétences", valeur=lambda d: _fiche(d)),
                C("specialite_nsf"),
                C("apprentissage"),
                C("intitule"),
                C("duree_totale_heures", valeur=lambda d: _heures(d.formation.duree_totale_heures)),
                C("duree_enseignements_heures", valeur=lambda d: _heures(d.formation.duree_enseignements_heures)),
                C("date_debut_cycle"),
                C("date_fin_examens"),
            ],
        )
    ],
    "financement": [("", [C("reste_a_charge_demande"), C("type_contribution"), C("cout_pedagogique")])],
    "synthese": [
        (
            "Attestations",
            [
                C("attestation_exactitude"),
                C("attestation_gratuite"),
                C("attestation_sans_dedit"),
                C("acceptation_cg"),
            ],
        ),
        ("Commentaire", [C("commentaire")]),
    ],
    "documents": [("", [C("attestation_pieces")])],
}


@dataclass
class Ligne:
    name: str
    libelle: str
    valeur: str
    anomalies: list[rules.Anomalie] = field(default_factory=list)


@dataclass
class Section:
    titre: str
    lignes: list[Ligne]


@dataclass
class OngletLu:
    onglet: onglets.Onglet
    puce: onglets.Puce
    sections: list[Section]
    anomalies: list[rules.Anomalie]

    @property
    def slug(self) -> str:
        return self.onglet.slug


def lecture(dossier, anomalies: list[rules.Anomalie] | None = None) -> list[OngletLu]:
    """Every available tab of ``dossier`` as sections of (label, value) lines, with the engine's anomalies."""
    anomalies = rules.check(dossier) if anomalies is None else anomalies
    puces = {p.onglet.slug: p for p in onglets.puces_du_dossier(dossier, anomalies)}
    result = []
    for onglet in onglets.du_dossier(dossier):
        if not onglet.disponible:
            continue
        form = _form(dossier, onglet.slug)
        du_onglet = [a for a in anomalies if a.onglet == onglet.slug]
        sections = []
        disposition = SECTIONS.get(onglet.slug, [])
        places = {c.name for _, champs in disposition for c in champs}
        # A field a tab gained since this layout was written is still shown, at the end.
        autres = [C(name) for name in form.fields if name != "version" and name not in places]
        for titre, champs in [*disposition, *([("Autres champs", autres)] if autres else [])]:
            lignes = [ligne for c in champs if (ligne := _ligne(dossier, form, c)) is not None]
            for ligne in lignes:
                ligne.anomalies = [a for a in du_onglet if a.field == ligne.name]
            if lignes:
                sections.append(Section(titre, lignes))
        result.append(OngletLu(onglet, puces[onglet.slug], sections, du_onglet))
    return result


# -- the Synthèse's *Récapitulatif des principales informations* ----------------------------------------------

# The guide's recap: a few lines per tab, taken from the same forms (and labels) as the full reading above.
RECAPITULATIF: dict[str, list[C]] = {
    "employeur": [
        C("raison_sociale", modele=True),
        C("siret", modele=True),
        C(
            "adresse",
            libelle="Adresse",
            valeur=lambda d: " ".join(
                p for p in [d.employeur.numero_voie, d.employeur.code_postal, d.employeur.commune] if p
            ),
        ),
        C("naf", modele=True),
        C("idcc", modele=True),
        C("email"),
        C("effectif_total"),
    ],
    "salarie": [
        C("nom_naissance"),
        C("prenom"),
        C("date_naissance"),
        C("nir", valeur=lambda d: d.salarie.nir_masque),
        C("diplome_plus_eleve"),
        C("tuteur", libelle="Tuteur", valeur=lambda d: str(t) if ((t := d.tuteur(1)).nom or t.prenom) else ""),
        C(
            "tuteur1_autres_alternants",
            libelle="Autres alternants du tuteur hors du portail",
            valeur=lambda d: d.tuteur(1).autres_alternants,
        ),
        C(
            "attestation_tuteur",
            libelle="Attestation : nombre de salariés suivis par le tuteur",
            valeur=lambda d: d.salarie.attestation_tuteur,
        ),
        C(
            "attestation_tuteur_qualifie",
            libelle="Attestation : tuteur volontaire, qualifié et expérimenté",
            valeur=lambda d: d.salarie.attestation_tuteur_qualifie,
        ),
    ],
    "contrat": [
        C("type_contrat"),
        C("nature"),
        C("emploi"),
        C("date_debut"),
        C("date_fin"),
        C("duree_hebdo_minutes"),
        C("salaire_brut"),
    ],
    "accord": [C("date_debut"), C("date_fin"), C("duree_formation_heures"), C("objet"), C("accueil_raison_sociale")],
    "formation": [
        C("intitule"),
        C("diplome_vise"),
        C("code_rncp"),
        C("duree_totale_heures", valeur=lambda d: _heures(d.formation.duree_totale_heures)),
        C("duree_enseignements_heures", valeur=lambda d: _heures(d.formation.duree_enseignements_heures)),
        C("date_debut_cycle"),
        C("date_fin_examens"),
    ],
    "financement": [C("reste_a_charge_demande"), C("type_contribution"), C("cout_pedagogique")],
}


def lignes_modules(dossier) -> list[dict]:
    """The training modules as the Synthèse and the back office list them (formatted values, the organisme)."""
    return [
        {
            "numero": numero,
            "type": module.get_type_display(),
            "externe": module.externe,
            "organisme": module.organisme if module.externe else None,
            "realise_par": str(module.organisme or "") if module.externe else module.service_interne,
            "date_debut": _texte(module.date_debut),
            "date_fin": _texte(module.date_fin),
            "heures": _heures(module.heures),
            "heures_distance": _heures(module.heures_distance),
            "modalite": module.get_modalite_display(),
        }
        for numero, module in enumerate(dossier.formation.liste_modules, start=1)
    ]


def _heures(value) -> str:
    return "" if value is None else f"{value} h"


def _adresse(partie) -> str:
    return " ".join(p for p in [partie.numero_voie, partie.code_postal, partie.commune] if p)


def recapitulatif(dossier, anomalies: list[rules.Anomalie] | None = None) -> dict:
    """The Synthèse's recap: the main lines of each tab, its bullet, the training modules, the other tabs."""
    anomalies = rules.check(dossier) if anomalies is None else anomalies
    puces = {p.onglet.slug: p for p in onglets.puces_du_dossier(dossier, anomalies)}
    sections = []
    for slug, champs in RECAPITULATIF.items():
        if slug not in puces:
            continue  # a tab the dossier's dispositif has not
        form = _form(dossier, slug)
        lignes = [(ligne.libelle, ligne.valeur) for c in champs if (ligne := _ligne(dossier, form, c)) is not None]
        sections.append({"slug": slug, "titre": onglets.get(slug).label, "puce": puces[slug], "lignes": lignes})
    modules = lignes_modules(dossier)
    autres = [p for slug, p in puces.items() if slug not in RECAPITULATIF and slug != "synthese"]
    return {"sections": sections, "modules": modules, "puces": list(puces.values()), "autres": autres}


# -- values -------------------------------------------------------------------------------------------------


def _form(dossier, slug: str):
    """The tab's form on the stored data, closed to editing (cached on the dossier instance)."""
    cache = dossier.__dict__.setdefault("_lecture_forms", {})
    if slug not in cache:
        onglet = onglets.get(slug)
        cache[slug] = onglet.form_class(instance=onglet.instance(dossier), editable=False)
    return cache[slug]


def _fiche(dossier) -> str:
    fiche = _form(dossier, "formation").fiche()
    if fiche is None:
        return ""
    etat = "active" if fiche.actif else "inactive"
    return f"{fiche.intitule} (niveau {fiche.niveau}, fiche {etat})" if fiche.niveau else f"{fiche.intitule} ({etat})"


def _ligne(dossier, form, c: C) -> Ligne | None:
    if c.libelle:
        return Ligne(c.name, c.libelle, _texte(c.valeur(dossier)))
    if c.modele:
        instance = form.instance
        model_field = instance._meta.get_field(c.name)
        return Ligne(c.name, str(model_field.verbose_name), _valeur_modele(instance, model_field))
    if c.name not in form.fields:
        return None  # the tab does not offer this field for this dossier (public spécifique outside TT…)
    enabled = getattr(form, "enabled", None)
    if enabled is not None and not enabled(c.name):
        return None  # a closed conditional field, as greyed on the tab
    form_field = form.fields[c.name]
    valeur = c.valeur(dossier) if c.valeur else _valeur_form(form, c.name)
    return Ligne(c.name, str(form_field.label), _texte(valeur))


def _valeur_form(form, name: str):
    form_field = form.fields[name]
    if isinstance(form_field, forms.ModelChoiceField):
        return getattr(form.instance, name, None)
    value = form[name].value()
    if isinstance(form_field, forms.BooleanField):
        return bool(value)
    if isinstance(form_field, MontantFrField) and value not in (None, ""):
        return f"{value} €"
    choices = getattr(form_field, "choices", None)
    if choices is not None and value not in (None, ""):
        return dict((str(k), v) for k, v in choices).get(str(value), value)
    return value


def _valeur_modele(instance, model_field) -> str:
    value = getattr(instance, model_field.attname)
    if model_field.choices and value not in (None, ""):
        return getattr(instance, f"get_{model_field.name}_display")()
    return _texte(value)


def _texte(value) -> str:
    if value is None or value == "":
        return ""
    if value is True:
        return "Oui"
    if value is False:
        return "Non"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        from dossiers.calculs.salaire import montant_fr

        return montant_fr(value)
    return str(value)
