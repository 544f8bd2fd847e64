"""Event use cases: an event with its days, slots, locations and rules; its status; its organizers.

Each function runs in one transaction, checks permission first (``PermissionDenied``), validates
(``ValidationError``) and writes its audit entries (``partnering.event.*``, ``partnering.location.*``).
An event's status moves by :func:`set_event_status` only, never by an edit.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts import audit
from dari.accounts.audit import Actor, log_action
from dari.accounts.models import Membership, Role
from dari.accounts.services import grant_membership, revoke_membership
from dari.core.services import Fields, lock, require
from dari.core.time import read_local
from dari.core.transitions import Transitions

from ..models import Event, EventDay, EventItem, Location, Slot
from ..permissions import can_change_event, can_create_event

EVENT = Fields(
    creatable=(
        "name_ko",
        "name_en",
        "name_ko_origin",
        "name_en_origin",
        "kind",
        "description_ko",
        "description_en",
        "time_zone",
        "slot_minutes",
        "gap_minutes",
        "meet_kinds_a",
        "meet_kinds_b",
        "request_cap",
        "is_public",
    ),
    also_audited=("status",),
)
#: What decides the slots: changing one of these makes them again.
TIMING = ("time_zone", "slot_minutes", "gap_minutes")
DAY = Fields(creatable=("date", "starts", "ends", "breaks"), also_audited=("event",))
ITEM = Fields(
    creatable=("starts_at", "title_ko", "title_en", "place_ko", "place_en", "agreement", "source"),
    also_audited=("event",),
)
LOCATION = Fields(
    creatable=("name_ko", "name_en", "kind", "capacity", "venue", "video_url"), also_audited=("event",)
)

EventStatus = Event.Status
#: Prepared as a draft; registration opens (delegates, availability, requests); the organizers
#: schedule the accepted requests and publish the schedule (and may take it back to reschedule,
#: or reopen registration while scheduling); closed is final.
EVENT_STATUS = Transitions(
    EventStatus,
    {
        EventStatus.DRAFT: {EventStatus.REGISTRATION, EventStatus.CLOSED},
        EventStatus.REGISTRATION: {EventStatus.SCHEDULING, EventStatus.CLOSED},
        EventStatus.SCHEDULING: {EventStatus.REGISTRATION, EventStatus.PUBLISHED, EventStatus.CLOSED},
        EventStatus.PUBLISHED: {EventStatus.SCHEDULING, EventStatus.CLOSED},
    },
    field="status",
    refusal=gettext_lazy("An event cannot go from %(old)s to %(new)s."),
)

#: While the schedule is published or the event is closed, its times stay as they are.
FIXED_TIMES = (EventStatus.PUBLISHED, EventStatus.CLOSED)


def check_times_may_change(event: Event) -> None:
    if event.status in FIXED_TIMES:
        raise ValidationError(
            _("The event's schedule is published or closed: take it back to scheduling to change its times.")
        )


# --- slots -------------------------------------------------------------------------------------------

BREAK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")


def parse_breaks(value) -> list[list[str]]:
    """Breaks as ``[["12:00", "13:00"], ...]``, from that list or from text ``12:00-13:00, 15:00-15:15``."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[,;\n]", value) if part.strip()]
    breaks = []
    for item in value or []:
        text = "-".join(item) if isinstance(item, list | tuple) else str(item)
        match = BREAK.match(text)
        if not match:
            raise ValidationError({"breaks": _("Write each break as HH:MM-HH:MM, e.g. 12:00-13:00.")})
        hours_from, minutes_from, hours_to, minutes_to = (int(part) for part in match.groups())
        try:
            start, end = time(hours_from, minutes_from), time(hours_to, minutes_to)
        except ValueError:
            raise ValidationError({"breaks": _("%(text)s is not a time of day.") % {"text": text}}) from None
        if end <= start:
            raise ValidationError({"breaks": _("A break ends after it starts.")})
        breaks.append([f"{start:%H:%M}", f"{end:%H:%M}"])
    return sorted(breaks)


