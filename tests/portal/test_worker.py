"""A real Celery worker answers through a real Redis (run by .ci/run; deselected without REDIS_URL)."""

import os

import pytest

from portal.celery import app
from portal.tasks import healthcheck

pytestmark = pytest.mark.worker


def test_real_worker_runs_a_task_through_redis():
    assert os.environ["REDIS_URL"].startswith("redis://")
    app.conf.task_always_eager = False
    try:
        result = healthcheck.apply_async()
        answer = result.get(timeout=30)
    finally:
        app.conf.task_always_eager = True
    assert answer["worker"] == "ok" and answer["database"] is True
    assert answer["vendor"] == ("postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite")
