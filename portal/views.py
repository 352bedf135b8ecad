"""The home page (*Accueil*): the create button, the user's counters and to-do list (``dossiers.saisie.accueil``)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from dossiers.enums import DossierState
from dossiers.models import Dossier
from dossiers.saisie.accueil import a_faire


@login_required
def accueil(request):
    if request.user.is_gestionnaire:
        return redirect("admin:index")
    prestataire = request.user.is_prestataire
    counts = Dossier.objects.visible_to(request.user).aggregate(
        brouillons=Count("pk", filter=Q(state__in=DossierState.brouillons(prestataire))),
        transmis=Count("pk", filter=Q(state__in=DossierState.dossiers(prestataire))),
        # For an adhérent, the pre-entries to take over; for a prestataire, those waiting for the adhérent.
        a_valider=Count("pk", filter=Q(state=DossierState.A_REPRENDRE)),
        # Sent back by AKTO's gestionnaire: to correct and transmit again.
        a_completer=Count("pk", filter=Q(state=DossierState.A_COMPLETER)),
    )
    context = {
        "counts": counts,
        "a_reprendre": DossierState.A_REPRENDRE.value,
        "a_completer": DossierState.A_COMPLETER.value,
        "prestataire": prestataire,
        "peut_creer": request.user.is_adherent or prestataire,
        "a_faire": a_faire(request.user),
    }
    return render(request, "portal/accueil.html", context)
