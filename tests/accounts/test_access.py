"""Who sees which rows and fields, by membership. The rules, as a table per kind of record."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Membership, Role
from dari.accounts.services import grant_membership, revoke_membership
from dari.agreements.models import Agreement
from dari.core import redaction
from dari.outcomes.models import Outcome
from dari.programs.models import Program
from dari.registry.models import Organization, Person

from ..factories import (
    AffiliationFactory,
    AgreementPartyFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
)
from ..helpers import get_json

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()


@pytest.fixture
def world():
    """Two private startups; A is in a public program P; each has a confidential investment."""
    startup_a = OrganizationFactory(key="startup-a", is_public=False)
    startup_b = OrganizationFactory(key="startup-b", is_public=False)
    open_startup = OrganizationFactory(key="open-startup", is_public=True)
    program = ProgramFactory(key="program-p", is_public=True)
    hidden_program = ProgramFactory(key="program-hidden", is_public=False)
    ParticipantFactory(program=program, organization=startup_a)
    ParticipantFactory(program=hidden_program, organization=startup_b)
    investment = {"kind": "investment", "stage": "in_review", "amount": "3000000", "currency": "USD"}
    OutcomeFactory(key="outcome-a", startup=startup_a, program=program, **investment)
    OutcomeFactory(key="outcome-b", startup=startup_b, program=hidden_program, **investment)
    OutcomeFactory(key="outcome-open", startup=open_startup, program=program, **investment)
    AffiliationFactory(person__key="person-a", person__is_public=False, organization=startup_a)
    AgreementPartyFactory(agreement__key="agreement-a", agreement__is_public=False, organization=startup_a)

    users = {
        "anonymous": None,
        "outsider": UserFactory(username="outsider"),
        "member_a": UserFactory(username="member-a"),
        "manager_p": UserFactory(username="manager-p"),
        "open_member": UserFactory(username="open-member"),
        "staff": UserFactory(username="partnership-staff"),
    }
    grant_membership(SYSTEM, users["member_a"], Role.ORGANIZATION_MEMBER, startup_a)
    grant_membership(SYSTEM, users["manager_p"], Role.PROGRAM_MANAGER, program)
    grant_membership(SYSTEM, users["open_member"], Role.ORGANIZATION_MEMBER, open_startup)
    grant_membership(SYSTEM, users["staff"], Role.STAFF)
    return users


def keys(queryset):
    return sorted(queryset.values_list("key", flat=True))


def as_user(users, persona):
    from django.contrib.auth.models import AnonymousUser

    return users[persona] or AnonymousUser()


ORGANIZATIONS = {
    "anonymous": ["open-startup"],
    "outsider": ["open-startup"],
    "member_a": ["open-startup", "startup-a"],
    "manager_p": ["open-startup", "startup-a"],
    "open_member": ["open-startup"],
    "staff": ["open-startup", "startup-a", "startup-b"],
}

OUTCOMES = {
    "anonymous": ["outcome-open"],
    "outsider": ["outcome-open"],
    "member_a": ["outcome-a", "outcome-open"],
    "manager_p": ["outcome-a", "outcome-open"],
    "open_member": ["outcome-open"],
    "staff": ["outcome-a", "outcome-b", "outcome-open"],
}

# Outcomes whose amount (under negotiation) the persona sees.
AMOUNTS = {
    "anonymous": [],
    "outsider": [],
    "member_a": ["outcome-a"],
    "manager_p": ["outcome-a", "outcome-open"],
    "open_member": ["outcome-open"],
    "staff": ["outcome-a", "outcome-b", "outcome-open"],
}

PROGRAMS = {
    "anonymous": ["program-p"],
    "outsider": ["program-p"],
    "member_a": ["program-p"],
    "manager_p": ["program-p"],
    "open_member": ["program-p"],
    "staff": ["program-hidden", "program-p"],
}


@pytest.mark.parametrize("persona", list(ORGANIZATIONS))
def test_rows_each_persona_sees(world, persona):
    user = as_user(world, persona)

    organizations = [
        key for key in keys(Organization.objects.visible_to(user)) if key in ORGANIZATIONS["staff"]
    ]
    assert organizations == ORGANIZATIONS[persona]
    assert keys(Outcome.objects.visible_to(user)) == OUTCOMES[persona]
    assert keys(Program.objects.visible_to(user)) == PROGRAMS[persona]
    sees_private_colleague = persona in {"member_a", "staff"}
    assert Person.objects.visible_to(user).filter(key="person-a").exists() is sees_private_colleague
    assert Agreement.objects.visible_to(user).filter(key="agreement-a").exists() is sees_private_colleague


@pytest.mark.parametrize("persona", list(AMOUNTS))
def test_confidential_amounts_each_persona_sees(world, persona):
    user = as_user(world, persona)

    shown = [
        outcome.key
        for outcome in Outcome.objects.visible_to(user).order_by("key")
        if redaction.shown(user, outcome, "amount") is not None
    ]

    assert shown == AMOUNTS[persona]


@pytest.mark.parametrize("persona", ["outsider", "member_a", "manager_p", "staff"])
def test_the_api_applies_the_same_rules(world, client, persona):
    client.force_login(world[persona])

    outcomes = get_json(client, "/api/v1/outcomes")["items"]
    organizations = get_json(client, "/api/v1/organizations?limit=500")["items"]

    assert sorted(item["key"] for item in outcomes) == OUTCOMES[persona]
    assert sorted(item["key"] for item in outcomes if item["amount"] is not None) == AMOUNTS[persona]
    assert (
        sorted(item["key"] for item in organizations if item["key"] in ORGANIZATIONS["staff"])
        == (ORGANIZATIONS[persona])
    )


def test_granting_and_revoking_is_audited_and_takes_effect_at_once(world):
    member = world["outsider"]
    startup_b = Organization.objects.get(key="startup-b")
    staff = Actor(world["staff"], "10.0.0.7")

    membership = grant_membership(staff, member, Role.ORGANIZATION_MEMBER, startup_b)
    assert "startup-b" in keys(Organization.objects.visible_to(member))
    revoke_membership(staff, membership)

    assert "startup-b" not in keys(Organization.objects.visible_to(member))
    entries = AuditEntry.objects.filter(action__startswith="accounts.membership.", actor=world["staff"])
    assert sorted(entries.values_list("action", "ip_address")) == [
        ("accounts.membership.granted", "10.0.0.7"),
        ("accounts.membership.revoked", "10.0.0.7"),
    ]


def test_only_administrators_and_staff_grant_roles(world):
    from django.core.exceptions import PermissionDenied

    startup_a = Organization.objects.get(key="startup-a")
    admin = UserFactory(username="admin-a")
    grant_membership(SYSTEM, admin, Role.ORGANIZATION_ADMIN, startup_a)

    with pytest.raises(PermissionDenied):
        grant_membership(Actor(world["member_a"]), world["outsider"], Role.ORGANIZATION_MEMBER, startup_a)
    with pytest.raises(PermissionDenied):
        grant_membership(Actor(admin), world["outsider"], Role.STAFF)
    grant_membership(Actor(admin), world["outsider"], Role.ORGANIZATION_MEMBER, startup_a)

    assert Membership.objects.filter(user=world["outsider"], role=Role.ORGANIZATION_MEMBER).count() == 1


def test_a_role_needs_the_right_kind_of_scope(world):
    from django.core.exceptions import ValidationError

    program = Program.objects.get(key="program-p")

    with pytest.raises(ValidationError):
        grant_membership(SYSTEM, world["outsider"], Role.ORGANIZATION_MEMBER, program)
    with pytest.raises(ValidationError):
        grant_membership(SYSTEM, world["outsider"], Role.STAFF, program)
