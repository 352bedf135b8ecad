"""The user's notifications: the list, opening one (marks it read, goes to its dossier), marking all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .models import Notification

PAR_PAGE = 20


@login_required
def liste(request):
    notifications = Notification.objects.de(request.user).pour_liste()
    page_obj = Paginator(notifications, PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/liste.html", {"page_obj": page_obj})


# A GET marks read too: the list's links are plain links (an in-app notification, nothing irreversible).
@login_required
@require_http_methods(["GET", "POST"])
def ouvrir(request, pk):
    notification = get_object_or_404(Notification.objects.de(request.user), pk=pk)
    services.notification_marquer_lue(notification)
    return redirect(services.lien_dossier(notification))


@login_required
@require_POST
def tout_marquer_lu(request):
    if services.notifications_marquer_lues(request.user):
        messages.success(request, "Toutes vos notifications ont été marquées comme lues.")
    return redirect("notifications")
