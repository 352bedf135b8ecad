import datetime as dt

import pytest
from django import forms

from dossiers.saisie.champs import MSG_DATE, SELECTIONNEZ, ChoixSelect, DateFrField


class DemoForm(forms.Form):
    date = DateFrField(required=False)
    niveau = forms.ChoiceField(required=False, choices=[("1", "Niveau 1"), ("2", "Niveau 2")], widget=ChoixSelect)


def test_french_date_parsed_and_rendered():
    form = DemoForm({"date": "05/10/1990"})
    assert form.is_valid()
    assert form.cleaned_data["date"] == dt.date(1990, 10, 5)
    html = str(DemoForm(initial={"date": dt.date(1990, 10, 5)})["date"])
    assert 'value="05/10/1990"' in html and "data-calendar" in html


@pytest.mark.parametrize("value", ["05/10/199", "1990-10-05", "31/02/2024", "demain"])
def test_bad_dates_get_the_format_message(value):
    form = DemoForm({"date": value})
    assert not form.is_valid()
    assert form.errors["date"] == [MSG_DATE]


def test_select_offers_deselection_first():
    html = str(DemoForm()["niveau"])
    assert html.index(SELECTIONNEZ) < html.index("Niveau 1")
    form = DemoForm({"niveau": ""})
    assert form.is_valid() and form.cleaned_data["niveau"] == ""
