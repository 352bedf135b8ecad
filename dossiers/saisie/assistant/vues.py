"""*Nouvelle demande*: the steps before a dossier exists; the last *Continuer* creates it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from dossiers.models import SousDispositif
from dossiers.saisie.assistant import etapes as wizard
from dossiers.saisie.assistant.formulaire import ChoixForm
from dossiers.services import PermissionRefusee, dossier_create


def _adherent_only(user):
    """Adhérents create dossiers, prestataires pre-enter them; AKTO's gestionnaires don't."""
    if not (user.is_adherent or user.is_prestataire):
        raise Http404


@login_required
def start(request):
    _adherent_only(request.user)
    request.session[wizard.SESSION_KEY] = {}
    return redirect(_url_of_next(request.user, {}))


@login_required
def quit(request):
    request.session.pop(wizard.SESSION_KEY, None)
    return redirect("accueil")


def _url_of_next(user, data):
    missing = wizard.first_missing(user, data)
    return reverse("nouvelle_demande_step", args=[missing or wizard.applicable_steps(user, data)[-1]])


@login_required
def step(request, slug):
    _adherent_only(request.user)
    if slug not in wizard.BY_SLUG:
        raise Http404
    data = request.session.get(wizard.SESSION_KEY, {})
    steps = wizard.applicable_steps(request.user, data)
    if slug not in steps:
        return redirect(_url_of_next(request.user, data))
    index = steps.index(slug)
    if any(s not in data for s in steps[:index]):
        return redirect(_url_of_next(request.user, data))

    q = request.GET.get("q", "").strip()
    recherche_seule = request.user.is_prestataire and slug == "etablissement"
    if recherche_seule:
        # A prestataire searches every AKTO member: the matches of its search, or the one chosen or submitted.
        choix = request.POST.get("choix", "") if request.method == "POST" else (None if q else data.get(slug))
        all_choices = wizard.choices(slug, request.user, data, q, choix=choix)
    else:
        all_choices = wizard.choices(slug, request.user, data)
    if request.method == "POST":
        form = ChoixForm(request.POST, choices=all_choices)
        if form.is_valid():
            data = wizard.store(data, slug, form.cleaned_data["choix"])
            request.session[wizard.SESSION_KEY] = data
            if wizard.first_missing(request.user, data) is None:
                return _create(request, data)
            return redirect(_url_of_next(request.user, data))
    else:
        form = ChoixForm(
            initial={"choix": data.get(slug)},
            choices=wizard.choices(slug, request.user, data, q) if q and not recherche_seule else all_choices,
        )

    previous = steps[index - 1] if index > 0 else None
    context = {
        "step": wizard.BY_SLUG[slug],
        "form": form,
        "q": q,
        "retour_url": reverse("nouvelle_demande_step", args=[previous]) if previous else reverse("accueil"),
        "aucun_choix": not all_choices and not recherche_seule,
        "recherche_seule": recherche_seule,
    }
    return render(request, "dossiers/wizard.html", context)


def _create(request, data):
    """The last *Continuer*: create the draft at once and open its Introduction tab."""
    etablissement = wizard.etablissement_choisi(request.user, data)
    sous_dispositif = get_object_or_404(SousDispositif, pk=data["sous_dispositif"], ouvert=True)
    if etablissement is None:
        raise Http404
    try:
        dossier = dossier_create(
            user=request.user,
            etablissement=etablissement,
            sous_dispositif=sous_dispositif,
            type_contrat=data.get("type_contrat", ""),
            type_public=data.get("public", ""),
        )
    except PermissionRefusee as error:
        messages.error(request, str(error))
        return redirect("accueil")
    request.session.pop(wizard.SESSION_KEY, None)
    return redirect("dossier_onglet", pk=dossier.pk, slug="introduction")
