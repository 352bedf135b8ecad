"""The production shape's parts, each as it runs: settings loaded in their own process, gunicorn's configuration
resolved by gunicorn, the health endpoint, the shared cache in a real Redis, the Debian packages' script.

The whole (collectstatic, gunicorn under portal.settings.prod, a visit over HTTP) is scripts/essai-production,
which .ci/run runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client, override_settings
from redis import Redis

from dossiers import cerfa
from portal import tables
from tests.factories import DossierFactory
from tests.notifications.outils import port_libre, redis_server
from tests.visiteur import Visiteur, attendre

ROOT = Path(__file__).resolve().parents[2]
FERNET = "bG9jYWwtY29tcG9zZS1vbmx5LW5vdC1hLXNlY3JldCE="  # docker-compose.yml's local example key
CLES = {"SECRET_KEY": "s3cr3t-" + "x" * 50, "PERSONAL_DATA_KEY": "Q" * 43 + "=", "PERSONAL_DATA_HASH_KEY": "h" * 40}


def _env(**values) -> dict:
    # Not this process's settings: neither its Redis nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.
    ignores = ("HTTPS", "REDIS_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in ignores}
    return env | {"PYTHONPATH": str(ROOT)} | values


def reglages(module: str, noms: list[str], **env) -> dict:
    """The values of ``noms`` in settings ``module``, loaded in a fresh process with ``env``."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {noms!r}}}, default=str))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(DJANGO_SETTINGS_MODULE=module, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    return json.loads(out.stdout.strip().splitlines()[-1])


TLS = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "STORAGES"]


