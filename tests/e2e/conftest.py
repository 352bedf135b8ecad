"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Data and transactions
---------------------
``live_server`` implies ``transactional_db``: the server thread must see what the test writes,
so nothing is wrapped in a rolled-back transaction and Django *flushes every table* after each
test instead. The dispositifs / sous-dispositifs are not fixtures but rows written by the data
migration ``dossiers/migrations/0003_dispositifs.py``: they exist for the first transactional
test only, and the flush removes them for the next ones.

We re-create them, when missing, by calling the migration's own ``load`` function with the
global app registry (``django.apps.apps`` has the same ``get_model`` as the historical one; the
schema editor is not used). This keeps one source of truth for the rows, costs one query when
they are already there, and — unlike ``serialized_rollback=True`` — does not make pytest-django
serialize the whole test database at start-up for every run of the suite. The demo accounts are
then loaded with ``call_command("load_demo")`` (idempotent) before each test.

The flush at the end of these tests would deprive any later ``db`` test of the migration rows:
``pytest_collection_modifyitems`` below makes sure the browser tests run last.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.conftest import ensure_dispositifs

# Playwright's sync API runs an asyncio event loop in the test thread: Django's ORM, called from
# fixtures and assertions in that same thread, would otherwise refuse with SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
SCREENS = Path("/tmp/e2e-screens")
TIMEOUT_MS = 10_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser journeys after every other test, whatever reordered them before.

    pytest-django sorts transactional tests last, but pytest then groups tests by session-scoped
    parameters: pytest-playwright's ``browser_name`` is one, added to any test with a fixture or
    argument named like its own (``page``, ``browser``...). That can pull these tests into the middle
    of the run, and their end-of-test flush would then delete the data-migration rows that the
    following ``db`` tests expect. ``trylast`` runs this after both sorts.
    """
    e2e = [item for item in items if item.get_closest_marker("e2e")]
    if e2e and len(e2e) < len(items):
        items[:] = [item for item in items if not item.get_closest_marker("e2e")] + e2e


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system Chromium, headless (never a downloaded browser)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(page):
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def demo_data(live_server):
    """Dispositifs (data migration) + demo accounts, written where the live server can see them."""
    from django.core.management import call_command

    ensure_dispositifs()
    call_command("load_demo", stdout=io.StringIO())
    return live_server


@pytest.fixture
def screens_dir() -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS
