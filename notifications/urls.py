"""URLs of the user's notifications."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.liste, name="notifications"),
    path("notifications/tout-marquer-lu/", views.tout_marquer_lu, name="notifications_tout_marquer_lu"),
    path("notifications/<int:pk>/", views.ouvrir, name="notification_ouvrir"),
]
