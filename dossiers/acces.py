"""Who may do what, in one module: see a dossier, edit it (or one of its tabs), fire a transition, and the back
office's Django permissions.

- **See**: ``visibles(queryset, user)``, behind ``Dossier.objects.visible_to(user)``, the only way a view gets
  dossiers (anything outside answers 404). An adhérent sees its establishments' dossiers but the pre-entries not
  yet handed over and those it refused; a prestataire its organisation's pre-entries, whatever became of them;
  a gestionnaire every dossier (in the back office). The API (``dossiers/api``) authenticates an organisation,
  not a user: ``visibles_organisme`` is what its key sees, the very rule a prestataire user of it sees by.
- **The API keys**: ``gere_cles_api``: the prestataire users of an organisation create and revoke its keys.
- **Edit**: ``peut_modifier``. An adhérent edits its drafts (*Brouillon*) and the dossiers AKTO sent back (*A
  compléter*); a pre-entry waiting for it (*A reprendre par l'adhérent*) is read-only until accepted; a
  prestataire edits its pre-entry while it is a *Brouillon prestataire*, and only the tabs it knows (the
  employer's editable fields, the funding and the synthesis stay the adhérent's); a gestionnaire never edits the
  adhérent's data (he asks for compléments). Views load a dossier through ``charger`` so that
  ``dossier.est_modifiable`` speaks for the user looking at it.
- **Fire a transition**: the predicates each transition of ``workflow.py`` names (``adherent_du_dossier``…).
- **The attachments**: only the *Administrateurs des rattachements AKTO* group (granted explicitly, one user at
  a time, by a superuser) adds, changes and deletes them; every change, in the admin or elsewhere (a command, the
  shell), is kept by django-simple-history with who and when (``Rattachement.history``, the admin's history).
- **The back office**: the *Gestionnaires AKTO* group and its permissions (below), re-applied after every
  ``migrate``:
  - the dossier and everything the adhérent entered: **view only**;
  - the decisions: the custom permission ``dossiers.instruire_dossier``; the same right assigns a dossier to a
    gestionnaire of the group (``peut_attribuer``, ``gestionnaires_akto``) and reads and writes the internal
    notes (``voit_notes_internes``: nobody else, ever);
  - the referentials AKTO maintains by hand (SMIC, forfaits, rule parameters, the branches' conventional minima
    and rates, document types, dispositifs, types de contribution): add, change and view, every change in the
    admin's history; no delete;
  - the users' attachments to companies (``Rattachement``, which opens a company's dossiers and NIRs to an
    account): **view only**, with their history;
  - everything else of these apps (imported referentials, notifications): view only;
  - the login throttling (django-axes, portal/connexion.py): the attempts, view and delete (deleting a locked
    account's or address's attempt unlocks it), the access and failure logs, view only.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from dossiers.enums import DossierState
from portal import tables
from portal.models import Role, User
from referentiels.models import Etablissement, OrganismeFormation

# -- see ------------------------------------------------------------------------------------------------------


def visibles(queryset, user):
    """The dossiers of ``queryset`` that ``user`` may see."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_gestionnaire:
        return queryset.all()
    if user.is_prestataire:
        return visibles_organisme(queryset, OrganismeFormation.objects.rattaches_a(user))
    # The user's establishments are read first (a user has a few, a network a few dozen): the database then gets a
    # list of ids, whose share of the dossiers its statistics estimate, instead of a subquery with an OR, which
    # PostgreSQL guessed at half the table (a scan and a sort of every dossier for a user who sees 400).
    return queryset.filter(etablissement_id__in=etablissements_de(user)).exclude(
        state__in=[DossierState.BROUILLON_PRESTATAIRE, DossierState.REFUSE_PAR_ADHERENT]
    )


def visibles_organisme(queryset, organismes):
    """The dossiers of ``queryset`` that training organisation(s) ``organismes`` (one, or a queryset) may see: those
    it pre-entered, whatever became of them (a prestataire user, and an API key of the organisation)."""
    if isinstance(organismes, OrganismeFormation):
        return queryset.filter(prestataire=organismes)
    return queryset.filter(prestataire__in=organismes)


def gere_cles_api(user, organisme=None):
    """Whether ``user`` manages the API keys of ``organisme`` (or, without it: the organisations whose keys he
    manages, a queryset): the active prestataire users attached to it."""
    if not (user.is_authenticated and user.is_active and user.is_prestataire):
        return False if organisme is not None else OrganismeFormation.objects.none()
    organismes = OrganismeFormation.objects.rattaches_a(user)
    if organisme is None:
        return organismes
    return organismes.filter(pk=organisme.pk).exists()


