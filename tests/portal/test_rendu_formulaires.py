"""The form renderer's Python widgets write exactly what Django's widget templates write
(portal/rendu_formulaires.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from dossiers.saisie import chargement, onglets, vues
from portal.rendu_formulaires import RenduFormulaires
from tests.complet import dossier_complet

GABARITS, RAPIDE = DjangoTemplates(), RenduFormulaires()


def _les_deux(bound) -> tuple[str, str]:
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({})
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    valeur = bound.value()
    return (
        widget.render(bound.html_name, valeur, attrs=attrs, renderer=GABARITS),
        widget.render(bound.html_name, valeur, attrs=attrs, renderer=RAPIDE),
    )


class Exemple(forms.Form):
    texte = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Ex : « A & B » <b>", "data-x": True}))
    nombre = forms.IntegerField()
    courriel = forms.EmailField(required=False)
    cache = forms.CharField(widget=forms.HiddenInput)
    choix = forms.ChoiceField(choices=[("", "---------"), ("a", "A & B"), ("b", "<i>b</i>")])
    groupes = forms.ChoiceField(choices=[("Groupe « 1 »", [("1", "Un"), ("2", "Deux")]), ("3", "Trois")])
    plusieurs = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")])
    faux = forms.CharField(widget=forms.TextInput(attrs={"disabled": False, "readonly": True}))


@pytest.mark.parametrize(
    "donnees",
    [None, {"texte": 'x"<y>&', "nombre": "12", "courriel": "a@b", "cache": "7", "choix": "a", "groupes": "2"}],
    ids=["vide", "saisi"],
)
def test_same_html_as_the_templates_for_every_kind_of_field(donnees):
    form = Exemple(donnees)
    for name in form.fields:
        gabarits, rapide = _les_deux(form[name])
        assert rapide == gabarits, name


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [o.slug for o in onglets.ONGLETS if o.disponible and o.slug != "documents"])
def test_same_html_as_the_templates_on_every_tab_of_a_complete_dossier(adherent, rf, slug):
    dossier = dossier_complet(adherent)
    request = rf.get("/")
    request.user = adherent
    dossier = chargement.charger(request, dossier.pk)
    form = vues.formulaire(onglets.get(slug), dossier, adherent)
    for name in form.fields:
        gabarits, rapide = _les_deux(form[name])
        assert rapide == gabarits, name
