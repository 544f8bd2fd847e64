"""Editing the registry through its pages: forms, clear errors, links only for those who may edit,
and the change history on the organization and person pages."""

import pytest
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.registry import services
from dari.registry.models import Affiliation, Organization, Person, Relationship

from ..factories import AgreementPartyFactory, PersonFactory
from ..pages import get_page, page_queries
from .conftest import registry_state

pytestmark = pytest.mark.django_db


def client_for(world, persona) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    return client


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("anonymous", []),
        ("outsider", []),
        ("member_b", []),
        ("manager", []),
        ("member_a", ["Edit profile", "Add someone already registered", "Add a relationship"]),
        (
            "staff",
            ["Edit profile", "Merge a duplicate", "Add someone already registered", "Add a relationship"],
        ),
    ],
)
def test_edit_links_are_shown_only_to_those_who_may_edit(world, persona, links):
    html = get_page(client_for(world, persona), world.a.get_absolute_url(), "en")

    every_link = ["Edit profile", "Merge a duplicate", "Add someone already registered", "Add a relationship"]
    assert [link for link in every_link if link in html] == links


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("member_b", 403),
        ("manager", 403),
        ("member_a", 200),
        ("staff", 200),
    ],
)
def test_who_may_open_the_edit_page(world, persona, status):
    response = client_for(world, persona).get(f"/organizations/{world.a.pk}/edit/")

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_a_private_organization_edit_page_is_not_found_for_outsiders(world):
    response = client_for(world, "member_a").get(f"/organizations/{world.hidden.pk}/edit/")

    assert response.status_code == 404


def profile(organization, **changes) -> dict:
    data = {
        "name_ko": organization.name_ko,
        "name_ko_origin": organization.name_ko_origin,
        "name_en": organization.name_en,
        "name_en_origin": organization.name_en_origin,
        "short_name_ko": "",
        "short_name_en": "",
        "kind": organization.kind,
        "cluster": organization.cluster_id or "",
        "description_ko": "",
        "description_en": "",
        "website": "",
        "country": organization.country,
        "city_ko": "",
        "city_en": "",
        "is_public": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_member_edits_the_profile_and_the_history_shows_the_diff(world):
    client = client_for(world, "member_a")

    response = client.post(
        f"/organizations/{world.a.pk}/edit/",
        profile(world.a, name_en="Startup A Inc.", name_en_origin="translation", sectors=[world.sector.pk]),
    )
    html = get_page(client, world.a.get_absolute_url(), "en")

    assert response.status_code == 302
    assert response["Location"] == world.a.get_absolute_url()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.changes) == (
        "registry.organization.changed",
        world.users["member_a"],
        {
            "name_en": ["Startup A", "Startup A Inc."],
            "name_en_origin": ["original", "translation"],
            "sectors": [[], [world.sector.pk]],
        },
    )
    assert "The changes were saved." in html
    assert "Change history" in html
    assert "registry.organization.changed" in html
    assert "<td>name (English)</td><td>Startup A</td><td>Startup A Inc.</td>" in html


def test_an_invalid_edit_shows_the_errors_and_changes_nothing(world):
    before = registry_state()

    response = client_for(world, "member_a").post(
        f"/organizations/{world.a.pk}/edit/", profile(world.a, name_ko="", name_en="", website="nowhere")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Please correct the errors below." in html
    assert "Give a name in Korean or in English." in html
    assert "Enter a valid URL." in html
    assert registry_state() == before


def test_a_program_manager_adds_an_organization(world):
    client = client_for(world, "manager")
    assert "Add an organization" in get_page(client, "/organizations/", "en")

    response = client.post(
        "/organizations/new/",
        profile(
            Organization(kind="startup", name_en="Fresh Bio", country="KR"), name_ko="프레시 바이오", key=""
        ),
    )

    created = Organization.objects.get(key="fresh-bio")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert AuditEntry.objects.get().action == "registry.organization.created"


def test_adding_an_organization_with_a_taken_key_says_so(world):
    before = registry_state()

    response = client_for(world, "staff").post(
        "/organizations/new/",
        profile(Organization(kind="startup", name_en="Copy", country="KR"), key="startup-a"),
    )

    assert response.status_code == 400
    assert "Organization with this Key already exists." in response.content.decode()
    assert registry_state() == before


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("outsider", 403), ("member_a", 403)])
def test_others_may_not_add_organizations_through_the_page(world, persona, status):
    before = registry_state()

    response = client_for(world, persona).post("/organizations/new/", {"kind": "startup", "name_en": "X"})

    assert response.status_code == status
    assert registry_state() == before


