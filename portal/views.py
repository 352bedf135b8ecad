"""The home page (*Accueil*): the create button and the user's counters."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from dossiers.enums import DossierState
from dossiers.models import Dossier


@login_required
def accueil(request):
    if request.user.is_gestionnaire:
        return redirect("admin:index")
    counts = Dossier.objects.visible_to(request.user).aggregate(
        brouillons=Count("pk", filter=Q(state__in=DossierState.brouillons())),
        transmis=Count("pk", filter=Q(state__in=DossierState.dossiers())),
        a_valider=Count("pk", filter=Q(state=DossierState.A_REPRENDRE)),
    )
    return render(
        request,
        "portal/accueil.html",
        {"counts": counts, "a_reprendre": DossierState.A_REPRENDRE.value, "peut_creer": request.user.is_adherent},
    )
