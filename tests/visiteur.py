"""A visitor over real HTTP: what a browser sends (cookies, the CSRF token, a form's fields), nothing Django-side.

For the tests that run the portal as shipped, in its own process (``runserver`` on SQLite for ``make run``,
gunicorn under ``portal.settings.prod`` for the production smoke test): standard library only, so it also
runs from ``.ci/run`` outside pytest.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Reponse:
    status: int
    headers: dict
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


class _SansRedirection(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is returned as is: the tests look at where it leads


class Visiteur:
    """One browser: a cookie jar, the CSRF token, no automatic redirects."""

    def __init__(self, base: str, timeout: float = 60):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _SansRedirection())

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def requete(self, method: str, path: str, data: dict | list | None = None, headers: dict | None = None) -> Reponse:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.url(path), data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Reponse(response.status, _headers(response), response.read(), response.url)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx: a response all the same
            return Reponse(error.code, _headers(error), error.read(), error.url)

    def get(self, path: str, headers: dict | None = None) -> Reponse:
        return self.requete("GET", path, headers=headers)

    def csrf(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return cookie.value
        raise AssertionError("Pas de jeton CSRF : la page de connexion n'a pas posé le cookie csrftoken.")

    def post(self, path: str, data: dict | list | None = None, htmx: bool = False) -> Reponse:
        headers = {"X-CSRFToken": self.csrf()}
        if htmx:
            headers["HX-Request"] = "true"
        return self.requete("POST", path, data or {}, headers=headers)

    def connexion(self, email: str, password: str) -> Reponse:
        page = self.get("/connexion/")
        assert page.status == 200, f"GET /connexion/ → {page.status}"
        token = CSRF_INPUT.search(page.text)
        assert token, "Le formulaire de connexion n'a pas de jeton CSRF."
        response = self.requete(
            "POST",
            "/connexion/",
            {"csrfmiddlewaretoken": token.group(1), "username": email, "password": password},
        )
        assert response.status == 302, f"Connexion de {email} refusée ({response.status})."
        return response


def _headers(response) -> dict:
    return {k.lower(): v for k, v in response.headers.items()}


def attendre(url: str, secondes: float = 60) -> None:
    """Until ``url`` answers at all (any status): the server is up."""
    parts = urllib.parse.urlsplit(url)
    fin = time.monotonic() + secondes
    while True:
        connexion = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connexion.request("GET", parts.path or "/")
            connexion.getresponse().read()
            return
        except OSError:
            if time.monotonic() > fin:
                raise
            time.sleep(0.2)
        finally:
            connexion.close()


@dataclass
class _Formulaire:
    champs: list = field(default_factory=list)  # (name, value) as the browser would send them


class _Lecteur(HTMLParser):
    """The successful controls of the form ``form_id`` (HTML's rules: checked boxes, selected options)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.dans = False
        self.formulaire = _Formulaire()
        self._select = None  # [name, first value, selected value]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.dans = a.get("id") == self.form_id
            return
        if not self.dans or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.formulaire.champs.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset", "image"):
                self.formulaire.champs.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.dans = False
        elif tag == "select" and self._select is not None:
            name, first, selected = self._select
            self.formulaire.champs.append((name, selected if selected is not None else (first or "")))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.formulaire.champs.append(tuple(self._textarea))
            self._textarea = None


def champs_du_formulaire(html: str, form_id: str = "onglet-form") -> list[tuple[str, str]]:
    """What the browser would post for form ``form_id`` as the page shows it."""
    lecteur = _Lecteur(form_id)
    lecteur.feed(html)
    return lecteur.formulaire.champs


class _Ressources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.liens: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.liens.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.liens.append(a["src"])


def feuilles_et_scripts(html: str) -> list[str]:
    """Every stylesheet and script a page links, in page order."""
    lecteur = _Ressources()
    lecteur.feed(html)
    return lecteur.liens
