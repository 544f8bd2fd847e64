"""Partnering events: set up by staff and organizers (days, slots, locations, rules), moved along their
one status machine, and the organizer and delegate roles in the scoped-membership model."""

import json
from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Invitation, Role
from dari.accounts.services import can_grant, grant_membership, invite
from dari.partnering.models import Event
from dari.partnering.services import (
    EVENT_STATUS,
    add_event_day,
    add_location,
    create_event,
    set_event_status,
    update_event,
)

from ..factories import OrganizationFactory, UserFactory
from ..helpers import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


Status = Event.Status


@pytest.fixture
def people():
    system = Actor.system()
    users = {name: UserFactory(username=name) for name in ("staff", "organizer", "outsider", "admin")}
    grant_membership(system, users["staff"], Role.STAFF)
    return users


def make_event(people, **values) -> Event:
    values = {"name_en": "Bio partnering", "time_zone": "America/Los_Angeles", **values}
    return create_event(Actor(people["staff"]), {**values, "organizers": [people["organizer"]]})


def add_day(event, actor_user, day=date(2024, 1, 17), starts=time(9), ends=time(12), breaks="10:30-11:00"):
    return add_event_day(
        Actor(actor_user), event, {"date": day, "starts": starts, "ends": ends, "breaks": breaks}
    )


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_staff_create_an_event_whose_organizer_adds_days_slots_and_locations(people):
    event = make_event(people, slot_minutes=30)
    organizer = people["organizer"]

    add_day(event, organizer)
    add_location(Actor(organizer), event, {"name_en": "Table 1", "kind": "table", "capacity": 4})

    # 09:00-12:00 PST with a break 10:30-11:00: five half-hour slots, stored as UTC instants.
    assert [(slot.starts_at, slot.ends_at) for slot in event.slots.all()] == [
        (utc(2024, 1, 17, 17, 0), utc(2024, 1, 17, 17, 30)),
        (utc(2024, 1, 17, 17, 30), utc(2024, 1, 17, 18, 0)),
        (utc(2024, 1, 17, 18, 0), utc(2024, 1, 17, 18, 30)),
        (utc(2024, 1, 17, 19, 0), utc(2024, 1, 17, 19, 30)),
        (utc(2024, 1, 17, 19, 30), utc(2024, 1, 17, 20, 0)),
    ]
    assert event.status == Status.DRAFT
    assert list(event.locations.values_list("name_en", "capacity")) == [("Table 1", 4)]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "partnering.event.created",
        "partnering.event_day.created",
        "partnering.location.created",
    } <= actions


def test_a_pause_between_meetings_and_a_new_length_make_the_slots_again(people):
    event = make_event(people)
    add_day(event, people["organizer"], breaks="")

    update_event(Actor(people["organizer"]), event, {"slot_minutes": 45, "gap_minutes": 15})

    starts = [slot.starts_at.astimezone(UTC).strftime("%H:%M") for slot in event.slots.all()]
    assert starts == ["17:00", "18:00", "19:00"]


def test_a_day_starting_at_a_time_the_clocks_repeat_is_refused_never_shifted(people):
    event = make_event(people)

    with pytest.raises(ValidationError) as refused:
        add_day(
            event, people["organizer"], day=date(2024, 11, 3), starts=time(1, 30), ends=time(5), breaks=""
        )

    assert "starts" in refused.value.message_dict
    assert "01:30 PDT" in refused.value.message_dict["starts"][0]
    assert not event.slots.exists()


def test_a_break_outside_the_day_and_a_day_without_room_for_a_meeting_are_refused(people):
    event = make_event(people)
    organizer = people["organizer"]
    with pytest.raises(ValidationError) as outside:
        add_day(event, organizer, breaks="08:00-09:30")
    with pytest.raises(ValidationError) as no_room:
        add_day(event, organizer, starts=time(9), ends=time(9, 20), breaks="")
    with pytest.raises(ValidationError) as garbled:
        add_day(event, organizer, breaks="noon")

    assert list(outside.value.message_dict) == ["breaks"]
    assert list(no_room.value.message_dict) == ["ends"]
    assert list(garbled.value.message_dict) == ["breaks"]
    assert not event.days.exists()


def test_a_rule_needs_both_sides_and_known_kinds(people):
    with pytest.raises(ValidationError) as one_side:
        make_event(people, meet_kinds_a=["startup"])
    with pytest.raises(ValidationError) as unknown:
        make_event(people, meet_kinds_a=["startup"], meet_kinds_b=["dragons"])

    assert "meet_kinds_b" in one_side.value.message_dict
    assert "meet_kinds_b" in unknown.value.message_dict
    event = make_event(people, meet_kinds_a=["startup"], meet_kinds_b=["investor", "corporate"])
    assert event.allows_pair("startup", "investor") and event.allows_pair("corporate", "startup")
    assert not event.allows_pair("startup", "startup") and not event.allows_pair("startup", "hospital")


