"""A small world for the follow-through rules: one agreement between organizations A and B, an area,
and an action item owned by A; and the personas the permission tables are written against.

- ``anonymous``: not signed in;
- ``outsider``: signed in, no membership;
- ``member``: member of A (a party organization, the owner of the item);
- ``admin``: administrator of A;
- ``other_member``: member of B (a party, not the owner);
- ``staff``: the partnership-wide staff role.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership

from ..factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    CooperationAreaFactory,
    OrganizationFactory,
    UserFactory,
)

PERSONAS = ("anonymous", "outsider", "member", "admin", "other_member", "staff")


@pytest.fixture
def world(db):
    organization_a = OrganizationFactory(key="org-a", name_en="Org A", name_ko="기관 A")
    organization_b = OrganizationFactory(key="org-b", name_en="Org B", name_ko="기관 B")
    agreement = AgreementFactory(key="mou", title_en="The MOU", title_ko="업무 협약")
    party_a = AgreementPartyFactory(agreement=agreement, organization=organization_a, position=1)
    party_b = AgreementPartyFactory(agreement=agreement, organization=organization_b, position=2)
    area = CooperationAreaFactory(agreement=agreement, number=1)
    item = ActionItemFactory(
        agreement=agreement,
        key="item",
        title_en="Send the roster",
        title_ko="명단 보내기",
        owner_party=party_a,
        area=area,
        due_at=datetime(2024, 6, 30, 15, 0, tzinfo=UTC),
        due_time_zone="America/Los_Angeles",
    )
    users = {
        "outsider": UserFactory(username="outsider"),
        "member": UserFactory(username="member-a"),
        "admin": UserFactory(username="admin-a"),
        "other_member": UserFactory(username="member-b"),
        "staff": UserFactory(username="staff"),
    }
    system = Actor.system()
    grant_membership(system, users["member"], Role.ORGANIZATION_MEMBER, organization_a)
    grant_membership(system, users["admin"], Role.ORGANIZATION_ADMIN, organization_a)
    grant_membership(system, users["other_member"], Role.ORGANIZATION_MEMBER, organization_b)
    grant_membership(system, users["staff"], Role.STAFF)

    class World:
        pass

    world = World()
    world.__dict__.update(
        organization_a=organization_a,
        organization_b=organization_b,
        agreement=agreement,
        party_a=party_a,
        party_b=party_b,
        area=area,
        item=item,
        users=users,
    )
    return world


def user_of(world, persona):
    return AnonymousUser() if persona == "anonymous" else world.users[persona]


def actor_of(world, persona) -> Actor:
    return Actor(None if persona == "anonymous" else world.users[persona], "10.0.0.1")


@pytest.fixture
def client_of(world, api_client):
    """``client_of("member")``: a test client signed in as the persona (or anonymous)."""

    def make(persona):
        client = api_client(None if persona == "anonymous" else world.users[persona])
        client.cookies["django_language"] = "en"
        return client

    return make
