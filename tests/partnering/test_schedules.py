"""Generating an event's schedule: accepted requests become meetings in the slots their delegates
marked, checked by the engine's validator before anything is saved; generating again keeps what it
can (a moved meeting keeps its row with a higher sequence, a dropped one stays as cancelled); only
the organizers and staff generate, while the event is in scheduling, from the page or the API, as a
job with progress."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.jobs.models import Job
from dari.partnering.models import Event, Location, Meeting
from dari.partnering.services import (
    GENERATE_SCHEDULE,
    add_location,
    generate_schedule,
    scheduling_instance,
    set_availability,
    set_meeting_request_status,
)

from .test_event_requests import Status, ask, world  # noqa: F401  (the event, its people and delegates)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIMIT = 5.0


@pytest.fixture
def scheduling(world):  # noqa: F811
    """``world``'s event with one table, the startup's two accepted requests (to the fund and to the
    corporate; the startup's own delegate attends), everyone available in every slot, in scheduling."""
    event, users, delegates = world["event"], world["users"], world["delegates"]
    staff = Actor(users["staff"])
    world["table"] = add_location(staff, event, {"name_en": "Table 1", "kind": Location.Kind.TABLE})
    slots = list(event.slots.order_by("starts_at"))
    world["slots"] = slots
    for delegate in delegates.values():
        set_availability(staff, delegate, [slot.pk for slot in slots])
    world["to_fund"] = set_meeting_request_status(
        Actor(users["fund"]),
        ask(world, delegates=[delegates["startup"]], candidate_delegates=[delegates["fund"].pk]),
        Status.ACCEPTED,
    )
    world["to_corp"] = set_meeting_request_status(
        Actor(users["corp"]), ask(world, candidate="corp", delegates=[delegates["startup"]]), Status.ACCEPTED
    )
    Event.objects.filter(pk=event.pk).update(status=Event.Status.SCHEDULING)
    event.refresh_from_db()
    return world


def placed(event) -> dict:
    """request id → (slot id, location id, state, sequence) of the event's meetings."""
    return {
        meeting.request_id: (meeting.slot_id, meeting.location_id, meeting.state, meeting.sequence)
        for meeting in Meeting.objects.filter(event=event)
    }


def test_the_instance_is_the_events_slots_locations_availability_and_accepted_requests(scheduling):
    delegates = scheduling["delegates"]
    instance = scheduling_instance(scheduling["event"])

    assert [slot.id for slot in instance.slots] == [str(slot.pk) for slot in scheduling["slots"]]
    assert [(loc.id, loc.capacity, loc.video) for loc in instance.locations] == [
        (str(scheduling["table"].pk), 1, False)
    ]
    meetings = {meeting.id: meeting for meeting in instance.meetings}
    to_fund = meetings[str(scheduling["to_fund"].pk)]
    assert to_fund.participants == tuple(sorted((str(delegates["startup"].pk), str(delegates["fund"].pk))))
    # Priority normal (2), both sides would like to meet: mutual interest doubles it.
    assert (to_fund.priority, to_fund.mutual, to_fund.weight) == (2, True, 4)
    assert set(meetings) == {str(scheduling["to_fund"].pk), str(scheduling["to_corp"].pk)}
    assert instance.previous is None


def test_accepted_requests_become_meetings_in_slots_everyone_marked(scheduling):
    event, delegates, slots = scheduling["event"], scheduling["delegates"], scheduling["slots"]
    staff = Actor(scheduling["users"]["staff"])
    # The fund's delegate is free in the third slot only.
    set_availability(staff, delegates["fund"], [slots[2].pk])

    summary = generate_schedule(staff, event, time_limit=LIMIT)

    meetings = placed(event)
    table = scheduling["table"].pk
    assert meetings[scheduling["to_fund"].pk] == (slots[2].pk, table, "scheduled", 0)
    corp_slot, *rest = meetings[scheduling["to_corp"].pk]
    assert corp_slot != slots[2].pk and rest == [table, "scheduled", 0]
    assert {
        key: summary[key] for key in ("scheduled", "unscheduled", "added", "moved", "kept", "cancelled")
    } == {
        "scheduled": 2,
        "unscheduled": 0,
        "added": 2,
        "moved": 0,
        "kept": 0,
        "cancelled": 0,
    }
    assert AuditEntry.objects.filter(action="partnering.meeting.scheduled").count() == 2
    entry = AuditEntry.objects.get(action="partnering.event.schedule_generated")
    assert (entry.object_id, entry.changes["added"]) == (event.pk, 2)


def test_generating_again_keeps_meetings_moves_with_a_higher_sequence_and_cancels(scheduling):
    event, delegates, slots = scheduling["event"], scheduling["delegates"], scheduling["slots"]
    staff = Actor(scheduling["users"]["staff"])
    to_fund, to_corp = scheduling["to_fund"].pk, scheduling["to_corp"].pk
    generate_schedule(staff, event, time_limit=LIMIT)
    first = placed(event)

    # The fund's delegate can no longer come at the meeting's time: only that meeting moves.
    set_availability(staff, delegates["fund"], [slot.pk for slot in slots if slot.pk != first[to_fund][0]])
    summary = generate_schedule(staff, event, time_limit=LIMIT)

    second = placed(event)
    assert second[to_corp] == first[to_corp]
    assert second[to_fund][0] != first[to_fund][0] and second[to_fund][2:] == ("scheduled", 1)
    assert (summary["kept"], summary["moved"], summary["cancelled"]) == (1, 1, 0)
    moved = AuditEntry.objects.get(action="partnering.meeting.moved")
    assert moved.changes == {"slot": [first[to_fund][0], second[to_fund][0]]}

    # The corporate's delegate is free nowhere: its meeting stays, cancelled, one change later.
    set_availability(staff, delegates["corp"], [])
    summary = generate_schedule(staff, event, time_limit=LIMIT)

    assert placed(event)[to_corp] == (*first[to_corp][:2], "cancelled", 1)
    assert placed(event)[to_fund] == second[to_fund]
    assert (summary["scheduled"], summary["unscheduled"], summary["cancelled"]) == (1, 1, 1)
    assert AuditEntry.objects.get(action="partnering.meeting.cancelled").changes == {
        "state": ["scheduled", "cancelled"]
    }


def test_nothing_is_saved_when_the_validator_finds_a_violation(scheduling):
    """The fund's delegate withdraws their availability while the solver runs: the schedule found
    breaks it, so the validator refuses it and no meeting or entry is written."""
    event, fund = scheduling["event"], scheduling["delegates"]["fund"]
    staff = Actor(scheduling["users"]["staff"])

    def meanwhile(message):
        if message.startswith("A schedule found"):
            set_availability(staff, fund, [])

    with pytest.raises(ValidationError) as refused:
        generate_schedule(staff, event, time_limit=LIMIT, on_step=meanwhile)

    assert "not saved" in refused.value.messages[0] and "not available" in refused.value.messages[0]
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="partnering.meeting.").exists()
    assert not AuditEntry.objects.filter(action="partnering.event.schedule_generated").exists()


