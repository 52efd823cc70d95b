"""The API fuzzed against its own live schema (schemathesis), as a rep and as a manager: no
answer is a server error, every status is one the schema declares, and every body matches it."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import token_for
from tests.world import build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def open_connection():
    """Django's test client keeps the test's database connection open across requests; the
    WSGI client schemathesis drives would close it at each request's end."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(params=["owner", "manager"])
def api_schema(request, personas, settings, open_connection):
    settings.ALLOWED_HOSTS = ["localhost"]  # the host schemathesis's WSGI client sends
    settings.API_RATE = "100000/min"  # the fuzzing is not what the throttle is for
    build_world(personas)
    _token, key = token_for(getattr(personas, request.param))
    headers = {"Authorization": f"Bearer {key}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), headers=headers
    )
    schema.auth_headers = headers
    return schema


# Fixed seeds: the same examples on every run, so CI is never red by chance; each operation
# gets a handful of positive examples (as the web's forms would be filled) and as many made to
# break the schema (wrong types, missing fields), which must be refused with a declared 4xx.
EXAMPLES = 5


def _exercise(operation, headers, mode):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_its_schema(api_schema, mode):
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50
    for operation in operations:
        try:
            _exercise(operation, api_schema.auth_headers, mode)
        except Exception as failure:  # noqa: BLE001 — every operation's failure is reported
            summary = " ".join(line.strip() for line in str(failure).splitlines() if line.strip())
            failures.append(f"{operation.label}: {summary[:700]}")
    assert not failures, "\n\n".join(failures)


def test_the_api_keeps_its_schema_across_linked_calls(api_schema):
    """Stateful: create a record, then follow the schema's links to read, change and delete
    it (each create's 201 links to the record's own operations)."""
    machine = api_schema.as_state_machine()
    headers = api_schema.auth_headers
    followed = []

    class Journey(machine):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def call(self, case, **kwargs):
            response = super().call(case, **kwargs)
            followed.append((case.method, case.operation.path, response.status_code))
            return response

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

        # Each journey starts from the same database (a savepoint rolled back after it):
        # Hypothesis replays journeys, and one that found other records would choose other
        # steps, which it reports as flaky generation.
        def setup(self):
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

    Journey.run(
        settings=settings(
            max_examples=30,
            stateful_step_count=6,
            # No replay to shrink or explain a failure: the database a journey leaves behind
            # differs on a replay, which Hypothesis would report as flaky generation instead.
            phases=[Phase.generate],
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    linked = {(method, path) for method, path, status in followed if "{id}" in path}
    assert len(linked) >= 5, "the journeys followed the links to the records they created"
