"""A bounded property-based run of the whole API from its OpenAPI schema: no input, however odd,
gives a server error. Runs as staff (who reaches every write path) and as an anonymous caller."""

import base64

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from dari.wsgi import application

from .factories import TEST_PASSWORD, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def staff_basic_auth(db, scenario):
    UserFactory(username="fuzz-staff", is_staff=True)
    token = base64.b64encode(f"fuzz-staff:{TEST_PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_as_staff(case, staff_basic_auth):
    response = case.call(headers=staff_basic_auth)

    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    assert response.status_code not in {401, 403}, (case.method, case.formatted_path, response.text[:200])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_anonymous(case, scenario):
    response = case.call()

    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if case.method != "GET":
        assert response.status_code in {401, 403, 404, 405, 422}, (case.method, case.formatted_path)
