"""The API fuzzed against its own OpenAPI description with schemathesis: whatever the
generated input, no 5xx and every response matches the schema. Run anonymously and with a
member's token (writes included; the test's transaction is rolled back)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from hjulet.accounts import services as account_services
from hjulet.knowledge.tests.factories import make_initiative, make_method

pytestmark = pytest.mark.django_db

FUZZ_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: requests must not close the connection that holds the
    test's transaction (schemathesis calls the WSGI application directly)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def operations(member):
    # Something to find, so that list and detail endpoints return real rows.
    method = make_method(member, title="Språkcafé")
    make_initiative(member, title="Språkcafé i Umeå", methods=[method])
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(operation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @FUZZ_SETTINGS
    def one_case(case) -> None:
        response = case.call(headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.query or ''}: {response.text[:300]}"
        )
        case.validate_response(response, checks=[response_schema_conformance])

    one_case()


def failures(operations, headers: dict[str, str]) -> list[str]:
    found = []
    for operation in operations:
        try:
            fuzz(operation, headers)
        except Exception as error:
            found.append(f"{operation.method.upper()} {operation.path}: {error}"[:3000])
    return found


def test_anonymous_requests(operations):
    assert len(operations) > 20
    assert failures(operations, {}) == []


def test_requests_with_a_members_token(operations, member):
    _token, secret = account_services.api_token_create(actor=member, name="fuzz")
    assert failures(operations, {"Authorization": f"Bearer {secret}"}) == []


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00", "\\u0000"])
def test_every_write_refuses_unstorable_text_with_a_400(operations, member, client, escape):
    """Schemathesis generates valid Unicode only; a lone surrogate or NUL sent as a JSON
    escape (a 500 before) is a 400 with a JSON message on every operation that takes a body."""
    _token, secret = account_services.api_token_create(actor=member, name="fuzz")
    with_body = [op for op in operations if op.body]
    assert len(with_body) > 20
    body = '{"title": "x@", "name": "x@", "text": "x"}'.replace("@", escape)
    path_values = {"slug": "sprakcafe"}
    for operation in with_body:
        path = operation.path
        for name in operation.path_parameters:
            path = path.replace(f"{{{name.name}}}", path_values.get(name.name, "1"))
        response = getattr(client, operation.method.lower())(
            "/api" + path if not path.startswith("/api") else path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 400, f"{operation.method} {path}: {response.content[:200]}"
        assert response.json()["detail"]
