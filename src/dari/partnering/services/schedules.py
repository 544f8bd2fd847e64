"""Scheduling an event: its accepted meeting requests become ``Meeting`` rows at a slot and location.

The organizers start :func:`start_schedule_generation` (a job with progress, page and API); the job
runs :func:`generate_schedule`, which builds the scheduler's instance from the event
(:func:`scheduling_instance`), solves it within a time limit (``dari.engines.scheduling.solve``,
outside any transaction: it takes seconds), then, in one transaction, builds the instance again
from the rows as they are now and saves the schedule only if the engine's validator finds nothing
wrong with it there. A request withdrawn or a slot removed meanwhile is such a violation: nothing is
saved and the organizer generates again.

Generating again keeps the existing meetings where it can: the scheduled ones are the solver's
previous schedule (moves are penalized). A moved meeting keeps its row with a higher ``sequence``; a
meeting the new schedule does not hold is cancelled, not deleted, so calendars can say so.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dari.accounts.audit import Actor, log_action
from dari.core.services import lock, require
from dari.engines import scheduling

from ..models import Event, Meeting, MeetingRequest, Preference
from ..permissions import can_change_event

#: The job kind (``dari.jobs``) of a schedule generation.
GENERATE_SCHEDULE = "partnering.generate_schedule"
#: Seconds the solver may take (the construction of its model included).
TIME_LIMIT = 30.0


def check_may_schedule(actor: Actor, event: Event) -> None:
    require(actor.is_system or can_change_event(actor.user, event), _("You may not change this event."))
    if event.status != Event.Status.SCHEDULING:
        raise ValidationError({"status": _("Move the event to scheduling before generating its schedule.")})


def scheduling_instance(event: Event) -> scheduling.Instance:
    """The event as the scheduler's instance: its slots, locations (a video call holds video
    meetings only), the delegates of its accepted requests with the slots they marked (none marked:
    available in none), each accepted request a meeting of its delegates weighted by its priority
    and both sides' interest, and its scheduled meetings as the previous schedule. Ids are the
    rows' primary keys as text (a meeting's is its request's)."""
    requests = (
        MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.ACCEPTED)
        .prefetch_related("delegates__available")
        .order_by("pk")
    )
    participants, meetings = {}, []
    for request in requests:
        delegates = list(request.delegates.all())
        sides = {delegate.organization_id for delegate in delegates}
        if not {request.subject_id, request.candidate_id} <= sides:
            continue  # one side has nobody to send: nothing to schedule
        for delegate in delegates:
            participants[delegate.pk] = scheduling.Participant(
                id=str(delegate.pk),
                organization=str(delegate.organization_id),
                available=frozenset(str(slot.pk) for slot in delegate.available.all()),
            )
        preferences = {request.requester_preference, request.candidate_preference}
        meetings.append(
            scheduling.Meeting(
                id=str(request.pk),
                participants=tuple(str(delegate.pk) for delegate in sorted(delegates, key=lambda d: d.pk)),
                priority=request.priority,
                mutual=preferences <= {Preference.MUST_MEET, Preference.WOULD_LIKE},
                preference="must" if Preference.MUST_MEET in preferences else "would_like",
                mode="either",
            )
        )
    locations = list(event.locations.all())
    venues = sorted({location.venue for location in locations if location.venue})
    meeting_ids = {meeting.id for meeting in meetings}
    previous = tuple(
        scheduling.Assignment(str(request_id), str(slot_id), str(location_id))
        for request_id, slot_id, location_id in event.meetings.filter(state=Meeting.State.SCHEDULED)
        .order_by("pk")
        .values_list("request_id", "slot_id", "location_id")
        if str(request_id) in meeting_ids
    )
    return scheduling.Instance(
        id=f"event-{event.pk}",
        name=event.name_en or event.name_ko,
        zone=event.time_zone,
        slots=tuple(
            scheduling.Slot(str(slot.pk), slot.starts_at, slot.ends_at)
            for slot in event.slots.order_by("starts_at")
        ),
        venues=tuple(scheduling.Venue(venue) for venue in venues),
        locations=tuple(
            scheduling.Location(
                id=str(location.pk),
                capacity=location.capacity,
                venue=location.venue or None,
                video=location.kind == location.Kind.VIDEO,
                name=location.name_en or location.name_ko,
            )
            for location in locations
        ),
        participants=tuple(participants.values()),
        meetings=tuple(meetings),
        previous=previous or None,
    )


