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