def test_only_organizers_and_staff_generate_and_only_in_scheduling(scheduling):
    event, users = scheduling["event"], scheduling["users"]
    for name in ("startup", "fund"):
        with pytest.raises(PermissionDenied):
            generate_schedule(Actor(users[name]), event, time_limit=LIMIT)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    event.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        generate_schedule(Actor(users["staff"]), event, time_limit=LIMIT)
    assert list(refused.value.message_dict) == ["status"]
    assert not Meeting.objects.exists()


def test_the_page_and_the_api_start_a_job_that_saves_the_schedule(
    scheduling, client, api_client, django_capture_on_commit_callbacks
):
    event, staff = scheduling["event"], scheduling["users"]["staff"]
    client.force_login(staff)
    page = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Generate the schedule" in page and "0 meetings scheduled." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.pk}/schedule/")

    job = Job.objects.get(kind=GENERATE_SCHEDULE)
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert (job.state, job.progress_done, job.progress_total) == ("succeeded", 3, 3)
    assert (job.result["url"], job.result["added"], job.result["scheduled"]) == (f"/events/{event.pk}/", 2, 2)
    assert Meeting.objects.filter(event=event, state="scheduled").count() == 2
    shown = client.get(f"/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 meetings newly scheduled" in shown and "Open the event" in shown

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(staff).post(f"/api/v1/events/{event.pk}/schedule")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.state, job.result["kept"]) == (GENERATE_SCHEDULE, "succeeded", 2)

    # A delegate may not; an event out of scheduling is refused with the reason.
    fund = scheduling["users"]["fund"]
    assert api_client(fund).post(f"/api/v1/events/{event.pk}/schedule").status_code == 403
    Event.objects.filter(pk=event.pk).update(status=Event.Status.REGISTRATION)
    response = api_client(staff).post(
        f"/api/v1/events/{event.pk}/schedule", json.dumps({}), "application/json"
    )
    assert response.status_code == 422
