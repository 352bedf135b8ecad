"""Login throttling (django-axes) and the session's absolute age: the portal's rules for signing in, in one module.

- **Throttling**: ``AXES_FAILURE_LIMIT`` wrong passwords in a row on one account (from anywhere), or from one
  client address (on any accounts), lock further attempts — the right password included — for
  ``AXES_COOLOFF_TIME``. The login forms (the portal's and the admin's) say so in French where the user looks
  (``VerrouillageMixin``); a gestionnaire unlocks earlier by deleting the *tentative d'accès* in the back office
  (axes' admin). Axes records every attempt, failure and successful login in its models.
- **The client's address**: ``REMOTE_ADDR``, or, behind ``NOMBRE_PROXIES`` trusted proxies, the address the
  outermost of them saw (``X-Forwarded-For`` read from the right: a client cannot forge it).
- **Sessions**: an idle timeout (``SESSION_COOKIE_AGE``, the expiry pushed back by the requests) and an absolute
  age from the login time kept in the session (``DureeSessionMiddleware``).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse


def duree_blocage() -> str:
    """« 15 minutes », « 1 heure »…: the cool-off, as the message says it."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if minutes % 60 == 0:
        heures = minutes // 60
        return f"{heures} heure{'s' if heures > 1 else ''}"
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def message_verrouillage() -> str:
    return (
        "Trop de tentatives de connexion infructueuses : la connexion est bloquée pendant "
        f"{duree_blocage()}. Réessayez plus tard ou contactez votre gestionnaire AKTO."
    )


class VerrouillageMixin:
    """For an ``AuthenticationForm``: a locked-out attempt says so instead of « mot de passe incorrect »."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(message_verrouillage(), code="verrouille") from None
            raise


def reponse_verrouillage(request, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login page as the form rendered it (with the French message), in 429."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
        return original_response
    return HttpResponse(message_verrouillage(), status=settings.AXES_HTTP_RESPONSE_CODE)


def adresse_client(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the client's address, seen through ``NOMBRE_PROXIES`` trusted proxies."""
    proxies = settings.NOMBRE_PROXIES
    if proxies:
        adresses = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(adresses) >= proxies:
            return adresses[-proxies]
    return request.META.get("REMOTE_ADDR")


def identifiant(request, credentials) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the e-mail typed, without case or spaces (one account, one counter)."""
    valeur = (credentials or {}).get("username") or (credentials or {}).get("email")
    if valeur is None and request is not None:
        valeur = request.POST.get("username")
    return valeur.strip().lower() if valeur else valeur


# -- the session's lifetime -------------------------------------------------------------------------------------

CLE_CONNEXION = "connexion_a"
CLE_VU = "vu_a"
MESSAGE_SESSION_EXPIREE = "Votre session a expiré : veuillez vous reconnecter."


def noter_connexion(sender, request, user, **kwargs):
    """``user_logged_in`` (portal.apps): the login time, from which the session's absolute age counts."""
    if request is not None and hasattr(request, "session"):
        request.session[CLE_CONNEXION] = request.session[CLE_VU] = int(time.time())


class DureeSessionMiddleware:
    """The signed-in session's two limits.

    - **Idle**: the session expires ``SESSION_COOKIE_AGE`` seconds after it was last saved; a request saves it
      again (a fresh expiry) once ``SESSION_RAFRAICHISSEMENT`` seconds have passed since the last save — not on
      every request (``SESSION_SAVE_EVERY_REQUEST`` would write the session row on each one): the idle timeout is
      exact to that much.
    - **Absolute**: ``SESSION_AGE_MAXIMUM`` seconds after its login the session ends, however active it was: the
      user is signed out and the page asks him to sign in again (``login_required``, the admin's login). A session
      opened before this rule existed starts counting now.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            maintenant = int(time.time())
            session = request.session
            debut = session.get(CLE_CONNEXION)
            if debut is not None and maintenant - debut > settings.SESSION_AGE_MAXIMUM:
                logout(request)
                messages.info(request, MESSAGE_SESSION_EXPIREE)
            else:
                if debut is None:
                    session[CLE_CONNEXION] = maintenant
                if maintenant - session.get(CLE_VU, 0) >= settings.SESSION_RAFRAICHISSEMENT:
                    session[CLE_VU] = maintenant  # modified: saved with a fresh expiry
        return self.get_response(request)


class SessionExpireeHtmxMiddleware:
    """An htmx request of a user no longer signed in (idle or absolute limit, signed out elsewhere): ``login_required``
    answers a redirect to the login page, which htmx would follow and swap into the tab, over what the user typed.
    Such a request gets a 401 instead: nothing is swapped, the input stays on screen, and static/portal/js/erreurs.js
    says « Session expirée » with the way to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code in (301, 302):
            cible = urlsplit(response.get("Location", "")).path
            if cible == resolve_url(settings.LOGIN_URL) or cible == reverse("admin:login"):
                return HttpResponse(MESSAGE_SESSION_EXPIREE, status=401, content_type="text/plain; charset=utf-8")
        return response
