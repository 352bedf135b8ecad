"""The Contrat tab's form (CERFA C1–C14): French decimals, weekly hours as « 35h00 », dates with the calendar.

The type of contract (C3) is chosen in the wizard and editable here among the allowed codes (it is the
dossier's ``type_contrat``, written by ``save_valid``); the sous-dispositif is read-only. The *date d'effet*
of an avenant is open exactly for type 30, the nature (C1) exactly while the VAE experiment's box C2 (an avenant
to the initial work contract) is unticked (``static/portal/js/conditions.js`` does the same on the client).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from dossiers.calculs.salaire import libelle, salaire_minimum
from dossiers.enums import NatureContrat, TypeContrat
from dossiers.models import Contrat
from dossiers.saisie.champs import ESPACES, MSG_ENTIER, ChoixSelect, DateFrField, MontantFrField
from dossiers.saisie.onglets.base import OngletForm
from referentiels.validators import normalize_naf

MSG_DUREE_HEBDO = "Saisissez une durée au format 35h00 (heures puis minutes, de 0 à 59)."
MSG_TYPE_CONTRAT = "Ce type de contrat ou d'avenant n'est pas proposé : choisissez un type de la liste."
AIDE_VAE = (
    "Uniquement dans le cadre d'un contrat de professionnalisation associant des actions de validation des acquis "
    "de l'expérience (loi n° 2022-1598, art. 11)"
)


def minutes_depuis_saisie(value: str) -> int:
    """« 35h00 », « 35h », « 35 », « 3500 », « 35:30 », « 35,5 » → minutes; ValidationError otherwise."""
    texte = ESPACES.sub("", value).lower()
    m = (
        re.fullmatch(r"(\d{1,2})(?:[h:](\d{1,2})?)?", texte)
        or re.fullmatch(r"(\d{1,2})(\d{2})", texte)
        or re.fullmatch(r"(\d{1,2})[,.](\d{1,2})", texte)
    )
    if not m:
        raise ValidationError(MSG_DUREE_HEBDO, code="format")
    heures = int(m.group(1))
    if re.fullmatch(r"\d{1,2}[,.]\d{1,2}", texte):  # decimal hours: 35,5 = 35h30
        minutes = round(Decimal(m.group(2).ljust(2, "0")) * 60 / 100)
    else:
        minutes = int(m.group(2) or 0)
    if minutes > 59:  # more than 48 h is well-formed: the rule WT-02 says why it is refused
        raise ValidationError(MSG_DUREE_HEBDO, code="format")
    return heures * 60 + minutes


def format_duree(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}"


class DureeHebdoField(forms.Field):
    """Weekly working time typed « 35h00 » (or 35, 3500, 35:30), stored in minutes."""

    widget = forms.TextInput

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in ("", None):
            return None
        if isinstance(value, int):
            return value
        return minutes_depuis_saisie(value)

    def prepare_value(self, value):
        return format_duree(value) if isinstance(value, int) else value


class TypeContratSelect(ChoixSelect):
    """A ChoixSelect without the *Sélectionnez un élément* option: the wizard always set a type."""

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = [(k, v) for k, v in value if k not in ("", None)]


class ContratForm(OngletForm):
    """The contract (CERFA C1–C14). Mandatory fields and business rules: ``dossiers/rules/contrat.py``."""

    type_contrat = forms.ChoiceField(
        label="Type de contrat ou d'avenant",
        choices=TypeContrat.choices,
        widget=TypeContratSelect,
        error_messages={"invalid_choice": MSG_TYPE_CONTRAT},
    )
    nature = forms.ChoiceField(
        label="Nature de contrat ou d'avenant", choices=NatureContrat.choices, widget=ChoixSelect
    )
    # Typed as "78.20Z", stored compact: wider than the stored code on input (as the employer's NAF).
    naf_entreprise_utilisatrice = forms.CharField(
        label="Code activité de l'entreprise utilisatrice (NAF)",
        max_length=6,
        help_text=f"{AIDE_VAE} ; impératif pour une entreprise de travail temporaire ou un groupement d'employeurs",
        widget=forms.TextInput(attrs={"placeholder": "Ex : 56.10A"}),
    )
    duree_essai_jours = forms.IntegerField(
        label="Durée de la période d'essai (en jours calendaires)",
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": MSG_ENTIER, "min_value": MSG_ENTIER},
    )
    date_debut = DateFrField(
        label="Date de début d'exécution du contrat", help_text="Format: JJ/MM/AAAA Ex: 01/01/2024"
    )
    date_fin = DateFrField(
        label="Date de fin du CDD ou de l'action de professionnalisation si CDI",
        help_text="Format: JJ/MM/AAAA Ex: 01/01/2024",
    )
    duree_hebdo_minutes = DureeHebdoField(
        label="Durée hebdomadaire du travail",
        help_text="Format: XXX ou XXXX Ex: 35h00",
        widget=forms.TextInput(attrs={"placeholder": "Ex: 35h00"}),
    )
    salaire_brut = MontantFrField(
        label="Salaire brut mensuel à l'embauche",
        help_text="€/ mois Ex: 800,00",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "Ex: 800,00"}),
    )
    date_effet_avenant = DateFrField(
        label="Si avenant, renseignez la date d'effet", help_text="Format: JJ/MM/AAAA Ex: 01/01/2024"
    )
    date_conclusion = DateFrField(
        label="Date de conclusion (signature du contrat)", help_text="Format: JJ/MM/AAAA Ex: 01/01/2024"
    )

    class Meta:
        model = Contrat
        fields = [
            "nature",
            "avenant_vae",
            "naf_entreprise_utilisatrice",
            "emploi",
            "classification",
            "niveau",
            "coefficient",
            "duree_essai_jours",
            "date_debut",
            "date_fin",
            "duree_hebdo_minutes",
            "salaire_brut",
            "date_effet_avenant",
            "date_conclusion",
        ]
        widgets = {
            "emploi": forms.TextInput(attrs={"maxlength": 255}),
            "classification": forms.TextInput(attrs={"maxlength": 255}),
            "niveau": forms.TextInput(attrs={"maxlength": 40}),
            "coefficient": forms.TextInput(attrs={"maxlength": 40}),
        }
        help_texts = {"avenant_vae": AIDE_VAE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = self.instance.dossier
        self.type_contrat_enregistre = self.dossier.type_contrat
        self.initial.setdefault("type_contrat", self.type_contrat_enregistre)
        if self.horaire:
            self.fields["salaire_brut"].label = "Salaire brut horaire à l'embauche (travail temporaire)"
            self.fields["salaire_brut"].help_text = "€/ heure Ex: 12,50"
        for name in ("date_effet_avenant", "nature"):
            if not self.enabled(name):
                self.fields[name].widget.attrs["disabled"] = "disabled"  # greyed until the answer opens it

    @property
    def type_en_saisie(self) -> str:
        """The type being entered when it is an allowed code (a blank or forged one keeps the stored type)."""
        if self.is_bound and not self.fields["type_contrat"].disabled:
            saisi = self.data.get(self.add_prefix("type_contrat"))
            if saisi in TypeContrat.values:
                return saisi
        return self.type_contrat_enregistre

    @property
    def avenant(self) -> bool:
        return self.type_en_saisie == TypeContrat.AVENANT

    @property
    def avenant_vae(self) -> bool:
        """C2 as being entered (or stored): the contract is an avenant to the initial work contract (VAE)."""
        field = self.fields["avenant_vae"]
        if self.is_bound and not field.disabled:
            return field.widget.value_from_datadict(self.data, self.files, self.add_prefix("avenant_vae"))
        return self.instance.avenant_vae

    @property
    def horaire(self) -> bool:
        nature = self.data.get(self.add_prefix("nature")) if self.is_bound else self.instance.nature
        return nature == NatureContrat.TRAVAIL_TEMPORAIRE

    @property
    def sous_dispositif_libelle(self) -> str:
        return str(self.dossier.sous_dispositif)

    def enabled(self, name: str) -> bool:
        if name == "date_effet_avenant":
            return self.avenant
        if name == "nature":
            return not self.avenant_vae  # none of the C1 boxes for the VAE avenant
        return True

    def clean_naf_entreprise_utilisatrice(self):
        value = self.cleaned_data["naf_entreprise_utilisatrice"].strip()
        return normalize_naf(value) if value else ""

    def clean_type_contrat(self):
        return self.cleaned_data["type_contrat"] or self.type_contrat_enregistre

    def clean(self):
        data = super().clean()
        if "type_contrat" in data:
            # Applied in memory: the rules engine reads ``dossier.type_contrat`` (saving and field check).
            self.dossier.type_contrat = data["type_contrat"]
        if not self.avenant:
            # Not an avenant: the date d'effet is closed, any input (and its error) is dropped and cleared.
            data["date_effet_avenant"] = None
            self._errors.pop("date_effet_avenant", None)
        if not self.enabled("nature"):
            # The VAE avenant (C2): the nature is closed, any input (and its error) is dropped and cleared.
            data["nature"] = ""
            self._errors.pop("nature", None)
        return data

    def restaurer(self, name: str, valeur) -> None:
        if name == "type_contrat":
            self.dossier.type_contrat = valeur
        else:
            super().restaurer(name, valeur)

    def save_valid(self) -> None:
        super().save_valid()
        if "type_contrat" in self.cleaned_data:
            self.dossier.save(update_fields=["type_contrat"])

    def minimum(self) -> str:
        """The minimum for the salarié (the legal one or the branch's), as shown beside the salary ('' while it cannot
        be computed)."""
        minimum = salaire_minimum(self.dossier)
        return libelle(minimum) if minimum else ""
