"""Who may change what in the registry, as a table per predicate."""

import pytest

from dari.registry.models import Affiliation, Relationship
from dari.registry.permissions import (
    can_change_affiliation,
    can_change_organization,
    can_change_person,
    can_change_relationship,
    can_create_organization,
    can_create_person,
    can_merge_organizations,
)

from .conftest import PERSONAS, user_of

pytestmark = pytest.mark.django_db

# persona: (create organization, change A, change B, merge, create person at A, change Kim (at A,
# confirmed): A's administrators keep the people confirmed as A's, its members do not)
RULES = {
    "anonymous": (False, False, False, False, False, False),
    "outsider": (False, False, False, False, False, False),
    "member_a": (False, True, False, False, True, False),
    "admin_a": (False, True, False, False, True, True),
    "member_b": (False, False, True, False, False, False),
    "manager": (True, False, False, False, False, False),
    "staff": (True, True, True, True, True, True),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_change_the_registry(world, persona):
    user = user_of(world, persona)

    found = (
        can_create_organization(user),
        can_change_organization(user, world.a),
        can_change_organization(user, world.b),
        can_merge_organizations(user),
        can_create_person(user, world.a),
        can_change_person(user, world.person),
    )

    assert found == RULES[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_ties_are_changed_by_members_of_either_side(world, persona):
    user = user_of(world, persona)
    tie = Relationship(subject=world.a, kind="partners_with", object=world.b)
    affiliation = Affiliation(person=world.person, organization=world.b)

    assert can_change_relationship(user, tie) is (persona in {"member_a", "admin_a", "member_b", "staff"})
    assert can_change_affiliation(user, affiliation) is (persona in {"member_b", "staff"})


def test_permission_checks_read_memberships_once(world, django_assert_num_queries):
    user = world.users["member_a"]

    with django_assert_num_queries(1):
        for _ in range(10):
            can_change_organization(user, world.a)
            can_change_organization(user, world.b)
            can_change_relationship(user, Relationship(subject=world.a, object=world.b))