def etablissements_de(user) -> list[int]:
    """The ids of the establishments an adhérent acts for (attached to them or to their company).

    Read once per request (kept on the user object) and, between requests, from the shared cache until an
    attachment or an establishment changes in any process (``portal.tables.derivee``: ``Rattachement`` and
    ``Etablissement`` are followed, ``DossiersConfig.ready``)."""
    ids = user.__dict__.get("_etablissements_de")
    if ids is None:
        ids = tables.derivee(
            f"etablissements:{user.pk}",
            lambda: list(Etablissement.objects.rattaches_a(user).order_by("pk").values_list("pk", flat=True)),
        )
        user.__dict__["_etablissements_de"] = ids
    return ids


def voit(user, dossier) -> bool:
    """May ``user`` see ``dossier``? Answered without a query for a dossier loaded through ``visibles`` for this
    user and still in the state it was loaded in (``charger``): visibility is checked once per request."""
    if getattr(dossier, "_visible_pour", None) == (user.pk, dossier.state):
        return True
    return visibles(type(dossier).objects.filter(pk=dossier.pk), user).exists()


# -- edit -----------------------------------------------------------------------------------------------------

ETATS_MODIFIABLES = {
    Role.ADHERENT: frozenset({DossierState.BROUILLON, DossierState.A_COMPLETER}),
    Role.PRESTATAIRE: frozenset({DossierState.BROUILLON_PRESTATAIRE}),
}
ONGLETS_PRESTATAIRE = frozenset({"introduction", "salarie", "contrat", "accord", "formation", "documents"})
# The employer's attestations on those tabs: only the employer attests (the prestataire sees them unticked).
ATTESTATIONS_EMPLOYEUR = frozenset({"attestation_tuteur", "attestation_tuteur_qualifie", "attestation_pieces"})
MSG_CHAMP_RESERVE = "Attestation réservée à l'employeur : il la coche en reprenant la demande."


def peut_modifier(user, dossier, onglet: str | None = None) -> bool:
    """May ``user`` (who can see ``dossier``) change it now, or change tab ``onglet`` of it?"""
    if not getattr(user, "is_authenticated", False) or user.is_gestionnaire:
        return False
    if dossier.state not in ETATS_MODIFIABLES.get(user.role, ()):
        return False
    if user.is_prestataire and onglet is not None:
        return onglet in ONGLETS_PRESTATAIRE
    return True


def champs_reserves(user) -> frozenset[str]:
    """Fields of an editable tab that ``user`` may still not change (disabled: their posted value is ignored)."""
    return ATTESTATIONS_EMPLOYEUR if getattr(user, "is_prestataire", False) else frozenset()


def charger(dossier, user):
    """Tie a dossier loaded through ``visibles(…, user)`` to that user: ``dossier.est_modifiable`` then answers
    for them, and ``voit`` needs no query while the dossier keeps its state."""
    dossier._modifiable = peut_modifier(user, dossier)
    dossier._visible_pour = (user.pk, dossier.state)
    return dossier


# -- fire a transition (workflow.py names these) --------------------------------------------------------------

PERMISSION_INSTRUIRE = "dossiers.instruire_dossier"


def adherent_du_dossier(user, dossier) -> bool:
    return user.is_adherent and voit(user, dossier)


def prestataire_du_dossier(user, dossier) -> bool:
    return user.is_prestataire and voit(user, dossier)


def adherent_d_une_presaisie(user, dossier) -> bool:
    return dossier.prestataire_id is not None and adherent_du_dossier(user, dossier)


def gestionnaire(user, dossier=None) -> bool:
    """An AKTO gestionnaire: the role, staff, and the decision permission (the *Gestionnaires AKTO* group)."""
    return user.is_active and user.is_staff and user.is_gestionnaire and user.has_perm(PERMISSION_INSTRUIRE)


def peut_attribuer(user, dossier=None) -> bool:
    """May ``user`` assign dossiers (*M'attribuer*, *Attribuer à…*)? The gestionnaires who decide."""
    return gestionnaire(user, dossier)


def voit_notes_internes(user, dossier=None) -> bool:
    """May ``user`` read and write a dossier's internal notes? The gestionnaires only: never the adhérent nor the
    prestataire (the notes are on no page of theirs, in no notification)."""
    return gestionnaire(user, dossier)


