"""The registry's use cases: each checks permission, validates, writes, and leaves one exact audit entry.

A refused call raises and changes nothing; an invalid one raises field errors and changes nothing.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dari.registry import services
from dari.registry.models import Affiliation, Organization, Person, Relationship

from ..factories import OrganizationFactory, PersonFactory
from .conftest import actor_of, only_entry, registry_state

pytestmark = pytest.mark.django_db


def assert_refused(call, *args) -> None:
    before = registry_state()
    with pytest.raises(PermissionDenied):
        call(*args)
    assert registry_state() == before


def field_errors(call, *args) -> dict:
    before = registry_state()
    with pytest.raises(ValidationError) as raised:
        call(*args)
    assert registry_state() == before
    return raised.value.message_dict


# --- organizations ---------------------------------------------------------------------------------

NEW_COMPANY = {"kind": "startup", "name_ko": "새 회사", "name_en": "New Company Inc."}


@pytest.mark.parametrize("persona", ["staff", "manager"])
def test_staff_and_program_managers_add_organizations(world, persona):
    values = {**NEW_COMPANY, "cluster": world.cluster, "sectors": [world.sector], "is_public": False}

    organization = services.create_organization(actor_of(world, persona), values)

    organization.refresh_from_db()
    assert (organization.key, organization.name_en, organization.is_public) == (
        "new-company-inc",
        "New Company Inc.",
        False,
    )
    assert list(organization.sectors.all()) == [world.sector]
    entry = only_entry()
    assert (entry.action, entry.actor, entry.object_id) == (
        "registry.organization.created",
        world.users[persona],
        organization.pk,
    )
    assert entry.changes == {
        "key": [None, "new-company-inc"],
        "kind": [None, "startup"],
        "name_ko": [None, "새 회사"],
        "name_ko_origin": [None, "original"],
        "name_en": [None, "New Company Inc."],
        "name_en_origin": [None, "original"],
        "cluster": [None, world.cluster.pk],
        "sectors": [None, [world.sector.pk]],
        "is_public": [None, False],
    }


def test_a_korean_only_name_gets_a_numbered_key(world):
    OrganizationFactory(key="organization")

    organization = services.create_organization(
        actor_of(world, "staff"), {"kind": "startup", "name_ko": "회사"}
    )

    assert organization.key == "organization-2"


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member_a", "admin_a"])
def test_others_may_not_add_organizations(world, persona):
    assert_refused(services.create_organization, actor_of(world, persona), NEW_COMPANY)


def test_an_organization_needs_a_name_a_known_kind_and_a_free_key(world):
    errors = field_errors(
        services.create_organization,
        actor_of(world, "staff"),
        {"kind": "spaceship", "key": "startup-a", "website": "not a web address"},
    )

    assert errors == {
        "__all__": ["Give a name in Korean or in English."],
        "kind": ["Value 'spaceship' is not a valid choice."],
        "key": ["Organization with this Key already exists."],
        "website": ["Enter a valid URL."],
    }


@pytest.mark.parametrize("persona", ["member_a", "admin_a", "staff"])
def test_members_and_staff_edit_an_organization_profile(world, persona):
    values = {"name_en": "Startup A Inc.", "short_name_en": "SA", "sectors": [world.sector], "cluster": None}

    services.update_organization(actor_of(world, persona), world.a, values)

    world.a.refresh_from_db()
    assert (world.a.name_en, world.a.short_name_en, world.a.cluster) == ("Startup A Inc.", "SA", None)
    entry = only_entry()
    assert (entry.action, entry.actor, entry.object_id) == (
        "registry.organization.changed",
        world.users[persona],
        world.a.pk,
    )
    assert entry.changes == {
        "name_en": ["Startup A", "Startup A Inc."],
        "short_name_en": ["", "SA"],
        "sectors": [[], [world.sector.pk]],
        "cluster": [world.cluster.pk, None],
    }


def test_saving_an_unchanged_profile_writes_no_audit_entry(world):
    services.update_organization(actor_of(world, "member_a"), world.a, {"name_en": "Startup A"})

    assert registry_state()["audit"] == []


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member_b", "manager"])
def test_others_may_not_edit_an_organization(world, persona):
    assert_refused(services.update_organization, actor_of(world, persona), world.a, {"name_en": "Taken over"})


def test_an_edit_that_empties_both_names_is_refused_with_the_reason(world):
    errors = field_errors(
        services.update_organization,
        actor_of(world, "member_a"),
        world.a,
        {"name_ko": "", "name_en": "", "country": "KOR"},
    )

    assert errors == {
        "__all__": ["Give a name in Korean or in English."],
        "country": ["Ensure this value has at most 2 characters (it has 3)."],
    }


def test_the_key_stays_fixed_after_creation(world):
    with pytest.raises(TypeError):
        services.update_organization(actor_of(world, "staff"), world.a, {"key": "renamed"})


# --- people ----------------------------------------------------------------------------------------


def test_a_member_adds_a_colleague_to_their_organization(world):
    person = services.create_person(
        actor_of(world, "member_a"), {"name_en": "Lee", "name_ko": "이"}, world.a, title_en="Engineer"
    )

    affiliation = Affiliation.objects.get(person=person)
    assert (person.key, affiliation.organization, affiliation.title_en) == ("lee", world.a, "Engineer")
    entries = list(registry_state_entries())
    assert entries == [
        (
            "registry.person.created",
            person.pk,
            {
                "key": [None, "lee"],
                "name_ko": [None, "이"],
                "name_ko_origin": [None, "original"],
                "name_en": [None, "Lee"],
                "name_en_origin": [None, "original"],
                "is_public": [None, False],
            },
        ),
        (
            "registry.affiliation.created",
            affiliation.pk,
            {
                "person": [None, person.pk],
                "organization": [None, world.a.pk],
                "title_en": [None, "Engineer"],
                "confirmed_at": [None, affiliation.confirmed_at.isoformat()],
                "confirmed_by": [None, world.users["member_a"].pk],
            },
        ),
    ]


def registry_state_entries():
    from dari.accounts.models import AuditEntry

    for entry in AuditEntry.objects.order_by("pk"):
        yield entry.action, entry.object_id, entry.changes


@pytest.mark.parametrize(
    ("persona", "where"), [("outsider", None), ("member_b", "a"), ("member_a", None), ("anonymous", "a")]
)
def test_people_are_added_only_by_staff_or_to_ones_own_organization(world, persona, where):
    organization = getattr(world, where) if where else None

    assert_refused(services.create_person, actor_of(world, persona), {"name_en": "Lee"}, organization)


def test_a_person_needs_a_name(world):
    errors = field_errors(services.create_person, actor_of(world, "staff"), {"email": "not-an-address"})

    assert errors == {
        "__all__": ["Give a name in Korean or in English."],
        "email": ["Enter a valid email address."],
    }


@pytest.mark.parametrize("persona", ["admin_a", "staff"])
def test_administrators_of_a_confirmed_organization_and_staff_edit_a_person(world, persona):
    old_name = world.person.name_ko
    services.update_person(actor_of(world, persona), world.person, {"name_ko": "김", "is_public": False})

    entry = only_entry()
    assert (entry.action, entry.actor, entry.object_id, entry.changes) == (
        "registry.person.changed",
        world.users[persona],
        world.person.pk,
        {"name_ko": [old_name, "김"], "is_public": [True, False]},
    )


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member_a", "member_b", "manager"])
def test_others_may_not_edit_a_person(world, persona):
    assert_refused(services.update_person, actor_of(world, persona), world.person, {"name_en": "Changed"})


# --- affiliations ----------------------------------------------------------------------------------


def test_a_member_adds_changes_and_removes_an_affiliation(world):
    actor = actor_of(world, "member_a")
    person = PersonFactory(key="park", name_en="Park")

    affiliation = services.add_affiliation(
        actor, person, world.a, {"title_en": "Adviser", "started_on": date(2024, 1, 1)}
    )
    services.update_affiliation(
        actor, affiliation, {"title_en": "Senior adviser", "ended_on": date(2024, 12, 31)}
    )
    affiliation_id = affiliation.pk
    services.remove_affiliation(actor, affiliation)

    assert not Affiliation.objects.filter(person=person).exists()
    # Park is not the member's to claim: the affiliation is a request (unconfirmed) throughout.
    assert list(registry_state_entries()) == [
        (
            "registry.affiliation.requested",
            affiliation_id,
            {
                "person": [None, person.pk],
                "organization": [None, world.a.pk],
                "title_en": [None, "Adviser"],
                "started_on": [None, "2024-01-01"],
            },
        ),
        (
            "registry.affiliation.changed",
            affiliation_id,
            {"title_en": ["Adviser", "Senior adviser"], "ended_on": [None, "2024-12-31"]},
        ),
        (
            "registry.affiliation.deleted",
            affiliation_id,
            {
                "person": [person.pk, None],
                "organization": [world.a.pk, None],
                "title_en": ["Senior adviser", None],
                "started_on": ["2024-01-01", None],
                "ended_on": ["2024-12-31", None],
            },
        ),
    ]


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member_b", "manager"])
def test_others_may_not_touch_an_organizations_affiliations(world, persona):
    actor = actor_of(world, persona)
    affiliation = Affiliation.objects.get(person=world.person)

    assert_refused(services.add_affiliation, actor, PersonFactory(), world.a, {})
    assert_refused(services.update_affiliation, actor, affiliation, {"title_en": "Intern"})
    assert_refused(services.remove_affiliation, actor, affiliation)


def test_an_affiliation_cannot_end_before_it_starts_nor_be_recorded_twice(world):
    actor = actor_of(world, "member_a")

    backwards = field_errors(
        services.add_affiliation,
        actor,
        PersonFactory(),
        world.a,
        {"started_on": date(2024, 5, 1), "ended_on": date(2024, 1, 1)},
    )
    twice = field_errors(
        services.add_affiliation, actor, world.person, world.a, {"title_en": "Chief Executive"}
    )

    assert backwards == {"ended_on": ["The end date comes before the start date."]}
    assert twice == {
        "__all__": ["Affiliation with this Person, Organization and Title (English) already exists."]
    }


# --- relationships ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member_a", "member_b", "staff"])
def test_members_of_either_side_record_and_remove_a_relationship(world, persona):
    actor = actor_of(world, persona)

    relationship = services.add_relationship(
        actor, world.a, "partners_with", world.b, {"note_en": "Joint pilot"}
    )
    relationship_id = relationship.pk
    services.remove_relationship(actor, relationship)

    assert not Relationship.objects.exists()
    assert list(registry_state_entries()) == [
        (
            "registry.relationship.created",
            relationship_id,
            {
                "subject": [None, world.a.pk],
                "kind": [None, "partners_with"],
                "object": [None, world.b.pk],
                "note_en": [None, "Joint pilot"],
            },
        ),
        (
            "registry.relationship.deleted",
            relationship_id,
            {
                "subject": [world.a.pk, None],
                "kind": ["partners_with", None],
                "object": [world.b.pk, None],
                "note_en": ["Joint pilot", None],
            },
        ),
    ]


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "manager"])
def test_others_may_not_record_or_remove_relationships(world, persona):
    existing = Relationship.objects.create(subject=world.a, kind="supplies", object=world.b)

    assert_refused(services.add_relationship, actor_of(world, persona), world.a, "invests_in", world.b)
    assert_refused(services.remove_relationship, actor_of(world, persona), existing)


def test_a_relationship_needs_two_organizations_a_known_kind_and_no_twin(world):
    actor = actor_of(world, "staff")
    Relationship.objects.create(subject=world.a, kind="supplies", object=world.b)

    with_itself = field_errors(services.add_relationship, actor, world.a, "partners_with", world.a)
    unknown_kind = field_errors(services.add_relationship, actor, world.a, "befriends", world.b)
    twin = field_errors(services.add_relationship, actor, world.a, "supplies", world.b)

    assert with_itself == {"object": ["An organization cannot be related to itself."]}
    assert unknown_kind == {"kind": ["Value 'befriends' is not a valid choice."]}
    assert twin == {"__all__": ["Relationship with this Subject, Kind and Object already exists."]}


def test_services_are_not_open_to_the_system_actor_by_accident(world):
    from dari.accounts.audit import Actor

    assert_refused(services.update_organization, Actor.system(), world.a, {"name_en": "x"})
    assert Organization.objects.filter(name_en="x").count() == 0
    assert Person.objects.count() == 1
