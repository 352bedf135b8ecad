from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail"

    def ready(self):
        from celery.signals import task_prerun
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_started

        from portal import connexion, tables

        # The reference tables held in memory are compared with the shared generation once per request or task.
        request_started.connect(tables.a_verifier, dispatch_uid="portal.tables.requete")
        task_prerun.connect(tables.a_verifier, dispatch_uid="portal.tables.tache", weak=False)
        user_logged_in.connect(connexion.noter_connexion, dispatch_uid="portal.connexion.noter_connexion")


class AdminPortailConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the portal's site as ``admin.site`` (its home is the dashboard); named in
    ``INSTALLED_APPS`` (not the portal's default config)."""

    default = False

    default_site = "portal.admin_site.AdminPortail"
