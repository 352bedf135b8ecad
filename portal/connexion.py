"""Login throttling (django-axes) and the session's absolute age: the portal's rules for signing in, in one module.

- **Throttling**: ``AXES_FAILURE_LIMIT`` wrong passwords in a row on one account (from anywhere), or from one
  client address (on any accounts), lock further attempts — the right password included — for
  ``AXES_COOLOFF_TIME``. The login forms (the portal's and the admin's) say so in French where the user looks
  (``VerrouillageMixin``); a gestionnaire unlocks earlier by deleting the *tentative d'accès* in the back office
  (axes' admin). Axes records every attempt, failure and successful login in its models.
- **The client's address**: ``REMOTE_ADDR``, or, behind ``NOMBRE_PROXIES`` trusted proxies, the address the
  outermost of them saw (``X-Forwarded-For`` read from the right: a client cannot forge it).
- **Sessions**: ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST`` is the idle timeout; the login time
  kept in the session bounds its absolute age (``AgeMaximumSessionMiddleware``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponse


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


# -- the session's absolute age ---------------------------------------------------------------------------------

CLE_CONNEXION = "connexion_a"


def noter_connexion(sender, request, user, **kwargs):
    """``user_logged_in`` (portal.apps): the login time, from which the session's absolute age counts."""
    if request is not None and hasattr(request, "session"):
        request.session[CLE_CONNEXION] = int(time.time())


MESSAGE_SESSION_EXPIREE = "Votre session a expiré : veuillez vous reconnecter."


class AgeMaximumSessionMiddleware:
    """A session older than ``SESSION_AGE_MAXIMUM`` seconds since its login ends, however active it was: the user
    is signed out and the page asks him to sign in again (``login_required``, the admin's login). A session
    opened before this rule existed starts counting now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            debut = request.session.get(CLE_CONNEXION)
            if debut is None:
                request.session[CLE_CONNEXION] = int(time.time())
            elif time.time() - debut > settings.SESSION_AGE_MAXIMUM:
                logout(request)
                messages.info(request, MESSAGE_SESSION_EXPIREE)
        return self.get_response(request)
