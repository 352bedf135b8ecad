"""Who may do what in the back office: the *Gestionnaires AKTO* group and its permissions, declared once.

- The dossier and everything the adhérent entered (employer, salarié, contract, training, funding, synthèse,
  pieces): **view only**. A gestionnaire never edits it; they ask for compléments (``dossiers/instruction.py``).
- The decisions: the custom permission ``dossiers.instruire_dossier`` (checked by the workflow's transitions).
- The referentials AKTO maintains by hand (SMIC, funding forfaits, rule parameters, document types, dispositifs,
  types de contribution): add, change and view, every change recorded in the admin's history (``LogEntry``).
  No delete: a dated row is superseded by a later one, a type or a dispositif is closed with its flag.
- The users' attachments to companies (which dossiers an adhérent sees): managed by AKTO, delete included.
- Everything else of these apps (imported referentials, notifications): view only.

The group is brought up to date after every ``migrate`` (``DossiersConfig.ready``) and by ``load_demo``.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

GROUPE_GESTIONNAIRES = "Gestionnaires AKTO"
APPS = ["dossiers", "documents", "referentiels", "notifications"]
REFERENTIELS_EDITABLES = [
    "referentiels.smic",
    "referentiels.forfaitpriseencharge",
    "referentiels.parametreregle",
    "documents.typedocument",
    "dossiers.dispositif",
    "dossiers.sousdispositif",
    "dossiers.typecontribution",
]
GERES = ["referentiels.rattachement"]
DECISION = "dossiers.instruire_dossier"


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
    geres = Q()
    for label in GERES:
        geres |= _modele(label)
    app_label, codename = DECISION.split(".")
    decision = Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(voir | (editer & referentiels) | geres | decision)


def groupe_gestionnaires() -> Group:
    """Create or bring up to date the *Gestionnaires AKTO* group (idempotent)."""
    group, _ = Group.objects.get_or_create(name=GROUPE_GESTIONNAIRES)
    group.permissions.set(permissions_gestionnaires())
    return group


def apres_migrate(sender, using="default", verbosity=0, **kwargs):
    """``post_migrate``: the permissions of every app concerned exist, then the group gets them."""
    for label in APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using, apps=global_apps)
    groupe_gestionnaires()
