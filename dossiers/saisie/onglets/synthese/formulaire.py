"""L'onglet Synthèse : récapitulatif, attestations, commentaire."""

from __future__ import annotations

from django import forms

from dossiers.calculs.financement import estimation, euros
from dossiers.models import COMMENTAIRE_MAX, Financement, Synthese
from dossiers.saisie.onglets.base import OngletForm


def synthese_de(dossier) -> Synthese:
    return Synthese.du_dossier(dossier)


class SyntheseForm(OngletForm):
    commentaire = forms.CharField(
        label="Commentaire",
        max_length=COMMENTAIRE_MAX,
        help_text=f"{COMMENTAIRE_MAX} caractères maximum — visible par le gestionnaire AKTO lors de l'instruction "
        "de la demande.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENTAIRE_MAX}),
        error_messages={"max_length": f"Le commentaire ne peut dépasser {COMMENTAIRE_MAX} caractères."},
    )

    class Meta:
        model = Synthese
        fields = ["attestation_exactitude", "acceptation_cg", "commentaire"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = self.instance.dossier

    def save_valid(self) -> None:
        if self.instance.pk is None:
            self.instance.save()
        super().save_valid()

    def estimation(self):
        return estimation(self.dossier)

    def recap(self) -> dict:
        """The main data of every tab, its status and the link to fix it (the guide's *Récapitulatif*)."""
        from dossiers import rules
        from dossiers.saisie import onglets  # here: onglets imports this module

        dossier = self.dossier
        puces = {p.onglet.slug: p for p in onglets.puces(rules.check(dossier))}
        employeur, salarie, contrat, formation = dossier.employeur, dossier.salarie, dossier.contrat, dossier.formation
        tuteur = dossier.tuteur(1)
        financement = Financement.du_dossier(dossier)

        def section(slug, titre, lignes):
            return {"slug": slug, "titre": titre, "puce": puces[slug], "lignes": lignes}

        sections = [
            section(
                "employeur",
                "Employeur",
                [
                    ("Raison Sociale", employeur.raison_sociale),
                    ("Siret de l'établissement d'exécution du contrat", employeur.siret),
                    (
                        "Adresse",
                        " ".join(p for p in [employeur.numero_voie, employeur.code_postal, employeur.commune] if p),
                    ),
                    ("NAF", employeur.naf),
                    ("IDCC", employeur.idcc),
                    ("Email", employeur.email),
                    ("Effectif total de l'entreprise", _texte(employeur.effectif_total)),
                ],
            ),
            section(
                "salarie",
                "Salarié",
                [
                    ("Nom de naissance", salarie.nom_naissance),
                    ("Prénom", salarie.prenom),
                    ("Date de naissance", _date(salarie.date_naissance)),
                    ("Numéro de sécurité sociale (NIR)", salarie.nir_masque),
                    ("Diplôme ou titre le plus élevé obtenu", salarie.get_diplome_plus_eleve_display()),
                    ("Tuteur", str(tuteur) if (tuteur.nom or tuteur.prenom) else ""),
                ],
            ),
            section(
                "contrat",
                "Contrat",
                [
                    ("Type de contrat ou d'avenant", dossier.get_type_contrat_display()),
                    ("Nature de contrat ou d'avenant", contrat.get_nature_display()),
                    ("Emploi occupé pendant le contrat", contrat.emploi),
                    ("Date de début d'exécution du contrat", _date(contrat.date_debut)),
                    ("Date de fin du CDD ou de l'action de professionnalisation si CDI", _date(contrat.date_fin)),
                    ("Durée hebdomadaire du travail", _duree(contrat.duree_hebdo_minutes)),
                    ("Salaire brut à l'embauche", _euros(contrat.salaire_brut)),
                ],
            ),
            section(
                "formation",
                "Formation",
                [
                    ("Intitulé précis", formation.intitule),
                    ("Diplôme ou titre visé par le salarié(e)", formation.get_diplome_vise_display()),
                    ("Code RNCP", formation.code_rncp),
                    ("Durée totale de formation", _heures(formation.duree_totale_heures)),
                    ("Durée des enseignements théoriques", _heures(formation.duree_enseignements_heures)),
                    ("Date de début du cycle de formation", _date(formation.date_debut_cycle)),
                    ("Date prévue de fin des épreuves ou examens", _date(formation.date_fin_examens)),
                ],
            ),
        ]
        lignes_financement = []
        if dossier.employeur.travail_temporaire:
            lignes_financement = [
                ("Financement du reste à charge demandé", _oui_non(financement.reste_a_charge_demande)),
                ("Type de contribution", str(financement.type_contribution or "")),
            ]
        lignes_financement.append(("Coût pédagogique prévu", _euros(financement.cout_pedagogique)))
        sections.append(section("financement", "Financement", lignes_financement))
        modules = [
            {
                "numero": numero,
                "type": module.get_type_display(),
                "realise_par": str(module.organisme or "") if module.externe else module.service_interne,
                "date_debut": _date(module.date_debut),
                "date_fin": _date(module.date_fin),
                "heures": _heures(module.heures),
                "modalite": module.get_modalite_display(),
            }
            for numero, module in enumerate(formation.liste_modules, start=1)
        ]
        autres = [p for slug, p in puces.items() if slug not in {s["slug"] for s in sections} | {"synthese"}]
        return {"sections": sections, "modules": modules, "puces": list(puces.values()), "autres": autres}


def _texte(value) -> str:
    return "" if value is None else str(value)


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _heures(value) -> str:
    return "" if value is None else f"{value} h"


def _euros(value) -> str:
    return euros(value)


def _duree(minutes) -> str:
    return "" if minutes is None else f"{minutes // 60}h{minutes % 60:02d}"


def _oui_non(value) -> str:
    return {True: "Oui", False: "Non"}.get(value, "")
