# The README's two commands: `make run` and `make test` (plus `make bench`).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast bench bench-volume charge lint migrate demo clean paquets essai-production essai-api

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_referentiels
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The Debian packages the suite needs (Chromium, redis-server, WeasyPrint's libraries, fonts): installed when
# missing if run as root, otherwise the exact command to run is printed (scripts/paquets-debian, as .ci/run).
paquets:
	PYTHON=$(PYTHON) scripts/paquets-debian test

test: paquets $(STAMP)
	$(PY) -m pytest

test-fast: paquets $(STAMP)
	$(PY) -m pytest -m "not e2e"

# The production shape (gunicorn, portal.settings.prod, collected static files) visited over HTTP; as in CI.
essai-production: $(STAMP)
	scripts/essai-production

# The API's contract tests: schemathesis against the live schema of that same shape, bounded (about 2 min); as in CI.
essai-api: $(STAMP)
	scripts/essai-api

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports  # the house's shape: no import cycle, layers (docs/architecture.md)

bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) tests/bench.py $(BENCH_ARGS)

# The load test on the production shape (gunicorn + PostgreSQL): an adhérent's mixed traffic against a bare view,
# alternated, bounded (4 × 20 s), 127.0.0.1 only. Needs CHARGE_DATABASE_URL or DATABASE_URL (PostgreSQL);
# CHARGE_DOSSIERS=100000 for AKTO's volume (tests/charge/lancer lists the settings).
charge: $(STAMP)
	tests/charge/lancer

# The lists, search, back office and export at 100 000 dossiers on PostgreSQL (DATABASE_URL required; a throw-away
# database). Options through BENCH_ARGS, e.g. BENCH_ARGS="--dossiers 20000 --rendus 10 --explain".
bench-volume: $(STAMP)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) tests/bench_volume.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
