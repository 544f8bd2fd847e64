"""Agreement use cases: who may do what (a table per service), the exact audit entry each writes, and
that a denied or invalid call changes nothing."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.agreements import services
from dari.agreements.models import ActionItem, Agreement, AgreementParty, CooperationArea, ProgressNote

from ..factories import OrganizationFactory, PersonFactory
from .conftest import PERSONAS, actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Audit entries label objects in the active language; these tests read them in English."""
    with translation.override("en"):
        yield


def audit_trail():
    """Every agreements.* audit entry, oldest first, as (action, actor, object label, changes)."""
    return [
        (entry.action, entry.actor_label, entry.object_label, entry.changes)
        for entry in AuditEntry.objects.filter(action__startswith="agreements.").order_by("pk")
    ]


def state():
    """Everything the services can change, to compare before and after a refused call."""
    return (
        list(Agreement.objects.order_by("pk").values()),
        list(AgreementParty.objects.order_by("pk").values()),
        list(CooperationArea.objects.order_by("pk").values()),
        list(ActionItem.objects.order_by("pk").values()),
        list(ProgressNote.objects.order_by("pk").values()),
        audit_trail(),
    )


def allowed_for(*personas):
    return [(persona, persona in personas) for persona in PERSONAS]


def attempt(world, persona, allowed, call):
    """Run ``call``; if the persona is not ``allowed``, expect PermissionDenied and no change at all."""
    if allowed:
        return call()
    before = state()
    with pytest.raises(PermissionDenied):
        call()
    assert state() == before
    return None


# --- agreements --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("staff"))
def test_only_staff_create_agreements(world, persona, allowed):
    created = attempt(
        world,
        persona,
        allowed,
        lambda: services.create_agreement(
            actor_of(world, persona),
            {
                "key": "new-mou",
                "title_en": "New MOU",
                "signed_at": datetime(2024, 1, 17, 10, 30),
                "signed_time_zone": "America/Los_Angeles",
            },
        ),
    )
    if allowed:
        assert created.signed_at == datetime(2024, 1, 17, 18, 30, tzinfo=UTC)
        assert audit_trail()[-1] == (
            "agreements.agreement.created",
            "staff",
            "New MOU",
            {
                "key": [None, "new-mou"],
                "kind": [None, "mou"],
                "title_en": [None, "New MOU"],
                "signed_at": [None, "2024-01-17T18:30:00+00:00"],
                "signed_time_zone": [None, "America/Los_Angeles"],
                "is_public": [None, True],
            },
        )


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("admin", "staff"))
def test_staff_and_party_administrators_change_agreements(world, persona, allowed):
    attempt(
        world,
        persona,
        allowed,
        lambda: services.update_agreement(
            actor_of(world, persona), world.agreement, {"title_en": "The revised MOU"}
        ),
    )
    if allowed:
        world.agreement.refresh_from_db()
        assert world.agreement.title_en == "The revised MOU"
        assert audit_trail() == [
            (
                "agreements.agreement.changed",
                world.users[persona].username,
                "The revised MOU",
                {"title_en": ["The MOU", "The revised MOU"]},
            )
        ]


def test_signing_time_entered_in_seoul_is_stored_in_utc_and_a_zone_change_keeps_the_instant(world):
    staff = actor_of(world, "staff")

    services.update_agreement(
        staff, world.agreement, {"signed_at": datetime(2024, 3, 4, 10, 0), "signed_time_zone": "Asia/Seoul"}
    )
    world.agreement.refresh_from_db()
    assert world.agreement.signed_at == datetime(2024, 3, 4, 1, 0, tzinfo=UTC)
    services.update_agreement(staff, world.agreement, {"signed_time_zone": "America/Los_Angeles"})
    world.agreement.refresh_from_db()

    assert world.agreement.signed_at == datetime(2024, 3, 4, 1, 0, tzinfo=UTC)
    assert world.agreement.signed_time_zone == "America/Los_Angeles"


def test_unknown_time_zone_is_invalid_and_changes_nothing(world):
    before = state()

    with pytest.raises(ValidationError) as error:
        services.update_agreement(
            actor_of(world, "staff"),
            world.agreement,
            {"signed_at": datetime(2024, 3, 4, 10, 0), "signed_time_zone": "Mars/Olympus"},
        )

    assert list(error.value.message_dict) == ["signed_time_zone"]
    assert state() == before


