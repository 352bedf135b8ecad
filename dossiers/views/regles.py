"""The list of checks the portal applies, so users and gestionnaires can see what is verified."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import onglets, rules


@login_required
def liste_regles(request):
    par_onglet = [(onglet, [r for r in rules.REGISTRY.rules if r.onglet == onglet.slug]) for onglet in onglets.ONGLETS]
    return render(request, "dossiers/regles.html", {"par_onglet": [(o, rs) for o, rs in par_onglet if rs]})
