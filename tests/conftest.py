"""Shared fixtures. Browser tests use Debian's Chromium (no Playwright browser download)."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop; Django's ORM refuses to run inside one unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_addoption(parser):
    parser.addoption(
        "--prod",
        action="store_true",
        help="run tests/prod: the production stack (gunicorn, Celery, nginx, PostgreSQL, Redis) as `make prod` starts it",
    )


def pytest_ignore_collect(collection_path, config):
    # The production-stack suite starts servers of its own: `make prod-test` runs it, after `make test`.
    try:
        parts = collection_path.relative_to(config.rootpath).parts
    except ValueError:
        return None
    if parts[:2] == ("tests", "prod") and not config.getoption("--prod"):
        return True
    return None


def pytest_sessionstart(session):
    # CI proves the production stack: a missing service or browser is a failure, never a skip.
    # (The production-stack suite brings its own services: tests/prod/stack.py.)
    if os.environ.get("CI") and not session.config.getoption("--prod"):
        missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
        if not shutil.which(CHROMIUM):
            missing.append(CHROMIUM)
        if missing:
            pytest.exit(f"CI needs {', '.join(missing)}", returncode=3)


@pytest.fixture(autouse=True, scope="session")
def _scopes_off_in_test_code():
    """Test code arranges data across provinces as an operator would: province scopes are off in
    the test's own code. Every request a test makes (client, live server, gunicorn) still runs in
    the signed-in user's province scope (portal/scopes.py): that is what the access tests prove."""
    from django_scopes import scopes_disabled

    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none (all tests share 127.0.0.1)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English-language browser on purpose: the portal must still speak Vietnamese.
    return {**browser_context_args, "locale": "en-US", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def province(db):
    from tests.factories import ProvinceFactory

    return ProvinceFactory(code="tay-ninh", name="Tây Ninh")


@pytest.fixture
def demo_core(db):
    """Only the portal part of the demo: agencies by year and the demo users (fast)."""
    from portal import demo

    return demo.load()


@pytest.fixture
def demo_province(db):
    """The full demo province, loaded by the same command as `make run`."""
    from django.core.management import call_command

    from portal.models import Province

    call_command("load_demo_province", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Province.objects.get(code="tay-ninh")
