"""The portal's *Conditions Générales* (linked from the Synthèse tab): a public page."""

from django.shortcuts import render


def conditions_generales(request):
    return render(request, "dossiers/conditions_generales.html")
