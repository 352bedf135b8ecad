"""The dossier page: one generic view per tab (show, save, check a field), plus the action buttons."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dossiers import acces, rules
from dossiers.enums import AnomalieKind, OngletDossier
from dossiers.saisie import lecture, onglets
from dossiers.saisie.chargement import MSG_NON_MODIFIABLE, MSG_VERSION_PERIMEE
from dossiers.saisie.chargement import charger as _dossier
from dossiers.services import SaisieInvalide, dossier_action, dossier_transmettre, onglet_save
from dossiers.workflow import (
    ACCEPTER_REPRISE,
    FINALISER,
    REFUSER_REPRISE,
    TRANSITIONS,
    TRANSMETTRE,
    TransitionError,
    deja_appliquee,
    possibles,
)
from portal.htmx import render_page_or_partial


@dataclass(frozen=True)
class Action:
    """A button of the dossier page that fires a transition, with its confirmation and its outcome."""

    confirmation: str = ""  # asked in a dialog first when set
    motif: bool = False  # the dialog offers an optional reason (« Motif »)
    message: str = ""  # shown after success ({numero})
    destination: str = ""  # URL name of the page shown after success; empty: the same tab


ACTIONS = {
    FINALISER: Action(
        confirmation=(
            "Votre saisie sera adressée à l'adhérent, qui pourra l'accepter et la compléter, ou la refuser. "
            "Vous ne pourrez plus la modifier. Confirmez-vous la finalisation ?"
        ),
        message="La demande {numero} est finalisée : l'adhérent est invité à la reprendre.",
        destination="dossiers",
    ),
    ACCEPTER_REPRISE: Action(
        message="Vous avez accepté la demande {numero} : vous pouvez maintenant la compléter, l'enregistrer puis "
        "la transmettre à AKTO.",
    ),
    REFUSER_REPRISE: Action(
        confirmation=(
            "Le brouillon de pré-saisie sera retiré de vos brouillons et le prestataire de formation sera informé "
            "de votre refus. Confirmez-vous le refus de cette demande ?"
        ),
        motif=True,
        message="La demande {numero} a été refusée : le prestataire de formation en est informé.",
        destination="brouillons",
    ),
}


def actions_possibles(user, dossier) -> set[str]:
    """The transitions the user may fire now: the buttons of the dossier page."""
    return {t.name for t in possibles(dossier, user)}


def _onglet(slug) -> onglets.Onglet:
    onglet = onglets.get(slug)
    if onglet is None:
        raise Http404
    return onglet


def _form(onglet, dossier, user, data=None):
    form = onglet.form_class(
        data,
        instance=onglet.instance(dossier),
        initial={"version": dossier.version},
        check_url=reverse("dossier_verifier", args=[dossier.pk, onglet.slug]),
        editable=acces.peut_modifier(user, dossier, onglet.slug),
    )
    for name in acces.champs_reserves(user) & set(form.fields):
        form.fields[name].disabled = True
        form.fields[name].help_text = "Attestation réservée à l'employeur : il la coche en reprenant la demande."
    return form


def _messages_by_field(onglet, anomalies, form=None) -> dict[str, list[dict]]:
    """Format errors first (the value was not written), then the engine's messages for the tab."""
    result: dict[str, list[dict]] = {}
    format_errors = set()
    if form is not None and form.is_bound:
        for name, errors in form.errors.items():
            if name in ("version", "__all__"):
                continue
            format_errors.add(name)
            result[name] = [{"kind": AnomalieKind.FORMAT.value, "message": e} for e in errors]
    for anomalie in anomalies:
        if anomalie.onglet == onglet.slug and anomalie.field not in format_errors:
            kind = anomalie.kind if anomalie.bloquant else "alerte"
            result.setdefault(anomalie.field, []).append({"kind": kind, "message": anomalie.message})
    return result


def _render(request, dossier, onglet, *, status=200, **options):
    context = _contexte(request, dossier, onglet, **options)
    return render_page_or_partial(request, "dossiers/dossier.html", "swap", context, status=status)


def _contexte(request, dossier, onglet, *, form=None, show_messages=False, alert=None, puces_seules=False) -> dict:
    """What the dossier page shows of ``onglet``: the tab, its messages, its bullets, the buttons the user has now."""
    anomalies = rules.check(dossier)
    if form is None and onglet.disponible:
        form = _form(onglet, dossier, request.user)
    precedent, suivant = onglets.voisins(onglet)
    return {
        "dossier": dossier,
        "onglet": onglet,
        "form": form,
        "puces": onglets.puces(anomalies),
        "puces_seules": puces_seules,  # a save: the tab bar stays, only its bullets change
        "messages_champs": _messages_by_field(onglet, anomalies if show_messages else [], form),
        "obligatoires": rules.mandatory_fields(onglet.slug, dossier),
        "precedent": precedent,
        "suivant": suivant,
        "alert": alert,
        "non_enregistre": bool(form is not None and form.is_bound and (form.errors or alert)),
        "modifiable": acces.peut_modifier(request.user, dossier, onglet.slug),
        "actions": actions_possibles(request.user, dossier),
        # The Synthèse's recap is the dossier's reading (the back office's too), on the same anomalies.
        "recapitulatif": lecture.recapitulatif(dossier, anomalies) if onglet.slug == OngletDossier.SYNTHESE else None,
    }


@login_required
def dossier_detail(request, pk):
    dossier = _dossier(request, pk)
    return redirect("dossier_onglet", pk=dossier.pk, slug="introduction")


