"""« Clés d'API »: the prestataire's users create (the key shown once) and revoke their organisation's keys."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dossiers import acces
from dossiers.api import cles as service
from dossiers.models import CleApi

SESSION_NOUVELLE_CLE = "cle_api_nouvelle"


class CleForm(forms.Form):
    nom = forms.CharField(
        label="Nom de la clé", max_length=100, help_text="Pour la reconnaître, par exemple le nom de votre logiciel."
    )
    organisme = forms.ModelChoiceField(label="Organisme de formation", queryset=None, empty_label=None)

    def __init__(self, *args, organismes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisme"].queryset = organismes
        self.fields["nom"].widget.attrs["class"] = "form-control"
        if len(organismes) == 1:
            self.fields["organisme"].widget = forms.HiddenInput()
            self.fields["organisme"].initial = organismes[0].pk


def _organismes(request):
    organismes = acces.gere_cles_api(request.user)
    if not organismes.exists():
        raise Http404
    return organismes.order_by("raison_sociale", "pk")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def cles(request):
    organismes = list(_organismes(request))
    # Post/redirect/get: a reload after creating a key must not create a second one. The new key crosses the
    # redirect in the session and is taken out of it by the page that shows it, once.
    nouvelle = request.session.pop(SESSION_NOUVELLE_CLE, None) if request.method == "GET" else None
    form = CleForm(request.POST or None, organismes=_organismes(request))
    if request.method == "POST" and form.is_valid():
        _cle, en_clair = service.creer(form.cleaned_data["organisme"], request.user, form.cleaned_data["nom"])
        request.session[SESSION_NOUVELLE_CLE] = en_clair
        return redirect("cles_api")
    liste = CleApi.objects.filter(organisme__in=organismes).select_related("organisme", "cree_par")
    return render(
        request,
        "dossiers/api/cles.html",
        {"form": form, "cles": liste, "nouvelle": nouvelle, "plusieurs": len(organismes) > 1},
    )


@login_required
@require_POST
def revoquer(request, pk):
    cle = get_object_or_404(CleApi, pk=pk, organisme__in=_organismes(request))
    service.revoquer(cle)
    messages.success(request, f"La clé « {cle.nom} » est révoquée : elle ne donne plus accès à l'API.")
    return redirect("cles_api")


@csrf_exempt
def introuvable(request, *args, **kwargs):
    """A path under /api/ that is no endpoint: a French JSON 404 like the API's own (any method)."""
    return JsonResponse({"detail": "Ressource introuvable."}, status=404)
