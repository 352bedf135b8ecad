"""Forms of the Formation tab: the training (F7–F16, and E15 for the VAE experiment) and its modules (F1–F6).

The *Numéro du projet* (E15) is open exactly for type de qualification 8 (``static/portal/js/conditions.js`` does
the same on the client); another type closes and clears it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError

from dossiers import rules
from dossiers.enums import Diplome, ModalitePedagogique, PrefixeIntituleVae, TypeModule, TypeQualification
from dossiers.models import Formation, ModuleFormation
from dossiers.rules.formation import MAX_MODULES
from dossiers.saisie.champs import MSG_ENTIER, ChoixSelect, DateFrField, OuiNonField
from dossiers.saisie.onglets.base import OngletForm
from referentiels.models import Certification, OrganismeFormation
from referentiels.validators import normalize_certification_code

MSG_NSF = "Saisissez le code à 3 chiffres de la spécialité de formation (Ex : 221)."
_MODULE_FIELD = re.compile(r"^module([0-9]+)_(.+)$")
_PREFIXES = PrefixeIntituleVae.values
AIDE_INTITULE = (
    f"Type 8 (expérimentation VAE) : commencez par {', '.join(_PREFIXES[:-1])} ou {_PREFIXES[-1]}, "
    "puis l'intitulé précis"
)


def fiche(code: str) -> Certification | None:
    try:
        code = normalize_certification_code(code)
    except ValidationError:
        return None
    return Certification.objects.filter(code=code).first() if code else None


def heures_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="En heures",
        error_messages={"invalid": MSG_ENTIER, "min_value": MSG_ENTIER},
    )


class FormationForm(OngletForm):
    """The training: qualification, RNCP fiche (searched in the France compétences referential), durations."""

    max_modules = MAX_MODULES

    apprentissage = OuiNonField(label="Apprentissage (OUI/NON)")
    code_rncp = forms.CharField(
        label="Code RNCP",
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "Ex : RNCP34567", "autocomplete": "off"}),
    )
    specialite_nsf = forms.CharField(
        label="Spécialité de formation (NSF)",
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 3, "placeholder": "Ex : 221"}),
        help_text="Code à 3 chiffres, rempli depuis la fiche RNCP choisie quand France compétences le précise",
    )
    duree_totale_heures = heures_field("Durée totale de formation")
    duree_enseignements_heures = heures_field("Durée des enseignements théoriques")
    date_debut_cycle = DateFrField(label="Date de début du cycle de formation")
    date_fin_examens = DateFrField(label="Date prévue de fin des épreuves ou examens")

    class Meta:
        model = Formation
        fields = [
            "diplome_vise",
            "reference_interne",
            "reference_projet",
            "type_qualification",
            "numero_projet_vae",
            "code_rncp",
            "apprentissage",
            "intitule",
            "specialite_nsf",
            "duree_totale_heures",
            "duree_enseignements_heures",
            "date_debut_cycle",
            "date_fin_examens",
        ]
        widgets = {
            "diplome_vise": ChoixSelect(choices=Diplome.choices),
            "type_qualification": ChoixSelect(choices=TypeQualification.choices),
            "reference_interne": forms.TextInput(attrs={"maxlength": 50}),
            "reference_projet": forms.TextInput(attrs={"maxlength": 50}),
            "numero_projet_vae": forms.TextInput(attrs={"maxlength": 30, "autocomplete": "off"}),
            "intitule": forms.TextInput(attrs={"maxlength": 255}),
        }
        help_texts = {
            "intitule": AIDE_INTITULE,
            "numero_projet_vae": "Contrat associant des actions de VAE (type 8) : le numéro figurant sur la "
            "notification d'acceptation du projet délivrée par la DGEFP",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.certification_enregistree = self.instance.certification_id
        if not self.enabled("numero_projet_vae"):
            self.fields["numero_projet_vae"].widget.attrs["disabled"] = "disabled"  # greyed until type 8

    @property
    def type_en_saisie(self) -> str:
        """F7 being entered when it is a listed code or blank (a forged one keeps the stored type)."""
        if self.is_bound and not self.fields["type_qualification"].disabled:
            saisi = self.data.get(self.add_prefix("type_qualification"), "")
            if saisi in ("", *TypeQualification.values):
                return saisi
        return self.instance.type_qualification

    def enabled(self, name: str) -> bool:
        return name != "numero_projet_vae" or self.type_en_saisie == TypeQualification.VAE

    def clean(self):
        data = super().clean()
        if not self.enabled("numero_projet_vae"):
            # Not the VAE experiment: the project number is closed, any input (and its error) is dropped and cleared.
            data["numero_projet_vae"] = ""
            self._errors.pop("numero_projet_vae", None)
        return data

    def clean_numero_projet_vae(self):
        return self.cleaned_data["numero_projet_vae"].strip()

    def clean_code_rncp(self):
        return normalize_certification_code(self.cleaned_data["code_rncp"])

    def clean_specialite_nsf(self):
        value = self.cleaned_data["specialite_nsf"].strip()
        if value and not re.fullmatch(r"[0-9]{3}", value):
            raise ValidationError(MSG_NSF, code="format")
        return value

    def _post_clean(self):
        super()._post_clean()
        if "code_rncp" in self.cleaned_data:
            # The fiche follows the code: typed or chosen in the search, it is linked when the referential has it.
            code = self.cleaned_data["code_rncp"]
            self.instance.certification = Certification.objects.filter(code=code).first() if code else None

    def restaurer(self, name: str, valeur) -> None:
        super().restaurer(name, valeur)
        if name == "code_rncp":
            self.instance.certification_id = self.certification_enregistree

    def valid_field_names(self) -> list[str]:
        names = super().valid_field_names()
        if "code_rncp" in names:
            names.append("certification")
        return names

    # --- What the template shows around the fields -------------------------------------------------

    def fiche(self) -> Certification | None:
        """The France compétences fiche of the code on screen (typed, chosen, or stored)."""
        if self.is_bound:
            return fiche(self.data.get(self.add_prefix("code_rncp"), ""))
        code = self.initial.get("code_rncp", self.instance.code_rncp)
        if code == self.instance.code_rncp and self.instance.certification_id:
            return self.instance.certification
        return fiche(code)

    def lignes_modules(self) -> list[dict]:
        """Each module with the engine's messages about it (``module<N>_<field>``), for the list."""
        return lignes_modules(self.instance.dossier)


