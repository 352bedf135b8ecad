"""The dossier page: one generic view per tab (show, save, check a field), plus the action buttons."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dossiers import acces, rules
from dossiers.enums import AnomalieKind, OngletDossier
from dossiers.saisie import fusion, lecture, onglets
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


def _onglet(slug, dossier) -> onglets.Onglet:
    """The tab ``slug`` of the dossier's dispositif: another dispositif's tab is a 404."""
    onglet = onglets.get(slug, dossier)
    if onglet is None:
        raise Http404
    return onglet


def formulaire(onglet, dossier, user, data=None):
    """The tab's form as ``user`` gets it (bound to ``data`` when given): the API's writes bind the same one."""
    form = onglet.form_class(
        data,
        instance=onglet.instance(dossier),
        initial={"version": dossier.version},
        check_url=reverse("dossier_verifier", args=[dossier.pk, onglet.slug]),
        editable=acces.peut_modifier(user, dossier, onglet.slug),
    )
    for name in acces.champs_reserves(user) & set(form.fields):
        form.fields[name].disabled = True
        form.fields[name].help_text = acces.MSG_CHAMP_RESERVE
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
        form = formulaire(onglet, dossier, request.user)
    precedent, suivant = onglets.voisins(onglet, dossier)
    return {
        "dossier": dossier,
        "onglet": onglet,
        "form": form,
        "puces": onglets.puces_du_dossier(dossier, anomalies),
        "puces_seules": puces_seules,  # a save: the tab bar stays, only its bullets change
        "messages_champs": _messages_by_field(onglet, anomalies if show_messages else [], form),
        "conflits": getattr(form, "conflits", {}),
        "obligatoires": rules.mandatory_fields(onglet.slug, dossier),
        "precedent": precedent,
        "suivant": suivant,
        "alert": alert,
        "non_enregistre": bool(form is not None and form.is_bound and (form.errors or alert)),
        "modifiable": acces.peut_modifier(request.user, dossier, onglet.slug),
        "actions": actions_possibles(request.user, dossier),
        "document_de_synthese": onglets.document_de_synthese(dossier),  # the CERFA, or the dispositif's summary
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
    onglet = _onglet(slug, dossier)
    if request.method != "POST":
        return _render(request, dossier, onglet)
    if not onglet.disponible:
        raise Http404
    auto = request.POST.get("_auto") == "1"  # autosave (static/portal/js/autosave.js): only status and messages
    if not acces.peut_modifier(request.user, dossier, onglet.slug):
        return _non_modifiable(request, dossier, onglet, auto)
    charge = fusion.lire(request.POST.get(fusion.CHAMP_CHARGE))
    attente = set(request.POST.getlist(fusion.CHAMP_ATTENTE))
    form = formulaire(onglet, dossier, request.user, request.POST)
    form.is_valid()  # Partial save: the well-formed fields are in cleaned_data, the rest keep their errors.
    version = form.cleaned_data.get("version")
    tri = None
    if charge is None:
        # No record of the loaded values (a page older than the merge): the whole tab's optimistic lock.
        ecrit = version is not None and onglet_save(dossier=dossier, form=form, version=version)
    else:
        # Field-level merge: only what this user changed is written, unless someone else changed it too.
        for _essai in range(3):
            tri = fusion.trier(form, charge, attente)
            fusion.retenir(form, tri.exclus)
            ecrit = onglet_save(dossier=dossier, form=form, version=dossier.version)
            if ecrit:
                break
            dossier = _dossier(request, pk)  # written in between: read again, sort again
            if not acces.peut_modifier(request.user, dossier, onglet.slug):  # transmitted meanwhile…
                return _non_modifiable(request, dossier, onglet, auto)
            form = formulaire(onglet, dossier, request.user, request.POST)
            form.is_valid()
    if not ecrit:
        # Nothing written: the input stays on screen, bound, with the reason.
        fresh = _dossier(request, pk)  # bullets speak of what is stored, not of the rejected input
        if auto:
            return _render_auto(request, fresh, onglet, form, texte=MSG_AUTO_PERIME)
        return _render(
            request, fresh, onglet, form=form, alert={"kind": "danger", "text": MSG_VERSION_PERIMEE}, status=409
        )
    conflits = tri.conflits if tri else {}
    # The in-memory dossier now holds exactly what is stored: the well-formed values written were applied to it, the
    # others (malformed, or left out by the merge) hold the stored value.
    if form.errors or conflits or auto:
        # The input stays on screen with its messages, under the version just written (the posted one is stale now).
        data = request.POST.copy()
        data["version"] = dossier.version
        saved_form = formulaire(onglet, dossier, request.user, data)
        saved_form.is_valid()
        saved_form.gardes = tri.gardes if tri else {}
        saved_form.conflits = conflits
    else:
        saved_form = formulaire(onglet, dossier, request.user)
    if auto:
        return _render_auto(request, dossier, onglet, saved_form)
    if conflits:
        alert = {"kind": "danger", "text": MSG_CONFLIT}
    elif form.errors:
        alert = {
            "kind": "warning",
            "text": "Enregistrement effectué. Les champs signalés en format invalide n'ont pas été enregistrés.",
        }
    else:
        alert = {"kind": "success", "text": "Enregistrement effectué."}
    return _render(
        request,
        dossier,
        onglet,
        form=saved_form,
        show_messages=True,
        puces_seules=True,
        alert=alert,
        status=409 if conflits else 200,
    )


MSG_AUTO_PERIME = "Non enregistré : le dossier a été modifié par ailleurs, enregistrez à nouveau."
MSG_CONFLIT = (
    "Enregistrement partiel : des champs que vous avez modifiés l'ont aussi été par ailleurs. Pour chacun, choisissez "
    "« Garder ma saisie » ou « Reprendre la valeur enregistrée », puis enregistrez."
)


def _non_modifiable(request, dossier, onglet, auto):
    if auto:
        form = formulaire(onglet, dossier, request.user, request.POST)
        form.is_valid()
        return _render_auto(request, dossier, onglet, form, texte=MSG_AUTO_NON_MODIFIABLE)
    return _render(request, dossier, onglet, alert={"kind": "danger", "text": MSG_NON_MODIFIABLE}, status=409)


MSG_AUTO_NON_MODIFIABLE = "Non enregistré : ce dossier n'est plus modifiable, rechargez la page."


def _render_auto(request, dossier, onglet, form, *, texte=""):
    """An autosave's answer: the status line, the hidden version and loaded values, the messages, the conflicts and
    the bullets, out of band; the inputs the user is typing in are left alone."""
    conflits = getattr(form, "conflits", {})
    rien_ecrit = bool(texte)
    if not texte:
        if conflits:
            texte = "Non enregistré : " + ", ".join(c.label for c in conflits.values()) + " modifié(s) par ailleurs."
        elif form.errors:
            texte = f"Enregistré à {heure()}, sauf les champs au format invalide."
        else:
            texte = f"Enregistré à {heure()}"
    anomalies = rules.check(dossier)
    context = {
        "dossier": dossier,
        "form": form,
        "texte": texte,
        "echec": texte.startswith("Non enregistré"),
        "puces": onglets.puces_du_dossier(dossier, anomalies),
        "messages_champs": _messages_by_field(onglet, anomalies, form),
        "conflits": conflits,
        # Nothing written (a stale page, a dossier no longer editable): every field stays to save.
        "non_enregistres": fusion.noms(form)
        if rien_ecrit
        else sorted(set(form.errors) - {"version", "__all__"} | set(conflits)),
    }
    return render(request, "dossiers/includes/autosave.html", context)


def heure() -> str:
    maintenant = timezone.localtime()
    return f"{maintenant:%H} h {maintenant:%M}"


@login_required
@require_POST
def verifier_champ(request, pk, slug):
    """A field's messages as the user leaves it, computed on the unsaved input by the same engine."""
    dossier = _dossier(request, pk)
    onglet = _onglet(slug, dossier)
    if not onglet.disponible:
        raise Http404
    name = request.POST.get("_field", "")
    form = formulaire(onglet, dossier, request.user, request.POST)
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
    onglet = onglets.get(request.POST.get("onglet", ""), dossier) or _onglet(OngletDossier.SYNTHESE, dossier)
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
    # The browser's CRLF newlines count once, as its maxlength and the counter count them (issue 20).
    motif = request.POST.get("motif", "").replace("\r\n", "\n").strip() if config.motif else ""
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
        url = reverse("dossier_onglet", args=[dossier.pk, slug if onglets.get(slug, dossier) else "introduction"])
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)
