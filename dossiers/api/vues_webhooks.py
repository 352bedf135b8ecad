"""« Webhooks »: the prestataire's users register their organisation's receiving addresses (the secret shown once),
revoke them, send a test event and read the delivery log (the last deliveries, each subscription's on its page)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossiers import acces, webhooks
from dossiers.models import AbonnementWebhook, LivraisonWebhook

SESSION_NOUVEAU_SECRET = "webhook_nouveau_secret"
TAILLE_JOURNAL = 50


class AbonnementForm(forms.Form):
    url = forms.CharField(
        label="Adresse de réception (https)",
        max_length=500,
        help_text="Votre serveur y reçoit en POST un événement à chaque changement d'état de vos dossiers.",
    )
    organisme = forms.ModelChoiceField(label="Organisme de formation", queryset=None, empty_label=None)

    def __init__(self, *args, organismes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisme"].queryset = organismes
        self.fields["url"].widget.attrs.update({"class": "form-control", "inputmode": "url", "autocomplete": "url"})
        if len(organismes) == 1:
            self.fields["organisme"].widget = forms.HiddenInput()
            self.fields["organisme"].initial = organismes[0].pk

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        webhooks.valider_url(url)
        try:
            forms.URLField(assume_scheme="https").clean(url)
        except ValidationError:
            raise ValidationError(
                "Saisissez une adresse web valide, par exemple https://exemple.fr/webhooks."
            ) from None
        return url


def _organismes(request):
    organismes = acces.gere_cles_api(request.user)  # who manages the API keys manages the webhooks
    if not organismes.exists():
        raise Http404
    return organismes.order_by("raison_sociale", "pk")


def _journal(livraisons):
    return livraisons.select_related("abonnement").order_by("-cree_le", "-pk")[:TAILLE_JOURNAL]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def abonnements(request):
    organismes = list(_organismes(request))
    # Post/redirect/get, as for the keys: the secret crosses the redirect in the session, taken out when shown.
    nouveau = request.session.pop(SESSION_NOUVEAU_SECRET, None) if request.method == "GET" else None
    form = AbonnementForm(request.POST or None, organismes=_organismes(request))
    if request.method == "POST" and form.is_valid():
        _abonnement, secret = webhooks.abonnement_creer(
            form.cleaned_data["organisme"], request.user, form.cleaned_data["url"]
        )
        request.session[SESSION_NOUVEAU_SECRET] = secret
        return redirect("webhooks")
    liste = AbonnementWebhook.objects.filter(organisme__in=organismes).select_related("organisme")
    return render(
        request,
        "dossiers/api/webhooks.html",
        {
            "form": form,
            "abonnements": liste,
            "nouveau": nouveau,
            "plusieurs": len(organismes) > 1,
            "livraisons": _journal(LivraisonWebhook.objects.filter(abonnement__organisme__in=organismes)),
            "taille_journal": TAILLE_JOURNAL,
        },
    )


def _abonnement(request, pk) -> AbonnementWebhook:
    return get_object_or_404(AbonnementWebhook, pk=pk, organisme__in=_organismes(request))


@login_required
@never_cache
@require_GET
def journal(request, pk):
    abonnement = _abonnement(request, pk)
    return render(
        request,
        "dossiers/api/webhook_journal.html",
        {
            "abonnement": abonnement,
            "livraisons": _journal(abonnement.livraisons.all()),
            "taille_journal": TAILLE_JOURNAL,
        },
    )


@login_required
@require_POST
def revoquer(request, pk):
    abonnement = _abonnement(request, pk)
    webhooks.abonnement_revoquer(abonnement)
    messages.success(request, f"Le webhook {abonnement.url} est révoqué : il ne reçoit plus aucun événement.")
    return redirect("webhooks")


@login_required
@require_POST
def tester(request, pk):
    abonnement = _abonnement(request, pk)
    if not abonnement.actif:
        messages.error(request, "Ce webhook est révoqué : aucun événement ne lui est envoyé.")
        return redirect("webhooks")
    webhooks.envoyer_test(abonnement)
    messages.success(
        request, f"Événement de test envoyé à {abonnement.url} : son résultat apparaît dans le journal des livraisons."
    )
    return redirect("webhooks")