def libelle_champ_module(name: str) -> str:
    """The French label of a module's field (« Date de début »), named by the list's messages."""
    if name == "attestation_interne":
        return "Attestation du service interne"
    try:
        return str(ModuleFormation._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return ""


def lignes_modules(dossier) -> list[dict]:
    par_module: dict[int, list[dict]] = defaultdict(list)
    for anomalie in rules.check_onglet(dossier, "formation"):
        match = _MODULE_FIELD.match(anomalie.field)
        if match:
            par_module[int(match.group(1))].append(
                {
                    "field": match.group(2),
                    "label": libelle_champ_module(match.group(2)),
                    "kind": anomalie.kind if anomalie.bloquant else "alerte",
                    "message": anomalie.message,
                    "bloquant": anomalie.bloquant,
                }
            )
    return [
        {"numero": i, "module": m, "messages": par_module.get(i, [])}
        for i, m in enumerate(dossier.formation.liste_modules, 1)
    ]


def messages_module(dossier, numero: int) -> dict[str, list[dict]]:
    """The engine's messages of the N-th module, by field name (``heures_distance``…)."""
    result: dict[str, list[dict]] = {}
    for ligne in lignes_modules(dossier):
        if ligne["numero"] == numero:
            for message in ligne["messages"]:
                result.setdefault(message["field"], []).append(message)
    return result


class TypeModuleForm(forms.Form):
    """*Réalisation de la formation*: Formation Interne or Formation Externe, then *Continuer*."""

    type = forms.ChoiceField(
        label="Réalisation de la formation",
        choices=TypeModule.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "Veuillez sélectionner un élément.",
            "invalid_choice": "Ce choix n'est pas proposé : sélectionnez un élément de la liste.",
        },
    )


class OrganismeField(forms.ModelChoiceField):
    """An organisme by its SIRET. ``connus`` (SIRET → organisme, read beforehand in one query): the API checks a
    dossier's modules without a query each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connus: dict[str, OrganismeFormation] = {}

    def to_python(self, value):
        connu = self.connus.get(value) if isinstance(value, str) else None
        return connu if connu is not None else super().to_python(value)


class ModuleForm(forms.ModelForm):
    """A module's data; like the tabs, nothing is mandatory here: the rules engine says what is missing."""

    organisme = OrganismeField(
        queryset=OrganismeFormation.objects.all(),
        to_field_name="siret",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choisissez l'organisme de formation dans la liste des résultats."},
    )
    apprentissage_controle = OuiNonField(label="Apprentissage - Contrôle")
    date_debut = DateFrField(label="Date de début")
    date_fin = DateFrField(label="Date de fin")
    heures = heures_field("Durée de formation")
    heures_distance = heures_field("Durée de la formation à distance")

    class Meta:
        model = ModuleFormation
        fields = [
            "organisme",
            "apprentissage_controle",
            "service_interne",
            "attestation_interne",
            "date_debut",
            "date_fin",
            "heures",
            "heures_distance",
            "modalite",
        ]
        widgets = {
            "modalite": ChoixSelect(choices=ModalitePedagogique.choices),
            "service_interne": forms.TextInput(attrs={"placeholder": "Ex : Service formation du siège"}),
        }

    def __init__(self, *args, type_module: str, editable: bool = True, **kwargs):
        kwargs.setdefault("prefix", "module")
        super().__init__(*args, **kwargs)
        self.instance.type = type_module
        gardes = (
            ["organisme", "apprentissage_controle"]
            if type_module == TypeModule.EXTERNE
            else ["service_interne", "attestation_interne"]
        )
        for name in ["organisme", "apprentissage_controle", "service_interne", "attestation_interne"]:
            if name not in gardes:
                del self.fields[name]
        for name, field in self.fields.items():
            field.required = False
            if not editable:
                field.disabled = True
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(field.widget, (forms.HiddenInput, forms.RadioSelect)):
                field.widget.attrs.setdefault("class", "form-control")

    def _get_validation_exclusions(self):
        exclus = super()._get_validation_exclusions()
        field = self.fields.get("organisme")
        if isinstance(field, OrganismeField) and self.cleaned_data.get("organisme") in field.connus.values():
            exclus.add("organisme")  # read in this request (``connus``): its existence is not checked again
        return exclus

    @property
    def externe(self) -> bool:
        return self.instance.type == TypeModule.EXTERNE

    def organisme_choisi(self) -> OrganismeFormation | None:
        """The organisme on screen: just chosen (bound data) or stored."""
        if not self.externe:
            return None
        if self.is_bound:
            siret = (self.data.get(self.add_prefix("organisme")) or "").strip()
            return OrganismeFormation.objects.filter(siret=siret).first() if siret else None
        return self.instance.organisme
