"""A real Celery worker consumes from the configured broker (Redis in CI, files otherwise)."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery import app
from portal.tasks import echo


@pytest.fixture
def real_broker():
    """Switches eager mode off so tasks travel through the real broker and result backend."""
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager = True


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_the_real_broker(real_broker):
    if os.environ.get("REDIS_URL"):
        assert real_broker.conf.broker_url.startswith("redis://")
    result = echo.delay("xin chào")
    assert result.get(timeout=20) == "echo:xin chào"
    assert result.successful()
