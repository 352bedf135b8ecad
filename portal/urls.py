"""Root URLconf."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from . import views
from .forms import AdminLoginForm, LoginForm

admin.site.site_header = "AKTO — back office des contrats de professionnalisation"
admin.site.site_title = "Back office AKTO"
admin.site.index_title = "Back office des gestionnaires"
admin.site.login_form = AdminLoginForm  # the lockout message (portal/connexion.py)
admin.site.enable_nav_sidebar = False  # the lists (dossiers) need the width; the home page lists every model


class Favicon(RedirectView):
    """/favicon.ico, asked by browsers on every page: the static icon (linked by base.html and the admin)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static(FAVICON)


FAVICON = "portal/img/favicon.svg"

urlpatterns = [
    path("favicon.ico", Favicon.as_view(), name="favicon"),
    path("", views.accueil, name="accueil"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("dossiers.api.urls")),
    path("referentiels/", include("referentiels.urls")),
    path("", include("notifications.urls")),
    path("", include("dossiers.saisie.urls")),
]
