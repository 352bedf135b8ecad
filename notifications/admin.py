"""Notifications in the back office: read-only (the outbox is written by the workflow, sent by the tasks)."""

from django.contrib import admin

from portal.admin import LectureSeuleAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(LectureSeuleAdmin):
    list_display = ["created_at", "evenement", "dossier", "recipient", "lu_le", "email_statut", "email_tentatives"]
    list_filter = ["evenement", "email_statut"]
    search_fields = ["dossier__numero", "recipient__email"]
    list_select_related = ["dossier", "recipient"]
    date_hierarchy = "created_at"
