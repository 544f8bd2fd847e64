"""Writing the registry through /api/v1/: who gets which status, what the answer says, what is stored.

Anonymous writes get 401, forbidden ones 403, invisible objects 404, invalid input 422 with the
fields named; a refused or invalid request changes nothing.
"""

import json

import pytest
from django.test import Client

from dari.accounts.models import AuditEntry
from dari.registry.models import Affiliation, Organization, Person, Relationship

from ..factories import TEST_PASSWORD, PersonFactory
from ..helpers import basic_auth
from .conftest import PERSONAS, registry_state

pytestmark = pytest.mark.django_db


def client_for(world, persona) -> Client:
    client = Client()
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    return client


def send(client: Client, method: str, url: str, body=None, **extra):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", **extra)


def call(world, persona, method, url, body=None):
    """One request as ``persona``; returns the status and whether any registry row or audit entry changed."""
    before = registry_state()
    response = send(client_for(world, persona), method, url, body)
    return response.status_code, registry_state() != before


@pytest.fixture
def relationship(world):
    return Relationship.objects.create(subject=world.a, kind="partners_with", object=world.b)


def operations(world, relationship):
    affiliation = Affiliation.objects.get(person=world.person)
    newcomer = PersonFactory(key="newcomer", name_en="Newcomer")
    return {
        "create organization": (
            "post",
            "/api/v1/organizations",
            {"kind": "startup", "name_en": "Fresh Inc."},
        ),
        "edit A": ("patch", f"/api/v1/organizations/{world.a.pk}", {"short_name_en": "SA"}),
        "merge B into A": ("post", f"/api/v1/organizations/{world.a.pk}/merge", {"duplicate_id": world.b.pk}),
        "add person at A": ("post", "/api/v1/people", {"name_en": "Lee", "organization_id": world.a.pk}),
        "edit Kim": ("patch", f"/api/v1/people/{world.person.pk}", {"name_ko": "김"}),
        "add affiliation at A": (
            "post",
            "/api/v1/affiliations",
            {"person_id": newcomer.pk, "organization_id": world.a.pk, "title_en": "Adviser"},
        ),
        "edit affiliation at A": ("patch", f"/api/v1/affiliations/{affiliation.pk}", {"title_en": "Founder"}),
        "remove affiliation at A": ("delete", f"/api/v1/affiliations/{affiliation.pk}", None),
        "add relationship A-B": (
            "post",
            "/api/v1/relationships",
            {"subject_id": world.a.pk, "kind": "invests_in", "object_id": world.b.pk},
        ),
        "remove relationship A-B": ("delete", f"/api/v1/relationships/{relationship.pk}", None),
    }


# operation: expected status per persona, in the order of PERSONAS:
# anonymous, outsider, member_a, admin_a, member_b, manager, staff
STATUSES = {
    "create organization": (401, 403, 403, 403, 403, 201, 201),
    "edit A": (401, 403, 200, 200, 403, 403, 200),
    "merge B into A": (401, 403, 403, 403, 403, 403, 200),
    "add person at A": (401, 403, 201, 201, 403, 403, 201),
    "edit Kim": (401, 403, 403, 200, 403, 403, 200),
    "add affiliation at A": (401, 403, 201, 201, 403, 403, 201),
    "edit affiliation at A": (401, 403, 200, 200, 403, 403, 200),
    "remove affiliation at A": (401, 403, 204, 204, 403, 403, 204),
    "add relationship A-B": (401, 403, 201, 201, 201, 403, 201),
    "remove relationship A-B": (401, 403, 204, 204, 204, 403, 204),
}


