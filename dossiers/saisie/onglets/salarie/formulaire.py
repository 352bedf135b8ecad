"""L'onglet Salarié : identité, NIR ou NTT, situation, adresse, tuteurs."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from dossiers import rules
from dossiers.enums import CodeDispositif, Diplome, MinimumSocial, PublicSpecifique, Sexe, SituationAvantContrat
from dossiers.models import AUTRES_ALTERNANTS_MAXIMUM, MESSAGE_AUTRES_ALTERNANTS, Salarie, Tuteur
from dossiers.saisie.champs import MSG_ENTIER, ChoixSelect, DateFrField, NomField, OuiNonField
from dossiers.saisie.onglets.base import OngletForm
from referentiels.models import Commune
from referentiels.validators import (
    normalize_nir,
    normalize_nom,
    normalize_phone,
    validate_nir,
    validate_ntt,
)

# NIR-02: the guide shows « 13 caractères » and « Ex : 1234567890123 », but the key is needed to check the number
# (NIR-04): the portal asks for the 15 characters, and its example is a NIR whose key is right.
EXEMPLE_NIR = "Ex : 1 85 05 78 006 084 91"
AIDE_FORMAT_NIR = "15 caractères : les 13 chiffres et la clé de 2 chiffres, espaces acceptés"
AIDE_NIR = "Le numéro de sécurité sociale est inscrit sur la carte vitale, en dessous du nom et du prénom du porteur."


AIDE_NTT = (
    "Le numéro technique temporaire est un numéro attribué à l'individu par son employeur dans l'attente de la "
    "délivrance d'un NIA puis d'un NIR définitif par la sécurité sociale."
)


TUTEUR_CHAMPS = ("nom", "prenom", "emploi", "date_naissance", "est_employeur", "autres_alternants")


# Conditional fields: (field, question, answer that opens it). The NIR is open until « Oui » is answered;
# the others open on their answer. An answer that closes a field clears it: nothing is silently kept.
CONDITIONS = [
    ("nir", "nir_temporaire", False),
    ("ntt", "nir_temporaire", True),
    ("equivalence_jeunes", "rqth", False),
    ("extension_boe", "rqth", False),
    ("numero_france_travail", "inscrit_france_travail", True),
    ("duree_inscription_mois", "inscrit_france_travail", True),
]


OUVERT_SANS_REPONSE = {"nir"}

# The CERFA 12434's own fields (S9–S19: handicap, France Travail, situation before the contract, minimum social,
# public spécifique): the contrat pro's. Another dispositif's Salarié tab keeps identity, NIR/NTT, diploma,
# address and tutors: its form drops these, by the dossier's dispositif (one form, a field list per dispositif).
CHAMPS_CERFA = (
    "rqth",
    "equivalence_jeunes",
    "extension_boe",
    "public_specifique",
    "inscrit_france_travail",
    "numero_france_travail",
    "duree_inscription_mois",
    "situation_avant_contrat",
    "minimum_social",
)
CHAMPS_ABSENTS: dict[str, tuple[str, ...]] = {CodeDispositif.RECONVERSION: CHAMPS_CERFA}


class SalarieForm(OngletForm):
    """The salarié (CERFA S1–S20) and the tutors (T1–T8), with the guide's conditional fields."""

    date_naissance = DateFrField(label="Date de naissance")
    nir_temporaire = OuiNonField(label="Êtes-vous détenteur d'un NIR temporaire ?")
    nir = forms.CharField(
        label="Numéro de sécurité sociale (NIR)",
        max_length=21,
        help_text=AIDE_FORMAT_NIR,
        widget=forms.TextInput(attrs={"autocomplete": "off", "title": AIDE_NIR, "placeholder": EXEMPLE_NIR}),
    )
    ntt = forms.CharField(
        label="Numéro technique temporaire",
        max_length=40,
        help_text="11 à 40 caractères",
        widget=forms.TextInput(attrs={"autocomplete": "off", "title": AIDE_NTT}),
    )
    rqth = OuiNonField(label="Qualité de travailleur handicapé")
    equivalence_jeunes = OuiNonField(label="Équivalence jeunes")
    extension_boe = OuiNonField(label="Extension BOE")
    inscrit_france_travail = OuiNonField(label="Inscrit à France Travail ?")
    commune = forms.ChoiceField(label="Commune", widget=ChoixSelect)
    tuteur1_nom = NomField(label="Nom", max_length=50)
    tuteur1_prenom = NomField(label="Prénom", max_length=50)
    tuteur1_emploi = forms.CharField(label="Emploi occupé", max_length=100)
    tuteur1_date_naissance = DateFrField(label="Date de naissance")
    tuteur1_est_employeur = OuiNonField(label="Le tuteur est-il l'employeur ?")
    tuteur1_autres_alternants = forms.IntegerField(
        label=Tuteur._meta.get_field("autres_alternants").verbose_name,
        help_text=Tuteur._meta.get_field("autres_alternants").help_text,
        min_value=0,
        max_value=AUTRES_ALTERNANTS_MAXIMUM,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 3}),
        error_messages={k: MESSAGE_AUTRES_ALTERNANTS for k in ("invalid", "min_value", "max_value")},
    )
    tuteur2_nom = NomField(label="Nom", max_length=50)
    tuteur2_prenom = NomField(label="Prénom", max_length=50)
    tuteur2_emploi = forms.CharField(label="Emploi occupé", max_length=100)
    tuteur2_date_naissance = DateFrField(label="Date de naissance")

    class Meta:
        model = Salarie
        fields = [
            "nom_naissance",
            "nom_usage",
            "prenom",
            "date_naissance",
            "sexe",
            "departement_naissance",
            "commune_naissance",
            "nir_temporaire",
            "ntt",
            "rqth",
            "equivalence_jeunes",
            "extension_boe",
            "public_specifique",
            "inscrit_france_travail",
            "numero_france_travail",
            "duree_inscription_mois",
            "situation_avant_contrat",
            "minimum_social",
            "diplome_plus_eleve",
            "numero_voie",
            "complement_adresse",
            "code_postal",
            "commune",
            "telephone",
            "email",
            "attestation_tuteur",
            "attestation_tuteur_qualifie",
        ]
        # Names of persons: the civil status's characters only (a format error otherwise).
        field_classes = {"nom_naissance": NomField, "nom_usage": NomField, "prenom": NomField}
        widgets = {
            "nom_naissance": forms.TextInput(attrs={"placeholder": "Ex : Dupont"}),
            "nom_usage": forms.TextInput(attrs={"placeholder": "Ex : Durand"}),
            "prenom": forms.TextInput(attrs={"placeholder": "Ex : Jean"}),
            "sexe": ChoixSelect(choices=Sexe.choices),
            "departement_naissance": forms.TextInput(attrs={"placeholder": "Ex : 69, 2A, 974 ou 99", "maxlength": 3}),
            "commune_naissance": forms.TextInput(attrs={"placeholder": "Ex : Lyon (ou le pays si né à l'étranger)"}),
            "public_specifique": ChoixSelect(choices=PublicSpecifique.choices),
            "numero_france_travail": forms.TextInput(attrs={"placeholder": "Ex : 1234567A"}),
            "duree_inscription_mois": forms.TextInput(attrs={"inputmode": "numeric"}),
            "situation_avant_contrat": ChoixSelect(choices=SituationAvantContrat.choices),
            "minimum_social": ChoixSelect(choices=MinimumSocial.choices),
            "diplome_plus_eleve": ChoixSelect(choices=Diplome.choices),
            "code_postal": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5, "placeholder": "Ex : 69001"}),
            "telephone": forms.TextInput(attrs={"placeholder": "Ex: 01 23 45 67 89", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"maxlength": 300}),
        }
        help_texts = {
            "nom_naissance": "50 caractères maximum",
            "nom_usage": "50 caractères maximum",
            "prenom": "50 caractères maximum — le premier prénom de l'état civil",
            "email": "300 caractères maximum",
        }
        error_messages = {
            "duree_inscription_mois": {"invalid": MSG_ENTIER, "min_value": MSG_ENTIER},
            "email": {"invalid": "Saisissez une adresse e-mail valide (Ex : nom@domaine.fr)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = self.instance.dossier
        if not self.dossier.employeur.travail_temporaire:
            del self.fields["public_specifique"]  # the guide: shown only for travail temporaire companies
        for name in CHAMPS_ABSENTS.get(rules.code_dispositif(self.dossier), ()):
            self.fields.pop(name, None)
        for rang in Tuteur.Rang.values:
            tuteur = self.dossier.tuteur(rang)
            for name in TUTEUR_CHAMPS:
                key = f"tuteur{rang}_{name}"
                if key in self.fields:
                    self.initial.setdefault(key, getattr(tuteur, name))
        if self.instance.nir_chiffre:
            self.initial.setdefault("nir", self.instance.nir)
        # The commune is chosen among the communes of the postal code (typed or stored).
        code_postal = (
            self.data.get(self.add_prefix("code_postal")) if self.is_bound else None
        ) or self.instance.code_postal
        self.communes = (
            list(Commune.objects.du_code_postal(code_postal).values_list("code", "nom")) if code_postal else []
        )
        self.fields["commune"].choices = self.communes
        self.commune_enregistree = self.instance.commune
        self.initial["commune"] = self.instance.code_commune  # the select's value is the INSEE code, not the name
        self.fields["commune"].error_messages["invalid_choice"] = (
            "Choisissez la commune parmi celles du code postal saisi."
        )
        for field, _condition, _value in CONDITIONS:
            if field in self.fields and not self.enabled(field):
                self.fields[field].widget.attrs["disabled"] = "disabled"  # greyed until the answer opens it

    def enabled(self, name: str) -> bool:
        """Whether a conditional field is open, from the answer being entered (or the stored one)."""
        for field, condition, value in CONDITIONS:
            if field == name:
                answer = self._answer(condition)
                return answer is value or (answer is None and field in OUVERT_SANS_REPONSE)
        return True

    def _answer(self, condition):
        if self.is_bound:
            return {"True": True, "False": False}.get(self.data.get(self.add_prefix(condition)))
        return getattr(self.instance, condition)

    def clean(self):
        data = super().clean()
        self.cleared = []
        for field, condition, value in CONDITIONS:
            if field in self.fields and data.get(condition) is not None and data[condition] is not value:
                empty = None if isinstance(self.fields[field], (OuiNonField, forms.IntegerField)) else ""
                data[field] = empty
                self._errors.pop(field, None)  # a closed field's input is dropped, errors included
                self.cleared.append(field)
        return data

    def clean_nir(self):
        value = self.cleaned_data["nir"].strip()
        if not value:
            return ""
        validate_nir(value)
        return normalize_nir(value)

    def clean_ntt(self):
        value = self.cleaned_data["ntt"].replace(" ", "")
        if value:
            validate_ntt(value)
        return value

    def clean_tuteur1_autres_alternants(self):
        value = self.cleaned_data["tuteur1_autres_alternants"]
        return 0 if value is None else value  # left empty: none declared

    def clean_telephone(self):
        value = self.cleaned_data["telephone"].strip()
        return normalize_phone(value) if value else ""

    def clean_nom_naissance(self):
        return normalize_nom(self.cleaned_data["nom_naissance"].upper())  # upper case may change a letter (ŉ → ʼN)

    def clean_departement_naissance(self):
        value = self.cleaned_data["departement_naissance"].strip().upper()
        if value and not (value in ("2A", "2B", "99", "099") or (value.isdigit() and len(value) in (2, 3))):
            raise ValidationError(
                "Saisissez le numéro du département (Ex : 69, 2A, 974), ou 99 pour une naissance à l'étranger.",
                code="format",
            )
        return value

    def _post_clean(self):
        super()._post_clean()  # applies the well-formed model fields to the instance (in memory)
        if "nir" in self.cleaned_data:
            self.instance.nir = self.cleaned_data["nir"]
        if "commune" in self.cleaned_data:
            code = self.cleaned_data["commune"]
            self.instance.code_commune = code
            self.instance.commune = dict(self.communes).get(code, "")
        for rang in Tuteur.Rang.values:
            tuteur = self.dossier.tuteur(rang)
            for name in TUTEUR_CHAMPS:
                key = f"tuteur{rang}_{name}"
                if key in self.cleaned_data:
                    setattr(tuteur, name, self.cleaned_data[key])

    def restaurer(self, name: str, valeur) -> None:
        if name == "nir":
            self.instance.nir = valeur or ""
        elif name == "commune":
            self.instance.code_commune = valeur or ""
            self.instance.commune = self.commune_enregistree
        elif name.startswith("tuteur") and name[6:7].isdigit():
            setattr(self.dossier.tuteur(int(name[6])), name[8:], valeur)
        else:
            super().restaurer(name, valeur)

    def valid_field_names(self) -> list[str]:
        names = super().valid_field_names()
        if "nir" in self.cleaned_data:
            names += ["nir_chiffre", "nir_empreinte"]
        if "commune" in names:
            names.append("code_commune")
        return names

    def save_valid(self) -> None:
        super().save_valid()
        for rang in Tuteur.Rang.values:
            tuteur = self.dossier.tuteur(rang)
            names = [n for n in TUTEUR_CHAMPS if f"tuteur{rang}_{n}" in self.cleaned_data]
            if tuteur.pk is None:
                tuteur.save()
            elif names:
                tuteur.save(update_fields=names)
