"""The registry's write tests share one small world: two public startups, a private one, and a user
for every persona the permission rules name."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.registry.models import Affiliation, Organization, Person, Relationship

from ..factories import (
    AffiliationFactory,
    ClusterFactory,
    OrganizationFactory,
    ProgramFactory,
    SectorFactory,
    UserFactory,
)

PERSONAS = ("anonymous", "outsider", "member_a", "admin_a", "member_b", "manager", "staff")


@pytest.fixture(autouse=True)
def english():
    """Messages in English, as the tests assert them (pages set the language cookie as well)."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    cluster = ClusterFactory(key="ulsan")
    sector = SectorFactory(key="digital-health", name_en="Digital health")
    a = OrganizationFactory(key="startup-a", name_ko="스타트업 에이", name_en="Startup A", cluster=cluster)
    b = OrganizationFactory(key="startup-b", name_ko="스타트업 비", name_en="Startup B", cluster=cluster)
    hidden = OrganizationFactory(key="hidden-c", name_en="Hidden C", is_public=False)
    person = AffiliationFactory(
        person__key="kim",
        person__name_en="Kim",
        person__public_listing_basis="consent",
        organization=a,
        title_en="Chief Executive",
    ).person
    program = ProgramFactory(key="program-p")
    users = {
        "anonymous": None,
        "outsider": UserFactory(username="outsider"),
        "member_a": UserFactory(username="member-a"),
        "admin_a": UserFactory(username="admin-a"),
        "member_b": UserFactory(username="member-b"),
        "manager": UserFactory(username="manager"),
        "staff": UserFactory(username="staff-user", is_staff=True),
    }
    system = Actor.system()
    grant_membership(system, users["member_a"], Role.ORGANIZATION_MEMBER, a)
    grant_membership(system, users["admin_a"], Role.ORGANIZATION_ADMIN, a)
    grant_membership(system, users["member_b"], Role.ORGANIZATION_MEMBER, b)
    grant_membership(system, users["manager"], Role.PROGRAM_MANAGER, program)
    AuditEntry.objects.all().delete()  # the grants' entries; each test reads only its own
    return SimpleNamespace(
        a=a, b=b, hidden=hidden, person=person, cluster=cluster, sector=sector, program=program, users=users
    )


def user_of(world, persona):
    return world.users[persona] or AnonymousUser()


def actor_of(world, persona) -> Actor:
    return Actor(user=world.users[persona])


def registry_state() -> dict:
    """Every row a registry write could touch, to compare before and after a refused request."""
    return {
        "organizations": list(Organization.objects.order_by("pk").values()),
        "sectors": list(Organization.sectors.through.objects.order_by("pk").values()),
        "people": list(Person.objects.order_by("pk").values()),
        "affiliations": list(Affiliation.objects.order_by("pk").values()),
        "relationships": list(Relationship.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True)),
    }


def only_entry() -> AuditEntry:
    """The single audit entry written since the world was built."""
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1, [entry.action for entry in entries]
    return entries[0]
