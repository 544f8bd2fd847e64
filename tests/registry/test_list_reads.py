"""The organization lists (page and API) read a page as light rows (``OrganizationQuerySet.listed``):
a fixed number of queries whatever the number of organizations, for every persona, and the same
JSON as the one-organization endpoint, which reads a model instance."""

import pytest

from tests.factories import OrganizationFactory, SectorFactory
from tests.helpers import get_json

from ..pages import get_page
from .conftest import PERSONAS

pytestmark = pytest.mark.django_db

# Queries per request, at 3 organizations and at 60. The page: the counts, the page's organizations
# with their sectors, the cluster and sector filter choices (one query); signed in, also the session,
# the user, their memberships, the affiliations awaiting them and the bell's unread count. The API:
# the page's organizations with their sectors and their count; signed in, also the session, the user
# and the memberships.
PAGE_QUERIES = {"anonymous": 3, "signed in": 8}
API_QUERIES = {"anonymous": 1, "signed in": 4}


def more_organizations(world, count: int) -> None:
    sectors = SectorFactory.create_batch(3)
    for number in range(count):
        OrganizationFactory(
            cluster=world.cluster, sectors=sectors[: number % 3 + 1], is_public=number % 5 > 0
        )


def ceiling(table: dict, persona: str) -> int:
    return table["anonymous" if persona == "anonymous" else "signed in"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_organization_list_page_reads_the_same_queries_for_3_or_60_organizations(
    world, api_client, persona, django_assert_max_num_queries
):
    client = api_client(world.users[persona])
    client.get("/organizations/")  # the session and the language, read once
    with django_assert_max_num_queries(ceiling(PAGE_QUERIES, persona)):
        assert client.get("/organizations/").status_code == 200
    more_organizations(world, 57)

    with django_assert_max_num_queries(ceiling(PAGE_QUERIES, persona)):
        assert client.get("/organizations/?page=2").status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_organization_list_api_reads_the_same_queries_for_3_or_60_organizations(
    world, api_client, persona, django_assert_max_num_queries
):
    client = api_client(world.users[persona])
    with django_assert_max_num_queries(ceiling(API_QUERIES, persona)):
        assert client.get("/api/v1/organizations?limit=50").status_code == 200
    more_organizations(world, 57)

    with django_assert_max_num_queries(ceiling(API_QUERIES, persona)):
        page = get_json(client, "/api/v1/organizations?limit=50")
    assert len(page["items"]) == min(50, page["count"]) and page["count"] > 40


@pytest.mark.parametrize("persona", ["anonymous", "member_a", "staff"])
def test_each_listed_organization_reads_as_its_own_endpoint_does(world, api_client, persona):
    more_organizations(world, 12)
    client = api_client(world.users[persona])

    listed = get_json(client, "/api/v1/organizations?limit=500")["items"]

    assert listed and all(item == get_json(client, f"/api/v1/organizations/{item['id']}") for item in listed)
    assert ("hidden-c" in {item["key"] for item in listed}) == (persona == "staff")


def test_the_list_page_shows_each_organizations_kind_cluster_and_sectors(world, client):
    world.a.sectors.set([world.sector])

    html = get_page(client, "/organizations/", "en")

    row = html[html.index(f'href="{world.a.get_absolute_url()}"') :].split("</tr>")[0]
    assert "Startup A" in row and "Startup" in row and world.cluster.name_en in row
    assert '<span class="tag">Digital health</span>' in row
