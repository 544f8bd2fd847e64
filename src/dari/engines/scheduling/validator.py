"""The independent check of a schedule against its instance, run before any schedule is returned or saved.

Written apart from the solver on purpose: it shares no constraint-building code with ``solver.py``
or ``greedy.py`` and reasons on instants rather than slot positions, so a modelling mistake in the
solver shows up here instead of being repeated. Double booking and travel buffers compare the slots'
start and end instants (two slots of one person clash when their intervals overlap; two meetings in
different venues need the travel minutes between the first one's end and the second one's start).

:func:`validate` returns every violation found, each typed (:class:`Kind`) with the meeting,
participant, slot and location concerned; an empty list means the schedule may be saved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .instance import Assignment, Instance


class Kind(StrEnum):
    UNKNOWN_MEETING = "unknown_meeting"
    UNKNOWN_SLOT = "unknown_slot"
    UNKNOWN_LOCATION = "unknown_location"
    SCHEDULED_TWICE = "scheduled_twice"
    DOUBLE_BOOKING = "double_booking"
    UNAVAILABLE = "unavailable"
    LOCATION_CLOSED = "location_closed"
    LOCATION_UNSUITABLE = "location_unsuitable"
    CAPACITY = "capacity"
    TRAVEL_BUFFER = "travel_buffer"
    PERSON_LIMIT = "person_limit"
    FIXED_MOVED = "fixed_moved"


@dataclass(frozen=True)
class Violation:
    kind: Kind
    message: str
    meeting: str | None = None
    participant: str | None = None
    slot: str | None = None
    location: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"kind": str(self.kind), "message": self.message}
        for name in ("meeting", "participant", "slot", "location"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


class InvalidSchedule(ValueError):
    """A schedule the validator refused (``violations`` says why)."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        kinds = sorted({str(v.kind) for v in violations})
        super().__init__(
            f"{len(violations)} violation(s) ({', '.join(kinds)}): "
            + "; ".join(v.message for v in violations[:5])
        )


