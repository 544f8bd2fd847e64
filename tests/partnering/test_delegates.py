"""Delegates and availability: organizations register their members for an event; each delegate
marks the slots they are free in, on a grid in the event's zone and their own side by side."""

import json
import re
from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dari.accounts.access import access_for
from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.partnering.models import Delegate, Event
from dari.partnering.services import (
    add_event_day,
    create_event,
    register_delegate,
    remove_delegate,
    set_availability,
)

from ..factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def world():
    """A San Diego event with Seoul delegates: ``member`` of the startup, ``colleague`` of the same
    startup, ``other`` of an investor; ``staff``."""
    system = Actor.system()
    startup = OrganizationFactory(key="startup", kind="startup", name_en="Seoul Startup", is_public=False)
    investor = OrganizationFactory(key="investor", kind="investor", name_en="Pacific Fund")
    users = {
        name: UserFactory(username=name) for name in ("member", "colleague", "other", "outsider", "staff")
    }
    grant_membership(system, users["member"], Role.ORGANIZATION_MEMBER, startup)
    grant_membership(system, users["colleague"], Role.ORGANIZATION_MEMBER, startup)
    grant_membership(system, users["other"], Role.ORGANIZATION_MEMBER, investor)
    grant_membership(system, users["staff"], Role.STAFF)
    event = create_event(
        Actor(users["staff"]), {"name_en": "San Diego partnering", "time_zone": "America/Los_Angeles"}
    )
    return {"event": event, "startup": startup, "investor": investor, **users}


def open_registration(event, *days):
    for day in days:
        add_event_day(Actor.system(), event, {"date": day, "starts": time(9), "ends": time(10)})
    Event.objects.filter(pk=event.pk).update(status=Event.Status.REGISTRATION)
    event.refresh_from_db()


def test_members_register_their_colleagues_who_may_be_delegates_at_several_events(world):
    event = world["event"]
    open_registration(event, date(2024, 1, 17))
    second = create_event(Actor(world["staff"]), {"name_en": "Ulsan demo day", "time_zone": "Asia/Seoul"})
    open_registration(second, date(2024, 5, 2))

    delegate = register_delegate(Actor(world["member"]), event, world["startup"], world["colleague"])
    register_delegate(Actor(world["member"]), second, world["startup"], world["colleague"])

    assert (delegate.organization, delegate.user, delegate.registered_by) == (
        world["startup"],
        world["colleague"],
        world["member"],
    )
    assert list(Delegate.objects.filter(user=world["colleague"]).values_list("event", flat=True)) == [
        event.pk,
        second.pk,
    ]
    assert access_for(world["colleague"]).event_ids == {event.pk, second.pk}
    entry = AuditEntry.objects.filter(action="partnering.delegate.registered").first()
    assert entry.changes == {
        "organization": [None, world["startup"].pk],
        "user": [None, world["colleague"].pk],
    }


def test_only_members_register_and_only_members_are_registered(world):
    event = world["event"]
    open_registration(event, date(2024, 1, 17))

    with pytest.raises(PermissionDenied):
        register_delegate(Actor(world["other"]), event, world["startup"], world["other"])
    with pytest.raises(ValidationError) as not_a_member:
        register_delegate(Actor(world["member"]), event, world["startup"], world["outsider"])
    register_delegate(Actor(world["member"]), event, world["startup"], world["member"])
    with pytest.raises(ValidationError) as twice:
        register_delegate(Actor(world["member"]), event, world["startup"], world["member"])

    assert list(not_a_member.value.message_dict) == ["user"]
    assert list(twice.value.message_dict) == ["user"]
    assert Delegate.objects.count() == 1


def test_registration_waits_for_the_event_to_open_except_for_its_organizers(world):
    event = world["event"]
    with pytest.raises(ValidationError) as closed:
        register_delegate(Actor(world["member"]), event, world["startup"], world["member"])
    register_delegate(Actor(world["staff"]), event, world["startup"], world["member"])

    assert list(closed.value.message_dict) == ["event"]
    assert Delegate.objects.count() == 1


def test_a_removed_delegate_loses_the_event_role(world):
    event = world["event"]
    open_registration(event, date(2024, 1, 17))
    delegate = register_delegate(Actor(world["member"]), event, world["startup"], world["colleague"])

    remove_delegate(Actor(world["colleague"]), delegate)

    assert not Delegate.objects.exists()
    world["colleague"].refresh_from_db()
    assert access_for(world["colleague"]).event_ids == frozenset()


def test_availability_is_the_delegates_and_holds_only_the_events_slots(world):
    event = world["event"]
    open_registration(event, date(2024, 1, 17))
    delegate = register_delegate(Actor(world["member"]), event, world["startup"], world["member"])
    other_event = create_event(Actor(world["staff"]), {"name_en": "Other", "time_zone": "Asia/Seoul"})
    open_registration(other_event, date(2024, 1, 18))
    slots = list(event.slots.values_list("pk", flat=True))

    set_availability(Actor(world["member"]), delegate, slots[:1])
    with pytest.raises(PermissionDenied):
        set_availability(Actor(world["other"]), delegate, slots)
    with pytest.raises(ValidationError):
        set_availability(Actor(world["member"]), delegate, [other_event.slots.first().pk])

    assert list(delegate.available.values_list("pk", flat=True)) == slots[:1]
    entry = AuditEntry.objects.get(action="partnering.delegate.availability_changed")
    assert entry.changes == {"delegate": delegate.pk, "slots": [[], slots[:1]]}