def test_staff_merge_a_duplicate_after_seeing_what_moves(world):
    client = client_for(world, "staff")
    AgreementPartyFactory(organization=world.b)
    url = f"/organizations/{world.a.pk}/merge/"

    chooser = get_page(client, url, "en")
    confirmation = client.post(url, {"duplicate": world.b.pk})
    merged = client.post(url, {"duplicate": world.b.pk, "confirm": "True"})

    assert "Duplicate to merge into this organization" in chooser
    assert confirmation.status_code == 200
    assert "Confirm the merge" in confirmation.content.decode()
    assert "parties: 1" in confirmation.content.decode()
    assert Organization.objects.filter(pk=world.b.pk).exists() is False
    assert merged.status_code == 302
    assert "Startup B was merged into this organization." in get_page(
        client, world.a.get_absolute_url(), "en"
    )


@pytest.mark.parametrize("persona", ["outsider", "member_a", "admin_a"])
def test_only_staff_open_the_merge_page(world, persona):
    before = registry_state()
    client = client_for(world, persona)

    assert client.get(f"/organizations/{world.a.pk}/merge/").status_code == 403
    assert (
        client.post(
            f"/organizations/{world.a.pk}/merge/", {"duplicate": world.b.pk, "confirm": "True"}
        ).status_code
        == 403
    )
    assert registry_state() == before


def test_a_member_registers_a_colleague_and_an_administrator_edits_them(world):
    """Members say who works at their organization; its administrators keep those people's entries."""
    client = client_for(world, "member_a")

    form = get_page(client, f"/organizations/people/new/?organization={world.a.pk}", "en")
    created = client.post(
        "/organizations/people/new/",
        {
            "name_en": "Lee",
            "name_ko": "이",
            "name_ko_origin": "original",
            "name_en_origin": "original",
            "organization": world.a.pk,
            "title_en": "CTO",
            "is_public": "on",
            "public_listing_basis": "consent",
        },
    )
    lee = Person.objects.get(key="lee")
    member_edit = client.get(f"/organizations/people/{lee.pk}/edit/")
    edited = client_for(world, "admin_a").post(
        f"/organizations/people/{lee.pk}/edit/",
        {
            "name_en": "Lee Ji-eun",
            "name_ko": "이지은",
            "name_ko_origin": "original",
            "name_en_origin": "translation",
        },
    )
    page = get_page(client, lee.get_absolute_url(), "en")

    assert "Register a new person" in get_page(client, world.a.get_absolute_url(), "en")
    assert "Organization" in form
    assert created.status_code == 302 and edited.status_code == 302 and member_edit.status_code == 403
    assert lee.affiliations.get().organization == world.a
    assert lee.affiliations.get().is_confirmed  # the organization made the entry: no claim on anyone
    assert [entry.action for entry in AuditEntry.objects.order_by("pk")] == [
        "registry.person.created",
        "registry.affiliation.created",
        "registry.person.changed",
    ]
    assert "<td>name (English)</td><td>Lee</td><td>Lee Ji-eun</td>" in page


