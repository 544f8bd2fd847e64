"""A meeting request's one state machine (``REQUEST_STATUS``, ``set_meeting_request_status``): every
(from, to) pair of its states, the allowed ones with their side effects, the others refused with
nothing changed, in the service and through the API. The moves only an event's requests make
(proposing other delegates) are walked in ``test_event_requests.py``."""

import json

import pytest
from django.core.exceptions import ValidationError

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.notifications.models import Notification
from dari.partnering.models import MeetingRequest
from dari.partnering.services import MEETING_ANSWERED, REQUEST_STATUS, set_meeting_request_status

from ..factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = MeetingRequest.Status
ALLOWED = {(Status.OPEN, Status.ACCEPTED), (Status.OPEN, Status.DECLINED), (Status.OPEN, Status.WITHDRAWN)}
EVENT_ONLY = {
    (Status.OPEN, Status.PROPOSED),
    (Status.PROPOSED, Status.ACCEPTED),
    (Status.PROPOSED, Status.WITHDRAWN),
}
# The API operation that asks for each target state; none moves a request back to open.
OPERATIONS = {Status.ACCEPTED: "accept", Status.DECLINED: "decline", Status.WITHDRAWN: "withdraw"}


@pytest.fixture
def pair():
    """A startup's member asks a public hospital, whose member answers; staff may do both."""
    startup = OrganizationFactory(key="startup", kind="startup", name_en="Startup")
    hospital = OrganizationFactory(key="hospital", kind="hospital", name_en="Hospital")
    system = Actor.system()
    users = {name: UserFactory(username=name) for name in ("requester", "answerer", "staff")}
    grant_membership(system, users["requester"], Role.ORGANIZATION_MEMBER, startup)
    grant_membership(system, users["answerer"], Role.ORGANIZATION_MEMBER, hospital)
    grant_membership(system, users["staff"], Role.STAFF)
    return startup, hospital, users


def request_in(pair, status: str) -> MeetingRequest:
    startup, hospital, users = pair
    return MeetingRequest.objects.create(
        requested_by=users["requester"], subject=startup, candidate=hospital, status=status
    )


def the_state(request: MeetingRequest) -> tuple:
    """What a refused move must leave alone: the row, the audit log and the notices."""
    row = MeetingRequest.objects.filter(pk=request.pk).values().get()
    return row, AuditEntry.objects.count(), Notification.objects.count()


def test_the_table_allows_exactly_the_answers_and_the_withdrawal_of_an_open_request():
    assert {pair for pair in REQUEST_STATUS.pairs() if REQUEST_STATUS.allows(*pair)} == ALLOWED | EVENT_ONLY
    assert [state for state in Status.values if not REQUEST_STATUS.is_final(state)] == [
        Status.OPEN,
        Status.PROPOSED,
    ]


def test_only_an_event_request_is_answered_with_other_delegates(pair):
    request = request_in(pair, Status.OPEN)
    before = the_state(request)

    with pytest.raises(ValidationError) as refused:
        set_meeting_request_status(Actor(pair[2]["answerer"]), request, Status.PROPOSED)

    assert list(refused.value.message_dict) == ["status"]
    assert the_state(request) == before


def actor_for(pair, new: str) -> Actor:
    """The side that makes the move: the requester withdraws, the requested organization answers."""
    _startup, _hospital, users = pair
    return Actor(users["requester"] if new == Status.WITHDRAWN else users["answerer"])


@pytest.mark.parametrize(("old", "new"), sorted(ALLOWED))
def test_an_allowed_move_succeeds_with_its_side_effects(pair, old, new, mailoutbox):
    startup, hospital, users = pair
    request = request_in(pair, old)
    actor = actor_for(pair, new)

    moved = set_meeting_request_status(actor, request, new, reply="" if new == Status.WITHDRAWN else " Yes. ")

    assert MeetingRequest.objects.get(pk=request.pk).status == new == moved.status
    entry = AuditEntry.objects.get(action__startswith="matching.meeting_request.")
    assert (entry.action, entry.actor, entry.object_id) == (
        f"matching.meeting_request.{new}",
        actor.user,
        startup.pk,
    )
    notices = Notification.objects.all()
    if new == Status.WITHDRAWN:
        assert entry.changes == {"candidate": [hospital.pk, None]}
        assert (moved.reply, moved.answered_by, moved.answered_at) == ("", None, None)
        assert not notices.exists() and mailoutbox == []
    else:
        assert entry.changes == {
            "request": [None, request.pk],
            "candidate": [None, hospital.pk],
            "status": [old, new],
        }
        assert (moved.reply, moved.answered_by) == ("Yes.", users["answerer"])
        assert moved.answered_at is not None
        # The requesting side is told (the requester is also the startup's only member).
        assert [(notice.recipient, notice.kind) for notice in notices] == [
            (users["requester"], MEETING_ANSWERED)
        ]


@pytest.mark.parametrize(("old", "new"), sorted(set(REQUEST_STATUS.pairs()) - ALLOWED - EVENT_ONLY))
def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(pair, old, new):
    request = request_in(pair, old)
    before = the_state(request)
    staff = Actor(pair[2]["staff"])

    with pytest.raises(ValidationError) as refused:
        set_meeting_request_status(staff, request, new)

    assert list(refused.value.message_dict) == ["status"]
    assert the_state(request) == before


# No operation moves a request back to open: the service refuses that (above).
@pytest.mark.parametrize(
    ("old", "new"),
    sorted(pair for pair in set(REQUEST_STATUS.pairs()) - ALLOWED - EVENT_ONLY if pair[1] in OPERATIONS),
)
def test_a_move_the_table_does_not_allow_is_a_422_in_the_api(pair, old, new, api_client):
    request = request_in(pair, old)
    before = the_state(request)

    response = api_client(pair[2]["staff"]).post(
        f"/api/v1/meeting-requests/{request.pk}/{OPERATIONS[new]}",
        json.dumps({}),
        content_type="application/json",
    )

    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "status"]
    assert the_state(request) == before


@pytest.mark.parametrize("state", Status.values)
def test_the_same_state_again_is_refused_an_answer_is_final(pair, state):
    request = request_in(pair, state)
    before = the_state(request)

    with pytest.raises(ValidationError):
        set_meeting_request_status(Actor(pair[2]["staff"]), request, state)

    assert the_state(request) == before


def test_the_wrong_side_is_refused_before_the_table_is_read(pair, api_client):
    """The requester cannot answer and the requested side cannot withdraw: 403, nothing changed."""
    _startup, _hospital, users = pair
    request = request_in(pair, Status.OPEN)
    before = the_state(request)

    for user, operation in [("requester", "accept"), ("requester", "decline"), ("answerer", "withdraw")]:
        url = f"/api/v1/meeting-requests/{request.pk}/{operation}"
        response = api_client(users[user]).post(url, json.dumps({}), content_type="application/json")
        assert response.status_code == 403, (user, operation, response.content)

    assert the_state(request) == before


def test_a_withdrawal_carries_no_reply_and_an_unknown_state_is_refused(pair):
    request = request_in(pair, Status.OPEN)
    before = the_state(request)
    requester = Actor(pair[2]["requester"])

    with pytest.raises(ValidationError) as with_reply:
        set_meeting_request_status(requester, request, Status.WITHDRAWN, reply="Sorry")
    with pytest.raises(ValidationError) as unknown:
        set_meeting_request_status(Actor(pair[2]["staff"]), request, "postponed")

    assert list(with_reply.value.message_dict) == ["reply"]
    assert list(unknown.value.message_dict) == ["status"]
    assert the_state(request) == before
