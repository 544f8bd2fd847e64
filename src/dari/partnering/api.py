"""Meeting requests: ``POST /api/v1/organizations/{id}/meeting-requests`` (ask, from a suggestion)
and ``/api/v1/meeting-requests`` (list, withdraw, accept, decline, propose other delegates). The
paths are the ones they had in matching. Events: ``/api/v1/events`` (with their days, slots,
locations, delegates, availability and meeting requests, and what their meetings led to:
``/api/v1/events/{id}/analytics``). Each side's report on a meeting: ``/api/v1/meetings/{id}/reports``."""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.core.api import (
    EDIT_ERRORS,
    WRITE_ERRORS,
    InputSchema,
    MultilineText,
    Pagination,
    Ref,
    absolute_url,
    errors,
    signed_in,
    visible_or_422,
)
from dari.core.schemas import in_own_zone
from dari.jobs.api import JobOut
from dari.matching.api import visible_pair
from dari.registry.api import VERSION_IN
from dari.registry.models import Organization

from . import services
from .models import (
    Attendance,
    Delegate,
    Event,
    EventDay,
    FollowUp,
    Location,
    Meeting,
    MeetingRequest,
    Preference,
    Priority,
)
from .permissions import can_change_event, can_mark_availability, can_view_event_analytics
from .queries import event_follow_up_figures, meeting_for_report, meeting_report_sides, programme

router = Router(tags=["partnering"])
meeting_router = Router(tags=["partnering"])


class MeetingRequestIn(InputSchema):
    candidate_id: int
    message: MultilineText = Field("", max_length=services.MESSAGE_LIMIT)
    event_id: int | None = Field(
        None, description="Ask at this event, where both take part (its rules apply), rather than outside one"
    )


class MeetingRequestOut(Schema):
    id: int
    event_id: int | None = Field(description="The event it was asked at; null: from a suggestion")
    subject_id: int
    candidate_id: int
    requested_by: str
    message: str
    status: str
    priority: int
    requester_preference: str
    candidate_preference: str
    delegate_ids: list[int] = Field(description="The delegates of both sides in the meeting")
    created_at: str
    reply: str
    answered_by: str | None
    answered_at: str | None

    @staticmethod
    def resolve_delegate_ids(obj) -> list[int]:
        return sorted(delegate.pk for delegate in obj.delegates.all())

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
    actor, values = Actor.from_request(request), {"message": payload.message}
    if payload.event_id is None:
        created = services.request_meeting(actor, subject, candidate, values)
    else:
        event = visible_or_422(Event.objects.visible_to(request.user), payload.event_id, "event_id")
        created = services.request_event_meeting(actor, event, subject, candidate, values)
    return Status(201, requests_for(request).get(pk=created.pk))


class MeetingRequestFilters(InputSchema):
    status: MeetingRequest.Status | None = None


@meeting_router.get(
    "", response=list[MeetingRequestOut], auth=signed_in, summary="Meeting requests the caller may see"
)
@paginate(Pagination)
def list_meeting_requests(request, filters: Query[MeetingRequestFilters]):
    """Made by the caller, or for or with the caller's organizations, or at events the caller
    organizes (staff: all); newest first."""
    found = requests_for(request)
    if filters.status:
        found = found.filter(status=filters.status)
    return found.order_by("-created_at", "-pk")


def requests_for(request):
    found = MeetingRequest.objects.visible_to(request.user)
    return found.select_related("requested_by", "answered_by").prefetch_related("delegates")


def move(request, request_id: int, status: str, payload=None) -> MeetingRequest:
    found = get_object_or_404(
        MeetingRequest.objects.visible_to(request.user).select_related("subject", "requested_by", "event"),
        pk=request_id,
    )
    answer = {}
    if payload is not None:
        answer = {"reply": payload.reply, "preference": payload.preference}
        if payload.delegate_ids is not None:
            answer["delegates"] = payload.delegate_ids
    services.set_meeting_request_status(Actor.from_request(request), found, status, **answer)
    return requests_for(request).get(pk=found.pk)


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
    preference: Preference | None = Field(
        None, description="At an event: must_meet or would_like with an acceptance (default would_like)"
    )
    delegate_ids: list[int] | None = Field(
        None, description="At an event: your delegates who attend (default: all of them)"
    )


