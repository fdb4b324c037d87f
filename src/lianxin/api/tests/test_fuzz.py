"""A bounded, schema-driven fuzz run of the REST API (schemathesis against the served OpenAPI document).

Every generated request, valid or not, must get an answer below 500 whose body matches what the document says
for its status (schemathesis's ``not_a_server_error`` and ``response_schema_conformance``). The bound (examples
per operation) keeps the run short in CI; raise LIANXIN_FUZZ_EXAMPLES for a deeper local run.
"""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

# Django's WSGI handler itself: lianxin.wsgi would refuse the tests' development key (it guards servers).
application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
EXAMPLES = int(os.environ.get("LIANXIN_FUZZ_EXAMPLES", "12"))


@pytest.fixture
def token(world):
    from lianxin.api.models import ApiKey

    return ApiKey.issue(owner=world.users["community_staff"], name="fuzz")[1]


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_server_error_and_answers_as_documented(case, token):
    # identity: schemathesis's WSGI transport does not undo GZipMiddleware the way an HTTP client does.
    response = case.call(headers={"Authorization": f"Token {token}", "Accept-Encoding": "identity"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
