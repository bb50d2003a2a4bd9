import pytest
from django.core.management import call_command
from django.test import Client

from tests.access.world import ROLES, build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """The access world, built once for this package (tests change it only inside rolled-back transactions)."""
    with django_db_blocker.unblock():
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(scope="package")
def clients(world, django_db_blocker):
    """A signed-in browser per role (and one anonymous), made once for this package."""
    result = {"anon": Client()}
    with django_db_blocker.unblock():
        for role in ROLES[1:]:
            result[role] = Client()
            result[role].force_login(world.users[role])
    return result
