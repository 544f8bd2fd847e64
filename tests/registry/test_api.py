"""The registry API: /api/v1/clusters, /api/v1/organizations, /api/v1/people."""

from decimal import Decimal

import pytest

from dari.registry.models import Organization, Person
from tests.factories import (
    TEST_PASSWORD,
    AffiliationFactory,
    ClusterFactory,
    ClusterStatisticFactory,
    OrganizationFactory,
    PersonFactory,
    SectorFactory,
    UserFactory,
)
from tests.helpers import DEMO_PASSWORD, basic_auth, count_queries, get_json, listed_keys

REPORT = "report-2024-01-18-ulsan-san-diego-bio-mou"
SCENARIO_ORGANIZATIONS = [
    "dna-corporation",
    "hangzhou-health-online-it",
    "san-diego-city",
    "sb-solution",
    "thyroscope",
    "ucsd",
    "ulsan-city",
    "unist",
]


# --- clusters ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cluster_list_and_san_diego_detail_with_statistics_as_reported(scenario, client):
    page = get_json(client, "/api/v1/clusters")
    cluster_id = next(item["id"] for item in page["items"] if item["key"] == "san-diego")

    cluster = get_json(client, f"/api/v1/clusters/{cluster_id}")

    assert page["count"] == 2
    assert sorted(item["key"] for item in page["items"]) == ["san-diego", "ulsan"]
    assert cluster["id"] == cluster_id
    assert cluster["web_url"] == f"http://testserver/organizations/clusters/{cluster_id}/"
    assert (cluster["name_ko"], cluster["name_en"], cluster["country"], cluster["time_zone"]) == (
        "샌디에이고",
        "San Diego",
        "US",
        "America/Los_Angeles",
    )
    assert [
        (stat["key"], Decimal(stat["value"]), stat["unit"], stat["year"], stat["is_approximate"])
        for stat in cluster["statistics"]
    ] == [
        ("bio-companies", Decimal("1000"), "companies", None, True),
        ("bio-economic-effect", Decimal("27000000000"), "USD", 2020, True),
        ("bio-employees", Decimal("730000"), "people", None, True),
    ]
    assert {stat["source"]["key"] for stat in cluster["statistics"]} == {REPORT}


@pytest.mark.django_db
def test_unknown_cluster_is_404(client):
    assert client.get("/api/v1/clusters/999999").status_code == 404


@pytest.mark.django_db
def test_cluster_list_runs_the_same_queries_for_3_or_30_clusters(client):
    for _ in range(3):
        ClusterStatisticFactory.create_batch(2, cluster=ClusterFactory())
    queries_for_3 = count_queries(client, "/api/v1/clusters")
    for _ in range(27):
        ClusterStatisticFactory.create_batch(2, cluster=ClusterFactory())

    assert count_queries(client, "/api/v1/clusters") == queries_for_3 == 3


# --- organizations -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_organization_list_pages_with_limit_and_offset(client):
    OrganizationFactory.create_batch(8)
    all_keys = listed_keys(client, "/api/v1/organizations")

    page = get_json(client, "/api/v1/organizations?limit=3&offset=2")

    assert page["count"] == 8
    assert [item["key"] for item in page["items"]] == all_keys[2:5]
    assert get_json(client, "/api/v1/organizations?offset=100") == {"items": [], "count": 8}