def validate(instance: Instance, assignments) -> list[Violation]:
    """Every way ``assignments`` (a Schedule's, or any iterable of Assignment) breaks ``instance``."""
    if hasattr(assignments, "assignments"):
        assignments = assignments.assignments
    slots = {s.id: s for s in instance.slots}
    locations = {loc.id: loc for loc in instance.locations}
    meetings = {m.id: m for m in instance.meetings}
    people = {p.id: p for p in instance.participants}
    found: list[Violation] = []

    # 1. Each assignment on its own: known references, availability, the location's hours and kind.
    known: list[Assignment] = []
    first_of: dict[str, Assignment] = {}
    for a in assignments:
        unknown = [
            Violation(kind, f"{what} {value!r} does not exist", **{"meeting": a.meeting, what: value})
            for kind, what, value, known_ids in (
                (Kind.UNKNOWN_MEETING, "meeting", a.meeting, meetings),
                (Kind.UNKNOWN_SLOT, "slot", a.slot, slots),
                (Kind.UNKNOWN_LOCATION, "location", a.location, locations),
            )
            if value not in known_ids
        ]
        if unknown:
            found.extend(unknown)
            continue
        if a.meeting in first_of:
            found.append(
                Violation(
                    Kind.SCHEDULED_TWICE,
                    f"meeting {a.meeting!r} is scheduled twice ({first_of[a.meeting].slot} and {a.slot})",
                    meeting=a.meeting,
                    slot=a.slot,
                )
            )
            continue
        first_of[a.meeting] = a
        known.append(a)
        meeting = meetings[a.meeting]
        location = locations[a.location]
        for person in meeting.participants:
            available = people[person].available
            if available is not None and a.slot not in available:
                found.append(
                    Violation(
                        Kind.UNAVAILABLE,
                        f"{person!r} is not available at {a.slot!r} (meeting {a.meeting!r})",
                        meeting=a.meeting,
                        participant=person,
                        slot=a.slot,
                    )
                )
        if location.slots is not None and a.slot not in location.slots:
            found.append(
                Violation(
                    Kind.LOCATION_CLOSED,
                    f"location {a.location!r} is not open at {a.slot!r}",
                    meeting=a.meeting,
                    slot=a.slot,
                    location=a.location,
                )
            )
        reason = _unsuitable(
            meeting.mode, len(meeting.participants), location.video, location.max_participants
        )
        if reason:
            found.append(
                Violation(
                    Kind.LOCATION_UNSUITABLE,
                    f"location {a.location!r} does not suit meeting {a.meeting!r}: {reason}",
                    meeting=a.meeting,
                    location=a.location,
                )
            )

    # 2. Locations: no more meetings at once than the capacity.
    at_location: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in known:
        at_location[(a.location, a.slot)].append(a.meeting)
    for (location_id, slot_id), held in sorted(at_location.items()):
        if len(held) > locations[location_id].capacity:
            found.append(
                Violation(
                    Kind.CAPACITY,
                    f"location {location_id!r} holds {len(held)} meetings at {slot_id!r} "
                    f"(capacity {locations[location_id].capacity}): {', '.join(sorted(held))}",
                    slot=slot_id,
                    location=location_id,
                )
            )

    # 3. People: no overlap, travel time between venues, the per-person limit.
    agenda: dict[str, list[Assignment]] = defaultdict(list)
    for a in known:
        for person in meetings[a.meeting].participants:
            agenda[person].append(a)
    for person, items in sorted(agenda.items()):
        items.sort(key=lambda a: (slots[a.slot].start, a.meeting))
        for i, first in enumerate(items):
            s1 = slots[first.slot]
            for second in items[i + 1 :]:
                s2 = slots[second.slot]
                if s2.start < s1.end and s1.start < s2.end:
                    found.append(
                        Violation(
                            Kind.DOUBLE_BOOKING,
                            f"{person!r} is in meetings {first.meeting!r} and {second.meeting!r} at once "
                            f"({first.slot}, {second.slot})",
                            meeting=second.meeting,
                            participant=person,
                            slot=second.slot,
                        )
                    )
                    continue
                need = _travel(instance, locations[first.location].venue, locations[second.location].venue)
                between = (s2.start - s1.end).total_seconds() / 60
                if need and between < need:
                    found.append(
                        Violation(
                            Kind.TRAVEL_BUFFER,
                            f"{person!r} has {between:g} min from {first.meeting!r} at {first.location!r} to "
                            f"{second.meeting!r} at {second.location!r}; the venues need {need} min",
                            meeting=second.meeting,
                            participant=person,
                            slot=second.slot,
                            location=second.location,
                        )
                    )
        limit = people[person].max_meetings
        if limit is None:
            limit = instance.max_meetings_per_participant
        if limit is not None and len(items) > limit:
            found.append(
                Violation(
                    Kind.PERSON_LIMIT,
                    f"{person!r} has {len(items)} meetings (at most {limit})",
                    participant=person,
                )
            )

    # 4. Fixed meetings stay where they were fixed.
    for fixed in instance.fixed:
        placed = first_of.get(fixed.meeting)
        if placed is None or (placed.slot, placed.location) != (fixed.slot, fixed.location):
            where = "not scheduled" if placed is None else f"at {placed.slot!r} in {placed.location!r}"
            found.append(
                Violation(
                    Kind.FIXED_MOVED,
                    f"meeting {fixed.meeting!r} is fixed at {fixed.slot!r} in {fixed.location!r} "
                    f"but is {where}",
                    meeting=fixed.meeting,
                    slot=fixed.slot,
                    location=fixed.location,
                )
            )
    return found


def _unsuitable(mode: str, size: int, video: bool, seats: int | None) -> str:
    if mode == "in_person" and video:
        return "an in-person meeting on a video link"
    if mode == "video" and not video:
        return "a video meeting at a table or room"
    if seats is not None and size > seats:
        return f"{size} participants for {seats} seats"
    return ""


def _travel(instance: Instance, a: str | None, b: str | None) -> int:
    if a is None or b is None or a == b:
        return 0
    for pair, minutes in instance.travel.items():
        if set(pair) == {a, b}:
            return minutes
    return instance.default_travel_minutes


def check(instance: Instance, assignments) -> None:
    """Raise :class:`InvalidSchedule` unless the schedule passes."""
    violations = validate(instance, assignments)
    if violations:
        raise InvalidSchedule(violations)