def local_instant(day_date, moment: time, zone: str, field: str) -> datetime:
    """The instant of a wall-clock time of the event's day; a time the zone skips or repeats that
    day (the clocks changing) is refused on ``field``, never shifted."""
    try:
        return read_local(datetime.combine(day_date, moment), zone)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def slot_times(event: Event, day: EventDay) -> list[tuple[datetime, datetime]]:
    """The slots of ``day`` as (start, end) instants: from its start, one every ``slot_minutes``
    plus ``gap_minutes``, each ending by the day's end and overlapping no break. Counted in real
    time, so a day on which the clocks change has slots of the same length throughout."""
    zone = event.time_zone
    start = local_instant(day.date, day.starts, zone, "starts")
    end = local_instant(day.date, day.ends, zone, "ends")
    if end <= start:
        raise ValidationError({"ends": _("The meetings end after they start.")})
    breaks = []
    for first, last in day.breaks:
        begins = local_instant(day.date, time.fromisoformat(first), zone, "breaks")
        finishes = local_instant(day.date, time.fromisoformat(last), zone, "breaks")
        if begins < start or finishes > end:
            raise ValidationError({"breaks": _("Each break lies between the day's start and end.")})
        breaks.append((begins, finishes))
    length, step = (
        timedelta(minutes=event.slot_minutes),
        timedelta(minutes=event.slot_minutes + event.gap_minutes),
    )
    slots, moment = [], start
    while moment + length <= end:
        overlapping = [
            finishes for begins, finishes in breaks if begins < moment + length and moment < finishes
        ]
        if overlapping:
            moment = max(overlapping)
            continue
        slots.append((moment, moment + length))
        moment += step
    return slots


def sync_slots(event: Event) -> None:
    """Make the event's slot rows those of its days: slots that stay keep their rows (and the
    availability marked in them), the others are deleted, the new ones created."""
    wanted = {}
    # Read afresh, not through ``event.days``: a caller may hold the event with its days prefetched.
    for day in EventDay.objects.filter(event=event):
        for start, end in slot_times(event, day):
            wanted[start] = (day, end)
    for slot in Slot.objects.filter(event=event):
        kept = wanted.get(slot.starts_at)
        if kept is not None and kept[0].pk == slot.day_id and kept[1] == slot.ends_at:
            del wanted[slot.starts_at]
        else:
            slot.delete()
    Slot.objects.bulk_create(
        Slot(event=event, day=day, starts_at=start, ends_at=end)
        for start, (day, end) in sorted(wanted.items())
    )


# --- events ------------------------------------------------------------------------------------------


def organizer_memberships(event: Event):
    return Membership.objects.filter(
        role=Role.EVENT_ORGANIZER, scope_type=ContentType.objects.get_for_model(Event), scope_id=event.pk
    )


def event_organizers(event: Event):
    """The users who organize ``event`` (its ``event_organizer`` memberships)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=organizer_memberships(event).values("user_id"))
    return users.order_by("username")


def active_users_named(names: list[str], field: str) -> list:
    """The active users with these usernames, in order; an unknown one is refused on ``field``."""
    from django.contrib.auth import get_user_model

    found = {
        user.username: user for user in get_user_model().objects.filter(is_active=True, username__in=names)
    }
    missing = [name for name in names if name not in found]
    if missing:
        raise ValidationError({field: _("No such user: %(names)s") % {"names": ", ".join(missing)}})
    return [found[name] for name in names]


def set_event_organizers(actor: Actor, event: Event, users) -> None:
    """Make ``users`` the event's organizers: grants the ``event_organizer`` membership scoped to it
    to each new one and revokes it from the others (``accounts.membership.granted`` / ``revoked``)."""
    wanted = {user.pk: user for user in users}
    for membership in organizer_memberships(event).select_related("user"):
        if membership.user_id not in wanted:
            revoke_membership(actor, membership)
    for user in wanted.values():
        grant_membership(actor, user, Role.EVENT_ORGANIZER, event)


@transaction.atomic
def create_event(actor: Actor, values: dict) -> Event:
    """Create a draft event (staff). ``values``: ``EVENT.creatable``, and ``organizers`` (users).
    Audit: partnering.event.created, then the organizers' memberships granted."""
    require(actor.is_system or can_create_event(actor.user), _("Only partnership staff may create events."))
    values = dict(values)
    organizers = values.pop("organizers", None)
    event = audit.create(actor, Event(), values, EVENT, "partnering.event.created")
    if organizers:
        set_event_organizers(actor, event, organizers)
    return event


@transaction.atomic
def update_event(actor: Actor, event: Event, values: dict, *, version: int | None = None) -> Event:
    """Change an event's fields from the ``version`` the editor saw (``Conflict`` if someone saved
    since); ``organizers``, when given, replace its organizers. Its zone, meeting length and pause
    change only before the schedule is published; changing one makes the slots again (availability
    stays in the slots that stay). Allowed: staff and the event's organizers.
    Audit: partnering.event.changed with the changed fields, if any."""
    require(actor.is_system or can_change_event(actor.user, event), _("You may not change this event."))
    values = dict(values)
    organizers = values.pop("organizers", None)

    def check_timing(obj, before):
        if any(before.get(name) != getattr(obj, name) for name in TIMING):
            check_times_may_change(obj)

    event = audit.update(
        actor, event, values, EVENT, "partnering.event.changed", version=version, prepare=check_timing
    )
    if set(TIMING) & set(event.audited_changes):
        sync_slots(event)
    if organizers is not None:
        set_event_organizers(actor, event, organizers)
    return event