@login_required
def onglet_view(request, pk, slug):
    dossier = _dossier(request, pk)
    onglet = _onglet(slug)
    if request.method != "POST":
        return _render(request, dossier, onglet)
    if not onglet.disponible:
        raise Http404
    if not acces.peut_modifier(request.user, dossier, onglet.slug):
        return _render(request, dossier, onglet, alert={"kind": "danger", "text": MSG_NON_MODIFIABLE}, status=409)
    form = _form(onglet, dossier, request.user, request.POST)
    form.is_valid()  # Partial save: the well-formed fields are in cleaned_data, the rest keep their errors.
    version = form.cleaned_data.get("version")
    if version is None or not onglet_save(dossier=dossier, form=form, version=version):
        # Nothing written: the input stays on screen, bound, with the reason.
        fresh = _dossier(request, pk)  # bullets speak of what is stored, not of the rejected input
        return _render(
            request, fresh, onglet, form=form, alert={"kind": "danger", "text": MSG_VERSION_PERIMEE}, status=409
        )
    # The in-memory dossier now holds exactly what is stored: the well-formed values were applied
    # to it and written, the malformed ones were never applied.
    if form.errors:
        # The malformed input stays on screen with its messages, under the version just written (the posted one
        # is stale now: the next *Enregistrer* would be refused as « modifié ailleurs »).
        data = request.POST.copy()
        data["version"] = dossier.version
        saved_form = _form(onglet, dossier, request.user, data)
        saved_form.is_valid()
    else:
        saved_form = _form(onglet, dossier, request.user)
    return _render(
        request,
        dossier,
        onglet,
        form=saved_form,
        show_messages=True,
        puces_seules=True,
        alert={
            "kind": "warning" if form.errors else "success",
            "text": "Enregistrement effectué. Les champs signalés en format invalide n'ont pas été enregistrés."
            if form.errors
            else "Enregistrement effectué.",
        },
    )


@login_required
@require_POST
def verifier_champ(request, pk, slug):
    """A field's messages as the user leaves it, computed on the unsaved input by the same engine."""
    dossier = _dossier(request, pk)
    onglet = _onglet(slug)
    if not onglet.disponible:
        raise Http404
    name = request.POST.get("_field", "")
    form = _form(onglet, dossier, request.user, request.POST)
    if name not in form.fields or name == "version":
        raise Http404
    form.is_valid()  # applies the well-formed values to the in-memory instance only
    by_field = _messages_by_field(onglet, rules.check_onglet(dossier, onglet.slug), form)
    # Cross-field rules: the other fields this one is checked with get their messages refreshed too.
    related = sorted(f for f in rules.related_fields(onglet.slug, name) if f != name and f in form.fields)
    return render(
        request,
        "dossiers/includes/messages_champ.html",
        {"name": name, "messages": by_field.get(name, []), "related": [(f, by_field.get(f, [])) for f in related]},
    )


@login_required
@require_POST
def transmettre(request, pk):
    """*Transmettre*: every tab valid → *Transmis* (read-only); else the *Saisie invalide* dialog."""
    dossier = _dossier(request, pk)
    try:
        dossier_transmettre(dossier=dossier, user=request.user)
    except SaisieInvalide as error:
        context = {"dossier": dossier, "onglets_invalides": error.onglets_invalides}
        return render(request, "dossiers/includes/transmission.html", context, status=422)
    except TransitionError as error:
        if not deja_appliquee(dossier, TRANSMETTRE, user=request.user):
            context = {"dossier": dossier, "titre": "Transmettre", "texte": str(error)}
            return render(request, "dossiers/includes/dialog.html", context, status=409)
        dossier = _dossier(request, pk)  # a repeat (double click): the same answer as the first
    # The dialog, and out of band the tab read-only without its buttons: the page shows the new state behind it.
    onglet = onglets.get(request.POST.get("onglet", "")) or _onglet(OngletDossier.SYNTHESE)
    context = _contexte(request, dossier, onglet) | {"transmis": True}
    return render(request, "dossiers/dossier.html#transmis", context)


MOTIF_MAX = 1000


@login_required
def action(request, pk, name):
    """*Finaliser*, *Accepter*, *Refuser*: GET asks for confirmation (a dialog), POST fires the transition."""
    dossier = _dossier(request, pk)
    if name not in ACTIONS:
        raise Http404
    config, transition = ACTIONS[name], TRANSITIONS[name]
    context = {"dossier": dossier, "transition": transition, "action": config, "motif_max": MOTIF_MAX}
    if request.method != "POST":
        if name not in actions_possibles(request.user, dossier):
            texte = f"L'action « {transition.label} » n'est pas possible sur ce dossier."
            return render(request, "dossiers/includes/dialog.html", {"titre": transition.label, "texte": texte})
        return render(request, "dossiers/includes/confirmation.html", context)
    motif = request.POST.get("motif", "").strip() if config.motif else ""
    if len(motif) > MOTIF_MAX:
        context |= {"motif": motif, "erreur": f"Le motif ne doit pas dépasser {MOTIF_MAX} caractères."}
        return render(request, "dossiers/includes/confirmation.html", context, status=422)
    try:
        dossier_action(dossier=dossier, name=name, user=request.user, comment=motif)
    except TransitionError as error:
        if not deja_appliquee(dossier, name, user=request.user):  # a repeat (double click): the same success
            context = {"dossier": dossier, "titre": transition.label, "texte": str(error)}
            return render(request, "dossiers/includes/dialog.html", context, status=409)
    messages.success(request, config.message.format(numero=dossier.numero))
    if config.destination:
        url = reverse(config.destination)
    else:
        slug = request.POST.get("onglet", "")
        url = reverse("dossier_onglet", args=[dossier.pk, slug if onglets.get(slug) else "introduction"])
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)