# --- status ------------------------------------------------------------------------------------------

ALLOWED = {
    (Status.DRAFT, Status.REGISTRATION),
    (Status.DRAFT, Status.CLOSED),
    (Status.REGISTRATION, Status.SCHEDULING),
    (Status.REGISTRATION, Status.CLOSED),
    (Status.SCHEDULING, Status.REGISTRATION),
    (Status.SCHEDULING, Status.PUBLISHED),
    (Status.SCHEDULING, Status.CLOSED),
    (Status.PUBLISHED, Status.SCHEDULING),
    (Status.PUBLISHED, Status.CLOSED),
}


def test_the_status_table():
    assert {pair for pair in EVENT_STATUS.pairs() if EVENT_STATUS.allows(*pair)} == ALLOWED
    assert [state for state in Status.values if EVENT_STATUS.is_final(state)] == [Status.CLOSED]


@pytest.mark.parametrize(("old", "new"), EVENT_STATUS.pairs())
def test_every_move_of_an_event(people, old, new):
    event = make_event(people)
    add_day(event, people["organizer"])
    Event.objects.filter(pk=event.pk).update(status=old)
    event.refresh_from_db()
    entries = AuditEntry.objects.count()

    if (old, new) in ALLOWED:
        moved = set_event_status(Actor(people["organizer"]), event, new)
        assert Event.objects.get(pk=event.pk).status == new == moved.status
        entry = AuditEntry.objects.latest("pk")
        assert (entry.action, entry.changes) == ("partnering.event.status_changed", {"status": [old, new]})
    else:
        with pytest.raises(ValidationError) as refused:
            set_event_status(Actor(people["organizer"]), event, new)
        assert list(refused.value.message_dict) == ["status"]
        assert Event.objects.get(pk=event.pk).status == old
        assert AuditEntry.objects.count() == entries


def test_registration_opens_only_with_slots_and_only_organizers_move_the_event(people):
    event = make_event(people)
    with pytest.raises(ValidationError) as no_slots:
        set_event_status(Actor(people["organizer"]), event, Status.REGISTRATION)
    with pytest.raises(PermissionDenied):
        set_event_status(Actor(people["outsider"]), event, Status.CLOSED)

    assert "day" in no_slots.value.message_dict["status"][0]
    assert Event.objects.get(pk=event.pk).status == Status.DRAFT


def test_times_are_fixed_once_the_schedule_is_published(people):
    event = make_event(people)
    add_day(event, people["organizer"])
    Event.objects.filter(pk=event.pk).update(status=Status.PUBLISHED)
    event.refresh_from_db()

    with pytest.raises(ValidationError):
        update_event(Actor(people["organizer"]), event, {"slot_minutes": 20})
    with pytest.raises(ValidationError):
        add_day(event, people["organizer"], day=date(2024, 1, 18))

    update_event(Actor(people["organizer"]), event, {"name_ko": "바이오 파트너링"})
    assert event.slots.count() == 5
    assert Event.objects.get(pk=event.pk).name_ko == "바이오 파트너링"


# --- roles -------------------------------------------------------------------------------------------


def test_organizers_grant_the_event_roles_of_their_events_only(people):
    event = make_event(people)
    other = create_event(Actor(people["staff"]), {"name_en": "Another event", "time_zone": "Asia/Seoul"})
    organizer = people["organizer"]
    startup = OrganizationFactory()

    assert can_grant(organizer, Role.EVENT_DELEGATE, event)
    assert can_grant(organizer, Role.EVENT_ORGANIZER, event)
    assert not can_grant(organizer, Role.EVENT_DELEGATE, other)
    assert not can_grant(organizer, Role.ORGANIZATION_MEMBER, startup)
    assert not can_grant(people["outsider"], Role.EVENT_DELEGATE, event)

    invitation = invite(Actor(organizer), "guest@dari.invalid", Role.EVENT_DELEGATE, event)
    assert (invitation.role, invitation.scope) == (Role.EVENT_DELEGATE, event)
    with pytest.raises(PermissionDenied):
        invite(Actor(organizer), "guest@dari.invalid", Role.EVENT_ORGANIZER, other)
    with pytest.raises(ValidationError):
        invite(Actor(people["staff"]), "guest@dari.invalid", Role.EVENT_ORGANIZER, startup)
    assert Invitation.objects.count() == 1