def generate_schedule(
    actor: Actor,
    event: Event,
    *,
    time_limit: float = TIME_LIMIT,
    on_step: Callable[[str], None] | None = None,
) -> dict:
    """Schedule ``event``'s accepted requests (see the module's text) and return what changed:
    ``{"scheduled", "unscheduled", "added", "moved", "kept", "cancelled", "status", "objective",
    "bound"}``. Allowed: staff and the event's organizers, while the event is in scheduling.

    Side effects, in one transaction, only for a schedule the validator accepts: ``Meeting`` rows
    created, moved (``sequence`` + 1) or cancelled (``sequence`` + 1), each audited
    (``partnering.meeting.scheduled`` / ``moved`` / ``cancelled``), and one
    ``partnering.event.schedule_generated`` entry with the counts. Raises ``PermissionDenied``, or
    ``ValidationError`` (nothing written) when the event is not in scheduling, when the solver found
    no schedule, or when the validator finds a violation in the rows as they are when saving."""
    step = on_step or (lambda message: None)
    check_may_schedule(actor, event)
    instance = scheduling_instance(event)
    step(gettext_noop("The event read: slots, locations, availability and accepted requests"))
    schedule = scheduling.solve(instance, scheduling.SolverOptions(time_limit=time_limit))
    if schedule.status not in ("OPTIMAL", "FEASIBLE"):
        raise ValidationError(
            _("The scheduler found no schedule (%(status)s).") % {"status": schedule.status}
        )
    step(gettext_noop("A schedule found; checking and saving it"))
    with transaction.atomic():
        event = lock(event)
        check_may_schedule(actor, event)
        violations = scheduling.validate(scheduling_instance(event), schedule.assignments)
        if violations:
            raise ValidationError(
                _(
                    "The schedule was not saved: %(problems)s. The event changed while it was made; "
                    "generate it again."
                )
                % {"problems": "; ".join(violation.message for violation in violations[:5])}
            )
        counts = save_schedule(actor, event, schedule.assignments)
        summary = {
            **counts,
            "scheduled": len(schedule.assignments),
            "unscheduled": len(instance.meetings) - len(schedule.assignments),
            "status": schedule.status,
            "objective": schedule.objective,
            "bound": schedule.bound,
        }
        log_action(actor, "partnering.event.schedule_generated", event, summary)
    step(gettext_noop("Done"))
    return summary


def save_schedule(actor: Actor, event: Event, assignments) -> dict:
    """Make the event's meeting rows those of ``assignments`` (validated already)."""
    existing = {meeting.request_id: meeting for meeting in event.meetings.select_for_update()}
    counts = {"added": 0, "moved": 0, "kept": 0, "cancelled": 0}
    placed = set()
    for assignment in assignments:
        request_id, slot_id, location_id = (
            int(assignment.meeting),
            int(assignment.slot),
            int(assignment.location),
        )
        placed.add(request_id)
        meeting = existing.get(request_id)
        if meeting is None:
            meeting = Meeting.objects.create(
                event=event, request_id=request_id, slot_id=slot_id, location_id=location_id
            )
            log_action(
                actor,
                "partnering.meeting.scheduled",
                meeting,
                {"slot": [None, slot_id], "location": [None, location_id]},
            )
            counts["added"] += 1
            continue
        before = (meeting.slot_id, meeting.location_id, meeting.state)
        if before == (slot_id, location_id, Meeting.State.SCHEDULED):
            counts["kept"] += 1
            continue
        meeting.slot_id, meeting.location_id, meeting.state = slot_id, location_id, Meeting.State.SCHEDULED
        meeting.sequence += 1
        meeting.save(update_fields=["slot", "location", "state", "sequence", "updated_at"])
        changes = {
            name: [old, new]
            for name, old, new in zip(
                ("slot", "location", "state"),
                before,
                (slot_id, location_id, Meeting.State.SCHEDULED),
                strict=True,
            )
            if old != new
        }
        log_action(actor, "partnering.meeting.moved", meeting, changes)
        counts["moved"] += 1
    for request_id, meeting in existing.items():
        if request_id in placed or meeting.state == Meeting.State.CANCELLED:
            continue
        meeting.state = Meeting.State.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["state", "sequence", "updated_at"])
        log_action(
            actor,
            "partnering.meeting.cancelled",
            meeting,
            {"state": [Meeting.State.SCHEDULED, meeting.state]},
        )
        counts["cancelled"] += 1
    return counts


def start_schedule_generation(actor: Actor, event: Event):
    """Start a job that runs :func:`generate_schedule` for ``event`` as ``actor`` (its progress and
    outcome on the job's page). Checked now too, so a refusal is told at once: ``PermissionDenied``,
    ``ValidationError`` when the event is not in scheduling."""
    from dari.jobs.services import start_job

    from ..tasks import generate_event_schedule

    check_may_schedule(actor, event)
    return start_job(actor, GENERATE_SCHEDULE, generate_event_schedule, event.pk, about=event)
