"""The API as a whole: mounted at /api/v1/, described by OpenAPI."""

import pytest

from tests.helpers import get_json

LIST_ENDPOINTS = [
    "/api/v1/clusters",
    "/api/v1/organizations",
    "/api/v1/people",
    "/api/v1/agreements",
    "/api/v1/programs",
    "/api/v1/outcomes",
]


@pytest.mark.django_db
def test_openapi_lists_every_list_and_detail_endpoint(client):
    schema = get_json(client, "/api/v1/openapi.json")

    assert schema["info"]["title"] == "Dari API"
    for url in LIST_ENDPOINTS:
        assert url in schema["paths"]
    assert "/api/v1/outcomes/{outcome_id}" in schema["paths"]
    assert "/api/v1/organizations/{organization_id}" in schema["paths"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_every_list_is_items_and_count(client, url):
    assert get_json(client, url) == {"items": [], "count": 0}


@pytest.mark.django_db
@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_every_detail_of_an_unknown_id_is_404(client, url):
    assert client.get(f"{url}/999999").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/people?offset=9223372036854775808", 422),
        ("/api/v1/organizations?limit=100000", 422),
        ("/api/v1/organizations?limit=0", 422),
        ("/api/v1/organizations/99999999999999999999999", 404),
    ],
)
def test_numbers_out_of_range_are_refused_not_server_errors(client, url, status):
    assert client.get(url).status_code == status


@pytest.mark.django_db
def test_a_filter_id_out_of_range_is_not_a_server_error(client):
    response = client.get("/api/v1/outcomes?startup=99999999999999999999999")

    # SQLite's driver refuses the number (422); PostgreSQL's lookup finds nothing (200, empty).
    assert (response.status_code, response.json().get("count", 0)) in {(422, 0), (200, 0)}
