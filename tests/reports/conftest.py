import pytest


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The full demo province loaded once for this module's read-only tests."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_demo_province", stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", stdout=open("/dev/null", "w"))  # noqa: SIM115
