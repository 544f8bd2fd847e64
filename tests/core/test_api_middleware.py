"""The API's shared rules for every caller: which requests skip the CSRF check, and that answers to a
signed-in caller are never kept by a cache."""

import pytest
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.services import create_api_token
from dari.registry.models import Organization

from ..factories import TEST_PASSWORD, OrganizationFactory, UserFactory
from ..helpers import basic_auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="staff-user", is_staff=True)


def bearer(user) -> dict[str, str]:
    _token, key = create_api_token(Actor(user), user, "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def patch(client: Client, url: str, body: dict, **headers):
    return client.patch(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("header", ["Foo bar", "Token abc", "Digest username=staff-user"])
def test_a_session_write_with_another_authorization_scheme_still_needs_the_csrf_token(staff, header):
    organization = OrganizationFactory(short_name_en="Before")
    session = Client(enforce_csrf_checks=True)
    session.force_login(staff)

    response = patch(
        session,
        f"/api/v1/organizations/{organization.pk}",
        {"short_name_en": "After"},
        HTTP_AUTHORIZATION=header,
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."
    }
    assert Organization.objects.get(pk=organization.pk).short_name_en == "Before"


def test_only_basic_and_bearer_writes_skip_the_csrf_token(staff):
    organization = OrganizationFactory(short_name_en="Before")
    url = f"/api/v1/organizations/{organization.pk}"
    session = Client(enforce_csrf_checks=True)
    session.force_login(staff)

    foreign = patch(session, url, {"short_name_en": "Foreign"}, HTTP_AUTHORIZATION="Foo bar")
    basic = patch(
        Client(enforce_csrf_checks=True),
        url,
        {"short_name_en": "Basic"},
        **basic_auth("staff-user", TEST_PASSWORD),
    )
    bearer_write = patch(Client(enforce_csrf_checks=True), url, {"short_name_en": "Bearer"}, **bearer(staff))

    assert (foreign.status_code, basic.status_code, bearer_write.status_code) == (403, 200, 200)
    assert Organization.objects.get(pk=organization.pk).short_name_en == "Bearer"


@pytest.mark.parametrize("url", ["/api/v1/me/data", "/api/v1/organizations", "/api/v1/agreements"])
@pytest.mark.parametrize("credentials", ["session", "basic", "bearer"])
def test_answers_to_a_signed_in_caller_are_private_and_not_stored(staff, credentials, url):
    client = Client()
    headers = {}
    if credentials == "session":
        client.force_login(staff)
    elif credentials == "basic":
        headers = basic_auth("staff-user", TEST_PASSWORD)
    else:
        headers = bearer(staff)

    response = client.get(url, **headers)

    assert response.status_code == 200, response.content
    assert sorted(response["Cache-Control"].split(", ")) == ["no-store", "private"]


def test_a_refused_write_of_a_signed_in_caller_is_not_stored_either(staff):
    response = patch(
        Client(),
        "/api/v1/organizations/999999",
        {"short_name_en": "x"},
        **basic_auth("staff-user", TEST_PASSWORD),
    )

    assert response.status_code == 404
    assert sorted(response["Cache-Control"].split(", ")) == ["no-store", "private"]


def test_only_answers_to_signed_in_callers_are_marked_private_and_not_stored(staff):
    anonymous = Client().get("/api/v1/organizations")
    signed_in = Client().get("/api/v1/organizations", **basic_auth("staff-user", TEST_PASSWORD))

    assert not anonymous.has_header("Cache-Control")
    assert signed_in["Cache-Control"] in ("private, no-store", "no-store, private")
