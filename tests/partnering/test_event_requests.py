"""Meeting requests at an event: the event's rules (who meets whom, the cap on requests), priority and
interest on both sides, several delegates of one organization, proposing other delegates, the same
pair at another event, a request started from a suggestion, and nobody seeing another
organization's requests."""

import json
from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.notifications.models import Notification
from dari.partnering.models import Event, MeetingRequest
from dari.partnering.services import (
    MEETING_ANSWERED,
    MEETING_REQUESTED,
    add_event_day,
    create_event,
    register_delegate,
    request_event_meeting,
    set_meeting_request_status,
)

from ..factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


Status = MeetingRequest.Status
KINDS = {
    "startup": "startup",
    "fund": "investor",
    "fund2": "investor",
    "corp": "corporate",
    "clinic": "hospital",
}


def new_event(staff, name="Partnering day", **values) -> Event:
    values = {"name_en": name, "time_zone": "America/Los_Angeles", **values}
    event = create_event(Actor(staff), values)
    add_event_day(Actor.system(), event, {"date": date(2024, 3, 10), "starts": time(9), "ends": time(11)})
    Event.objects.filter(pk=event.pk).update(status=Event.Status.REGISTRATION)
    event.refresh_from_db()
    return event


@pytest.fixture
def world():
    """An event where startups meet only investors and corporates, two requests per organization.
    Each organization has one member (its key), registered as its delegate; the startup a second
    (``startup2``), the fund a second (``fund-b``)."""
    system = Actor.system()
    users = {"staff": UserFactory(username="staff")}
    grant_membership(system, users["staff"], Role.STAFF)
    event = new_event(
        users["staff"], meet_kinds_a=["startup"], meet_kinds_b=["investor", "corporate"], request_cap=2
    )
    organizations, delegates = {}, {}
    for key, kind in KINDS.items():
        organization = OrganizationFactory(
            key=key, kind=kind, name_en=key.title(), is_public=key != "startup"
        )
        organizations[key] = organization
        names = [key, f"{key}-b"] if key in ("startup", "fund") else [key]
        for name in names:
            users[name] = UserFactory(username=name)
            grant_membership(system, users[name], Role.ORGANIZATION_MEMBER, organization)
            delegates[name] = register_delegate(Actor(users["staff"]), event, organization, users[name])
    return {"event": event, "users": users, "orgs": organizations, "delegates": delegates}


def ask(world, candidate="fund", by="startup", event=None, **values):
    users, orgs = world["users"], world["orgs"]
    subject = next(org for key, org in orgs.items() if key == by.removesuffix("-b"))
    return request_event_meeting(Actor(users[by]), event or world["event"], subject, orgs[candidate], values)


def test_a_request_carries_its_priority_interest_and_several_delegates(world):
    delegates = world["delegates"]

    request = ask(
        world,
        priority=3,
        requester_preference="must_meet",
        delegates=[delegates["startup"], delegates["startup-b"]],
        candidate_delegates=[delegates["fund-b"].pk],
        message="Thyroid imaging pilot",
    )

    assert (request.event, request.priority, request.requester_preference, request.status) == (
        world["event"],
        3,
        "must_meet",
        Status.OPEN,
    )
    assert set(request.delegates.all()) == {delegates["startup"], delegates["startup-b"], delegates["fund-b"]}
    entry = AuditEntry.objects.get(action="matching.meeting_request.created")
    assert entry.changes == {
        "candidate": [None, world["orgs"]["fund"].pk],
        "event": [None, world["event"].pk],
    }
    told = Notification.objects.filter(kind=MEETING_REQUESTED).values_list("recipient__username", flat=True)
    assert sorted(told) == ["fund", "fund-b"]


def test_by_default_the_requester_attends(world):
    request = ask(world)
    assert list(request.delegates.all()) == [world["delegates"]["startup"]]


def test_who_meets_whom_is_the_events_rule(world):
    with pytest.raises(ValidationError) as clinic:
        ask(world, candidate="clinic")
    with pytest.raises(ValidationError) as investors:
        ask(world, candidate="fund2", by="fund")

    message = clinic.value.message_dict["candidate"][0]
    assert "startup meet only investor, corporate" in message
    assert "a startup cannot ask a hospital" in message
    assert "candidate" in investors.value.message_dict
    assert not MeetingRequest.objects.exists()


def test_the_cap_on_requests_counts_all_but_the_withdrawn(world):
    first = ask(world, candidate="fund")
    ask(world, candidate="corp")
    with pytest.raises(ValidationError) as capped:
        ask(world, candidate="fund2")
    set_meeting_request_status(Actor(world["users"]["startup"]), first, Status.WITHDRAWN)
    ask(world, candidate="fund2")

    assert "sent 2 meeting requests at this event" in capped.value.message_dict["candidate"][0]
    assert MeetingRequest.objects.exclude(status=Status.WITHDRAWN).count() == 2


