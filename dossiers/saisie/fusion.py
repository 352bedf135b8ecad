"""Field-level merge of a tab save (ADR « fusion au champ »).

A tab form carries, beside the dossier's ``version``, ``_charge``: a signed map field → two keyed fingerprints of what
the form was loaded with (L): the input as the browser shows it (and posts it back untouched), and the stored value.
On save, for each well-formed field: the posted input and its cleaned value (P), the stored one (S, the bound form's
initial: the dossier is read afresh by the request):

- input posted == input loaded: the user did not change it → not written (someone else's change, if any, is kept;
  a stored value the form would normalise is not "changed" either);
- changed, and S == L or S == P: written;
- changed, S != L and S != P: a conflict → not written; the user sees both values and chooses.

Only fingerprints travel (HMAC of the value, keyed by the secret key): no value, the NIR included, is put in clear in
the hidden field. The one write stays ``services.ecrire_sous_verrou``; its version is the one the request read.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.utils.crypto import salted_hmac

SEL = "dossiers.saisie.fusion"
CHAMP_CHARGE = "_charge"
CHAMP_ATTENTE = "_attente"  # a conflict still waiting for the user's choice: never written meanwhile


def _canonique(valeur) -> str:
    if valeur is None or valeur == "":
        return ""
    if hasattr(valeur, "pk"):
        valeur = valeur.pk
    if isinstance(valeur, bool):
        return "True" if valeur else "False"
    if isinstance(valeur, decimal.Decimal):
        return format(valeur.normalize(), "f")
    if isinstance(valeur, (datetime.date, datetime.datetime)):
        return valeur.isoformat()
    if isinstance(valeur, (list, tuple)):
        return "|".join(_canonique(v) for v in valeur)
    return str(valeur)


def empreinte(valeur) -> str:
    return salted_hmac(SEL, _canonique(valeur)).hexdigest()[:16]


def noms(form) -> list[str]:
    return [name for name in form.fields if name != "version"]


def initiale(form, name):
    """The stored value of a field as the form was built (S for a bound form on a fresh read, L for a loaded one)."""
    return form.get_initial_for_field(form.fields[name], name)


def rendue(field, valeur):
    """The input a stored value is shown as (and posted back as, untouched)."""
    if isinstance(field.widget, forms.CheckboxInput):
        return bool(valeur)
    formatted = field.widget.format_value(field.prepare_value(valeur))
    if isinstance(formatted, list):
        formatted = formatted[0] if formatted else ""
    return "" if formatted is None else str(formatted).replace("\r\n", "\n")


def postee(form, name):
    field = form.fields[name]
    valeur = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    if isinstance(valeur, str):
        valeur = valeur.replace("\r\n", "\n")
    return valeur


def empreintes(form) -> dict[str, list[str]]:
    """[input on screen, stored value] of each field: a bound form's screen is what was posted, a loaded one's what
    it renders; a conflict's input is taken as the stored value (so « Garder ma saisie » is a change, written)."""
    conflits = getattr(form, "conflits", {})
    result = {}
    for name in noms(form):
        valeur = initiale(form, name)
        if name in conflits or not form.is_bound:
            ecran = rendue(form.fields[name], valeur)
        else:
            ecran = postee(form, name)
        result[name] = [empreinte(ecran), empreinte(valeur)]
    return result


def signer(valeurs: dict) -> str:
    return signing.dumps(valeurs, salt=SEL, compress=True)


def lire(jeton: str | None) -> dict[str, list[str]] | None:
    """The loaded fingerprints posted back; None when absent or tampered with."""
    if not jeton:
        return None
    try:
        valeurs = signing.loads(jeton, salt=SEL)
    except signing.BadSignature:
        return None
    return valeurs if isinstance(valeurs, dict) else None


@dataclass
class Conflit:
    name: str
    label: str
    affichee: str  # the stored value, as the user reads it (the NIR masked)
    brute: str  # the stored value as the input takes it (« Reprendre la valeur enregistrée »)
    cases: bool = False  # a checkbox: brute is "on" or ""


@dataclass
class Tri:
    conflits: dict[str, Conflit]
    gardes: dict[str, list[str]]  # changed elsewhere, untouched here: their loaded fingerprints stay the screen's
    exclus: list[str]  # well-formed fields not written


def trier(form, charge: dict, attente: set[str]) -> Tri:
    """Sort the bound, validated form's fields (see the module's docstring)."""
    conflits, gardes, exclus = {}, {}, []
    for name in noms(form):
        if name not in form.cleaned_data or form.fields[name].disabled:
            continue
        s = empreinte(initiale(form, name))
        p = empreinte(form.cleaned_data[name])
        ecran = empreinte(postee(form, name))
        charge_champ = charge.get(name)
        if not (isinstance(charge_champ, list) and len(charge_champ) == 2):
            charge_champ = [None, s]  # a field the loaded page did not have: changed here, not elsewhere
        ecran_l, l = charge_champ  # noqa: E741
        if ecran == ecran_l:
            exclus.append(name)
            if s != l:
                gardes[name] = charge_champ
        elif (s != l or name in attente) and s != p:
            exclus.append(name)
            conflits[name] = conflit(form, name)
    return Tri(conflits, gardes, exclus)


def retenir(form, exclus: list[str]) -> None:
    """Leave the excluded fields out of the write: out of cleaned_data, and their stored value back on the instance
    (the field history records the instance as it is saved)."""
    for name in exclus:
        form.cleaned_data.pop(name, None)
        form.restaurer(name, initiale(form, name))


def conflit(form, name) -> Conflit:
    field = form.fields[name]
    valeur = initiale(form, name)
    return Conflit(name, str(field.label or name), affichage(form, name, valeur), *brute(field, valeur))


def brute(field, valeur) -> tuple[str, bool]:
    if isinstance(field.widget, forms.CheckboxInput):
        return ("on" if valeur else ""), True
    return rendue(field, valeur), False


def affichage(form, name, valeur) -> str:
    if valeur is None or valeur == "":
        return "(vide)"
    if name == "nir":
        from referentiels.validators import mask_nir

        return mask_nir(str(valeur))
    field = form.fields[name]
    choices = getattr(field, "choices", None)
    if choices:
        for key, label in choices:
            if _canonique(key) == _canonique(valeur):
                return str(label)
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if isinstance(valeur, datetime.date):
        return valeur.strftime("%d/%m/%Y")
    return str(valeur)