@pytest.mark.parametrize("operation", list(STATUSES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_permission_matrix_of_registry_writes(world, relationship, operation, persona):
    method, url, body = operations(world, relationship)[operation]
    expected = STATUSES[operation][PERSONAS.index(persona)]

    status, changed = call(world, persona, method, url, body)

    assert status == expected
    assert changed is (status < 400)


def test_objects_the_caller_cannot_see_are_not_found(world):
    hidden = world.hidden
    hidden_person = PersonFactory(is_public=False)
    secret = Affiliation.objects.create(person=hidden_person, organization=hidden)
    tie = Relationship.objects.create(subject=world.a, kind="supplies", object=hidden)

    for method, url, body in [
        ("patch", f"/api/v1/organizations/{hidden.pk}", {"name_en": "Found"}),
        ("post", f"/api/v1/organizations/{hidden.pk}/merge", {"duplicate_id": world.a.pk}),
        ("get", f"/api/v1/organizations/{hidden.pk}/history", None),
        ("patch", f"/api/v1/people/{hidden_person.pk}", {"name_en": "Found"}),
        ("patch", f"/api/v1/affiliations/{secret.pk}", {"title_en": "Found"}),
        ("delete", f"/api/v1/affiliations/{secret.pk}", None),
        ("delete", f"/api/v1/relationships/{tie.pk}", None),
        ("patch", "/api/v1/organizations/999999", {"name_en": "Nobody"}),
    ]:
        assert call(world, "member_a", method, url, body) == (404, False), url


def test_an_invalid_organization_gets_422_with_its_fields_named(world):
    client = client_for(world, "staff")
    before = registry_state()

    response = send(
        client,
        "post",
        "/api/v1/organizations",
        {"kind": "spaceship", "website": "nowhere", "cluster": "atlantis", "sectors": []},
    )
    unknown_sector = send(client, "patch", f"/api/v1/organizations/{world.a.pk}", {"sectors": ["astrology"]})
    wrong_type = send(client, "patch", f"/api/v1/organizations/{world.a.pk}", {"name_en": None})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "payload", "cluster"],
                "msg": "No cluster has the key 'atlantis'.",
                "type": "invalid",
            }
        ]
    }
    assert unknown_sector.status_code == 422
    assert unknown_sector.json()["detail"][0]["loc"] == ["body", "payload", "sectors"]
    assert wrong_type.status_code == 422
    assert registry_state() == before


def test_model_validation_errors_name_each_field(world):
    client = client_for(world, "staff")
    client.cookies["django_language"] = "en"

    response = send(client, "post", "/api/v1/organizations", {"kind": "spaceship", "website": "nowhere"})

    assert response.status_code == 422
    assert sorted((tuple(item["loc"]), item["msg"]) for item in response.json()["detail"]) == [
        (("body", "payload"), "Give a name in Korean or in English."),
        (("body", "payload", "kind"), "Value 'spaceship' is not a valid choice."),
        (("body", "payload", "website"), "Enter a valid URL."),
    ]


def test_creating_an_organization_answers_with_it_and_audits(world):
    client = client_for(world, "staff")

    response = send(
        client,
        "post",
        "/api/v1/organizations",
        {"kind": "investor", "name_en": "Harbor Ventures", "cluster": "ulsan", "sectors": ["digital-health"]},
    )

    assert response.status_code == 201
    body = response.json()
    organization = Organization.objects.get(pk=body["id"])
    assert (body["key"], body["cluster"]["key"], [sector["key"] for sector in body["sectors"]]) == (
        "harbor-ventures",
        "ulsan",
        ["digital-health"],
    )
    assert body["web_url"] == f"http://testserver/organizations/{organization.pk}/"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == (
        "registry.organization.created",
        world.users["staff"],
        organization.pk,
    )


def test_patch_changes_only_the_fields_sent(world):
    response = send(
        client_for(world, "member_a"), "patch", f"/api/v1/organizations/{world.a.pk}", {"city_en": "Ulsan"}
    )

    world.a.refresh_from_db()
    assert response.status_code == 200
    assert (world.a.city_en, world.a.name_en, world.a.cluster) == ("Ulsan", "Startup A", world.cluster)
    assert AuditEntry.objects.get().changes == {"city_en": ["", "Ulsan"]}


def test_merge_answers_with_the_kept_organization(world):
    response = send(
        client_for(world, "staff"),
        "post",
        f"/api/v1/organizations/{world.a.pk}/merge",
        {"duplicate_id": world.b.pk},
    )
    itself = send(
        client_for(world, "staff"),
        "post",
        f"/api/v1/organizations/{world.a.pk}/merge",
        {"duplicate_id": world.a.pk},
    )

    assert response.status_code == 200
    assert response.json()["key"] == "startup-a"
    assert not Organization.objects.filter(pk=world.b.pk).exists()
    assert itself.status_code == 422
    assert itself.json()["detail"][0]["loc"] == ["body", "payload", "duplicate"]