def grid(client, event) -> list[tuple[str, str]]:
    """The availability page's rows: each slot's time in the event's zone and in the other zone."""
    page = client.get(f"/events/{event.pk}/availability/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = re.findall(r'<label class="slot-choice".*?</label>', page, re.S)
    return [tuple(re.findall(r'title="([^"]+)"', row)) for row in rows]


def hours_apart(first: str, second: str) -> float:
    """How far apart two renderings of one instant read on the clock (``2024-03-09 09:00 PST``)."""
    read = [datetime.strptime(text.rsplit(" ", 1)[0], "%Y-%m-%d %H:%M") for text in (first, second)]
    return (read[1] - read[0]).total_seconds() / 3600


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # San Diego puts its clocks forward on 2024-03-10: Seoul is 17 hours ahead, then 16.
        (
            (date(2024, 3, 9), date(2024, 3, 10)),
            [
                ("2024-03-09 09:00 PST", "2024-03-10 02:00 KST", 17),
                ("2024-03-09 09:30 PST", "2024-03-10 02:30 KST", 17),
                ("2024-03-10 09:00 PDT", "2024-03-11 01:00 KST", 16),
                ("2024-03-10 09:30 PDT", "2024-03-11 01:30 KST", 16),
            ],
        ),
        # ... and back on 2024-11-03: 16 hours, then 17.
        (
            (date(2024, 11, 2), date(2024, 11, 3)),
            [
                ("2024-11-02 09:00 PDT", "2024-11-03 01:00 KST", 16),
                ("2024-11-02 09:30 PDT", "2024-11-03 01:30 KST", 16),
                ("2024-11-03 09:00 PST", "2024-11-04 02:00 KST", 17),
                ("2024-11-03 09:30 PST", "2024-11-04 02:30 KST", 17),
            ],
        ),
    ],
)
def test_the_grid_shows_each_slot_in_the_events_zone_and_the_delegates_across_daylight_saving(
    world, client, days, expected
):
    event = world["event"]
    open_registration(event, *days)
    register_delegate(Actor(world["member"]), event, world["startup"], world["member"])
    assert world["member"].time_zone == "Asia/Seoul"
    client.force_login(world["member"])

    rows = grid(client, event)

    assert [(san_diego, seoul, hours_apart(san_diego, seoul)) for san_diego, seoul in rows] == expected


def test_a_delegate_marks_availability_in_the_browser_and_the_api(world, client, api_client):
    event = world["event"]
    open_registration(event, date(2024, 1, 17))
    delegate = register_delegate(Actor(world["member"]), event, world["startup"], world["member"])
    first, second = event.slots.values_list("pk", flat=True)
    client.force_login(world["member"])

    saved = client.post(f"/events/{event.pk}/availability/", {"slot": [str(second)]})
    page = client.get(f"/events/{event.pk}/availability/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert saved.status_code == 302
    assert f'value="{second}" checked' in page and f'value="{first}">' in page
    url = f"/api/v1/events/{event.pk}/delegates/{delegate.pk}/availability"
    assert api_client(world["member"]).get(url).json() == {
        "delegate_id": delegate.pk,
        "time_zone": "America/Los_Angeles",
        "slots": [second],
    }
    put = api_client(world["colleague"]).put(
        url, json.dumps({"slots": [first]}), content_type="application/json"
    )
    assert put.status_code == 200 and put.json()["slots"] == [first]
    # Another organization's member sees the event's delegates, never their availability.
    assert api_client(world["other"]).get(url).status_code == 404
    assert client.get(f"/events/{event.pk}/availability/?delegate=999").status_code == 404


def test_delegates_registered_in_the_browser_and_the_api(world, client, api_client):
    event = world["event"]
    open_registration(event, date(2024, 1, 17))
    client.force_login(world["member"])

    page = client.post(
        f"/events/{event.pk}/delegates/", {"organization": world["startup"].pk, "username": "colleague"}
    )
    api = api_client(world["other"]).post(
        f"/api/v1/events/{event.pk}/delegates",
        json.dumps({"organization_id": world["investor"].pk, "username": "other"}),
        content_type="application/json",
    )
    refused = api_client(world["other"]).post(
        f"/api/v1/events/{event.pk}/delegates",
        json.dumps({"organization_id": world["startup"].pk, "username": "other"}),
        content_type="application/json",
    )

    assert page.status_code == 302 and api.status_code == 201
    assert api.json()["organization"]["id"] == world["investor"].pk
    # The private startup takes part, so the investor's member sees it (422: may not act for it).
    assert refused.status_code == 403
    listed = api_client(world["other"]).get(f"/api/v1/events/{event.pk}/delegates").json()
    assert sorted(item["username"] for item in listed["items"]) == ["colleague", "other"]
    assert listed["count"] == 2


def test_the_organizers_read_every_delegates_availability(world, client, api_client):
    event = world["event"]
    open_registration(event, date(2024, 1, 17))
    member = register_delegate(Actor(world["member"]), event, world["startup"], world["member"])
    other = register_delegate(Actor(world["other"]), event, world["investor"], world["other"])
    first, second = event.slots.values_list("pk", flat=True)
    set_availability(Actor(world["member"]), member, [first, second])
    set_availability(Actor(world["other"]), other, [second])
    url = f"/api/v1/events/{event.pk}/availability"

    listed = api_client(world["staff"]).get(url).json()

    assert listed == {
        "items": [
            {
                "delegate_id": delegate.pk,
                "organization_id": delegate.organization_id,
                "username": delegate.user.username,
                "slots": slots,
            }
            for delegate, slots in sorted(
                [(member, [first, second]), (other, [second])], key=lambda pair: pair[0].pk
            )
        ],
        "count": 2,
    }
    assert api_client(world["member"]).get(url).status_code == 403
    client.force_login(world["staff"])
    page = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Slots free" in page