@pytest.mark.django_db
def test_organization_list_has_the_scenario_organizations_and_detail_has_id_and_web_url(scenario, client):
    thyroscope = Organization.objects.get(key="thyroscope")

    page = get_json(client, "/api/v1/organizations?limit=100")
    body = get_json(client, f"/api/v1/organizations/{thyroscope.pk}")
    illustrative = [item["key"] for item in page["items"] if item["is_illustrative"]]

    assert page["count"] == len(page["items"]) == 51
    assert (
        sorted(item["key"] for item in page["items"] if not item["is_illustrative"]) == SCENARIO_ORGANIZATIONS
    )
    assert len(illustrative) == 43 and all(key.startswith("demo-") for key in illustrative)
    assert next(item for item in page["items"] if item["key"] == "thyroscope") == body
    assert body["id"] == thyroscope.pk
    assert body["web_url"] == f"http://testserver/organizations/{thyroscope.pk}/"
    assert (body["name_ko"], body["name_en"], body["name_ko_origin"], body["name_en_origin"]) == (
        "㈜타이로스코프",
        "Thyroscope Inc.",
        "original",
        "translation",
    )
    assert body["kind"] == "startup"
    assert body["cluster"] == {
        "id": thyroscope.cluster_id,
        "key": "ulsan",
        "name_ko": "울산",
        "name_en": "Ulsan",
    }
    assert sorted(sector["key"] for sector in body["sectors"]) == ["digital-health", "thyroid", "wearables"]


# query string -> keys of the report's organizations it finds
ORGANIZATION_FILTERS = {
    "kind=university": ["ucsd", "unist"],
    "kind=city_government": ["san-diego-city", "ulsan-city"],
    "cluster=san-diego": ["san-diego-city", "ucsd"],
    "cluster=ulsan&kind=startup": ["dna-corporation", "sb-solution", "thyroscope"],
    "sector=digital-health": ["thyroscope"],
    "sector=thyroid": ["thyroscope"],
    "sector=bio": ["san-diego-city", "thyroscope", "ucsd", "ulsan-city"],
    "sector=no-such-sector": [],
    "q=타이로": ["thyroscope"],
    "q=Thyroscope": ["thyroscope"],
    "q=thyroscope": ["thyroscope"],
    "q=UNIST": ["unist"],
    "q=샌디에이고": ["san-diego-city", "ucsd"],
    "q=건강온라인": ["hangzhou-health-online-it"],
    "q=Hangzhou": ["hangzhou-health-online-it"],
    "q=Qualcomm": [],
    "q=타이로&sector=bio&kind=startup&cluster=ulsan": ["thyroscope"],
    "q=타이로&cluster=san-diego": [],
}


# query string -> how many of the scenario's illustrative (demo-) organizations it finds, where any
ILLUSTRATIVE_FOUND = {
    "cluster=san-diego": 25,
    "cluster=ulsan&kind=startup": 6,
    "sector=digital-health": 23,
    "sector=thyroid": 4,
    "sector=bio": 41,  # all but the two cosmetics distributors
    "q=샌디에이고": 2,  # two cross-border funds whose Korean description names San Diego
}


@pytest.mark.django_db
def test_organization_filters(scenario, client):
    found = {
        query: sorted(listed_keys(client, f"/api/v1/organizations?{query}&limit=100"))
        for query in ORGANIZATION_FILTERS
    }

    assert {
        query: [key for key in keys if not key.startswith("demo-")] for query, keys in found.items()
    } == ORGANIZATION_FILTERS
    assert {
        query: count
        for query, keys in found.items()
        if (count := sum(key.startswith("demo-") for key in keys))
    } == ILLUSTRATIVE_FOUND


@pytest.mark.django_db
def test_sector_filter_includes_organizations_tagged_only_with_a_sub_sector(client):
    digital_health = SectorFactory(key="digital-health")
    thyroid = SectorFactory(key="thyroid", parent=digital_health)
    OrganizationFactory(key="thyroid-startup", sectors=[thyroid])
    OrganizationFactory(key="untagged-startup")

    assert listed_keys(client, "/api/v1/organizations?sector=digital-health") == ["thyroid-startup"]


@pytest.mark.django_db
def test_organization_tagged_with_a_sector_and_its_sub_sector_is_listed_once(client):
    bio = SectorFactory(key="bio")
    digital_health = SectorFactory(key="digital-health", parent=bio)
    OrganizationFactory(key="startup", sectors=[bio, digital_health])

    page = get_json(client, "/api/v1/organizations?sector=bio")

    assert (page["count"], [item["key"] for item in page["items"]]) == (1, ["startup"])


