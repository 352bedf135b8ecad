"""The gestionnaire's back office: the list of transmitted dossiers, the dossier page, the decisions, the export.

- The list opens on the dossiers awaiting a decision (*Transmis*, *En cours d'instruction*), oldest
  transmission first, with the days since transmission (the 20-day deadline of D6325-2: orange from 15 days,
  red past 20). Filters, search (number, SIRET, raison sociale, salarié's names — never the NIR), sort,
  « Exporter en CSV » of the filtered list, bulk *Prendre en instruction*, *M'attribuer*, *Attribuer à…* and
  *Accepter* (the dossiers without blocking anomaly, each with its estimated amount, after a confirmation page);
  « Instruit par » (column, filter, « Mes dossiers »).
- The dossier page is read-only: every tab as the adhérent entered it (``dossiers/lecture.py``), the rules
  engine's anomalies and alerts, the adhérent's comment, the pieces (download), the CERFA, the history (decisions
  with their data, assignments), the internal notes; *M'attribuer*, *Attribuer à…*.
- The decisions are buttons opening a small form; each calls its service in ``dossiers/instruction.py``.
  Nobody edits the adhérent's data here: the gestionnaire asks for compléments.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from documents import services as documents_services
from documents.models import AvisPiece, PieceJointe
from dossiers import acces, rules
from dossiers.acces import PERMISSION_INSTRUIRE
from dossiers.calculs.financement import estimation, euros
from dossiers.calculs.montants import estimation_du_dossier
from dossiers.calculs.salaire import montant_fr
from dossiers.enums import DossierState, EtatExport
from dossiers.instruction import decisions as instruction
from dossiers.instruction import export, modifications, suivi, tasks
from dossiers.instruction.formulaires import (
    AccepterForm,
    AttribuerForm,
    ComplementsForm,
    DecisionForm,
    NoteForm,
    RefuserForm,
)
from dossiers.models import Dispositif, Dossier, ExportDossiers, ModuleFormation, SousDispositif, Synthese
from dossiers.recherche import filtrer_dossiers
from dossiers.saisie import lecture
from dossiers.workflow import (
    ACCEPTER_DOSSIER,
    DEMANDER_COMPLEMENTS,
    PRENDRE_EN_INSTRUCTION,
    REFUSER_DOSSIER,
    TRANSITIONS,
    TransitionError,
    deja_appliquee,
    possibles,
    verifier,
)
from portal.admin import LectureSeuleAdmin
from referentiels.lookups import organismes as organismes_lookup
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


class InstruitParFilter(admin.SimpleListFilter):
    """Who handles the dossier: a gestionnaire of the group (by id), or ``aucun`` (nobody yet). « Mes dossiers » is
    this filter on the user's own id."""

    title = "instruit par"
    parameter_name = "instruit_par"
    AUCUN = "aucun"

    def lookups(self, request, model_admin):
        return [
            (self.AUCUN, "Personne (non attribués)"),
            *[(str(u.pk), u.get_full_name() or u.email) for u in acces.gestionnaires_akto()],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.AUCUN:
            return queryset.filter(instruit_par__isnull=True)
        if value and value.isdigit():
            return queryset.filter(instruit_par_id=int(value))
        return queryset


class DelaiFilter(admin.SimpleListFilter):
    """The days since transmission (« J+n ») of the dossiers awaiting a decision: the column's colours, and the
    dashboard's bands (``decisions.BANDES``), each a day range of ``decisions.en_attente_depuis``."""

    title = f"délai de décision ({instruction.DELAI_DECISION_JOURS} jours)"
    parameter_name = "delai"
    JOURS = {
        "depasse": (instruction.DELAI_DECISION_JOURS + 1, None),
        "alerte": (instruction.DELAI_ALERTE_JOURS, instruction.DELAI_DECISION_JOURS),
        "normal": (0, instruction.DELAI_ALERTE_JOURS - 1),
        **{bande.code: (bande.de, bande.a) for bande in instruction.BANDES},
    }

    def lookups(self, request, model_admin):
        alerte, decision = instruction.DELAI_ALERTE_JOURS, instruction.DELAI_DECISION_JOURS
        return [
            ("depasse", "Délai dépassé"),
            ("alerte", f"De J+{alerte} à J+{decision}"),
            ("normal", f"Moins de {alerte} jours"),
            *[
                (b.code, f"De J+{b.de} à J+{b.a}" if b.a is not None else f"J+{b.de} et plus")
                for b in instruction.BANDES
                if b.code not in ("depasse", "alerte", "normal")
            ],
        ]

    def queryset(self, request, queryset):
        jours = self.JOURS.get(self.value())
        if jours is None:
            return queryset
        return queryset.filter(instruction.en_attente_depuis(*jours))


class SaisieFilter(admin.SimpleListFilter):
    """A filter typed in a search box rather than picked in a list: its choices are referential rows (hundreds of
    conventions, tens of thousands of organismes), never a DISTINCT over the dossiers. The box keeps the list's
    other parameters; the current value is shown as the selected line, with « Tous » to clear it."""

    template = "admin/dossiers/dossier/filtre_saisie.html"
    placeholder = ""
    aide = ""

    def lookups(self, request, model_admin):
        return []  # nothing listed: the box (and the datalist of ``suggestions``) is the choice

    def has_output(self):
        return True

    def libelle(self, value: str) -> str:
        return value

    def suggestions(self) -> str:
        """The ``<option>`` elements of the box's datalist (safe HTML), if any."""
        return ""

    def choices(self, changelist):
        value = (self.value() or "").strip()
        caches = [
            (nom, valeur)
            for nom, valeur in changelist.params.items()
            if nom not in (self.parameter_name, PAGE_VAR, ERROR_FLAG)
        ]
        yield {
            "selected": not value,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "query_string_valeur": changelist.get_query_string({self.parameter_name: value}),
            "display": "Tous",
            "valeur": value,
            "libelle": self.libelle(value) if value else "",
            "caches": caches,
            "placeholder": self.placeholder,
            "aide": self.aide,
            "suggestions": self.suggestions(),
        }


class IdccFilter(SaisieFilter):
    """The employer's convention collective by IDCC, suggested from the referential's conventions in force."""

    title = "IDCC (convention collective)"
    parameter_name = "idcc"
    placeholder = "Ex : 1979"
    aide = "Le numéro IDCC (4 chiffres)."

    @staticmethod
    def _idcc(value: str) -> str:
        chiffres = (value or "").strip()[:4]
        return chiffres.zfill(4) if chiffres.isdigit() else ""

    def libelle(self, value):
        idcc = self._idcc(value)
        titre = ConventionCollective.objects.filter(idcc=idcc).values_list("titre", flat=True).first()
        return f"{idcc} — {titre[:60]}" if titre else idcc or value

    def suggestions(self):
        # ~700 options: joined here, not looped over by the template (that was most of the filters' render time).
        conventions = ConventionCollective.objects.actives().order_by("idcc").values_list("idcc", "titre")
        return format_html_join("", '<option value="{}">{} — {}</option>', ((i, i, t[:80]) for i, t in conventions))

    def queryset(self, request, queryset):
        if not (self.value() or "").strip():
            return queryset
        return queryset.filter(employeur__idcc=self._idcc(self.value()))


class OrganismeFilter(SaisieFilter):
    """The training organisms of the dossiers' modules, typed as in the Formation tab's search: SIRET, SIREN, NDA or
    words of the name (``referentiels.lookups.organismes.rechercher``); a referential id (a link) also works."""

    title = "organisme de formation"
    parameter_name = "organisme"
    placeholder = "SIRET ou raison sociale"
    aide = "SIRET, SIREN, n° de déclaration d'activité ou mots de la raison sociale."

    def _organismes(self, value: str):
        value = value.strip()
        if value.isdigit() and len(value) < 9:  # an id, as the lists' links give it
            return OrganismeFormation.objects.filter(pk=int(value))
        return organismes_lookup.rechercher(value)

    def libelle(self, value):
        trouves = list(self._organismes(value).values_list("raison_sociale", "siret")[:2])
        if len(trouves) == 1:
            nom, siret = trouves[0]
            return f"{nom} ({siret})"
        return f"« {value} »"

    def queryset(self, request, queryset):
        if not (self.value() or "").strip():
            return queryset
        organismes = self._organismes(self.value()).order_by().values("pk")
        modules = ModuleFormation.objects.filter(formation__dossier=OuterRef("pk"), organisme__in=organismes)
        return queryset.filter(Exists(modules))


# -- the list at volume ---------------------------------------------------------------------------------------


class PaginateurParCles(Paginator):
    """A page whose keys are selected on the dossier table alone, with only the joins its filters and sort need
    (``OFFSET`` walks the ``dossier_admin_liste_idx`` index), the list's six joins made for those rows only:
    ``… WHERE id IN (SELECT id … ORDER BY … LIMIT 50 OFFSET n) ORDER BY …``, one query. A deep page then costs
    about what the first one does."""

    def page(self, number):
        number = self.validate_number(number)
        bas = (number - 1) * self.per_page
        liste = self.object_list
        cles = liste.values("pk")[bas : bas + self.per_page]
        # Outside the keys' subquery, no filter again (an EXISTS there would make the planner join every row).
        page = liste.model._default_manager.filter(pk__in=cles).order_by(*liste.query.order_by)
        page.query.select_related = liste.query.select_related
        return self._get_page(page, number, self)


class ListeDossiers(ChangeList):
    def _get_deterministic_ordering(self, ordering):
        """The tie-breaker ``pk`` goes the way of the first key (Django appends ``-pk``): ``transmis_le`` up or down
        is then one walk, forwards or backwards, of the ``(transmis_le, id, state)`` index."""
        ordering = super()._get_deterministic_ordering(ordering)
        if len(ordering) >= 2 and ordering[-1] == "-pk" and isinstance(ordering[0], str):
            ordering[-1] = "-pk" if ordering[0].startswith("-") else "pk"
        return ordering


# -- decisions -----------------------------------------------------------------------------------------------

FORMULAIRES = {
    PRENDRE_EN_INSTRUCTION: DecisionForm,
    DEMANDER_COMPLEMENTS: ComplementsForm,
    ACCEPTER_DOSSIER: AccepterForm,
    REFUSER_DOSSIER: RefuserForm,
}


STYLES = {ACCEPTER_DOSSIER: "button--accepter", REFUSER_DOSSIER: "button--refuser"}


def _decider(transition: str, dossier: Dossier, user, data: dict) -> str:
    """Call the decision's service; return the success message."""
    commentaire = data.get("commentaire", "")
    if transition == PRENDRE_EN_INSTRUCTION:
        instruction.prendre_en_instruction(dossier, user, commentaire)
        return _succes(transition, dossier)
    if transition == DEMANDER_COMPLEMENTS:
        suivi.demander_complements(dossier, user, commentaire, data.get("note_interne", ""))
        return _succes(transition, dossier)
    if transition == ACCEPTER_DOSSIER:
        instruction.accepter(dossier, user, data["montant"], commentaire)
        return _succes(transition, dossier, montant=data["montant"])
    instruction.refuser(dossier, user, data["motif"], commentaire)
    return _succes(transition, dossier)


def _succes(transition: str, dossier: Dossier, *, montant=None) -> str:
    """The message of a decision taken, from the dossier as decided (the same for its repeat by the same user)."""
    if transition == PRENDRE_EN_INSTRUCTION:
        return f"Le dossier {dossier.numero} est pris en instruction."
    if transition == DEMANDER_COMPLEMENTS:
        return (
            f"Le dossier {dossier.numero} est renvoyé à l'adhérent pour compléments (état « A compléter ») : "
            "il le corrige puis le transmet à nouveau."
        )
    if transition == ACCEPTER_DOSSIER:
        montant = dossier.montant_engage if montant is None else montant
        return f"Le dossier {dossier.numero} est accepté : prise en charge engagée de {euros(montant)}."
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
        "instruit_par_col",
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
        InstruitParFilter,
        "dispositif",
        "sous_dispositif",
        IdccFilter,
        OrganismeFilter,
        ("transmis_le", admin.DateFieldListFilter),
        ("decide_le", admin.DateFieldListFilter),  # the dashboard's decisions of a week
        ("contrat__date_debut", admin.DateFieldListFilter),
    ]
    search_fields = ["recherche"]  # the dossier's search key: get_search_results below
    search_help_text = (
        "Numéro de dossier, SIRET, raison sociale, nom ou prénom du salarié, intitulé de la formation, accents et "
        "majuscules indifférents (le NIR n'est pas recherchable)."
    )
    list_select_related = [
        "dispositif",
        "sous_dispositif",
        "employeur",
        "salarie",
        "contrat",
        "accord",
        "formation",
        "instruit_par",
    ]
    ordering = ["transmis_le"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # « Afficher les nombres »: a count per choice over every dossier
    paginator = PaginateurParCles
    actions = ["action_prendre_en_instruction", "action_m_attribuer", "action_attribuer_a", "action_accepter"]
    change_list_template = "admin/dossiers/dossier/change_list.html"

    class Media:
        css = {"all": ["portal/css/admin.css"]}

    # -- who may do what: the adhérent's data are never edited here ------------------------------------------

    def get_changelist(self, request, **kwargs):
        return ListeDossiers

    def changelist_view(self, request, extra_context=None):
        mes_dossiers = f"?{InstruitParFilter.parameter_name}={request.user.pk}"
        context = {"title": "Dossiers transmis à AKTO", "mes_dossiers": mes_dossiers, **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_search_results(self, request, queryset, search_term):
        """Every word of the search in the dossier's key, normalised as every search (dossiers/recherche.py)."""
        return filtrer_dossiers(queryset, search_term), False

    def get_queryset(self, request):
        """Only what reached AKTO: drafts are the adhérent's work in progress."""
        return super().get_queryset(request).filter(state__in=DossierState.dossiers())

    def has_instruire_permission(self, request):
        return request.user.has_perm(PERMISSION_INSTRUIRE)

    def has_attribuer_permission(self, request):
        return acces.peut_attribuer(request.user)

    # -- columns ------------------------------------------------------------------------------------------------

    @admin.display(description="Dispositif", ordering="sous_dispositif__code")
    def dispositif_col(self, obj):
        # The sous-dispositif's code (as the adhérent's lists show it), its full label on hover.
        titre = f"{obj.dispositif.libelle} — {obj.sous_dispositif.libelle}"
        return format_html('<span title="{}">{}</span>', titre, obj.sous_dispositif.code)

    @admin.display(description="Instruit par", ordering="instruit_par__last_name")
    def instruit_par_col(self, obj):
        return (obj.instruit_par.get_full_name() or obj.instruit_par.email) if obj.instruit_par else "—"

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
        periode = obj.periode  # the contract's dates, or the agreement's (Dossier.PARTIE_DES_DATES)
        return format_html(
            '<span class="dates">{}<br>{}</span>',
            _date(periode.date_debut if periode else None),
            _date(periode.date_fin if periode else None),
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

    @admin.action(description="M'attribuer", permissions=["attribuer"])
    def action_m_attribuer(self, request, queryset):
        self._attribuer(request, list(queryset.order_by("transmis_le", "pk")), request.user)

    @admin.action(description="Attribuer à…", permissions=["attribuer"])
    def action_attribuer_a(self, request, queryset):
        """An intermediate page: the selected dossiers and the select of the gestionnaires, then the assignment."""
        dossiers = list(queryset.order_by("transmis_le", "pk"))
        form = AttribuerForm(request.POST if "confirmer" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._attribuer(request, dossiers, form.gestionnaire())
            return None
        return self._page_attribution(request, dossiers, form, bulk=True)

    @admin.action(description="Accepter (sans anomalie bloquante, montant estimé)", permissions=["instruire"])
    def action_accepter(self, request, queryset):
        """A confirmation page listing the dossiers that will be accepted with their estimated amount and those left
        out with why; on confirmation, each accepted (in one step from *Transmis*)."""
        candidats = suivi.candidats_acceptation(
            suivi.charger_pour_controle(Dossier.objects.filter(pk__in=queryset.values("pk"))), request.user
        )
        if "confirmer" not in request.POST:
            context = {
                **self._contexte(request, "Accepter les dossiers sélectionnés"),
                "retenus": [c for c in candidats if not c.exclusion],
                "exclus": [c for c in candidats if c.exclusion],
                "action": "action_accepter",
                "cible": request.get_full_path(),
            }
            return TemplateResponse(request, "admin/dossiers/dossier/acceptation.html", context)
        confirmes = {}
        for cle, valeur in request.POST.items():
            if cle.startswith("montant_") and cle[8:].isdigit():
                try:
                    confirmes[int(cle[8:])] = Decimal(valeur)
                except InvalidOperation:
                    pass
        acceptes, ecartes = suivi.accepter_en_masse(candidats, request.user, confirmes)
        if acceptes:
            detail = ", ".join(f"{d.numero} ({euros(d.montant_engage)})" for d in acceptes)
            self.message_user(request, f"{len(acceptes)} dossier(s) accepté(s) : {detail}.", messages.SUCCESS)
        for dossier, raison in ecartes:
            self.message_user(request, f"{dossier.numero} non accepté : {raison}.", messages.WARNING)
        return None

    def _attribuer(self, request, dossiers, gestionnaire) -> bool:
        try:
            changes = suivi.attribuer(dossiers, par=request.user, a=gestionnaire)
        except TransitionError as erreur:
            self.message_user(request, str(erreur), messages.ERROR)
            return False
        qui = (gestionnaire.get_full_name() or gestionnaire.email) if gestionnaire else "personne"
        if changes:
            numeros = ", ".join(d.numero for d in changes)
            self.message_user(request, f"{len(changes)} dossier(s) attribué(s) à {qui} : {numeros}.", messages.SUCCESS)
        if len(changes) < len(dossiers):
            self.message_user(request, f"{len(dossiers) - len(changes)} dossier(s) déjà attribué(s) à {qui}.")
        return True

    def _contexte(self, request, title, **kwargs) -> dict:
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": title,
            "has_view_permission": True,
            **kwargs,
        }

    def _page_attribution(self, request, dossiers, form, *, bulk: bool, page_dossier: str = ""):
        context = self._contexte(
            request,
            "Attribuer les dossiers sélectionnés" if bulk else f"Attribuer le dossier {dossiers[0].numero}",
            dossiers=dossiers,
            form=form,
            bulk=bulk,
            action="action_attribuer_a",
            cible=request.get_full_path(),
            page_dossier=page_dossier,
        )
        return TemplateResponse(request, "admin/dossiers/dossier/attribution.html", context)

    # -- pages ---------------------------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path("export/", self.admin_site.admin_view(self.export_view), name="%s_%s_export" % info),
            path(
                "export/<int:pk>/",
                self.admin_site.admin_view(self.export_suivi_view),
                name="%s_%s_export_suivi" % info,
            ),
            path(
                "export/<int:pk>/fichier/",
                self.admin_site.admin_view(self.export_fichier_view),
                name="%s_%s_export_fichier" % info,
            ),
            path(
                "<path:object_id>/attribuer/",
                self.admin_site.admin_view(self.attribuer_view),
                name="%s_%s_attribuer" % info,
            ),
            path(
                "<path:object_id>/notes/",
                self.admin_site.admin_view(self.note_view),
                name="%s_%s_note" % info,
            ),
            path(
                "<path:object_id>/pieces/<int:piece_pk>/avis/",
                self.admin_site.admin_view(self.avis_piece_view),
                name="%s_%s_avis_piece" % info,
            ),
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
        notes = (
            dossier.notes_internes.select_related("auteur", "evenement").order_by("created_at", "pk")
            if acces.voit_notes_internes(request.user, dossier)
            else None
        )
        evenements = suivi.evenements(dossier)
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
            "historique": suivi.historique(dossier, evenements),
            "notes_internes": notes,
            "note_form": NoteForm() if notes is not None else None,
            "peut_attribuer": acces.peut_attribuer(request.user, dossier),
            "modifications": modifications.modifications(dossier, evenements),
            "avis_possible": acces.peut_donner_avis(request.user, dossier),
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

    def attribuer_view(self, request, object_id):
        """*Attribuer à…* (the select of the gestionnaires) and *M'attribuer* (the same POST with the user's id)."""
        if not self.has_attribuer_permission(request):
            raise PermissionDenied
        dossier = self._dossier(request, object_id)
        if dossier is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        page = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
        form = AttribuerForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            self._attribuer(request, [dossier], form.gestionnaire())
            return HttpResponseRedirect(page)
        return self._page_attribution(request, [dossier], form, bulk=False, page_dossier=page)

    def note_view(self, request, object_id):
        """« Ajouter la note » (POST): an internal note on the dossier; back to its notes."""
        dossier = self._dossier(request, object_id)
        if dossier is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not acces.voit_notes_internes(request.user, dossier):
            raise PermissionDenied
        page = reverse("admin:dossiers_dossier_change", args=[dossier.pk]) + "#notes-internes"
        if request.method != "POST":
            return HttpResponseRedirect(page)
        form = NoteForm(request.POST)
        if form.is_valid():
            suivi.ajouter_note(dossier, request.user, form.cleaned_data["texte"])
            self.message_user(request, "Note interne ajoutée (non visible par l'adhérent).", messages.SUCCESS)
        else:
            self.message_user(request, " ".join(form.errors["texte"]), messages.ERROR)
        return HttpResponseRedirect(page)

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
            self._refus_ou_repetition(request, dossier, transition, erreur)
            return HttpResponseRedirect(page)
        form_class = FORMULAIRES[transition]
        if request.method == "POST":
            form = form_class(request.POST, transition=transition)
            if form.is_valid():
                try:
                    succes = _decider(transition, dossier, request.user, form.cleaned_data)
                except TransitionError as erreur:  # decided meanwhile: by this very user (a double submit)?
                    self._refus_ou_repetition(request, dossier, transition, erreur)
                else:
                    self.message_user(request, succes, messages.SUCCESS)
                return HttpResponseRedirect(page)
        else:
            initial = {}
            if transition == DEMANDER_COMPLEMENTS:  # the pieces marked *Non conforme*, with their reasons
                initial["commentaire"] = documents_services.pieces_a_remplacer(dossier)
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
            "estimation": estimation_du_dossier(dossier) if transition == ACCEPTER_DOSSIER else None,
            "page_dossier": page,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/dossiers/dossier/decision.html", context)

    def _refus_ou_repetition(self, request, dossier, transition, erreur):
        """The decision may not be taken: its French error, unless this user has just taken it (a form sent twice,
        Back then *Confirmer* again): a repeated POST gets the first one's success message, a GET (Back onto the
        decision's form) goes back to the dossier page silently; either way the page shows the decided dossier."""
        if not deja_appliquee(dossier, transition, user=request.user):
            self.message_user(request, str(erreur), messages.ERROR)
        elif request.method == "POST":
            self.message_user(request, _succes(transition, Dossier.objects.get(pk=dossier.pk)), messages.SUCCESS)

    def avis_piece_view(self, request, object_id, piece_pk):
        """A piece's *Conforme* / *Non conforme* (POST, reason mandatory for the latter); back to the pieces."""
        if request.method != "POST":
            raise Http404
        if not self.has_instruire_permission(request):
            raise PermissionDenied
        dossier = self.get_object(request, unquote(object_id))
        if dossier is None:
            raise Http404
        piece = get_object_or_404(PieceJointe.objects.select_related("type"), pk=piece_pk, dossier=dossier)
        try:
            instruction.donner_avis(
                dossier, piece, request.user, request.POST.get("avis", ""), request.POST.get("motif", "")
            )
        except TransitionError as erreur:
            self.message_user(request, f"{piece.nom_original} : {erreur}", messages.ERROR)
        else:
            avis = AvisPiece(request.POST["avis"]).label
            self.message_user(request, f"{piece.type.libelle} — « {piece.nom_original} » : {avis}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:dossiers_dossier_change", args=[dossier.pk]) + "#pieces")

    # -- « Exporter en CSV »: a background job (dossiers/instruction/export.py, tasks.py) ----------------------

    def export_view(self, request):
        """« Exporter en CSV » (POST): a job for the list as filtered, searched and sorted (every page), written by
        a Celery task after commit; then its progress page. Eager mode (no Redis) writes it before the redirect."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:dossiers_dossier_changelist"))
        parametres = request.GET.copy()
        parametres.pop(PAGE_VAR, None)
        with transaction.atomic():
            job = ExportDossiers.objects.create(demandeur=request.user, parametres=parametres.urlencode())
            transaction.on_commit(lambda: tasks.exporter_dossiers.delay(job.pk))
        return HttpResponseRedirect(reverse("admin:dossiers_dossier_export_suivi", args=[job.pk]))

    def liste_exportee(self, job: ExportDossiers):
        """The queryset of the list ``job`` was asked from, as its gestionnaire saw it (the task runs it)."""
        request = HttpRequest()
        request.method = "GET"
        request.user = job.demandeur
        request.GET = QueryDict(job.parametres)
        if not (job.demandeur.is_active and job.demandeur.is_staff and self.has_view_permission(request)):
            raise PermissionDenied("Le demandeur n'a plus accès aux dossiers.")
        return self.get_changelist_instance(request).queryset

    def _export(self, request, pk) -> ExportDossiers:
        """The requesting gestionnaire's own export job, or 404 (another's is not even said to exist)."""
        if not self.has_view_permission(request):
            raise Http404
        return get_object_or_404(ExportDossiers, pk=pk, demandeur=request.user)

    def export_suivi_view(self, request, pk):
        """The job's progress (« n / total lignes »), polled by htmx every second until the file is ready."""
        job = self._export(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": "Exporter en CSV",
            "export": job,
            "liste": reverse("admin:dossiers_dossier_changelist") + (f"?{job.parametres}" if job.parametres else ""),
            "telechargement": reverse("admin:dossiers_dossier_export_fichier", args=[job.pk]),
        }
        request.current_app = self.admin_site.name
        template = "admin/dossiers/dossier/export.html"
        return TemplateResponse(request, f"{template}#etat" if request.htmx else template, context)

    def export_fichier_view(self, request, pk):
        """« Télécharger le fichier CSV »: the file of the requesting gestionnaire's ready job, from the private
        storage."""
        job = self._export(request, pk)
        if job.etat != EtatExport.PRET or not job.fichier:
            raise Http404
        response = FileResponse(
            job.fichier.open("rb"),
            as_attachment=True,
            filename=export.nom_telechargement(job),
            content_type="text/csv; charset=utf-8",
        )
        response["Cache-Control"] = "private, no-store"
        return response


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
