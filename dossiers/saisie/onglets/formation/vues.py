"""Training modules of the Formation tab: add (internal / external), edit, delete; the RNCP and organisme choices.

Every view reads the dossier through ``visible_to`` (``onglets._dossier``): another company's dossier or
module answers 404. Writes are refused (409) when the dossier is no longer editable. The answers are
htmx partials swapping the modules block (``#formation-modules``), with the tab bar out of band so the
Formation bullet follows the modules.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from dossiers import rules, services
from dossiers.enums import TypeModule
from dossiers.models import Dossier, ModuleFormation
from dossiers.rules.formation import MAX_MODULES
from dossiers.saisie import onglets
from dossiers.saisie.chargement import MSG_NON_MODIFIABLE, MSG_VERSION_PERIMEE
from dossiers.saisie.chargement import charger as _dossier
from dossiers.saisie.onglets.formation.formulaire import (
    FormationForm,
    ModuleForm,
    TypeModuleForm,
    fiche,
    lignes_modules,
    messages_module,
)
from referentiels.models import OrganismeFormation

COMMUNS = ["date_debut", "date_fin", "heures", "modalite"]
OBLIGATOIRES = {
    TypeModule.EXTERNE: {*COMMUNS, "organisme", "apprentissage_controle"},
    TypeModule.INTERNE: {*COMMUNS, "service_interne", "attestation_interne"},
}


def _module(dossier: Dossier, module_pk: int) -> ModuleFormation:
    return get_object_or_404(ModuleFormation, pk=module_pk, formation__dossier=dossier)


def _bloc(request, dossier, *, mode="", form=None, type_form=None, module=None, alert=None, ecrit=False, status=200):
    """The modules block; after a write, the tab bar too (out of band), so the bullet follows."""
    numero = None
    if mode == "form":
        numero = module.ordre if module and module.pk else len(dossier.formation.liste_modules) + 1
    context = {
        "dossier": dossier,
        "lignes": lignes_modules(dossier),
        "mode": mode,
        "module_form": form,
        "type_form": type_form,
        "module": module,
        "numero": numero,
        "alert": alert,
        "messages_champs": {},  # the tab's field messages belong to the tab's own answers
        "max_modules": MAX_MODULES,
        "obligatoires_formation": rules.mandatory_fields("formation", dossier),
        "messages_module": _messages_form(dossier, numero, module, form),
        "obligatoires_module": OBLIGATOIRES.get(form.instance.type, set()) if form is not None else set(),
        "ecrit": ecrit,
    }
    if ecrit:
        context.update(
            {"puces": onglets.puces_du_dossier(dossier, rules.check(dossier)), "onglet": onglets.get("formation")}
        )
    return render(request, "dossiers/modules/bloc.html", context, status=status)


def _messages_form(dossier, numero, module, form) -> dict[str, list[dict]]:
    """Format errors of the input on screen first (nothing was written), then the engine's messages."""
    result = messages_module(dossier, numero) if module is not None and module.pk else {}
    if form is not None and form.is_bound:
        for name, errors in form.errors.items():
            result[name] = [{"kind": "format", "message": e} for e in errors]
    return result


def _refus(request, dossier):
    return _bloc(request, dossier, alert={"kind": "danger", "text": MSG_NON_MODIFIABLE}, status=409)


def _ecrire(request, dossier: Dossier, write) -> bool:
    """A module write under the dossier's lock (``services.ecrire_sous_verrou``) with the version posted with the tab
    form: it bumps the version like a tab save, and the answer refreshes the form's version out of band."""
    return services.ecrire_sous_verrou(dossier, request.POST.get("version", ""), write)


def _perime(request, dossier, **kwargs):
    return _bloc(request, dossier, alert={"kind": "danger", "text": MSG_VERSION_PERIMEE}, status=409, **kwargs)