def test_a_person_and_affiliation_created_through_the_api(world):
    client = client_for(world, "member_a")

    person = send(
        client, "post", "/api/v1/people", {"name_en": "Lee", "organization_id": world.a.pk, "title_en": "CTO"}
    )
    affiliation = send(
        client,
        "post",
        "/api/v1/affiliations",
        {
            "person_id": person.json()["id"],
            "organization_id": world.a.pk,
            "title_en": "Adviser",
            "started_on": "2024-01-01",
        },
    )

    assert person.status_code == 201
    assert [(item["organization"]["key"], item["title_en"]) for item in person.json()["affiliations"]] == [
        ("startup-a", "CTO")
    ]
    assert affiliation.status_code == 201
    assert (affiliation.json()["person"]["key"], affiliation.json()["started_on"]) == ("lee", "2024-01-01")
    assert Person.objects.get(key="lee").affiliations.count() == 2


def test_an_affiliation_at_an_invisible_organization_is_a_field_error(world):
    status, changed = call(
        world,
        "member_a",
        "post",
        "/api/v1/affiliations",
        {"person_id": world.person.pk, "organization_id": world.hidden.pk},
    )

    assert (status, changed) == (422, False)


def test_a_relationship_that_ends_before_it_starts_gets_422(world):
    response = send(
        client_for(world, "member_a"),
        "post",
        "/api/v1/relationships",
        {
            "subject_id": world.a.pk,
            "kind": "partners_with",
            "object_id": world.b.pk,
            "started_on": "2024-05-01",
            "ended_on": "2024-01-01",
        },
    )

    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "payload", "ended_on"]]
    assert not Relationship.objects.exists()


def test_session_writes_need_the_csrf_token_and_basic_auth_does_not(world):
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.users["member_a"])
    url = f"/api/v1/organizations/{world.a.pk}"

    refused = send(session, "patch", url, {"short_name_en": "SA"})
    session.get("/organizations/")  # sets the csrftoken cookie, as a page visit would
    accepted = send(
        session, "patch", url, {"short_name_en": "SA"}, HTTP_X_CSRFTOKEN=session.cookies["csrftoken"].value
    )
    scripted = send(
        Client(enforce_csrf_checks=True),
        "patch",
        url,
        {"short_name_en": "S.A."},
        **basic_auth("member-a", TEST_PASSWORD),
    )

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 200
    assert scripted.status_code == 200
    assert Organization.objects.get(pk=world.a.pk).short_name_en == "S.A."


def test_the_history_endpoint_lists_field_changes_newest_first(world):
    client = client_for(world, "member_a")
    send(client, "patch", f"/api/v1/organizations/{world.a.pk}", {"short_name_en": "SA"})
    send(
        client, "patch", f"/api/v1/organizations/{world.a.pk}", {"short_name_en": "S.A.", "city_en": "Ulsan"}
    )

    history = client.get(f"/api/v1/organizations/{world.a.pk}/history").json()
    public = Client().get(f"/api/v1/organizations/{world.a.pk}/history", HTTP_ACCEPT_LANGUAGE="en").json()

    # Usernames only to the organization's insiders; the public reads who changed it in general terms.
    assert [item["actor"] for item in public["items"]] == ["a member of Startup A"] * 2
    assert history["count"] == 2
    assert [
        (item["action"], item["actor"], [(c["field"], c["old"], c["new"]) for c in item["changes"]])
        for item in history["items"]
    ] == [
        (
            "registry.organization.changed",
            "member-a",
            [("city_en", "", "Ulsan"), ("short_name_en", "SA", "S.A.")],
        ),
        ("registry.organization.changed", "member-a", [("short_name_en", "", "SA")]),
    ]


def test_writes_never_answer_500_for_malformed_bodies(world):
    client = client_for(world, "staff")

    for method, url, raw in [
        ("post", "/api/v1/organizations", "{not json"),
        ("post", f"/api/v1/organizations/{world.a.pk}/merge", json.dumps({"duplicate_id": "b"})),
        ("post", "/api/v1/relationships", json.dumps({"subject_id": world.a.pk})),
        (
            "patch",
            f"/api/v1/affiliations/{Affiliation.objects.get().pk}",
            json.dumps({"started_on": "yesterday"}),
        ),
    ]:
        response = getattr(client, method)(url, data=raw, content_type="application/json")
        assert response.status_code in (400, 422), (url, response.status_code)
