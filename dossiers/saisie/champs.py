"""Form fields shared by the tabs: French dates with the calendar, selects that can be deselected, names of
persons (civil status characters), yes/no questions, amounts in euros, the integer message."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from dossiers.calculs.salaire import montant_fr
from referentiels.validators import normalize_nom

ESPACES = re.compile(r"[\s\u00a0\u202f]")  # spaces a French user types in numbers: normal, no-break, narrow

MSG_DATE = "Saisissez une valeur de date au format JJ/MM/AAAA (Ex : 01/01/1990)."
SELECTIONNEZ = "Sélectionnez un élément"


class DateFrInput(forms.TextInput):
    """A JJ/MM/AAAA text input that static/portal/js/portal.js turns into a calendar."""

    def __init__(self, attrs=None):
        super().__init__({"data-calendar": "", "placeholder": "JJ/MM/AAAA", "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return super().format_value(value)


class DateFrField(forms.DateField):
    widget = DateFrInput
    default_error_messages = {"invalid": MSG_DATE}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Format : JJ/MM/AAAA")
        super().__init__(input_formats=["%d/%m/%Y"], **kwargs)

    def to_python(self, value):
        # A four-digit year is required: "05/10/199" must not become the year 199.
        if value and isinstance(value, str) and not re.fullmatch(r"\s*\d{1,2}/\d{1,2}/\d{4}\s*", value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ChoixSelect(forms.Select):
    """A select whose first option *Sélectionnez un élément* deselects the current choice."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select", **(attrs or {})}, choices)

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        rest = [(k, v) for k, v in value if k not in ("", None)]
        self._choices = [("", SELECTIONNEZ), *rest]


class NomField(forms.CharField):
    """A surname or first name: the civil status's characters only (``referentiels.validators.normalize_nom``),
    stored normalised; any other character is a format error, the input staying on screen."""

    def clean(self, value):
        value = super().clean(value)
        return normalize_nom(value) if value else value


class TexteField(forms.CharField):
    """A multi-line text: the browser sends its newlines as CRLF, its maxlength (and the counter,
    static/portal/js/compteurs.js) counts them as one character; read as LF, so that 2 000 characters typed are
    2 000 characters here (not 1 970 once 30 newlines count twice)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


MSG_ENTIER = "Saisissez un nombre entier positif ou nul."


class OuiNonField(forms.TypedChoiceField):
    """A Oui / Non question stored as True / False (None while unanswered)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.RadioSelect(attrs={"class": "form-check-input"}))
        super().__init__(
            choices=[("True", "Oui"), ("False", "Non")], coerce=lambda v: v == "True", empty_value=None, **kwargs
        )

    def prepare_value(self, value):
        return "" if value is None else str(value)


MSG_MONTANT = "Saisissez un montant en euros, avec au plus deux décimales (Ex : 1 234,56)."


class MontantFrField(forms.Field):
    """A euro amount typed the French way (« 1 234,56 », « 1234.5 », « 800 € »), a Decimal with 2 places."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in ("", None):
            return None
        if isinstance(value, Decimal):
            return value
        texte = ESPACES.sub("", str(value)).replace("€", "")
        if not texte:
            return None
        if not re.fullmatch(r"\d{1,7}([,.]\d{1,2})?", texte):
            raise ValidationError(MSG_MONTANT, code="format")
        try:
            return Decimal(texte.replace(",", ".")).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError(MSG_MONTANT, code="format") from None

    def prepare_value(self, value):
        return montant_fr(value) if isinstance(value, Decimal) else value