def test_production_has_tls_on_unless_switched_off():
    reel = reglages("portal.settings.prod", TLS, **CLES)
    assert reel["SECURE_SSL_REDIRECT"] and reel["SESSION_COOKIE_SECURE"] and reel["CSRF_COOKIE_SECURE"]
    assert reel["SECURE_HSTS_SECONDS"] == 31536000
    assert reel["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    local = reglages("portal.settings.prod", TLS, HTTPS="false", **CLES)
    assert not (local["SECURE_SSL_REDIRECT"] or local["SESSION_COOKIE_SECURE"] or local["CSRF_COOKIE_SECURE"])
    assert local["SECURE_HSTS_SECONDS"] == 0


def test_the_compose_example_keys_are_refused_once_served_over_https():
    exemple = {
        "SECRET_KEY": "local-compose-secret-key-not-for-production",
        "PERSONAL_DATA_KEY": FERNET,
        "PERSONAL_DATA_HASH_KEY": "local-compose-fingerprint-key-not-for-production",
    }
    assert reglages("portal.settings.prod", ["DEBUG"], HTTPS="false", **exemple) == {"DEBUG": False}
    for nom in exemple:  # any one of them
        with pytest.raises(RuntimeError, match="ne servent qu'en local"):
            reglages("portal.settings.prod", ["DEBUG"], **(CLES | {nom: exemple[nom]}))


def test_real_production_passes_djangos_deployment_checklist():
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(DJANGO_SETTINGS_MODULE="portal.settings.prod", ALLOWED_HOSTS="portail.akto.test", **CLES),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


def test_the_cache_is_redis_in_its_own_database_when_redis_is_there():
    assert reglages("portal.settings.dev", ["CACHES"])["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    cache = reglages("portal.settings.dev", ["CACHES"], REDIS_URL="redis://redis:6379/0")["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://redis:6379/1"  # never Celery's database: clearing it keeps the queues
    autre = reglages("portal.settings.dev", ["CACHES"], REDIS_URL="redis://r/0", CACHE_URL="redis://c:6380/4")
    assert autre["CACHES"]["default"]["LOCATION"] == "redis://c:6380/4"


def _cache_redis(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/1",
            "KEY_PREFIX": "portail",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.mark.django_db
def test_a_cerfa_rendered_by_one_process_is_served_to_another_from_redis(adherent, monkeypatch):
    dossier = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    port = port_libre()
    with redis_server(port) as redis, override_settings(CACHES=_cache_redis(port)):
        data = cerfa.pdf(dossier)
        base_du_cache = Redis(host="127.0.0.1", port=port, db=1)
        # The PDF, and the generation of the reference tables its values were read with (portal/tables.py).
        assert sorted(k.decode() for k in base_du_cache.keys("*")) == sorted(
            [f"portail:1:{cerfa.cache_key(dossier)}", f"portail:1:{tables.GENERATION}"]
        )
        base_du_cache.close()
        assert redis.dbsize() == 0  # nothing in database 0, Celery's
        # Another process: a new connection, and rendering is impossible there.
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, sys; django.setup(); from django.core.cache import cache; "
                f"sys.stdout.buffer.write(cache.get({cerfa.cache_key(dossier)!r}) or b'')",
            ],
            env=_env(DJANGO_SETTINGS_MODULE="portal.settings.dev", REDIS_URL=f"redis://127.0.0.1:{port}/0"),
            cwd=ROOT,
            capture_output=True,
        )
        assert out.stdout == data and data.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_cache_outage_is_a_miss_not_an_error(adherent, caplog):
    dossier = DossierFactory(etablissement=adherent.rattachements.get().etablissement, created_by=adherent)
    with override_settings(CACHES=_cache_redis(port_libre())):  # nothing listens there
        assert cerfa.pdf(dossier).startswith(b"%PDF")
    assert "Cache indisponible en lecture (ConnectionError)" in caplog.text


@pytest.mark.django_db
def test_health_answers_before_host_validation_and_the_https_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portail.akto.test"]
    settings.REDIS_URL = ""  # the embedded run
    client = Client()
    response = client.get("/sante/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json() == {"statut": "ok", "base_de_donnees": "ok", "redis": "non configuré"}
    assert response["Cache-Control"] == "no-store"
    assert client.get("/connexion/", HTTP_HOST="127.0.0.1:8000").status_code == 400  # the rest is still guarded


@pytest.mark.django_db
def test_health_is_503_when_redis_does_not_answer(settings, caplog):
    settings.REDIS_URL = f"redis://127.0.0.1:{port_libre()}/0"
    response = Client().get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"statut": "indisponible", "base_de_donnees": "ok", "redis": "indisponible"}
    assert "Santé : redis indisponible" in caplog.text


@pytest.mark.django_db
def test_health_is_ok_with_a_real_redis(settings):
    port = port_libre()
    with redis_server(port):
        settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
        assert Client().get("/sante/").json()["redis"] == "ok"


def _gunicorn_config(**env) -> dict:
    out = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "portal.wsgi"],
        env=_env(DJANGO_SETTINGS_MODULE="portal.settings.prod", HTTPS="false", **CLES, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    config = {}
    for line in out.stdout.splitlines():
        nom, _, valeur = line.partition("=")
        config[nom.strip()] = valeur.strip()
    return config


def test_gunicorn_reads_its_configuration_from_the_environment():
    config = _gunicorn_config()
    assert config["worker_class"] == "gthread" and config["threads"] == "4"
    assert config["timeout"] == "120" and config["accesslog"] == "-" and config["bind"] == "['0.0.0.0:8000']"
    assert "%(U)s" in config["access_log_format"] and "%(q)s" not in config["access_log_format"]  # no query string
    assert config["preload_app"] == "True"  # loaded and warmed up once, in the arbiter (portal/wsgi.py)
    config = _gunicorn_config(WEB_CONCURRENCY="7", GUNICORN_THREADS="2", GUNICORN_TIMEOUT="300", GUNICORN_PRELOAD="0")
    assert (config["workers"], config["threads"], config["timeout"]) == ("7", "2", "300")
    assert config["preload_app"] == "False"


LENTE = """
import time
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    for _ in range(6):  # a long streamed answer, as the back office's CSV export of a large list
        time.sleep(0.5)
        yield b"ligne\\n"
"""


def test_a_request_longer_than_the_timeout_is_not_killed(tmp_path):
    """gthread workers tell the arbiter they are alive while a request runs: timeout 1 s, a 3 s answer."""
    (tmp_path / "lente.py").write_text(LENTE)
    port = port_libre()
    env = _env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_TIMEOUT="1", WEB_CONCURRENCY="1")
    env["PYTHONPATH"] = f"{tmp_path}:{ROOT}"
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "lente:application"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        attendre(f"http://127.0.0.1:{port}/", secondes=30)  # the first answer takes 3 s: all good
        debut = time.monotonic()
        reponse = Visiteur(f"http://127.0.0.1:{port}").get("/")
        assert reponse.status == 200 and reponse.body == b"ligne\n" * 6
        assert time.monotonic() - debut > 2.5
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert b"WORKER TIMEOUT" not in err


def _paquets(tmp_path, *commandes: str) -> subprocess.CompletedProcess:
    """scripts/paquets-debian with only ``commandes`` on its PATH (what the machine lacks is what is not there)."""
    bin = tmp_path / "bin"
    bin.mkdir(exist_ok=True)
    for commande in ("bash", "id", "grep", *commandes):
        if not (bin / commande).exists():
            (bin / commande).symlink_to(shutil.which(commande))
    return subprocess.run(
        [str(ROOT / "scripts/paquets-debian"), "test"],
        env={"PATH": str(bin), "PYTHON": sys.executable},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_the_debian_packages_script_says_the_exact_command_when_it_cannot_install(tmp_path):
    # No redis-server on the PATH, no apt-get: the script cannot install, it stops and says what to run.
    out = _paquets(tmp_path)
    assert out.returncode == 1
    manquants = re.search(r"Paquets Debian manquants : (.*)", out.stderr).group(1).split()
    assert "redis-server" in manquants
    commande = "sudo apt-get update && sudo apt-get install -y --no-install-recommends " + " ".join(manquants)
    assert commande in out.stderr.splitlines()[-1]


def test_the_debian_packages_script_is_silent_when_everything_is_there(tmp_path):
    out = _paquets(tmp_path, "redis-server", "pdftoppm")
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")


def test_demo_accounts_are_refused_in_production(settings):
    from django.core.management import CommandError, call_command

    settings.HTTPS = True
    with pytest.raises(CommandError, match="Comptes de démonstration refusés"):
        call_command("load_demo")
