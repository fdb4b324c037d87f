"""A bounded, schema-driven fuzz run of the REST API (schemathesis against the served OpenAPI document).

Every generated request, valid or not, must get an answer below 500. The bound (examples per operation)
keeps the run short in CI; raise LIANXIN_FUZZ_EXAMPLES for a deeper local run.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from lianxin.wsgi import application

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
def test_no_server_error(case, token):
    response = case.call(headers={"Authorization": f"Token {token}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
