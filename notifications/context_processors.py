"""The bell of the navbar: the unread count, counted lazily (at most one query, only if the page shows it)."""

from functools import cached_property

from .models import Notification


class Cloche:
    def __init__(self, user):
        self.user = user

    @cached_property
    def non_lues(self) -> int:
        if not self.user.is_authenticated:
            return 0
        return Notification.objects.de(self.user).non_lues().count()

    @property
    def badge(self) -> str:
        return "99+" if self.non_lues > 99 else str(self.non_lues)

    @property
    def libelle(self) -> str:
        """The bell's accessible name: « Notifications (3 non lues) »."""
        n = self.non_lues
        return f"Notifications ({n} non lue{'s' if n > 1 else ''})"


def cloche(request):
    # request.user is itself lazy: an anonymous page or an htmx partial that ignores the bell costs nothing.
    return {"cloche": Cloche(request.user)}
