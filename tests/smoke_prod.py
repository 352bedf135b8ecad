"""The production smoke test's visitor: the portal as gunicorn serves it under ``portal.settings.prod``.

Run by ``scripts/essai-production`` (itself run by ``.ci/run``), which builds the shape first: collectstatic as
the image's build does, migrate, demo accounts, one complete dossier, then ``gunicorn portal.wsgi``. Over plain
HTTP, as the local docker-compose shape serves it:

- ``/sante/`` says the database (and Redis, when configured) answer;
- ``/`` leads to the login page on http (no redirect to an https nobody listens on);
- the adhérent logs in, opens a tab of the dossier, saves it (htmx), generates the CERFA and transmits;
- the gestionnaire opens the back office and the dossier's list;
- every stylesheet and script those pages link answers 200 with its content type, compressed on request, and
  with a far-future immutable cache for hashed names.

Exits non-zero with the list of what failed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys

from tests.visiteur import Reponse, Visiteur, champs_du_formulaire, feuilles_et_scripts

MOT_DE_PASSE = "demo-portail-2026"
ADHERENT = "adherent.mono@demo.test"
GESTIONNAIRE = "gestionnaire@demo.test"
TYPES = {".css": "text/css", ".js": "text/javascript"}
UN_AN = 365 * 24 * 3600
HASHE = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")


class Essai:
    def __init__(self, base: str):
        self.base = base
        self.echecs: list[str] = []
        self.ressources: dict[str, tuple[str, Visiteur]] = {}  # URL → the page that links it, its visitor

    def verifier(self, condition: bool, message: str) -> bool:
        print(("  ok    " if condition else "  ÉCHEC ") + message)
        if not condition:
            self.echecs.append(message)
        return condition

    def page(self, visiteur: Visiteur, path: str, attendu: int = 200) -> Reponse:
        reponse = visiteur.get(path)
        self.verifier(reponse.status == attendu, f"GET {path} → {reponse.status} (attendu {attendu})")
        if reponse.content_type == "text/html":
            for lien in feuilles_et_scripts(reponse.text):
                self.ressources.setdefault(lien, (path, visiteur))
        return reponse

    def ressources_liees(self) -> None:
        """Every linked stylesheet and script: 200, its type, compressed, cached for ever when hashed."""
        self.verifier(len(self.ressources) >= 5, f"{len(self.ressources)} feuilles de style et scripts liés")
        for lien, (page, visiteur) in sorted(self.ressources.items()):
            statique = lien.startswith("/static/")
            # A static file needs no session (a fresh visitor asks); a script a view renders (the admin's
            # jsi18n) is asked with the page's session.
            reponse = (Visiteur(self.base) if statique else visiteur).get(lien, headers={"Accept-Encoding": "gzip"})
            suffixe = "." + lien.rsplit(".", 1)[-1] if statique else ".js"
            ok = self.verifier(reponse.status == 200, f"{lien} (lié par {page}) → {reponse.status}")
            if not ok:
                continue
            self.verifier(
                reponse.content_type == TYPES.get(suffixe),
                f"{lien} : Content-Type {reponse.content_type} (attendu {TYPES.get(suffixe)})",
            )
            encodage = reponse.headers.get("content-encoding", "")
            corps = gzip.decompress(reponse.body) if encodage == "gzip" else reponse.body
            self.verifier(len(corps) > 0, f"{lien} : {len(corps)} octets")
            if not statique:
                continue
            self.verifier(encodage == "gzip" or len(corps) < 1024, f"{lien} : servi compressé ({encodage or 'non'})")
            if HASHE.search(lien):
                cache = reponse.headers.get("cache-control", "")
                age = int(m.group(1)) if (m := re.search(r"max-age=(\d+)", cache)) else 0
                self.verifier(age >= UN_AN and "immutable" in cache, f"{lien} : Cache-Control « {cache} »")
            else:
                self.verifier(False, f"{lien} : nom sans empreinte (collectstatic du manifeste non appliqué ?)")


def essai(base: str, dossier: int, redis_cache: str, navigateur: bool) -> list[str]:
    e = Essai(base)
    anonyme = Visiteur(base)

    print("Santé")
    sante = anonyme.get("/sante/")
    corps = json.loads(sante.body or b"{}") if sante.content_type == "application/json" else {}
    e.verifier(sante.status == 200 and corps.get("statut") == "ok", f"/sante/ → {sante.status} {corps}")

    print("Accueil sur http, sans TLS")
    accueil = anonyme.get("/")
    location = accueil.headers.get("location", "")
    e.verifier(accueil.status == 302 and location.startswith("/connexion/"), f"/ → {accueil.status} {location}")
    e.verifier("strict-transport-security" not in accueil.headers, "pas de HSTS en HTTP local")

    print("Adhérent")
    adherent = Visiteur(base)
    e.page(adherent, "/connexion/")
    adherent.connexion(ADHERENT, MOT_DE_PASSE)
    e.page(adherent, "/")
    e.page(adherent, "/brouillons/")
    onglet = e.page(adherent, f"/dossiers/{dossier}/employeur/")
    champs = [(n, v) for n, v in champs_du_formulaire(onglet.text) if n != "telephone"] + [("telephone", "0478000099")]
    enregistrement = adherent.post(f"/dossiers/{dossier}/employeur/", champs, htmx=True)
    e.verifier(
        enregistrement.status == 200 and "Enregistrement effectué." in enregistrement.text,
        f"Enregistrer (Employeur) → {enregistrement.status}",
    )
    preparation = adherent.post(f"/dossiers/{dossier}/cerfa/preparer/", htmx=True)
    e.verifier(preparation.status == 200, f"Générer le CERFA → {preparation.status}")
    pdf = adherent.get(f"/dossiers/{dossier}/cerfa.pdf")
    e.verifier(
        pdf.status == 200 and pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF"),
        f"cerfa.pdf → {pdf.status} {pdf.content_type}, {len(pdf.body)} octets",
    )
    if redis_cache:
        import redis

        client = redis.Redis.from_url(redis_cache)
        cles = [k.decode() for k in client.scan_iter(match=f"*cerfa:{dossier}:*")]
        e.verifier(len(cles) >= 1, f"le CERFA est dans le cache partagé ({redis_cache}) : {cles}")
    if navigateur:
        print("Dans Chromium")
        dans_chromium(e, base, dossier)
    transmission = adherent.post(f"/dossiers/{dossier}/transmettre/", htmx=True)
    e.verifier(transmission.status == 200, f"Transmettre → {transmission.status}")

    print("Gestionnaire")
    gestionnaire = Visiteur(base)
    gestionnaire.connexion(GESTIONNAIRE, MOT_DE_PASSE)
    e.page(gestionnaire, "/admin/")
    liste = e.page(gestionnaire, "/admin/dossiers/dossier/")
    e.verifier(f"/admin/dossiers/dossier/{dossier}/" in liste.text, "le dossier transmis est dans la liste")
    e.page(gestionnaire, f"/admin/dossiers/dossier/{dossier}/change/")

    print("Feuilles de style et scripts")
    e.ressources_liees()
    return e.echecs


def dans_chromium(e: Essai, base: str, dossier: int) -> None:
    """The page as a user gets it: styled by Bootstrap, htmx loaded, *Enregistrer* saves, no failed asset."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args)
        page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900})
        echecs_reseau: list[str] = []
        page.on("requestfailed", lambda r: echecs_reseau.append(r.url))
        page.on("response", lambda r: r.status >= 400 and echecs_reseau.append(f"{r.status} {r.url}"))
        page.goto(base + "/connexion/")
        page.get_by_label("Adresse e-mail").fill(ADHERENT)
        page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(base + "/")
        page.goto(f"{base}/dossiers/{dossier}/introduction/")
        bouton = page.get_by_role("button", name="Générer le CERFA").or_(
            page.get_by_role("link", name="Générer le CERFA")
        )
        fond = bouton.first.evaluate("b => getComputedStyle(b).borderColor")
        e.verifier(fond == "rgb(13, 110, 253)", f"Bootstrap s'applique (bordure du bouton : {fond})")
        e.verifier(page.evaluate("typeof window.htmx") == "object", "htmx est chargé")
        page.goto(f"{base}/dossiers/{dossier}/employeur/")
        page.get_by_label("Téléphone").fill("0478000042")
        page.get_by_role("button", name="Enregistrer").click()
        enregistre = page.get_by_text("Enregistrement effectué.")
        enregistre.wait_for()
        e.verifier(enregistre.is_visible(), "Enregistrer (htmx, dans le navigateur) : « Enregistrement effectué. »")
        page.screenshot(path="/tmp/essai-production.png", full_page=True)
        e.verifier(echecs_reseau == [], f"aucune requête en échec : {echecs_reseau}")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--dossier", type=int, required=True, help="a complete draft of the demo adhérent")
    parser.add_argument("--redis-cache", default="", help="the Redis database of CACHES, to find the CERFA in")
    parser.add_argument("--sans-navigateur", action="store_true", help="HTTP only, no Chromium")
    args = parser.parse_args()
    echecs = essai(args.base, args.dossier, args.redis_cache, navigateur=not args.sans_navigateur)
    if echecs:
        print(f"\n{len(echecs)} échec(s) :", *echecs, sep="\n  ")
        return 1
    print("\nEssai de production réussi.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
