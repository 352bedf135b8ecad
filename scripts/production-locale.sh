# shellcheck shell=bash
# The production shape on this machine, as pieces sourced by scripts/essai-production (the smoke test) and
# tests/charge/lancer (`make charge`): portal.settings.prod's environment with fresh keys, a throw-away
# PostgreSQL database, gunicorn portal.wsgi reading gunicorn.conf.py on 127.0.0.1. Not run on its own.
#
# The sourcing script sets PY (the venv's python) and work (a temporary directory it removes), then calls:
#   production_environnement [REGLAGES]  portal.settings.prod (or REGLAGES) with fresh keys, static and media
#                                        roots in $work, e-mails to files, plain HTTP (HTTPS=false)
#   base_jetable_creer URL SUFFIXE       creates <URL's database>_<SUFFIXE>_<pid> on URL's server, exports
#                                        DATABASE_URL
#   production_adresse [PORT]            ALLOWED_HOSTS, SITE_URL (no PORT: a free one), sets $port
#   gunicorn_demarrer JOURNAL [sans-attente]
#                                        gunicorn in the background (as `nobody` when run as root), sets
#                                        $gunicorn_pid and $gunicorn_lance (epoch seconds); waits for /sante/
#   production_nettoyer                  stops gunicorn, drops the throw-away database (for the EXIT trap)

gunicorn_pid=
gunicorn_lance=
base_jetable=
base_jetable_serveur=

production_environnement() {
  export DJANGO_SETTINGS_MODULE="${1:-portal.settings.prod}" HTTPS=false
  SECRET_KEY="essai-$($PY -c 'import secrets; print(secrets.token_urlsafe(32))')"
  PERSONAL_DATA_KEY=$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
  PERSONAL_DATA_HASH_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(32))')
  export SECRET_KEY PERSONAL_DATA_KEY PERSONAL_DATA_HASH_KEY
  export STATIC_ROOT="$work/static" MEDIA_ROOT="$work/media" EXPORTS_ROOT="$work/exports"
  export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$work/emails"
  mkdir -p "$MEDIA_ROOT" "$EMAIL_FILE_PATH"
}

base_jetable_creer() {
  # Created and dropped from the server's maintenance database: the given one need not exist.
  local nom
  nom="$(basename "${1%%\?*}")_${2}_$$"
  base_jetable_serveur="${1%/*}/postgres"
  $PY - "$base_jetable_serveur" "$nom" <<'PYTHON'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"')
    c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PYTHON
  base_jetable=$nom
  export DATABASE_URL="${1%/*}/$base_jetable"
}

production_adresse() {
  port=${1:-}
  [ -n "$port" ] || port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL="http://127.0.0.1:$port"
}

gunicorn_demarrer() {
  local journal=$1 attente=${2:-}
  local run=()
  # As the image: an unprivileged user, who may write the media and e-mails only (when it can run this Python:
  # not when the interpreter lives under /root, as pyenv's does).
  if [ "$(id -u)" -eq 0 ] && runuser -u nobody -- "$PY" -c "" 2>/dev/null; then
    chown -R nobody "$MEDIA_ROOT" "$EMAIL_FILE_PATH"
    case "$DATABASE_URL" in sqlite*) chown -R nobody "$work" ;; esac
    run=(runuser -u nobody --)
    echo "   (utilisateur nobody)"
  fi
  gunicorn_lance=$($PY -c 'import time; print(time.time())')
  GUNICORN_BIND="127.0.0.1:$port" WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}" "${run[@]}" .venv/bin/gunicorn portal.wsgi \
    >"$journal" 2>&1 &
  gunicorn_pid=$!
  [ "$attente" = sans-attente ] && return 0
  local _
  for _ in $(seq 1 120); do
    if $PY -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/sante/', timeout=2)" 2>/dev/null; then
      return 0
    fi
    kill -0 "$gunicorn_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "gunicorn ne répond pas :"
  cat "$journal"
  return 1
}

production_nettoyer() {
  if [ -n "$gunicorn_pid" ]; then
    kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null || true  # stopped by TERM: 143
    gunicorn_pid=
  fi
  if [ -n "$base_jetable" ]; then
    $PY - "$base_jetable_serveur" "$base_jetable" <<'PYTHON' || echo "La base $base_jetable n'a pas pu être supprimée."
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PYTHON
    base_jetable=
  fi
  return 0
}