@pytest.mark.django_db
def test_unknown_organization_is_404(client):
    assert client.get("/api/v1/organizations/999999").status_code == 404


@pytest.mark.django_db
def test_bad_limit_is_422(client):
    assert client.get("/api/v1/organizations?limit=0").status_code == 422
    assert client.get("/api/v1/organizations?offset=-1").status_code == 422
    assert client.get("/api/v1/organizations?limit=many").status_code == 422


@pytest.mark.django_db
def test_organization_list_runs_the_same_queries_for_3_or_30_organizations(client):
    OrganizationFactory.create_batch(3, sectors=SectorFactory.create_batch(2))
    queries_for_3 = count_queries(client, "/api/v1/organizations")
    for _ in range(27):
        OrganizationFactory(sectors=SectorFactory.create_batch(2))

    # The page with its count and each organization's sectors.
    assert count_queries(client, "/api/v1/organizations") == queries_for_3 == 1


@pytest.mark.django_db
def test_filtered_organization_list_runs_the_same_queries_for_3_or_30_organizations(client):
    digital_health = SectorFactory(key="digital-health")
    thyroid = SectorFactory(key="thyroid", parent=digital_health)
    url = "/api/v1/organizations?sector=digital-health&q=Organization"
    OrganizationFactory.create_batch(3, sectors=[thyroid])
    queries_for_3 = count_queries(client, url)
    OrganizationFactory.create_batch(27, sectors=[thyroid, digital_health])

    assert count_queries(client, url) == queries_for_3


# --- people ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_people_list_pages_with_limit_and_offset(client):
    PersonFactory.create_batch(7)
    all_keys = listed_keys(client, "/api/v1/people")

    page = get_json(client, "/api/v1/people?limit=2&offset=5")

    assert page["count"] == 7
    assert [item["key"] for item in page["items"]] == all_keys[5:7]


@pytest.mark.django_db
def test_people_list_detail_and_filters_over_the_seven_named_in_the_report(scenario, client):
    simmons = Person.objects.get(key="elizabeth-simmons")

    page = get_json(client, "/api/v1/people")
    body = get_json(client, f"/api/v1/people/{simmons.pk}")

    assert page["count"] == 7
    assert sorted(item["key"] for item in page["items"]) == [
        "elizabeth-simmons",
        "javier-gomez",
        "kim-doo-gyeom",
        "kwon-soon-yong",
        "lee-yong-hoon",
        "pradeep-khosla",
        "todd-gloria",
    ]
    assert next(item for item in page["items"] if item["key"] == "elizabeth-simmons") == body
    assert body["id"] == simmons.pk
    assert body["web_url"] == f"http://testserver/organizations/people/{simmons.pk}/"
    assert (body["name_ko"], body["name_en"], body["name_ko_origin"]) == (
        "엘리자베스 시몬스",
        "Elizabeth Simmons",
        "translation",
    )
    assert [
        (affiliation["organization"]["key"], affiliation["title_ko"], affiliation["title_en"])
        for affiliation in body["affiliations"]
    ] == [("ucsd", "수석 부총장", "Executive Vice Chancellor")]
    unist = Organization.objects.get(key="unist")
    filters = {
        "q=김두겸": ["kim-doo-gyeom"],
        "q=gomez": ["javier-gomez"],
        "q=Kim": ["kim-doo-gyeom"],
        f"organization={unist.pk}": ["kwon-soon-yong", "lee-yong-hoon"],
        f"organization={unist.pk}&q=권순용": ["kwon-soon-yong"],
    }
    assert {query: sorted(listed_keys(client, f"/api/v1/people?{query}")) for query in filters} == filters


@pytest.mark.django_db
def test_people_filter_by_organization_must_be_an_id(client):
    assert client.get("/api/v1/people?organization=unist").status_code == 422


@pytest.mark.django_db
def test_unknown_person_is_404(client):
    assert client.get("/api/v1/people/999999").status_code == 404