@meeting_router.post(
    "/{request_id}/accept",
    response={200: MeetingRequestOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Accept a meeting request",
)
def accept_meeting_request(request, request_id: int, payload: MeetingAnswerIn | None = None):
    """The requested organization's members, or staff, accept an open request, with an optional
    ``reply`` (422 when it is no longer open; 403 for the requesting side). The requester's side is
    notified. At an event, also ``preference`` and ``delegate_ids``; a request whose delegates the
    requested side proposed is accepted by the requesting side."""
    return move(request, request_id, MeetingRequest.Status.ACCEPTED, payload)


@meeting_router.post(
    "/{request_id}/decline",
    response={200: MeetingRequestOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Decline a meeting request",
)
def decline_meeting_request(request, request_id: int, payload: MeetingAnswerIn | None = None):
    """As accepting, with the other answer (at an event, a "no thanks")."""
    return move(request, request_id, MeetingRequest.Status.DECLINED, payload)


@meeting_router.post(
    "/{request_id}/propose",
    response={200: MeetingRequestOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Propose other delegates for a meeting at an event",
)
def propose_delegates(request, request_id: int, payload: MeetingAnswerIn):
    """The requested organization proposes which of its delegates attend (``delegate_ids``); the
    requesting side then accepts (``accept``) or withdraws. Event requests only (422 otherwise)."""
    return move(request, request_id, MeetingRequest.Status.PROPOSED, payload)


# --- events ------------------------------------------------------------------------------------------

events_router = Router(tags=["partnering"])


class SlotOut(Schema):
    id: int
    starts_at: datetime = Field(description="In the event's own zone (the event's time_zone)")
    ends_at: datetime


class DayOut(Schema):
    id: int
    date: date
    starts: str = Field(description="Local time in the event's zone, HH:MM")
    ends: str
    breaks: list[list[str]]

    @staticmethod
    def resolve_starts(obj: EventDay) -> str:
        return f"{obj.starts:%H:%M}"

    @staticmethod
    def resolve_ends(obj: EventDay) -> str:
        return f"{obj.ends:%H:%M}"


class LocationOut(Schema):
    id: int
    name_ko: str
    name_en: str
    kind: str
    capacity: int
    venue: str
    video_url: str


class EventOut(Schema):
    id: int
    name_ko: str
    name_en: str
    kind: str
    description_ko: str
    description_en: str
    time_zone: str
    slot_minutes: int
    gap_minutes: int
    meet_kinds_a: list[str]
    meet_kinds_b: list[str]
    request_cap: int | None
    is_public: bool
    status: str
    days: list[DayOut]
    locations: list[LocationOut]
    slot_count: int
    version: int
    web_url: str

    @staticmethod
    def resolve_days(obj: Event) -> list:
        return list(obj.days.all())

    @staticmethod
    def resolve_locations(obj: Event) -> list:
        return list(obj.locations.all())

    @staticmethod
    def resolve_web_url(obj: Event, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


def events_for(request):
    found = Event.objects.visible_to(request.user).prefetch_related("days", "locations")
    return found.annotate(slot_count=Count("slots"))


def visible_event(request, event_id: int) -> Event:
    return get_object_or_404(events_for(request), pk=event_id)


@events_router.get("", response=list[EventOut], summary="Partnering events and delegation visits")
@paginate(Pagination)
def list_events(request, status: Event.Status | None = None):
    """The events you may see (public ones once registration opens; your own), newest first."""
    found = events_for(request)
    return found.filter(status=status) if status else found


@events_router.get("/{event_id}", response=EventOut, summary="One event")
def get_event(request, event_id: int):
    return visible_event(request, event_id)


class EventIn(InputSchema):
    """A new event (staff), a draft. ``meet_kinds_a``/``meet_kinds_b``: organization kinds that meet
    only each other (both or neither); ``organizers``: usernames."""

    name_ko: str = ""
    name_en: str = ""
    kind: Event.Kind = Event.Kind.PARTNERING
    description_ko: MultilineText = ""
    description_en: MultilineText = ""
    time_zone: str
    slot_minutes: int = Field(30, ge=5, le=240)
    gap_minutes: int = Field(0, ge=0, le=120)
    meet_kinds_a: list[str] = []
    meet_kinds_b: list[str] = []
    request_cap: int | None = Field(None, ge=1, le=1000)
    is_public: bool = True
    organizers: list[str] = []


class EventPatch(InputSchema):
    """Only the fields sent change; ``organizers`` replace the list."""

    name_ko: str = None
    name_en: str = None
    kind: Event.Kind = None
    description_ko: MultilineText = None
    description_en: MultilineText = None
    time_zone: str = None
    slot_minutes: int = Field(None, ge=5, le=240)
    gap_minutes: int = Field(None, ge=0, le=120)
    meet_kinds_a: list[str] = None
    meet_kinds_b: list[str] = None
    request_cap: int | None = Field(None, ge=1, le=1000)
    is_public: bool = None
    organizers: list[str] = None
    version: int | None = Field(None, description=VERSION_IN)


def event_values(values: dict) -> dict:
    if values.get("organizers") is not None:
        values["organizers"] = services.active_users_named(values["organizers"], "organizers")
    return values


@events_router.post("", response={201: EventOut, **WRITE_ERRORS}, auth=signed_in, summary="Create an event")
def create_event(request, payload: EventIn):
    """Staff only; the event starts as a draft."""
    event = services.create_event(Actor.from_request(request), event_values(payload.dict()))
    return Status(201, visible_event(request, event.pk))


@events_router.patch(
    "/{event_id}", response={200: EventOut, **EDIT_ERRORS}, auth=signed_in, summary="Change an event"
)
def update_event(request, event_id: int, payload: EventPatch):
    """Staff and the event's organizers. Changing the zone or the meeting length makes the slots
    again (only before the schedule is published)."""
    event = visible_event(request, event_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    services.update_event(Actor.from_request(request), event, event_values(values), version=version)
    return visible_event(request, event_id)


class EventStatusIn(InputSchema):
    status: Event.Status


@events_router.post(
    "/{event_id}/status", response={200: EventOut, **WRITE_ERRORS}, auth=signed_in, summary="Move an event"
)
def set_event_status(request, event_id: int, payload: EventStatusIn):
    """draft → registration → scheduling → published → closed (scheduling may reopen registration,
    published go back to scheduling); 422 for another move."""
    services.set_event_status(Actor.from_request(request), visible_event(request, event_id), payload.status)
    return visible_event(request, event_id)


class DayIn(InputSchema):
    date: date
    starts: time = Field(description="Local time in the event's zone")
    ends: time
    breaks: list[list[str]] = Field([], description='e.g. [["12:00", "13:00"]]')


@events_router.post(
    "/{event_id}/days",
    response={201: DayOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Add a day and its slots",
)
def add_event_day(request, event_id: int, payload: DayIn):
    """Staff and organizers, before the schedule is published; its slots are made at once."""
    day = services.add_event_day(
        Actor.from_request(request), visible_event(request, event_id), payload.dict()
    )
    return Status(201, day)


@events_router.delete(
    "/{event_id}/days/{day_id}", response={204: None, **WRITE_ERRORS}, auth=signed_in, summary="Remove a day"
)
def remove_event_day(request, event_id: int, day_id: int):
    day = get_object_or_404(visible_event(request, event_id).days, pk=day_id)
    services.remove_event_day(Actor.from_request(request), day)
    return Status(204, None)


@events_router.get("/{event_id}/slots", response=list[SlotOut], summary="An event's meeting slots")
@paginate(Pagination)
def list_slots(request, event_id: int):
    event = visible_event(request, event_id)
    return [
        {
            "id": slot.pk,
            "starts_at": in_own_zone(slot.starts_at, event.time_zone),
            "ends_at": in_own_zone(slot.ends_at, event.time_zone),
        }
        for slot in event.slots.all()
    ]


class EventItemOut(Schema):
    id: int
    starts_at: datetime
    time_zone: str
    title_ko: str
    title_en: str
    place_ko: str
    place_en: str
    agreement_id: int | None = Field(None, description="the agreement it saw signed, when you may see it")
    source_key: str | None = None


@events_router.get("/{event_id}/items", response=list[EventItemOut], summary="An event's programme")
@paginate(Pagination)
def list_event_items(request, event_id: int):
    """The moments of the event's programme in time order (times with the event's offset); an
    agreement is named only to those who may see it."""
    event = visible_event(request, event_id)
    return [event_item_out(row["item"], row["agreement"]) for row in programme(event, request.user)]


def event_item_out(item, agreement) -> dict:
    return {
        "id": item.pk,
        "starts_at": in_own_zone(item.starts_at, item.event.time_zone),
        "time_zone": item.event.time_zone,
        **{name: getattr(item, name) for name in ("title_ko", "title_en", "place_ko", "place_en")},
        "agreement_id": agreement.pk if agreement else None,
        "source_key": item.source.key if item.source_id else None,
    }


class EventItemIn(InputSchema):
    """``starts_at``: with an offset, or a wall-clock time in the event's zone."""

    starts_at: datetime
    title_ko: str = ""
    title_en: str = ""
    place_ko: str = ""
    place_en: str = ""
    agreement_id: int | None = None


@events_router.post(
    "/{event_id}/items",
    response={201: EventItemOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Add a moment to the programme",
)
def add_event_item(request, event_id: int, payload: EventItemIn):
    from dari.agreements.models import Agreement

    event = visible_event(request, event_id)
    values = payload.dict()
    values["agreement"] = visible_or_422(
        Agreement.objects.visible_to(request.user), values.pop("agreement_id"), "agreement_id"
    )
    item = services.add_event_item(Actor.from_request(request), event, values)
    return Status(201, event_item_out(item, item.agreement))


@events_router.delete(
    "/{event_id}/items/{item_id}",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Remove a moment of the programme",
)
def remove_event_item(request, event_id: int, item_id: int):
    item = get_object_or_404(visible_event(request, event_id).items, pk=item_id)
    services.remove_event_item(Actor.from_request(request), item)
    return Status(204, None)


class LocationIn(InputSchema):
    name_ko: str = ""
    name_en: str = ""
    kind: Location.Kind = Location.Kind.TABLE
    capacity: int = Field(1, ge=1, le=1000)
    venue: str = ""
    video_url: str = ""


@events_router.post(
    "/{event_id}/locations",
    response={201: LocationOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Add a room, table or video call",
)
def add_location(request, event_id: int, payload: LocationIn):
    event = visible_event(request, event_id)
    return Status(201, services.add_location(Actor.from_request(request), event, payload.dict()))


@events_router.delete(
    "/{event_id}/locations/{location_id}",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Remove a location",
)
def remove_location(request, event_id: int, location_id: int):
    location = get_object_or_404(visible_event(request, event_id).locations, pk=location_id)
    services.remove_location(Actor.from_request(request), location)
    return Status(204, None)


# --- delegates and availability ----------------------------------------------------------------------


class DelegateOut(Schema):
    id: int
    organization: Ref
    username: str

    @staticmethod
    def resolve_username(obj: Delegate) -> str:
        return obj.user.get_username()


@events_router.get("/{event_id}/delegates", response=list[DelegateOut], summary="Who takes part, for whom")
@paginate(Pagination)
def list_delegates(request, event_id: int):
    """Its organizers, its delegates and the members of the organizations taking part see them."""
    event = visible_event(request, event_id)
    return (
        Delegate.objects.visible_to(request.user).filter(event=event).select_related("organization", "user")
    )


class DelegateIn(InputSchema):
    organization_id: int
    username: str


@events_router.post(
    "/{event_id}/delegates",
    response={201: DelegateOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Register a delegate",
)
def register_delegate(request, event_id: int, payload: DelegateIn):
    """The organization's members (while registration is open), organizers and staff register a
    member of the organization."""
    event = visible_event(request, event_id)
    organization = visible_or_422(
        Organization.objects.visible_to(request.user), payload.organization_id, "organization_id"
    )
    (user,) = services.active_users_named([payload.username], "username")
    delegate = services.register_delegate(Actor.from_request(request), event, organization, user)
    return Status(201, delegate)


def visible_delegate(request, event_id: int, delegate_id: int) -> Delegate:
    event = visible_event(request, event_id)
    return get_object_or_404(event.delegates.select_related("event", "organization", "user"), pk=delegate_id)


@events_router.delete(
    "/{event_id}/delegates/{delegate_id}",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Take a delegate off the event",
)
def remove_delegate(request, event_id: int, delegate_id: int):
    services.remove_delegate(Actor.from_request(request), visible_delegate(request, event_id, delegate_id))
    return Status(204, None)


class AvailabilityOut(Schema):
    delegate_id: int
    time_zone: str = Field(description="The event's zone")
    slots: list[int] = Field(description="The ids of the slots the delegate is available in")


class AvailabilityIn(InputSchema):
    slots: list[int]


def availability_of(delegate: Delegate) -> dict:
    slots = sorted(delegate.available.values_list("pk", flat=True))
    return {"delegate_id": delegate.pk, "time_zone": delegate.event.time_zone, "slots": slots}


def own_delegate(request, event_id: int, delegate_id: int) -> Delegate:
    """A delegate whose availability the caller may read and mark (404 for anyone else)."""
    delegate = visible_delegate(request, event_id, delegate_id)
    if not can_mark_availability(request.user, delegate):
        raise Http404
    return delegate


@events_router.get(
    "/{event_id}/delegates/{delegate_id}/availability",
    response={200: AvailabilityOut, **errors(401, 404)},
    auth=signed_in,
    summary="When a delegate is free",
)
def get_availability(request, event_id: int, delegate_id: int):
    """The delegate, their organization's members, organizers and staff."""
    return availability_of(own_delegate(request, event_id, delegate_id))


@events_router.put(
    "/{event_id}/delegates/{delegate_id}/availability",
    response={200: AvailabilityOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Mark when a delegate is free",
)
def set_availability(request, event_id: int, delegate_id: int, payload: AvailabilityIn):
    """Replaces the slots marked; while the event takes registrations or is being scheduled."""
    delegate = own_delegate(request, event_id, delegate_id)
    services.set_availability(Actor.from_request(request), delegate, payload.slots)
    return availability_of(delegate)


class DelegateAvailabilityOut(Schema):
    delegate_id: int
    organization_id: int
    username: str
    slots: list[int] = Field(description="The ids of the slots the delegate is available in")


@events_router.get(
    "/{event_id}/availability",
    response={200: list[DelegateAvailabilityOut], **errors(401, 403, 404)},
    auth=signed_in,
    summary="Every delegate's availability (organizers)",
)
@paginate(Pagination)
def list_availability(request, event_id: int):
    """The event's organizers and staff: each delegate with the slots they are free in, what a
    schedule is made from."""
    event = visible_event(request, event_id)
    if not can_change_event(request.user, event):
        raise PermissionDenied
    delegates = event.delegates.select_related("user").prefetch_related("available").order_by("pk")
    return [
        {
            "delegate_id": delegate.pk,
            "organization_id": delegate.organization_id,
            "username": delegate.user.get_username(),
            "slots": sorted(slot.pk for slot in delegate.available.all()),
        }
        for delegate in delegates
    ]


# --- meeting requests at an event --------------------------------------------------------------------


@events_router.get(
    "/{event_id}/meeting-requests",
    response=list[MeetingRequestOut],
    auth=signed_in,
    summary="The event's meeting requests the caller may see",
)
@paginate(Pagination)
def list_event_requests(request, event_id: int):
    """Those of the caller's organizations, on either side (organizers and staff: all)."""
    event = visible_event(request, event_id)
    return requests_for(request).filter(event=event)


class EventMeetingRequestIn(InputSchema):
    subject_id: int = Field(description="Your organization taking part in the event")
    candidate_id: int
    message: MultilineText = Field("", max_length=services.MESSAGE_LIMIT)
    priority: Priority = Priority.NORMAL
    requester_preference: Preference = Preference.WOULD_LIKE
    delegate_ids: list[int] = Field([], description="Your delegates who attend (default: you)")
    candidate_delegate_ids: list[int] = Field([], description="Their delegates you ask to meet")


@events_router.post(
    "/{event_id}/meeting-requests",
    response={201: MeetingRequestOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Request a meeting at an event",
)
def request_event_meeting(request, event_id: int, payload: EventMeetingRequestIn):
    """While registration is open; the event's rules apply (who meets whom, the cap on requests
    per organization): 422 with the reason."""
    event = visible_event(request, event_id)
    organizations = Organization.objects.visible_to(request.user)
    subject = visible_or_422(organizations, payload.subject_id, "subject_id")
    candidate = visible_or_422(organizations, payload.candidate_id, "candidate_id")
    values = {
        "message": payload.message,
        "priority": payload.priority,
        "requester_preference": payload.requester_preference,
        "delegates": payload.delegate_ids,
        "candidate_delegates": payload.candidate_delegate_ids,
    }
    created = services.request_event_meeting(Actor.from_request(request), event, subject, candidate, values)
    return Status(201, requests_for(request).get(pk=created.pk))


# --- the schedule ------------------------------------------------------------------------------------


@events_router.post(
    "/{event_id}/schedule",
    response={202: JobOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Generate the event's schedule (organizers)",
)
def generate_schedule(request, event_id: int):
    """Starts a job (follow it at ``/api/v1/jobs/{id}``) that places the accepted requests in the
    slots and locations, keeping the meetings already scheduled where it can; a schedule the
    validator rejects is not saved (the job fails with the reason). 422 unless the event is in
    scheduling; 403 for all but its organizers and staff."""
    event = visible_event(request, event_id)
    return Status(202, services.start_schedule_generation(Actor.from_request(request), event))


class MeetingOut(Schema):
    id: int
    event_id: int
    request_id: int
    state: Meeting.State
    sequence: int = Field(description="How many times it moved or changed (its calendar entry's SEQUENCE)")
    starts_at: datetime = Field(description="In the event's own zone (time_zone)")
    ends_at: datetime
    time_zone: str
    location_id: int
    location_name_ko: str
    location_name_en: str
    video_url: str
    subject_id: int
    candidate_id: int
    delegate_ids: list[int]
    web_url: str

    @staticmethod
    def resolve_starts_at(obj) -> datetime:
        return in_own_zone(obj.slot.starts_at, obj.event.time_zone)

    @staticmethod
    def resolve_ends_at(obj) -> datetime:
        return in_own_zone(obj.slot.ends_at, obj.event.time_zone)

    @staticmethod
    def resolve_time_zone(obj) -> str:
        return obj.event.time_zone

    @staticmethod
    def resolve_location_name_ko(obj) -> str:
        return obj.location.name_ko

    @staticmethod
    def resolve_location_name_en(obj) -> str:
        return obj.location.name_en

    @staticmethod
    def resolve_video_url(obj) -> str:
        return obj.location.video_url

    @staticmethod
    def resolve_subject_id(obj) -> int:
        return obj.request.subject_id

    @staticmethod
    def resolve_candidate_id(obj) -> int:
        return obj.request.candidate_id

    @staticmethod
    def resolve_delegate_ids(obj) -> list[int]:
        return sorted(delegate.pk for delegate in obj.request.delegates.all())

    @staticmethod
    def resolve_web_url(obj, context) -> str:
        return absolute_url(context, reverse("partnering:event-agenda", args=[obj.event_id]))


def meetings_for(request, event_id: int):
    event = visible_event(request, event_id)
    found = Meeting.objects.visible_to(request.user).filter(event=event).for_agenda()
    return found.order_by("slot__starts_at", "location", "pk")


@events_router.get(
    "/{event_id}/agenda",
    response={200: list[MeetingOut], **errors(401, 404)},
    auth=signed_in,
    summary="The caller's meetings at the event",
)
@paginate(Pagination)
def list_agenda(request, event_id: int):
    """The meetings the caller attends as a delegate, scheduled and cancelled, by time (once the
    schedule is published; the organizers see theirs before)."""
    return meetings_for(request, event_id).attended_by(request.user)


@events_router.get(
    "/{event_id}/meetings",
    response={200: list[MeetingOut], **errors(401, 404)},
    auth=signed_in,
    summary="The event's meetings the caller may see",
)
@paginate(Pagination)
def list_meetings(request, event_id: int, location_id: int | None = None):
    """Organizers and staff: every meeting (``location_id``: one room's); a participant: those of
    their organizations, once the schedule is published."""
    found = meetings_for(request, event_id)
    return found.filter(location_id=location_id) if location_id is not None else found


class EventFiguresOut(Schema):
    event_id: int
    requests_sent: int = Field(description="Meeting requests made at the event (withdrawn ones too)")
    requests_accepted: int
    meetings_scheduled: int = Field(description="Meetings the schedule holds")
    meetings_held: int = Field(description="Scheduled meetings a side reported held")
    no_shows: int = Field(description="Scheduled meetings a side reported the other side did not come to")
    outcomes: int = Field(
        description="Outcomes opened from the meetings' reports, among those the caller may see"
    )


@events_router.get(
    "/{event_id}/analytics",
    response={200: EventFiguresOut, **errors(401, 403, 404)},
    auth=signed_in,
    summary="What the event's meetings led to (organizers)",
)
def event_analytics(request, event_id: int):
    """The event's organizers and staff: requests sent and accepted, meetings scheduled and held,
    no-shows and the outcomes that followed, counted among what the caller may see."""
    event = visible_event(request, event_id)
    if not can_view_event_analytics(request.user, event):
        raise PermissionDenied
    return {"event_id": event.pk, **event_follow_up_figures(request.user, event)}


# --- after the meeting -------------------------------------------------------------------------------

reports_router = Router(tags=["partnering"])


class MeetingReportOut(Schema):
    id: int
    meeting_id: int
    organization: Ref = Field(description="The side that reports")
    attendance: Attendance
    result: FollowUp = Field(description="What came of it; empty: not recorded yet")
    note: str | None = Field(description="The side's own note: null for anyone but that side and staff")
    reported_by: str | None = Field(description="Null for anyone but that side and staff")
    outcome_id: int | None = Field(
        description="The outcome the side opened from it, if the caller may see it"
    )
    result_updated_at: datetime | None
    updated_at: datetime
    version: int
    editable: bool = Field(description="Whether the caller reports for this side")
    web_url: str

    @staticmethod
    def resolve_web_url(obj, context) -> str:
        return absolute_url(context, reverse("partnering:meeting-report", args=[obj["meeting_id"]]))


def visible_meeting(request, meeting_id: int) -> Meeting:
    meeting = meeting_for_report(request.user, meeting_id)
    if meeting is None:
        raise Http404
    return meeting


@reports_router.get(
    "/{meeting_id}/reports",
    response={200: list[MeetingReportOut], **errors(401, 404)},
    auth=signed_in,
    summary="Both sides' reports on a meeting",
)
@paginate(Pagination)
def list_meeting_reports(request, meeting_id: int):
    """Whoever sees the meeting (its two sides once the schedule is published, its event's
    organizers, staff) reads whether each side says it happened and what came of it; a note only
    its own side and staff."""
    meeting = visible_meeting(request, meeting_id)
    return [side for side in meeting_report_sides(request.user, meeting) if side["id"] is not None]


class MeetingReportIn(InputSchema):
    attendance: Attendance
    result: FollowUp = Field(FollowUp.NOT_RECORDED, description="What came of it; empty: not yet known")
    note: MultilineText = Field("", max_length=services.NOTE_LIMIT)
    outcome_kind: str = Field(
        "",
        description="With negotiation_started: partnership (default), investment or contract",
    )
    version: int | None = Field(None, description=VERSION_IN)


@reports_router.put(
    "/{meeting_id}/reports/{organization_id}",
    response={200: MeetingReportOut, **EDIT_ERRORS},
    auth=signed_in,
    summary="Report on one's side of a meeting",
)
def put_meeting_report(request, meeting_id: int, organization_id: int, payload: MeetingReportIn):
    """That side only (its members and its delegates at the meeting; 403 for the other side, the
    organizers and staff), once the meeting has started (422 before). ``negotiation_started``
    opens an outcome for the side with the other as counterparty, once (``outcome_id``)."""
    meeting = visible_meeting(request, meeting_id)
    request_ = meeting.request
    if organization_id not in (request_.subject_id, request_.candidate_id):
        raise Http404
    organization = request_.subject if organization_id == request_.subject_id else request_.candidate
    values = payload.dict(include={"attendance", "result", "note"})
    services.report_meeting(
        Actor.from_request(request),
        meeting,
        organization,
        values,
        outcome_kind=payload.outcome_kind,
        version=payload.version,
    )
    sides = meeting_report_sides(request.user, meeting)
    return next(side for side in sides if side["organization"].pk == organization_id)