def test_the_same_pair_meets_once_per_event_and_again_at_another(world):
    ask(world)
    with pytest.raises(ValidationError) as again:
        ask(world)
    other = new_event(world["users"]["staff"], name="Second visit")
    for key in ("startup", "fund"):
        register_delegate(Actor(world["users"]["staff"]), other, world["orgs"][key], world["users"][key])

    ask(world, event=other)

    assert "already requested" in again.value.message_dict["candidate"][0]
    assert sorted(MeetingRequest.objects.values_list("event__name_en", flat=True)) == [
        "Partnering day",
        "Second visit",
    ]


def test_only_members_of_the_subject_ask_and_only_while_registration_is_open(world):
    users, orgs = world["users"], world["orgs"]
    with pytest.raises(PermissionDenied):
        request_event_meeting(Actor(users["fund"]), world["event"], orgs["startup"], orgs["corp"])
    Event.objects.filter(pk=world["event"].pk).update(status=Event.Status.SCHEDULING)
    world["event"].refresh_from_db()
    with pytest.raises(ValidationError) as closed:
        ask(world)
    assert list(closed.value.message_dict) == ["event"]


def test_the_requested_side_proposes_other_delegates_and_the_requester_accepts(world):
    users, delegates = world["users"], world["delegates"]
    request = ask(world, candidate_delegates=[delegates["fund"].pk])

    proposed = set_meeting_request_status(
        Actor(users["fund"]), request, Status.PROPOSED, delegates=[delegates["fund-b"].pk], reply="My partner"
    )
    with pytest.raises(PermissionDenied):
        set_meeting_request_status(Actor(users["fund"]), request, Status.ACCEPTED)
    accepted = set_meeting_request_status(Actor(users["startup-b"]), request, Status.ACCEPTED)

    assert proposed.status == Status.PROPOSED and accepted.status == Status.ACCEPTED
    assert set(accepted.delegates.all()) == {delegates["startup"], delegates["fund-b"]}
    assert accepted.candidate_preference == "would_like" and accepted.reply == "My partner"
    # The corporate proposes its own delegates, not the fund's.
    with pytest.raises(ValidationError) as not_theirs:
        set_meeting_request_status(
            Actor(users["corp"]),
            ask(world, candidate="corp"),
            Status.PROPOSED,
            delegates=[delegates["fund"].pk],
        )
    assert list(not_theirs.value.message_dict) == ["delegates"]


def test_accepting_says_how_much_and_declining_is_no_thanks(world):
    users, delegates = world["users"], world["delegates"]
    accepted = set_meeting_request_status(
        Actor(users["fund"]), ask(world), Status.ACCEPTED, preference="must_meet"
    )
    declined = set_meeting_request_status(Actor(users["corp"]), ask(world, candidate="corp"), Status.DECLINED)

    assert accepted.candidate_preference == "must_meet"
    # Nobody chosen on the requested side: all its delegates attend.
    assert set(accepted.delegates.all()) == {delegates["startup"], delegates["fund"], delegates["fund-b"]}
    assert (declined.status, declined.candidate_preference) == (Status.DECLINED, "no_thanks")
    Event.objects.filter(pk=world["event"].pk).update(request_cap=None)
    world["event"].refresh_from_db()
    with pytest.raises(ValidationError) as contradiction:
        set_meeting_request_status(
            Actor(users["staff"]), ask(world, candidate="fund2"), Status.ACCEPTED, preference="no_thanks"
        )
    assert list(contradiction.value.message_dict) == ["preference"]


