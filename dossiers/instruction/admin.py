"""The gestionnaire's back office: the list of transmitted dossiers, the dossier page, the decisions, the export.

- The list opens on the dossiers awaiting a decision (*Transmis*, *En cours d'instruction*), oldest
  transmission first, with the days since transmission (the 20-day deadline of D6325-2: orange from 15 days,
  red past 20). Filters, search (number, SIRET, raison sociale, salarié's names — never the NIR), sort,
  « Exporter en CSV » of the filtered list, bulk *Prendre en instruction*.
- The dossier page is read-only: every tab as the adhérent entered it (``dossiers/lecture.py``), the rules
  engine's anomalies and alerts, the adhérent's comment, the pieces (download), the CERFA, the history.
- The decisions are buttons opening a small form; each calls its service in ``dossiers/instruction.py``.
  Nobody edits the adhérent's data here: the gestionnaire asks for compléments.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from documents import services as documents_services
from dossiers import rules
from dossiers.acces import PERMISSION_INSTRUIRE
from dossiers.calculs.financement import estimation, euros
from dossiers.calculs.salaire import montant_fr
from dossiers.enums import DossierState
from dossiers.instruction import decisions as instruction
from dossiers.instruction import export
from dossiers.instruction.formulaires import AccepterForm, DecisionForm, RefuserForm
from dossiers.models import Dispositif, Dossier, ModuleFormation, SousDispositif, Synthese
from dossiers.recherche import filtrer_dossiers
from dossiers.saisie import lecture
from dossiers.workflow import (
    ACCEPTER_DOSSIER,
    DEMANDER_COMPLEMENTS,
    PRENDRE_EN_INSTRUCTION,
    REFUSER_DOSSIER,
    TRANSITIONS,
    TransitionError,
    label,
    possibles,
    verifier,
)
from portal.admin import LectureSeuleAdmin
from referentiels.models import ConventionCollective, OrganismeFormation

# -- filters -------------------------------------------------------------------------------------------------


class EtatFilter(admin.SimpleListFilter):
    """The state, opening on *À traiter* (no parameter): the gestionnaire's work queue."""

    title = "état"
    parameter_name = "etat"
    A_TRAITER = "a_traiter"
    TOUS = "tous"

    def lookups(self, request, model_admin):
        return [
            (self.A_TRAITER, "À traiter (Transmis, En cours d'instruction)"),
            *[(state, DossierState(state).label) for state in DossierState.dossiers()],
            (self.TOUS, "Tous"),
        ]

    def value(self):
        return super().value() or self.A_TRAITER

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.A_TRAITER:
            return queryset.filter(state__in=DossierState.a_traiter())
        if value in DossierState.dossiers():
            return queryset.filter(state=value)
        return queryset


