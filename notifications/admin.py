"""Notifications in the back office: read-only (the outbox is written by the workflow, sent by the tasks)."""

from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "evenement", "dossier", "recipient", "lu_le", "email_statut", "email_tentatives"]
    list_filter = ["evenement", "email_statut"]
    search_fields = ["dossier__numero", "recipient__email"]
    list_select_related = ["dossier", "recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