def test_a_duplicate_agreement_key_is_invalid(world):
    with pytest.raises(ValidationError) as error:
        services.create_agreement(actor_of(world, "staff"), {"key": "mou", "title_en": "Again"})

    assert list(error.value.message_dict) == ["key"]


# --- parties and areas -------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("admin", "staff"))
def test_adding_a_party_with_head_and_signatory(world, persona, allowed):
    organization = OrganizationFactory(key="org-c", name_en="Org C")
    mayor = PersonFactory(key="mayor")
    party = attempt(
        world,
        persona,
        allowed,
        lambda: services.add_party(
            actor_of(world, persona),
            world.agreement,
            organization,
            {"head": mayor, "head_title_en": "Mayor", "signatory": mayor, "signatory_title_en": "Mayor"},
        ),
    )
    if allowed:
        assert (party.position, party.head, party.signatory) == (3, mayor, mayor)
        (entry,) = audit_trail()
        assert entry[:3] == ("agreements.party.added", world.users[persona].username, "Org C")
        assert entry[3] == {
            "agreement": [None, world.agreement.pk],
            "organization": [None, organization.pk],
            "position": [None, 3],
            "head": [None, mayor.pk],
            "head_title_en": [None, "Mayor"],
            "signatory": [None, mayor.pk],
            "signatory_title_en": [None, "Mayor"],
        }


def test_the_same_organization_cannot_be_a_party_twice(world):
    with pytest.raises(ValidationError):
        services.add_party(actor_of(world, "staff"), world.agreement, world.organization_b)


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("admin", "staff"))
def test_removing_a_party_leaves_its_action_items_without_owner(world, persona, allowed):
    attempt(world, persona, allowed, lambda: services.remove_party(actor_of(world, persona), world.party_a))
    if allowed:
        world.item.refresh_from_db()
        assert world.item.owner_party is None
        assert [entry[:3] for entry in audit_trail()] == [
            ("agreements.party.removed", world.users[persona].username, "Org A")
        ]
        assert audit_trail()[0][3]["organization"] == [world.organization_a.pk, None]


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("admin", "staff"))
def test_adding_and_changing_cooperation_areas(world, persona, allowed):
    actor = actor_of(world, persona)
    old_title = world.area.title_en

    area = attempt(
        world, persona, allowed, lambda: services.add_area(actor, world.agreement, {"title_en": "Pilots"})
    )
    attempt(
        world, persona, allowed, lambda: services.update_area(actor, world.area, {"title_en": "Exchanges"})
    )

    if allowed:
        assert area.number == 2
        assert [(action, label, changes) for action, _actor, label, changes in audit_trail()] == [
            (
                "agreements.area.added",
                "2. Pilots",
                {
                    "agreement": [None, world.agreement.pk],
                    "number": [None, 2],
                    "title_en": [None, "Pilots"],
                },
            ),
            ("agreements.area.changed", "1. Exchanges", {"title_en": [old_title, "Exchanges"]}),
        ]


# --- action items ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("admin", "staff"))
def test_creating_an_action_item_with_a_due_time_in_los_angeles(world, persona, allowed):
    item = attempt(
        world,
        persona,
        allowed,
        lambda: services.create_action_item(
            actor_of(world, persona),
            world.agreement,
            {
                "title_en": "Host a delegation",
                "owner_party": world.party_b,
                "area": world.area,
                "due_at": datetime(2024, 9, 1, 17, 0),
                "due_time_zone": "America/Los_Angeles",
            },
        ),
    )
    if allowed:
        assert (item.key, item.status) == ("host-a-delegation", "open")
        assert item.due_at == datetime(2024, 9, 2, 0, 0, tzinfo=UTC)
        assert audit_trail() == [
            (
                "agreements.action_item.created",
                world.users[persona].username,
                "Host a delegation",
                {
                    "agreement": [None, world.agreement.pk],
                    "key": [None, "host-a-delegation"],
                    "area": [None, world.area.pk],
                    "title_en": [None, "Host a delegation"],
                    "owner_party": [None, world.party_b.pk],
                    "due_at": [None, "2024-09-02T00:00:00+00:00"],
                    "due_time_zone": [None, "America/Los_Angeles"],
                    "status": [None, "open"],
                },
            )
        ]