@login_required
@require_GET
def liste(request, pk):
    return _bloc(request, _dossier(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def ajouter(request, pk):
    """*Ajouter un module de formation* → *Formation Interne* / *Formation Externe* → *Continuer* → the form."""
    dossier = _dossier(request, pk)
    if not dossier.est_modifiable:
        return _refus(request, dossier) if request.method == "POST" else _bloc(request, dossier)
    if len(dossier.formation.liste_modules) >= MAX_MODULES:
        alert = {"kind": "warning", "text": f"Un dossier compte au plus {MAX_MODULES} modules de formation."}
        return _bloc(request, dossier, alert=alert, status=400 if request.method == "POST" else 200)
    if request.method == "GET":
        return _bloc(request, dossier, mode="choix", type_form=TypeModuleForm(prefix="module"))
    if request.POST.get("etape") == "choix":
        type_form = TypeModuleForm(request.POST, prefix="module")
        if not type_form.is_valid():
            return _bloc(request, dossier, mode="choix", type_form=type_form)
        form = ModuleForm(type_module=type_form.cleaned_data["type"])
        return _bloc(request, dossier, mode="form", form=form, module=form.instance)
    type_module = request.POST.get("type_module")
    if type_module not in TypeModule.values:
        return _bloc(request, dossier, mode="choix", type_form=TypeModuleForm(prefix="module"))
    form = ModuleForm(request.POST, type_module=type_module)
    if not form.is_valid():
        return _bloc(request, dossier, mode="form", form=form, module=form.instance, status=400)
    module = form.save(commit=False)

    def write():
        formation = dossier.formation
        module.formation = formation
        module.ordre = (formation.modules.aggregate(m=Max("ordre"))["m"] or 0) + 1
        module.save()

    if not _ecrire(request, dossier, write):
        return _perime(request, dossier, mode="form", form=form, module=form.instance)
    dossier = _dossier(request, pk)
    alert = {"kind": "success", "text": f"Le module N°{module.ordre} a été enregistré."}
    return _bloc(request, dossier, alert=alert, ecrit=True)


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, pk, module_pk):
    dossier = _dossier(request, pk)
    module = _module(dossier, module_pk)
    if request.method == "POST" and not dossier.est_modifiable:
        return _refus(request, dossier)
    editable = dossier.est_modifiable
    if request.method == "GET":
        form = ModuleForm(instance=module, type_module=module.type, editable=editable)
        return _bloc(request, dossier, mode="form", form=form, module=module)
    form = ModuleForm(request.POST, instance=module, type_module=module.type)
    if not form.is_valid():
        return _bloc(request, dossier, mode="form", form=form, module=module, status=400)
    if not _ecrire(request, dossier, form.save):
        return _perime(request, dossier, mode="form", form=form, module=module)
    dossier = _dossier(request, pk)
    alert = {"kind": "success", "text": f"Le module N°{module.ordre} a été enregistré."}
    return _bloc(request, dossier, alert=alert, ecrit=True)


@login_required
@require_http_methods(["GET", "POST"])
def supprimer(request, pk, module_pk):
    """GET asks for confirmation in the block; POST deletes and renumbers the following modules."""
    dossier = _dossier(request, pk)
    module = _module(dossier, module_pk)
    if not dossier.est_modifiable:
        return _refus(request, dossier) if request.method == "POST" else _bloc(request, dossier)
    if request.method == "GET":
        return _bloc(request, dossier, mode="supprimer", module=module)
    numero = module.ordre

    def write():
        formation = dossier.formation
        module.delete()
        for ordre, suivant in enumerate(formation.modules.order_by("ordre", "pk"), 1):
            if suivant.ordre != ordre:
                suivant.ordre = ordre
                suivant.save(update_fields=["ordre"])

    if not _ecrire(request, dossier, write):
        return _perime(request, dossier, mode="supprimer", module=module)
    module.ordre = numero
    dossier = _dossier(request, pk)
    alert = {"kind": "success", "text": f"Le module N°{module.ordre} a été supprimé."}
    return _bloc(request, dossier, alert=alert, ecrit=True)


@login_required
@require_GET
def organisme(request, pk):
    """The organisme chosen in the search results, shown read-only (SIRET, N° d'activité, Qualiopi, address)."""
    _dossier(request, pk)
    siret = request.GET.get("siret", "").strip()
    choisi = OrganismeFormation.objects.filter(siret=siret).first() if siret else None
    return render(request, "dossiers/modules/organisme.html", {"organisme": choisi, "prefix": "module"})


@login_required
@require_GET
def certification(request, pk):
    """The RNCP section with the chosen fiche's code, title and NSF filled in (saved with *Enregistrer*)."""
    dossier = _dossier(request, pk)
    choisie = fiche(request.GET.get("code", ""))
    initial = {"version": dossier.version}
    if choisie is not None:
        initial.update(
            {
                "code_rncp": choisie.code,
                "intitule": choisie.intitule[:255],
                "specialite_nsf": choisie.nsf[0] if choisie.nsf else "",
            }
        )
    form = FormationForm(
        instance=dossier.formation,
        initial=initial,
        check_url=reverse("dossier_verifier", args=[dossier.pk, "formation"]),
        editable=dossier.est_modifiable,
    )
    context = {
        "dossier": dossier,
        "form": form,
        "messages_champs": {},
        "obligatoires": rules.mandatory_fields("formation", dossier),
        "choisie": choisie is not None,
        "sans_nsf": choisie is not None and not choisie.nsf,  # the export has no NSF for every fiche
    }
    return render(request, "dossiers/modules/certification.html", context)


urlpatterns = [
    path("", liste, name="formation_modules"),
    path("ajouter/", ajouter, name="formation_module_ajouter"),
    path("<int:module_pk>/modifier/", modifier, name="formation_module_modifier"),
    path("<int:module_pk>/supprimer/", supprimer, name="formation_module_supprimer"),
    path("organisme/", organisme, name="formation_organisme"),
    path("certification/", certification, name="formation_certification"),
]