@transaction.atomic
def set_event_status(actor: Actor, event: Event, status: str) -> Event:
    """Move ``event`` to ``status`` along ``EVENT_STATUS`` (draft → registration → scheduling →
    published → closed; scheduling may reopen registration, published go back to scheduling).
    Allowed: staff and the event's organizers. Opening registration needs at least one slot.

    Side effects, in one transaction: ``Event.status`` saved; one audit entry
    ``partnering.event.status_changed`` with ``{"status": [old, new]}``. No one is notified; the
    requests and availability stay as they are. Raises ``PermissionDenied``, or ``ValidationError``
    on ``status`` (nothing written). The same status again changes nothing."""
    require(actor.is_system or can_change_event(actor.user, event), _("You may not change this event."))
    event = lock(event)
    if status == event.status:
        return event
    EVENT_STATUS.check(event.status, status)
    if status == EventStatus.REGISTRATION and not event.slots.exists():
        raise ValidationError({"status": _("Add a day with meeting slots before opening registration.")})
    old = event.status
    event.status = status
    event.save(update_fields=["status"])
    log_action(actor, "partnering.event.status_changed", event, {"status": [old, status]})
    return event


# --- days and locations ------------------------------------------------------------------------------


@transaction.atomic
def add_event_day(actor: Actor, event: Event, values: dict) -> EventDay:
    """Add a day (``date``, ``starts``, ``ends`` local times in the event's zone, ``breaks``) and make
    its slots. Allowed: staff and organizers, before the schedule is published.
    Audit: partnering.event_day.created."""
    require(actor.is_system or can_change_event(actor.user, event), _("You may not change this event."))
    check_times_may_change(event)
    values = {**values, "breaks": parse_breaks(values.get("breaks") or [])}
    if values.get("date") and event.days.filter(date=values["date"]).exists():
        raise ValidationError({"date": _("This day is already part of the event.")})

    def check_fits(day):
        day.full_clean()
        if not slot_times(event, day):
            raise ValidationError({"ends": _("No meeting fits between the start, the end and the breaks.")})

    day = audit.create(
        actor, EventDay(event=event), values, DAY, "partnering.event_day.created", prepare=check_fits
    )
    sync_slots(event)
    return day


@transaction.atomic
def remove_event_day(actor: Actor, day: EventDay) -> None:
    """Remove a day with its slots (and the availability marked in them). Allowed as adding one.
    Audit: partnering.event_day.deleted."""
    event = day.event
    require(actor.is_system or can_change_event(actor.user, event), _("You may not change this event."))
    check_times_may_change(event)
    audit.delete(actor, day, DAY, "partnering.event_day.deleted")


@transaction.atomic
def add_location(actor: Actor, event: Event, values: dict) -> Location:
    """Add a room, a table or a video call to the event. Allowed: staff and organizers.
    Audit: partnering.location.created."""
    require(actor.is_system or can_change_event(actor.user, event), _("You may not change this event."))
    return audit.create(actor, Location(event=event), values, LOCATION, "partnering.location.created")


@transaction.atomic
def remove_location(actor: Actor, location: Location) -> None:
    """Remove a location. Allowed: staff and organizers. Audit: partnering.location.deleted."""
    require(
        actor.is_system or can_change_event(actor.user, location.event), _("You may not change this event.")
    )
    audit.delete(actor, location, LOCATION, "partnering.location.deleted")


@transaction.atomic
def add_event_item(actor: Actor, event: Event, values: dict) -> EventItem:
    """Add a moment to the event's programme. ``starts_at``: an aware instant, or a wall-clock time
    (naive) in the event's zone (``read_local``: refused when the zone skips or repeats it);
    ``agreement``: one the actor may see. Allowed: staff and organizers.
    Audit: partnering.event_item.created."""
    require(actor.is_system or can_change_event(actor.user, event), _("You may not change this event."))
    values = dict(values)
    starts_at = values.get("starts_at")
    if isinstance(starts_at, datetime) and starts_at.tzinfo is None:
        try:
            values["starts_at"] = read_local(starts_at, event.time_zone)
        except ValidationError as error:
            raise ValidationError({"starts_at": error.messages}) from None
    agreement = values.get("agreement")
    if agreement is not None and not actor.is_system:
        from dari.agreements.models import Agreement

        if not Agreement.objects.visible_to(actor.user).filter(pk=agreement.pk).exists():
            raise ValidationError({"agreement": _("Choose an agreement you can see.")})
    return audit.create(actor, EventItem(event=event), values, ITEM, "partnering.event_item.created")


@transaction.atomic
def remove_event_item(actor: Actor, item: EventItem) -> None:
    """Remove a moment of the programme. Allowed: staff and organizers.
    Audit: partnering.event_item.deleted."""
    require(actor.is_system or can_change_event(actor.user, item.event), _("You may not change this event."))
    audit.delete(actor, item, ITEM, "partnering.event_item.deleted")