def gestionnaires_akto():
    """The users a dossier may be assigned to: the active staff members of the *Gestionnaires AKTO* group."""
    return User.objects.filter(
        groups__name=GROUPE_GESTIONNAIRES, is_active=True, is_staff=True, role=Role.GESTIONNAIRE
    ).order_by("last_name", "first_name", "pk")


# -- the portal's own acts ------------------------------------------------------------------------------------

# The account the portal's own decisions are recorded under (the D6325-2 tacit acceptance): inactive and without a
# password, nobody logs in with it; created on first use (a flushed test database too).
COMPTE_SYSTEME = "traitement-automatique@portail.invalid"


def compte_systeme():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    user, _ = get_user_model().objects.get_or_create(
        email=COMPTE_SYSTEME,
        defaults={
            "first_name": "Mon Espace",
            "last_name": "(traitement automatique)",
            "role": Role.GESTIONNAIRE,
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user


def compte_systeme_de(user, dossier=None) -> bool:
    """Only the portal itself fires the tacit acceptance: never a button, never a person."""
    return user.email == COMPTE_SYSTEME and not user.is_active


def peut_donner_avis(user, dossier) -> bool:
    """A piece's *Conforme* / *Non conforme*: a gestionnaire, while the dossier awaits a decision."""
    return gestionnaire(user) and dossier.state in DossierState.a_traiter()


# -- the back office's Django permissions ---------------------------------------------------------------------

GROUPE_GESTIONNAIRES = "Gestionnaires AKTO"
APPS = ["dossiers", "documents", "referentiels", "notifications"]
REFERENTIELS_EDITABLES = [
    "referentiels.smic",
    "referentiels.forfaitpriseencharge",
    "referentiels.parametreregle",
    "referentiels.salaireminimumconventionnel",
    "referentiels.tauxconventionnel",
    "documents.typedocument",
    "dossiers.dispositif",
    "dossiers.sousdispositif",
    "dossiers.typecontribution",
]
VERROUILLAGES = "axes.accessattempt"
JOURNAUX_CONNEXION = ["axes.accesslog", "axes.accessfailurelog"]
DECISION = PERMISSION_INSTRUIRE
GROUPE_RATTACHEMENTS = "Administrateurs des rattachements AKTO"
RATTACHEMENTS = ["referentiels.rattachement", "referentiels.historicalrattachement"]


def _modele(label: str) -> Q:
    app_label, model = label.split(".")
    return Q(content_type__app_label=app_label, content_type__model=model)


def permissions_gestionnaires():
    """The group's permissions, as a queryset."""
    voir = Q(content_type__app_label__in=APPS, codename__startswith="view_")
    editer = Q(codename__regex=r"^(add|change)_")
    referentiels = Q()
    for label in REFERENTIELS_EDITABLES:
        referentiels |= _modele(label)
    app_label, codename = DECISION.split(".")
    decision = Q(content_type__app_label=app_label, codename=codename)
    connexions = _modele(VERROUILLAGES) & Q(codename__regex=r"^(view|delete)_")
    for label in JOURNAUX_CONNEXION:
        connexions |= _modele(label) & Q(codename__startswith="view_")
    return Permission.objects.filter(voir | (editer & referentiels) | decision | connexions)


def permissions_rattachements():
    """The attachments' administrators' permissions: add, change, delete and view the attachments, view their
    history (which nobody edits)."""
    modeles = Q()
    for label in RATTACHEMENTS:
        modeles |= _modele(label)
    return Permission.objects.filter(modeles).exclude(
        content_type__model="historicalrattachement", codename__regex=r"^(add|change|delete)_"
    )


def groupe_gestionnaires() -> Group:
    """Create or bring up to date the *Gestionnaires AKTO* group (idempotent)."""
    group, _ = Group.objects.get_or_create(name=GROUPE_GESTIONNAIRES)
    group.permissions.set(permissions_gestionnaires())
    return group


def groupe_rattachements() -> Group:
    """Create or bring up to date the *Administrateurs des rattachements AKTO* group (idempotent); its members are
    staff accounts a superuser adds to it explicitly."""
    group, _ = Group.objects.get_or_create(name=GROUPE_RATTACHEMENTS)
    group.permissions.set(permissions_rattachements())
    return group


def apres_migrate(sender, using="default", verbosity=0, **kwargs):
    """``post_migrate``: the permissions of every app concerned exist, then the group gets them."""
    for label in [*APPS, "axes"]:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using, apps=global_apps)
    groupe_gestionnaires()
    groupe_rattachements()