def test_a_member_may_not_register_someone_at_another_organization(world):
    before = registry_state()

    response = client_for(world, "member_a").post(
        "/organizations/people/new/",
        {
            "name_en": "Spy",
            "name_ko_origin": "original",
            "name_en_origin": "original",
            "organization": world.b.pk,
        },
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert registry_state() == before


@pytest.mark.parametrize(
    ("persona", "status"), [("outsider", 403), ("member_b", 403), ("member_a", 403), ("admin_a", 200)]
)
def test_who_may_edit_a_person(world, persona, status):
    assert (
        client_for(world, persona).get(f"/organizations/people/{world.person.pk}/edit/").status_code == status
    )


def test_a_member_adds_edits_and_removes_an_affiliation(world):
    client = client_for(world, "member_a")
    newcomer = PersonFactory(key="newcomer", name_en="Newcomer")

    added = client.post(
        f"/organizations/{world.a.pk}/affiliations/new/",
        {"person": newcomer.pk, "title_en": "Adviser", "started_on": "2024-01-01"},
    )
    affiliation = Affiliation.objects.get(person=newcomer)
    backwards = client.post(
        f"/organizations/affiliations/{affiliation.pk}/edit/",
        {"title_en": "Adviser", "started_on": "2024-05-01", "ended_on": "2024-01-01"},
    )
    confirm = get_page(client, f"/organizations/affiliations/{affiliation.pk}/remove/", "en")
    removed = client.post(f"/organizations/affiliations/{affiliation.pk}/remove/")

    assert added.status_code == 302
    assert backwards.status_code == 400
    assert "The end date comes before the start date." in backwards.content.decode()
    assert "Remove this affiliation?" in confirm
    assert removed.status_code == 302
    assert not Affiliation.objects.filter(person=newcomer).exists()
    # Newcomer is not the member's to claim: the affiliation was a request until removed.
    assert [entry.action for entry in AuditEntry.objects.order_by("pk")] == [
        "registry.affiliation.requested",
        "registry.affiliation.deleted",
    ]


def test_the_same_affiliation_twice_is_an_error_on_the_form(world):
    before = registry_state()

    response = client_for(world, "member_a").post(
        f"/organizations/{world.a.pk}/affiliations/new/",
        {"person": world.person.pk, "title_en": "Chief Executive"},
    )

    assert response.status_code == 400
    assert (
        "Affiliation with this Person, Organization and Title (English) already exists."
        in response.content.decode()
    )
    assert registry_state() == before


@pytest.mark.parametrize("persona", ["outsider", "member_b"])
def test_others_may_not_touch_affiliations_through_pages(world, persona):
    client = client_for(world, persona)
    affiliation = Affiliation.objects.get(person=world.person)
    before = registry_state()

    assert (
        client.post(f"/organizations/{world.a.pk}/affiliations/new/", {"person": world.person.pk}).status_code
        == 403
    )
    assert (
        client.post(f"/organizations/affiliations/{affiliation.pk}/edit/", {"title_en": "x"}).status_code
        == 403
    )
    assert client.post(f"/organizations/affiliations/{affiliation.pk}/remove/").status_code == 403
    assert registry_state() == before


def test_a_member_records_and_removes_a_relationship(world):
    client = client_for(world, "member_a")

    added = client.post(
        f"/organizations/{world.a.pk}/relationships/new/",
        {"direction": "incoming", "kind": "invests_in", "other": world.b.pk},
    )
    relationship = Relationship.objects.get()
    page = get_page(client, world.a.get_absolute_url(), "en")
    removed = client.post(f"/organizations/relationships/{relationship.pk}/remove/", {"next": "object"})

    assert added.status_code == 302
    assert (relationship.subject, relationship.kind, relationship.object) == (world.b, "invests_in", world.a)
    assert "Startup B</a> invests in Startup A" in page
    assert removed.status_code == 302
    assert removed["Location"] == world.a.get_absolute_url()
    assert not Relationship.objects.exists()


def test_a_relationship_with_itself_cannot_be_chosen(world):
    before = registry_state()

    response = client_for(world, "member_a").post(
        f"/organizations/{world.a.pk}/relationships/new/",
        {"direction": "outgoing", "kind": "partners_with", "other": world.a.pk},
    )

    assert response.status_code == 400
    assert registry_state() == before


@pytest.mark.parametrize("persona", ["outsider", "manager"])
def test_others_may_not_record_or_remove_relationships_through_pages(world, persona):
    relationship = Relationship.objects.create(subject=world.a, kind="supplies", object=world.b)
    client = client_for(world, persona)
    before = registry_state()

    add = client.post(
        f"/organizations/{world.a.pk}/relationships/new/",
        {"direction": "outgoing", "kind": "invests_in", "other": world.b.pk},
    )
    remove = client.post(f"/organizations/relationships/{relationship.pk}/remove/")

    assert (add.status_code, remove.status_code) == (403, 403)
    assert registry_state() == before


def test_the_organization_page_query_count_does_not_grow_with_its_history(world):
    client = client_for(world, "staff")
    actor = Actor(user=world.users["member_a"])
    services.update_organization(actor, world.a, {"city_en": "Ulsan 0"})
    few = page_queries(client, world.a.get_absolute_url())
    for number in range(1, 20):
        services.update_organization(
            actor, world.a, {"city_en": f"Ulsan {number}", "short_name_en": f"A{number}"}
        )

    assert page_queries(client, world.a.get_absolute_url()) == few


def test_the_history_is_shown_to_whoever_sees_the_organization(world):
    services.update_organization(Actor(user=world.users["member_a"]), world.a, {"city_en": "Ulsan"})

    html = get_page(client_for(world, "anonymous"), world.a.get_absolute_url(), "en")

    assert "<td>city (English)</td><td></td><td>Ulsan</td>" in html
    assert client_for(world, "anonymous").get(world.hidden.get_absolute_url()).status_code == 404