@pytest.mark.django_db
def test_people_list_runs_the_same_queries_for_3_or_30_people(client):
    for _ in range(3):
        AffiliationFactory.create_batch(2, person=PersonFactory())
    queries_for_3 = count_queries(client, "/api/v1/people")
    for _ in range(27):
        AffiliationFactory.create_batch(2, person=PersonFactory())

    assert count_queries(client, "/api/v1/people") == queries_for_3 == 3


# --- visibility --------------------------------------------------------------------------------------

# (persona, sees rows that are not public)
VISIBILITY = [("anonymous", False), ("member", False), ("staff", True), ("superuser", True)]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "sees_private"), VISIBILITY)
def test_private_organization_is_listed_and_shown_to_staff_only(client_as, persona, sees_private):
    OrganizationFactory(key="public-startup")
    private = OrganizationFactory(key="private-startup", is_public=False)
    client = client_as(persona)

    listed = sorted(listed_keys(client, "/api/v1/organizations"))
    detail = client.get(f"/api/v1/organizations/{private.pk}")

    if sees_private:
        assert listed == ["private-startup", "public-startup"]
        assert detail.status_code == 200
        assert detail.json()["key"] == "private-startup"
    else:
        assert listed == ["public-startup"]
        assert detail.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "sees_private"), VISIBILITY)
def test_private_person_is_listed_and_shown_to_staff_only(client_as, persona, sees_private):
    PersonFactory(key="public-person")
    private = PersonFactory(key="private-person", is_public=False)
    client = client_as(persona)

    listed = sorted(listed_keys(client, "/api/v1/people"))
    detail = client.get(f"/api/v1/people/{private.pk}")

    if sees_private:
        assert listed == ["private-person", "public-person"]
        assert detail.status_code == 200
    else:
        assert listed == ["public-person"]
        assert detail.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "sees_private"), VISIBILITY)
def test_affiliation_with_a_private_organization_is_shown_to_staff_only(client_as, persona, sees_private):
    person = PersonFactory()
    AffiliationFactory(person=person, organization=OrganizationFactory(key="public-startup"))
    private = OrganizationFactory(key="private-startup", is_public=False)
    AffiliationFactory(person=person, organization=private)

    body = get_json(client_as(persona), f"/api/v1/people/{person.pk}")

    organizations = sorted(affiliation["organization"]["key"] for affiliation in body["affiliations"])
    assert organizations == (["private-startup", "public-startup"] if sees_private else ["public-startup"])


# (user fixture, its password, sees rows that are not public)
BASIC_AUTH = [
    ("superuser", DEMO_PASSWORD, True),
    ("staff_user", TEST_PASSWORD, True),
    ("member_user", TEST_PASSWORD, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("user_fixture", "password", "sees_private"), BASIC_AUTH)
def test_basic_auth_acts_as_the_user_it_names(client, request, user_fixture, password, sees_private):
    user = request.getfixturevalue(user_fixture)
    OrganizationFactory(key="public-startup")
    OrganizationFactory(key="private-startup", is_public=False)

    response = client.get("/api/v1/organizations", **basic_auth(user.username, password))

    assert response.status_code == 200
    keys = sorted(item["key"] for item in response.json()["items"])
    assert keys == (["private-startup", "public-startup"] if sees_private else ["public-startup"])


@pytest.mark.django_db
def test_basic_auth_of_an_inactive_user_is_401(client):
    UserFactory(username="former-staff", is_staff=True, is_active=False)

    response = client.get("/api/v1/organizations", **basic_auth("former-staff", TEST_PASSWORD))

    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    "credentials",
    [
        basic_auth("demo", "wrong password"),
        basic_auth("nobody", "dari-demo-2024"),
        {"HTTP_AUTHORIZATION": "Basic not-base64!"},
    ],
    ids=["wrong-password", "unknown-user", "garbled"],
)
def test_bad_basic_auth_is_401_not_anonymous(client, superuser, credentials):
    OrganizationFactory()

    response = client.get("/api/v1/organizations", **credentials)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid credentials"}
    assert response["WWW-Authenticate"] == 'Basic realm="Dari API"'
