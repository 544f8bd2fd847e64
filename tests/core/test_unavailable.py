"""A database that is away answers 503 with Retry-After (a page, or the API's JSON), not 500; once it
is back, the same process answers again."""

import socket

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="moves the PostgreSQL connection to a closed port"
)
def test_pages_and_the_api_answer_503_while_the_database_is_away_and_200_once_it_is_back():
    client = Client(raise_request_exception=False)
    settings = connection.settings_dict
    original = (settings["HOST"], settings["PORT"])
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", closed_port()
    try:
        page = client.get("/organizations/", HTTP_ACCEPT_LANGUAGE="en")
        api = client.get("/api/v1/organizations", HTTP_ACCEPT_LANGUAGE="en")
        health = client.get("/healthz")
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = original

    assert (page.status_code, page["Retry-After"]) == (503, "10")
    assert "Dari cannot reach its database for a moment." in page.content.decode()
    assert (api.status_code, api["Retry-After"]) == (503, "10")
    assert api.json() == {"detail": "The service is briefly unavailable. Try again in a few seconds."}
    assert health.status_code == 503
    assert client.get("/organizations/").status_code == 200
    assert client.get("/api/v1/organizations").status_code == 200


def test_any_other_error_is_still_a_500(monkeypatch):
    import dari.core.unavailable as unavailable

    client = Client(raise_request_exception=False)
    monkeypatch.setattr(unavailable, "database_unavailable", lambda: False)
    response = unavailable.server_error_or_unavailable(client.get("/healthz").wsgi_request)

    assert response.status_code == 500
