"""Merging a duplicate organization: every app's references move to the kept one, collisions fold."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Membership, Role
from dari.accounts.services import grant_membership
from dari.agreements.models import ActionItem, AgreementParty
from dari.outcomes.models import Outcome
from dari.programs.models import Participant, ProgramRole
from dari.registry import services
from dari.registry.models import Affiliation, Organization, Relationship

from ..factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipantFactory,
    PersonFactory,
    ProgramFactory,
    ProgramRoleFactory,
    SectorFactory,
    UserFactory,
)
from .conftest import actor_of, registry_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(world):
    """ "Startup A" registered twice; the copy has a website and a short name the original lacks."""
    return OrganizationFactory(
        key="startup-a-copy",
        name_ko="",
        name_en="Startup A (copy)",
        website="https://startup-a.example",
        short_name_en="SA",
        cluster=None,
    )


def test_a_merge_moves_every_reference_and_fills_empty_fields(world, duplicate):
    keep = world.a
    other = world.b
    investor = OrganizationFactory(key="investor", kind="investor")
    party = AgreementPartyFactory(organization=duplicate)
    participant = ParticipantFactory(program=world.program, organization=duplicate)
    role = ProgramRoleFactory(organization=duplicate)
    as_startup = OutcomeFactory(startup=duplicate)
    as_counterparty = OutcomeFactory(startup=other, counterparty=duplicate, kind="investment", stage="closed")
    newcomer = PersonFactory(key="newcomer")
    affiliation = Affiliation.objects.create(person=newcomer, organization=duplicate, title_en="CTO")
    invests = Relationship.objects.create(subject=investor, kind="invests_in", object=duplicate)
    member = UserFactory(username="member-of-copy")
    membership = grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, duplicate)
    tag = SectorFactory(key="diagnostics")
    duplicate.sectors.set([tag])
    duplicate_id = duplicate.pk
    AuditEntry.objects.all().delete()

    services.merge_organizations(actor_of(world, "staff"), keep, duplicate)

    assert not Organization.objects.filter(pk=duplicate_id).exists()
    assert AgreementParty.objects.get(pk=party.pk).organization_id == keep.pk
    assert Participant.objects.get(pk=participant.pk).organization_id == keep.pk
    assert ProgramRole.objects.get(pk=role.pk).organization_id == keep.pk
    assert Outcome.objects.get(pk=as_startup.pk).startup_id == keep.pk
    assert Outcome.objects.get(pk=as_counterparty.pk).counterparty_id == keep.pk
    assert Affiliation.objects.get(pk=affiliation.pk).organization_id == keep.pk
    assert Relationship.objects.get(pk=invests.pk).object_id == keep.pk
    assert Membership.objects.get(pk=membership.pk).scope_id == keep.pk
    keep.refresh_from_db()
    assert (keep.name_en, keep.name_ko, keep.website, keep.short_name_en, keep.cluster) == (
        "Startup A",
        "스타트업 에이",
        "https://startup-a.example",
        "SA",
        world.cluster,
    )
    assert list(keep.sectors.all()) == [tag]

    kept_entry, duplicate_entry = (
        AuditEntry.objects.get(object_id=keep.pk, object_type__model="organization"),
        AuditEntry.objects.get(object_id=duplicate_id, object_type__model="organization"),
    )
    assert (kept_entry.action, kept_entry.actor) == ("registry.organization.merged", world.users["staff"])
    assert kept_entry.changes == {
        "website": ["", "https://startup-a.example"],
        "short_name_en": ["", "SA"],
        "sectors": [[], [tag.pk]],
        "merged_from": [None, f"Startup A (copy) (#{duplicate_id}, startup-a-copy)"],
        "moved": [
            None,
            {
                "accounts.membership.scope_id": 1,
                "agreements.agreementparty.organization_id": 1,
                "outcomes.outcome.counterparty_id": 1,
                "outcomes.outcome.startup_id": 1,
                "programs.participant.organization_id": 1,
                "programs.programrole.organization_id": 1,
                "registry.affiliation.organization_id": 1,
                "registry.organization_sectors.organization_id": 1,
                "registry.relationship.object_id": 1,
            },
        ],
    }
    assert (duplicate_entry.action, duplicate_entry.changes) == (
        "registry.organization.merged",
        {"merged_into": [None, f"Startup A (#{keep.pk}, startup-a)"]},
    )


def test_rows_both_organizations_already_have_are_folded_not_duplicated(world, duplicate):
    keep = world.a
    agreement = AgreementFactory()
    kept_party = AgreementPartyFactory(agreement=agreement, organization=keep)
    dropped_party = AgreementPartyFactory(agreement=agreement, organization=duplicate)
    action_item = ActionItemFactory(agreement=agreement, owner_party=dropped_party)
    program = ProgramFactory()
    ParticipantFactory(program=program, organization=keep)
    ParticipantFactory(program=program, organization=duplicate)
    Relationship.objects.create(subject=keep, kind="partners_with", object=world.b)
    Relationship.objects.create(subject=duplicate, kind="partners_with", object=world.b)
    Relationship.objects.create(subject=duplicate, kind="part_of", object=keep)
    both = world.users["member_a"]
    grant_membership(Actor.system(), both, Role.ORGANIZATION_MEMBER, duplicate)
    Affiliation.objects.create(person=world.person, organization=duplicate, title_en="Chief Executive")

    services.merge_organizations(actor_of(world, "staff"), keep, duplicate)

    assert list(AgreementParty.objects.filter(agreement=agreement).values_list("pk", flat=True)) == [
        kept_party.pk
    ]
    assert ActionItem.objects.get(pk=action_item.pk).owner_party_id == kept_party.pk
    assert list(Participant.objects.filter(program=program).values_list("organization", flat=True)) == [
        keep.pk
    ]
    assert list(Relationship.objects.values_list("subject", "kind", "object")) == [
        (keep.pk, "partners_with", world.b.pk)
    ]
    assert Membership.objects.filter(user=both).count() == 1
    assert Affiliation.objects.filter(person=world.person).count() == 1
    moved = AuditEntry.objects.get(object_id=keep.pk, action="registry.organization.merged").changes["moved"][
        1
    ]
    assert moved == {
        "accounts.membership.scope_id (merged)": 1,
        "agreements.agreementparty.organization_id (merged)": 1,
        "programs.participant.organization_id (merged)": 1,
        "registry.affiliation.organization_id (merged)": 1,
        "registry.relationship.subject_id (dropped)": 1,
        "registry.relationship.subject_id (merged)": 1,
    }


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member_a", "admin_a", "manager"])
def test_only_staff_merge(world, duplicate, persona):
    before = registry_state()

    with pytest.raises(PermissionDenied):
        services.merge_organizations(actor_of(world, persona), world.a, duplicate)

    assert registry_state() == before


def test_an_organization_is_not_merged_into_itself(world):
    before = registry_state()

    with pytest.raises(ValidationError) as raised:
        services.merge_organizations(actor_of(world, "staff"), world.a, world.a)

    assert raised.value.message_dict == {"duplicate": ["Choose another organization than the one kept."]}
    assert registry_state() == before