def test_an_owner_from_another_agreement_is_invalid(world):
    from ..factories import AgreementPartyFactory

    stranger = AgreementPartyFactory()

    with pytest.raises(ValidationError) as error:
        services.create_action_item(
            actor_of(world, "staff"), world.agreement, {"title_en": "X", "owner_party": stranger}
        )

    assert list(error.value.message_dict) == ["owner_party"]


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("member", "admin", "staff"))
def test_members_of_the_owner_organization_change_the_item(world, persona, allowed):
    attempt(
        world,
        persona,
        allowed,
        lambda: services.update_action_item(
            actor_of(world, persona),
            world.item,
            {"due_at": datetime(2024, 7, 1, 9, 0), "due_time_zone": "Asia/Seoul"},
        ),
    )
    if allowed:
        assert audit_trail() == [
            (
                "agreements.action_item.changed",
                world.users[persona].username,
                "Send the roster",
                {
                    "due_at": ["2024-06-30T15:00:00+00:00", "2024-07-01T00:00:00+00:00"],
                    "due_time_zone": ["America/Los_Angeles", "Asia/Seoul"],
                },
            )
        ]


def test_a_member_may_not_hand_the_item_to_another_party_but_an_administrator_may(world):
    with pytest.raises(PermissionDenied):
        services.update_action_item(actor_of(world, "member"), world.item, {"owner_party": world.party_b})

    services.update_action_item(actor_of(world, "admin"), world.item, {"owner_party": world.party_b})

    world.item.refresh_from_db()
    assert world.item.owner_party == world.party_b


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("member", "admin", "staff"))
def test_status_moves_open_in_progress_done(world, persona, allowed):
    actor = actor_of(world, persona)
    attempt(
        world, persona, allowed, lambda: services.change_action_item_status(actor, world.item, "in_progress")
    )
    if allowed:
        services.change_action_item_status(actor, world.item, "done")
        world.item.refresh_from_db()
        assert world.item.status == "done"
        assert [(action, changes) for action, _actor, _label, changes in audit_trail()] == [
            ("agreements.action_item.status_changed", {"status": ["open", "in_progress"]}),
            ("agreements.action_item.status_changed", {"status": ["in_progress", "done"]}),
        ]


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("open", "in_progress", True),
        ("open", "dropped", True),
        ("open", "done", False),
        ("in_progress", "done", True),
        ("in_progress", "dropped", True),
        ("in_progress", "open", False),
        ("done", "open", False),
        ("dropped", "in_progress", False),
        ("open", "finished", False),
    ],
)
def test_status_transitions(world, start, target, allowed):
    ActionItem.objects.filter(pk=world.item.pk).update(status=start)
    world.item.refresh_from_db()

    if allowed:
        services.change_action_item_status(actor_of(world, "member"), world.item, target)
    else:
        with pytest.raises(ValidationError):
            services.change_action_item_status(actor_of(world, "member"), world.item, target)

    world.item.refresh_from_db()
    assert world.item.status == (target if allowed else start)


@pytest.mark.parametrize(("persona", "allowed"), allowed_for("member", "admin", "staff"))
def test_progress_notes_are_written_by_the_acting_user(world, persona, allowed):
    note = attempt(
        world,
        persona,
        allowed,
        lambda: services.add_progress_note(
            actor_of(world, persona), world.item, {"text_en": "Roster drafted"}
        ),
    )
    if allowed:
        user = world.users[persona]
        assert (note.author, note.author_name, note.text_en) == (user, user.username, "Roster drafted")
        assert audit_trail() == [
            (
                "agreements.progress_note.added",
                user.username,
                "Roster drafted",
                {
                    "action_item": [None, world.item.pk],
                    "text_en": [None, "Roster drafted"],
                    "author": [None, user.pk],
                },
            )
        ]


def test_an_empty_progress_note_is_invalid(world):
    with pytest.raises(ValidationError):
        services.add_progress_note(actor_of(world, "member"), world.item, {"text_ko": " ", "text_en": ""})

    assert ProgressNote.objects.count() == 0


def test_the_system_actor_may_not_write():
    with pytest.raises(PermissionDenied):
        services.create_agreement(Actor.system(), {"key": "x"})