class DelaiFilter(admin.SimpleListFilter):
    title = f"délai de décision ({instruction.DELAI_DECISION_JOURS} jours)"
    parameter_name = "delai"

    def lookups(self, request, model_admin):
        return [
            ("depasse", "Délai dépassé"),
            ("alerte", f"De J+{instruction.DELAI_ALERTE_JOURS} à J+{instruction.DELAI_DECISION_JOURS}"),
            ("normal", f"Moins de {instruction.DELAI_ALERTE_JOURS} jours"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value not in ("depasse", "alerte", "normal"):
            return queryset
        today = timezone.localdate()
        # J+n: transmitted on the calendar day today - n.
        limite_depasse = instruction.debut_du_jour(today - dt.timedelta(days=instruction.DELAI_DECISION_JOURS))
        limite_alerte = instruction.debut_du_jour(today - dt.timedelta(days=instruction.DELAI_ALERTE_JOURS - 1))
        queryset = queryset.filter(state__in=DossierState.a_traiter())
        if value == "depasse":
            return queryset.filter(transmis_le__lt=limite_depasse)
        if value == "alerte":
            return queryset.filter(transmis_le__gte=limite_depasse, transmis_le__lt=limite_alerte)
        return queryset.filter(transmis_le__gte=limite_alerte)


class IdccFilter(admin.SimpleListFilter):
    title = "IDCC (convention collective)"
    parameter_name = "idcc"

    def lookups(self, request, model_admin):
        idccs = list(
            model_admin.get_queryset(request)
            .exclude(employeur__idcc="")
            .order_by("employeur__idcc")
            .values_list("employeur__idcc", flat=True)
            .distinct()
        )
        titres = dict(ConventionCollective.objects.filter(idcc__in=idccs).values_list("idcc", "titre"))
        return [(idcc, f"{idcc} — {titres[idcc][:60]}" if idcc in titres else idcc) for idcc in idccs]

    def queryset(self, request, queryset):
        return queryset.filter(employeur__idcc=self.value()) if self.value() else queryset


class OrganismeFilter(admin.SimpleListFilter):
    """The training organisms of the listed dossiers' modules."""

    title = "organisme de formation"
    parameter_name = "organisme"

    def lookups(self, request, model_admin):
        modules = ModuleFormation.objects.filter(formation__dossier__in=model_admin.get_queryset(request))
        organismes = OrganismeFormation.objects.filter(pk__in=modules.values("organisme_id")).order_by("raison_sociale")
        lignes = organismes.values_list("pk", "raison_sociale", "siret")
        return [(str(pk), f"{nom} ({siret})") for pk, nom, siret in lignes]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        modules = ModuleFormation.objects.filter(formation__dossier=OuterRef("pk"), organisme_id=int(self.value()))
        return queryset.filter(Exists(modules))


# -- decisions -----------------------------------------------------------------------------------------------

FORMULAIRES = {
    PRENDRE_EN_INSTRUCTION: DecisionForm,
    DEMANDER_COMPLEMENTS: DecisionForm,
    ACCEPTER_DOSSIER: AccepterForm,
    REFUSER_DOSSIER: RefuserForm,
}


STYLES = {ACCEPTER_DOSSIER: "button--accepter", REFUSER_DOSSIER: "button--refuser"}


def _decider(transition: str, dossier: Dossier, user, data: dict) -> str:
    """Call the decision's service; return the success message."""
    commentaire = data.get("commentaire", "")
    if transition == PRENDRE_EN_INSTRUCTION:
        instruction.prendre_en_instruction(dossier, user, commentaire)
        return f"Le dossier {dossier.numero} est pris en instruction."
    if transition == DEMANDER_COMPLEMENTS:
        instruction.demander_complements(dossier, user, commentaire)
        return (
            f"Le dossier {dossier.numero} est renvoyé à l'adhérent pour compléments (état « A compléter ») : "
            "il le corrige puis le transmet à nouveau."
        )
    if transition == ACCEPTER_DOSSIER:
        instruction.accepter(dossier, user, data["montant"], commentaire)
        return f"Le dossier {dossier.numero} est accepté : prise en charge engagée de {euros(data['montant'])}."
    instruction.refuser(dossier, user, data["motif"], commentaire)
    return f"Le dossier {dossier.numero} est refusé (motif : {dossier.get_motif_refus_display()})."


# -- the dossier admin ---------------------------------------------------------------------------------------


@admin.register(Dossier)
class DossierAdmin(LectureSeuleAdmin):
    # What decides the order of work first (state, transmission, deadline), then who and what.
    list_display = [
        "numero",
        "etat_col",
        "transmis_le_col",
        "delai_col",
        "employeur_col",
        "salarie_col",
        "formation_col",
        "dispositif_col",
        "dates_col",
    ]
    list_display_links = ["numero"]
    list_filter = [
        EtatFilter,
        DelaiFilter,
        "dispositif",
        "sous_dispositif",
        IdccFilter,
        OrganismeFilter,
        ("transmis_le", admin.DateFieldListFilter),
        ("contrat__date_debut", admin.DateFieldListFilter),
    ]
    search_fields = ["recherche"]  # the dossier's search key: get_search_results below
    search_help_text = (
        "Numéro de dossier, SIRET, raison sociale, nom ou prénom du salarié, intitulé de la formation, accents et "
        "majuscules indifférents (le NIR n'est pas recherchable)."
    )
    list_select_related = ["dispositif", "sous_dispositif", "employeur", "salarie", "contrat", "formation"]
    ordering = ["transmis_le"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["action_prendre_en_instruction"]
    change_list_template = "admin/dossiers/dossier/change_list.html"

    class Media:
        css = {"all": ["portal/css/admin.css"]}

    # -- who may do what: the adhérent's data are never edited here ------------------------------------------

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Dossiers transmis à AKTO", **(extra_context or {})})

    def get_search_results(self, request, queryset, search_term):
        """Every word of the search in the dossier's key, normalised as every search (dossiers/recherche.py)."""
        return filtrer_dossiers(queryset, search_term), False

    def get_queryset(self, request):
        """Only what reached AKTO: drafts are the adhérent's work in progress."""
        return super().get_queryset(request).filter(state__in=DossierState.dossiers())

    def has_instruire_permission(self, request):
        return request.user.has_perm(PERMISSION_INSTRUIRE)

    # -- columns ------------------------------------------------------------------------------------------------

    @admin.display(description="Dispositif", ordering="sous_dispositif__code")
    def dispositif_col(self, obj):
        # The sous-dispositif's code (as the adhérent's lists show it), its full label on hover.
        titre = f"{obj.dispositif.libelle} — {obj.sous_dispositif.libelle}"
        return format_html('<span title="{}">{}</span>', titre, obj.sous_dispositif.code)

    @admin.display(description="Employeur", ordering="employeur__raison_sociale")
    def employeur_col(self, obj):
        return format_html(
            '{}<br><span class="siret">SIRET {}</span>', obj.employeur.raison_sociale, obj.employeur.siret
        )

    @admin.display(description="Salarié", ordering="salarie__nom_naissance")
    def salarie_col(self, obj):
        return obj.salarie.nom_complet or "—"

    @admin.display(description="Formation", ordering="formation__intitule")
    def formation_col(self, obj):
        return obj.formation.intitule or "—"

    @admin.display(description="Début – fin", ordering="contrat__date_debut")
    def dates_col(self, obj):
        return format_html(
            '<span class="dates">{}<br>{}</span>', _date(obj.contrat.date_debut), _date(obj.contrat.date_fin)
        )

    @admin.display(description="Etat", ordering="state")
    def etat_col(self, obj):
        return format_html('<span class="etat etat--{}">{}</span>', obj.state, obj.get_state_display())

    @admin.display(description="Transmis le", ordering="transmis_le")
    def transmis_le_col(self, obj):
        return _date(obj.transmis_le)

    @admin.display(description="Délai", ordering="-transmis_le")
    def delai_col(self, obj):
        compte = instruction.delai(obj)
        if compte is None:
            return "—"
        return format_html(
            '<span class="delai delai--{}" title="{}">{}</span>', compte.niveau, compte.titre, compte.libelle
        )

    # -- bulk action -------------------------------------------------------------------------------------------

    @admin.action(description="Prendre en instruction", permissions=["instruire"])
    def action_prendre_en_instruction(self, request, queryset):
        pris, erreurs = [], []
        for dossier in queryset.order_by("transmis_le", "pk"):
            try:
                instruction.prendre_en_instruction(dossier, request.user)
            except TransitionError as erreur:
                erreurs.append(f"{dossier.numero} : {erreur}")
            else:
                pris.append(dossier.numero)
        if pris:
            self.message_user(
                request, f"{len(pris)} dossier(s) pris en instruction : {', '.join(pris)}.", messages.SUCCESS
            )
        for erreur in erreurs:
            self.message_user(request, erreur, messages.ERROR)

    # -- pages ---------------------------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path("export/", self.admin_site.admin_view(self.export_view), name="%s_%s_export" % info),
            path(
                "<path:object_id>/decision/<slug:transition>/",
                self.admin_site.admin_view(self.decision_view),
                name="%s_%s_decision" % info,
            ),
        ]
        return urls + super().get_urls()

    def _dossier(self, request, object_id) -> Dossier | None:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return None
        return (
            Dossier.objects.select_related(
                "dispositif",
                "sous_dispositif",
                "etablissement__entreprise",
                "employeur",
                "salarie",
                "contrat",
                "formation__certification",
                "created_by",
                "prestataire",
            )
            .prefetch_related("tuteurs")
            .get(pk=obj.pk)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The dossier page, read-only, with the decisions the gestionnaire may take now."""
        dossier = self._dossier(request, object_id)
        if dossier is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, dossier):
            raise PermissionDenied
        anomalies = rules.check(dossier)
        codes = {r.code: r for r in rules.REGISTRY.rules}
        onglets_lus = lecture.lecture(dossier, anomalies)
        libelles = {o.slug: {lg.name: lg.libelle for s in o.sections for lg in s.lignes} for o in onglets_lus}
        controles = [
            {
                "onglet": o.onglet.label,
                "champ": libelles[o.slug].get(a.field, a.field),
                "message": a.message,
                "bloquant": a.bloquant,
                "code": a.code,
                "source": codes[a.code].source if a.code in codes else "",
            }
            for o in onglets_lus
            for a in o.anomalies
        ]
        evenements = dossier.evenements.select_related("user").order_by("created_at", "pk")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": f"Dossier {dossier.numero}",
            "subtitle": dossier.get_state_display(),
            "original": dossier,
            "has_view_permission": True,
            "dossier": dossier,
            "delai": instruction.delai(dossier),
            "commentaire_adherent": Synthese.du_dossier(dossier).commentaire,
            "onglets_lus": onglets_lus,
            "controles": controles,
            "nb_bloquants": sum(1 for c in controles if c["bloquant"]),
            "nb_alertes": sum(1 for c in controles if not c["bloquant"]),
            "modules": lecture.lignes_modules(dossier),
            "estimation": estimation(dossier),
            "sections_documents": documents_services.sections(dossier),
            "compteur_documents": documents_services.compteur(dossier),
            "evenements": [(e, label(e.transition)) for e in evenements],
            "montant_engage": euros(dossier.montant_engage),
            "decisions": [
                (t, reverse("admin:dossiers_dossier_decision", args=[dossier.pk, t.name]), STYLES.get(t.name, ""))
                for t in possibles(dossier, request.user)
                if t.name in FORMULAIRES
            ],
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/dossiers/dossier/instruction.html", context)

    def decision_view(self, request, object_id, transition):
        """A decision's small form (comment, amount, reason), then its service; back to the dossier page."""
        if transition not in FORMULAIRES:
            raise Http404
        if not self.has_instruire_permission(request):
            raise PermissionDenied
        dossier = self._dossier(request, object_id)
        if dossier is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        page = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
        try:
            verifier(dossier, transition, user=request.user)
        except TransitionError as erreur:
            self.message_user(request, str(erreur), messages.ERROR)
            return HttpResponseRedirect(page)
        form_class = FORMULAIRES[transition]
        if request.method == "POST":
            form = form_class(request.POST, transition=transition)
            if form.is_valid():
                try:
                    succes = _decider(transition, dossier, request.user, form.cleaned_data)
                except TransitionError as erreur:
                    self.message_user(request, str(erreur), messages.ERROR)
                else:
                    self.message_user(request, succes, messages.SUCCESS)
                return HttpResponseRedirect(page)
        else:
            initial = {}
            if transition == ACCEPTER_DOSSIER:
                propose = instruction.montant_propose(dossier)
                initial["montant"] = montant_fr(propose) if propose else ""
            form = form_class(initial=initial, transition=transition)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": f"{TRANSITIONS[transition].label} — dossier {dossier.numero}",
            "original": dossier,
            "has_view_permission": True,
            "dossier": dossier,
            "transition": TRANSITIONS[transition],
            "form": form,
            "estimation": estimation(dossier) if transition == ACCEPTER_DOSSIER else None,
            "page_dossier": page,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/dossiers/dossier/decision.html", context)

    def export_view(self, request):
        """« Exporter en CSV »: every dossier of the list as filtered, searched and sorted (not only the page)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        from django.contrib.admin.options import IncorrectLookupParameters
        from django.contrib.admin.views.main import PAGE_VAR

        request.GET = request.GET.copy()
        request.GET.pop(PAGE_VAR, None)
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:dossiers_dossier_changelist"))
        return export.reponse_csv(changelist.queryset)


def _date(value) -> str:
    return export.date_fr(value) or "—"


# -- referentials of the dossiers (editable by the gestionnaires, with the admin's history) -------------------


class SousDispositifInline(admin.TabularInline):
    model = SousDispositif
    extra = 0


@admin.register(Dispositif)
class DispositifAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "ouvert", "ordre"]
    list_editable = ["ouvert"]
    inlines = [SousDispositifInline]