def test_the_invitation_form_offers_an_organizer_their_event(people, client):
    event = make_event(people)
    client.force_login(people["organizer"])

    page = client.get("/accounts/invitations/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    sent = client.post(
        "/accounts/invitations/new/",
        {
            "email": "delegate@dari.invalid",
            "role": Role.EVENT_DELEGATE,
            "scope": f"partnering.event:{event.pk}",
        },
    )

    assert "Bio partnering" in page and "event delegate" in page
    assert sent.status_code == 302
    assert Invitation.objects.get().scope == event


# --- pages and API -----------------------------------------------------------------------------------


def test_an_event_set_up_in_the_browser(people, client):
    client.force_login(people["staff"])
    created = client.post(
        "/events/new/",
        {
            "name_en": "Demo day",
            "name_ko": "데모데이",
            "name_ko_origin": "original",
            "name_en_origin": "original",
            "kind": "demo_day",
            "time_zone": "Asia/Seoul",
            "slot_minutes": "20",
            "gap_minutes": "10",
            "meet_kinds_a": ["startup"],
            "meet_kinds_b": ["investor", "corporate"],
            "request_cap": "5",
            "is_public": "on",
            "organizers": "organizer",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    event = Event.objects.get()
    client.force_login(people["organizer"])
    day = client.post(
        f"/events/{event.pk}/days/", {"date": "2024-05-02", "starts": "10:00", "ends": "12:00", "breaks": ""}
    )
    location = client.post(
        f"/events/{event.pk}/locations/",
        {
            "name_en": "Room A",
            "name_ko": "A실",
            "kind": "room",
            "capacity": "3",
            "venue": "UNIST",
            "video_url": "",
        },
    )
    opened = client.post(f"/events/{event.pk}/status/", {"status": "registration"})

    assert (day.status_code, location.status_code, opened.status_code) == (302, 302, 302)
    event.refresh_from_db()
    assert (event.status, event.slots.count(), event.request_cap) == (Status.REGISTRATION, 4, 5)
    for language, words in (
        ("ko", ["데모데이", "A실", "투자사"]),
        ("en", ["Demo day", "Room A", "investor"]),
    ):
        page = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert all(word in page for word in words), language
    refused = client.post(
        f"/events/{event.pk}/days/",
        {"date": "2024-05-03", "starts": "10:00", "ends": "09:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400 and "end after" in refused.content.decode()


def test_the_events_api(people, api_client):
    staff = api_client(people["staff"])
    created = staff.post(
        "/api/v1/events",
        json.dumps(
            {
                "name_en": "Delegation visit",
                "kind": "delegation",
                "time_zone": "America/Los_Angeles",
                "organizers": ["organizer"],
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    organizer = api_client(people["organizer"])
    day = organizer.post(
        f"/api/v1/events/{event_id}/days",
        json.dumps(
            {"date": "2024-01-17", "starts": "09:00", "ends": "11:00", "breaks": [["10:00", "10:30"]]}
        ),
        content_type="application/json",
    )
    assert day.status_code == 201, day.content
    slots = organizer.get(f"/api/v1/events/{event_id}/slots").json()
    assert slots["count"] == 3
    assert [item["starts_at"] for item in slots["items"]] == [
        "2024-01-17T09:00:00-08:00",
        "2024-01-17T09:30:00-08:00",
        "2024-01-17T10:30:00-08:00",
    ]
    moved = organizer.post(
        f"/api/v1/events/{event_id}/status",
        json.dumps({"status": "published"}),
        content_type="application/json",
    )
    assert moved.status_code == 422
    assert moved.json()["detail"][0]["loc"] == ["body", "payload", "status"]
    # A draft is seen by its organizers and staff only.
    assert api_client(people["outsider"]).get(f"/api/v1/events/{event_id}").status_code == 404
    assert api_client().get("/api/v1/events").json() == {"items": [], "count": 0}
    outsider_edit = api_client(people["outsider"]).patch(
        f"/api/v1/events/{event_id}", json.dumps({"name_en": "Mine"}), content_type="application/json"
    )
    assert outsider_edit.status_code == 404


def test_the_event_lists_take_as_many_queries_for_three_events_as_for_one(people, api_client):
    staff = api_client(people["staff"])

    def queries():
        return [count_queries(staff, "/api/v1/events"), count_queries(staff, "/events/")]

    event = make_event(people)
    add_day(event, people["organizer"])
    add_location(Actor(people["organizer"]), event, {"name_en": "Table 1"})
    one = queries()
    for name in ("Second", "Third"):
        other = make_event(people, name_en=name)
        add_day(other, people["organizer"])
        add_location(Actor(people["organizer"]), other, {"name_en": "Table 1"})

    assert queries() == one