def test_nobody_sees_another_organizations_requests(world, client, api_client):
    """The corporate's delegate takes part in the same event: the startup's request to the fund is
    none of its business, on pages and in the API."""
    request = ask(world, message="Confidential pilot terms")
    event = world["event"]
    corp = world["users"]["corp"]
    client.force_login(corp)

    for url in (f"/events/{event.pk}/requests/", "/meeting-requests/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Confidential pilot terms" not in page and f"meeting-request-{request.pk}" not in page
    for url in (f"/api/v1/events/{event.pk}/meeting-requests", "/api/v1/meeting-requests"):
        assert api_client(corp).get(url).json() == {"items": [], "count": 0}
    for operation in ("accept", "decline", "propose", "withdraw"):
        response = api_client(corp).post(
            f"/api/v1/meeting-requests/{request.pk}/{operation}",
            json.dumps({}),
            content_type="application/json",
        )
        assert response.status_code == 404, operation
    # The two sides and the organizers see it.
    for user in (world["users"]["startup-b"], world["users"]["fund-b"], world["users"]["staff"]):
        listed = api_client(user).get(f"/api/v1/events/{event.pk}/meeting-requests").json()
        assert [item["id"] for item in listed["items"]] == [request.pk]
    assert MeetingRequest.objects.get().status == Status.OPEN


def test_the_event_request_pages_in_both_languages(world, client):
    users, orgs, event = world["users"], world["orgs"], world["event"]
    client.force_login(users["startup"])
    form = {
        "subject": orgs["startup"].pk,
        "candidate": orgs["clinic"].pk,
        "priority": "3",
        "requester_preference": "must_meet",
        "delegates": [world["delegates"]["startup-b"].pk],
        "message": "",
    }

    refused = client.post(f"/events/{event.pk}/requests/", form, HTTP_ACCEPT_LANGUAGE="en")
    sent = client.post(f"/events/{event.pk}/requests/", {**form, "candidate": orgs["fund"].pk})

    assert refused.status_code == 400 and "cannot ask a hospital" in refused.content.decode()
    assert sent.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.priority, request.requester_preference) == (3, "must_meet")
    assert list(request.delegates.all()) == [world["delegates"]["startup-b"]]
    client.force_login(users["fund"])
    korean = client.get(f"/events/{event.pk}/requests/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert f"meeting-request-{request.pk}" in korean and 'lang="ko"' in korean
    answered = client.post(
        f"/meeting-requests/{request.pk}/answer/",
        {
            "decision": "propose",
            "delegates": [world["delegates"]["fund-b"].pk],
            "next": f"/events/{event.pk}/requests/",
        },
    )
    assert answered.status_code == 302 and answered["Location"] == f"/events/{event.pk}/requests/"
    assert MeetingRequest.objects.get().status == Status.PROPOSED
    client.force_login(users["startup"])
    confirmed = client.post(f"/meeting-requests/{request.pk}/answer/", {"decision": "confirm"})
    assert confirmed.status_code == 302 and MeetingRequest.objects.get().status == Status.ACCEPTED


def test_a_request_still_starts_from_a_suggestion_and_may_be_asked_at_a_shared_event(
    world, client, api_client
):
    users, orgs, event = world["users"], world["orgs"], world["event"]
    client.force_login(users["startup"])
    link = f"/organizations/{orgs['startup'].pk}/suggestions/{orgs['fund'].pk}/meeting/"

    form = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    sent = client.post(link, {"message": "From a suggestion", "event": str(event.pk)})

    assert "Partnering day" in form
    assert sent.status_code == 302
    at_event = MeetingRequest.objects.get()
    assert at_event.event == event and at_event.message == "From a suggestion"
    outside = api_client(users["startup"]).post(
        f"/api/v1/organizations/{orgs['startup'].pk}/meeting-requests",
        json.dumps({"candidate_id": orgs["fund"].pk}),
        content_type="application/json",
    )
    refused = api_client(users["startup"]).post(
        f"/api/v1/organizations/{orgs['startup'].pk}/meeting-requests",
        json.dumps({"candidate_id": orgs["clinic"].pk, "event_id": event.pk}),
        content_type="application/json",
    )
    # Outside the event, the same pair may be asked too: a meeting to arrange on its own.
    assert outside.status_code == 201 and outside.json()["event_id"] is None
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "payload", "candidate"]


def test_the_notices_name_the_event_a_proposal_and_its_acceptance(world):
    users, delegates = world["users"], world["delegates"]
    request = ask(world, priority=3, delegates=[delegates["startup-b"]])
    asked = Notification.objects.get(recipient=users["fund"], kind=MEETING_REQUESTED)

    set_meeting_request_status(
        Actor(users["fund"]), request, Status.PROPOSED, delegates=[delegates["fund-b"].pk]
    )
    proposed = Notification.objects.get(recipient=users["startup"], kind=MEETING_ANSWERED)
    set_meeting_request_status(Actor(users["startup"]), request, Status.ACCEPTED)
    confirmed = Notification.objects.get(recipient=users["fund"], kind=MEETING_ANSWERED)

    assert "Startup would like to meet Fund at Partnering day." in asked.body_en
    assert "Priority: high" in asked.body_en and "Delegates: startup-b" in asked.body_en
    assert proposed.title_en == "Fund proposed other delegates for your meeting request"
    assert "At Partnering day: Fund proposed other delegates" in proposed.body_en
    assert confirmed.title_en == "Startup accepted the delegates you proposed"
    assert "Delegates: fund-b, startup-b" in confirmed.body_en
