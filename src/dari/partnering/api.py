"""Meeting requests: ``POST /api/v1/organizations/{id}/meeting-requests`` (ask, from a suggestion)
and ``/api/v1/meeting-requests`` (list, withdraw, accept, decline). The paths are the ones they had
in matching."""

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.core.api import WRITE_ERRORS, InputSchema, MultilineText, Pagination, signed_in
from dari.matching.api import visible_pair

from . import services
from .models import MeetingRequest

router = Router(tags=["partnering"])
meeting_router = Router(tags=["partnering"])


class MeetingRequestIn(InputSchema):
    candidate_id: int
    message: MultilineText = Field("", max_length=services.MESSAGE_LIMIT)


class MeetingRequestOut(Schema):
    id: int
    subject_id: int
    candidate_id: int
    requested_by: str
    message: str
    status: str
    created_at: str
    reply: str
    answered_by: str | None
    answered_at: str | None

    @staticmethod
    def resolve_requested_by(obj) -> str:
        return obj.requested_by.get_username()

    @staticmethod
    def resolve_created_at(obj) -> str:
        return obj.created_at.isoformat()

    @staticmethod
    def resolve_answered_by(obj) -> str | None:
        return obj.answered_by.get_username() if obj.answered_by_id else None

    @staticmethod
    def resolve_answered_at(obj) -> str | None:
        return obj.answered_at.isoformat() if obj.answered_at else None


@router.post(
    "/{organization_id}/meeting-requests",
    response={201: MeetingRequestOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Request a meeting with a suggestion",
)
def request_meeting(request, organization_id: int, payload: MeetingRequestIn):
    """Ask that the organization meet ``candidate_id`` (for the partnering work to arrange). Its
    members, the managers of its programs and staff; one open request per pair (422 otherwise)."""
    subject, candidate = visible_pair(request, organization_id, payload.candidate_id)
    created = services.request_meeting(
        Actor.from_request(request), subject, candidate, {"message": payload.message}
    )
    return Status(201, created)


class MeetingRequestFilters(InputSchema):
    status: MeetingRequest.Status | None = None


@meeting_router.get(
    "", response=list[MeetingRequestOut], auth=signed_in, summary="Meeting requests the caller may see"
)
@paginate(Pagination)
def list_meeting_requests(request, filters: Query[MeetingRequestFilters]):
    """Made by the caller, or for or with the caller's organizations (staff: all); newest first."""
    found = MeetingRequest.objects.visible_to(request.user).select_related("requested_by", "answered_by")
    if filters.status:
        found = found.filter(status=filters.status)
    return found.order_by("-created_at", "-pk")


def move(request, request_id: int, status: str, reply: str = "") -> MeetingRequest:
    found = get_object_or_404(
        MeetingRequest.objects.visible_to(request.user).select_related("subject", "requested_by"),
        pk=request_id,
    )
    return services.set_meeting_request_status(Actor.from_request(request), found, status, reply=reply)


@meeting_router.post(
    "/{request_id}/withdraw",
    response={200: MeetingRequestOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Withdraw a meeting request",
)
def withdraw_meeting_request(request, request_id: int):
    """Whoever made an open request, or acts on its organization's suggestions, withdraws it
    (422 when it is no longer open)."""
    return move(request, request_id, MeetingRequest.Status.WITHDRAWN)


class MeetingAnswerIn(InputSchema):
    reply: MultilineText = Field("", max_length=services.MESSAGE_LIMIT)


@meeting_router.post(
    "/{request_id}/accept",
    response={200: MeetingRequestOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Accept a meeting request",
)
def accept_meeting_request(request, request_id: int, payload: MeetingAnswerIn | None = None):
    """The requested organization's members, or staff, accept an open request, with an optional
    ``reply`` (422 when it is no longer open; 403 for the requesting side). The requester's side is
    notified."""
    return move(request, request_id, MeetingRequest.Status.ACCEPTED, payload.reply if payload else "")


@meeting_router.post(
    "/{request_id}/decline",
    response={200: MeetingRequestOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Decline a meeting request",
)
def decline_meeting_request(request, request_id: int, payload: MeetingAnswerIn | None = None):
    """As accepting, with the other answer."""
    return move(request, request_id, MeetingRequest.Status.DECLINED, payload.reply if payload else "")
