"""The read API fuzzed from its own OpenAPI schema (schemathesis, through the WSGI app, no server),
signed in as a leader with a token: never a 500, and every answer is one the schema documents."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token

from portal.wsgi import application

# ~10 operations: bounded so the whole run stays well under the per-token rate limit (API_RATE).
EXAMPLES = 25


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI app see the test's transaction, as Django's test client arranges:
    the end of a request must not close the connection the test holds."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_read_api_answers_every_generated_request_as_its_schema_says(world, db, wsgi_in_test_transaction):
    leader = world.users["leader"]
    token, _ = Token.objects.get_or_create(user=leader)
    cache.delete(f"throttle_user_{leader.pk}")  # a counter left by an earlier run in a shared Redis
    # identity: schemathesis reads the body as sent (the portal compresses JSON for whoever accepts gzip).
    headers = {"Authorization": f"Token {token.key}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=headers)
    failures, tried = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers)

        try:
            check()
        except BaseException as error:  # schemathesis reports a group of failures
            if not isinstance(error, Exception | BaseExceptionGroup):
                raise
            failures.append(f"{operation.label}:\n{error}")
    assert len(tried) >= 9, tried
    assert not failures, "\n\n".join(failures)


def test_the_schema_documents_the_error_answers(world, clients, db):
    schema = clients["leader"].get("/api/v1/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert {"200", "401", "403", "404", "429"} <= set(operation["responses"]), path


def test_an_unknown_api_address_answers_in_json(world, clients, db):
    for path in ("/api/v1/agencies/¡.P/", "/api/v1/khong-co/", "/api/v1/periods"):
        response = clients["leader"].get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", path
    assert response.json() == {"detail": "Không có địa chỉ này trong API."}
    assert clients["anon"].get("/api/v1/khong-co/").status_code == 401
