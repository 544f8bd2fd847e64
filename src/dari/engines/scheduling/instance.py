"""The scheduling instance: what an event asks the scheduler, as plain dataclasses and as a JSON file.

The file format is ``instance.schema.json`` beside this module (JSON Schema 2020-12). Loading checks
the schema first (every error with the path of the offending value), then what a schema cannot say:
unique ids, references between the lists, slots that end after they start and do not overlap, a
known time zone, and fixed meetings that fit their slot and location. Either step raises
:class:`InstanceError` with every problem found.

Instants carry their UTC offset in the file and are kept as aware datetimes: the engine compares
instants only, so a daylight-saving change in the event's zone (or a participant's) needs nothing of
its own. The event's zone only says which slots share a day when idle gaps are counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FORMAT = "dari.scheduling.instance/1"
SCHEMA_FILE = "instance.schema.json"

#: A meeting's weight when the file gives none: priority x preference x mutual interest.
PREFERENCE_FACTOR = {"must": 3, "would_like": 1}
MUTUAL_FACTOR = 2
MODES = ("in_person", "video", "either")


class InstanceError(ValueError):
    """An instance file or dict that is not a valid instance; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        text = "invalid scheduling instance:\n" + "\n".join(f"- {p}" for p in shown)
        if more:
            text += f"\n- ... and {more} more"
        super().__init__(text)


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


@dataclass(frozen=True)
class Venue:
    id: str
    name: str = ""


@dataclass(frozen=True)
class Location:
    id: str
    capacity: int = 1
    venue: str | None = None
    max_participants: int | None = None
    video: bool = False
    #: The slot ids it is open; None: every slot.
    slots: frozenset[str] | None = None
    name: str = ""

    def open_at(self, slot_id: str) -> bool:
        return self.slots is None or slot_id in self.slots


@dataclass(frozen=True)
class Participant:
    id: str
    organization: str
    max_meetings: int | None = None
    #: The slot ids the person is available; None: every slot.
    available: frozenset[str] | None = None
    name: str = ""
    zone: str = ""

    def available_at(self, slot_id: str) -> bool:
        return self.available is None or slot_id in self.available


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple[str, ...]
    priority: int = 1
    mutual: bool = False
    preference: str = "would_like"
    mode: str = "in_person"
    #: The explicit weight of the file, if any (see :attr:`weight`).
    explicit_weight: int | None = None

    @property
    def weight(self) -> int:
        if self.explicit_weight is not None:
            return self.explicit_weight
        return self.priority * PREFERENCE_FACTOR[self.preference] * (MUTUAL_FACTOR if self.mutual else 1)

    def suits(self, location: Location) -> bool:
        """Whether the location can hold this meeting: the right mode, and a seat for everyone."""
        if self.mode == "in_person" and location.video:
            return False
        if self.mode == "video" and not location.video:
            return False
        return location.max_participants is None or len(self.participants) <= location.max_participants


@dataclass(frozen=True)
class Assignment:
    meeting: str
    slot: str
    location: str

    def to_json(self) -> dict[str, str]:
        return {"meeting": self.meeting, "slot": self.slot, "location": self.location}


@dataclass(frozen=True)
class Instance:
    zone: str
    slots: tuple[Slot, ...]
    locations: tuple[Location, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    venues: tuple[Venue, ...] = ()
    #: Minutes between two different venues, keyed by the frozenset of their ids.
    travel: Mapping[frozenset[str], int] = field(default_factory=dict)
    default_travel_minutes: int = 0
    max_meetings_per_participant: int | None = None
    fixed: tuple[Assignment, ...] = ()
    previous: tuple[Assignment, ...] | None = None
    move_penalty: int | None = None
    id: str = ""
    name: str = ""

    # -- look-ups ---------------------------------------------------------------------------------

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots}

    @cached_property
    def location_by_id(self) -> dict[str, Location]:
        return {loc.id: loc for loc in self.locations}

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def meeting_by_id(self) -> dict[str, Meeting]:
        return {m.id: m for m in self.meetings}

    @cached_property
    def fixed_by_meeting(self) -> dict[str, Assignment]:
        return {a.meeting: a for a in self.fixed}

    def limit_of(self, participant_id: str) -> int | None:
        """The most meetings this person may have (None: no limit)."""
        own = self.participant_by_id[participant_id].max_meetings
        return own if own is not None else self.max_meetings_per_participant

    def travel_minutes(self, venue_a: str | None, venue_b: str | None) -> int:
        """Minutes needed between a meeting in one venue and one in the other (0 within a venue, and
        to or from a video link, which has no venue)."""
        if venue_a is None or venue_b is None or venue_a == venue_b:
            return 0
        return self.travel.get(frozenset((venue_a, venue_b)), self.default_travel_minutes)

    def local_day(self, slot: Slot) -> date:
        """The slot's day in the event's zone."""
        return slot.start.astimezone(ZoneInfo(self.zone)).date()

    @property
    def total_weight(self) -> int:
        return sum(m.weight for m in self.meetings)

    # -- JSON -------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        event: dict[str, Any] = {"zone": self.zone}
        if self.name:
            event["name"] = self.name
        if self.max_meetings_per_participant is not None:
            event["max_meetings_per_participant"] = self.max_meetings_per_participant
        if self.default_travel_minutes:
            event["default_travel_minutes"] = self.default_travel_minutes
        data: dict[str, Any] = {"format": FORMAT}
        if self.id:
            data["id"] = self.id
        data["event"] = event
        data["slots"] = [
            {"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat()} for s in self.slots
        ]
        if self.venues:
            data["venues"] = [{"id": v.id, **({"name": v.name} if v.name else {})} for v in self.venues]
        if self.travel:
            data["travel"] = [
                {"venues": sorted(pair), "minutes": minutes} for pair, minutes in self.travel.items()
            ]
        data["locations"] = [_location_json(loc) for loc in self.locations]
        data["participants"] = [_participant_json(p) for p in self.participants]
        data["meetings"] = [_meeting_json(m) for m in self.meetings]
        if self.fixed:
            data["fixed"] = [a.to_json() for a in self.fixed]
        if self.previous is not None:
            previous: dict[str, Any] = {"assignments": [a.to_json() for a in self.previous]}
            if self.move_penalty is not None:
                previous["move_penalty"] = self.move_penalty
            data["previous"] = previous
        return data


def _location_json(loc: Location) -> dict[str, Any]:
    data: dict[str, Any] = {"id": loc.id, "capacity": loc.capacity}
    if loc.name:
        data["name"] = loc.name
    if loc.venue is not None:
        data["venue"] = loc.venue
    if loc.max_participants is not None:
        data["max_participants"] = loc.max_participants
    if loc.video:
        data["video"] = True
    if loc.slots is not None:
        data["slots"] = sorted(loc.slots)
    return data


def _participant_json(p: Participant) -> dict[str, Any]:
    data: dict[str, Any] = {"id": p.id, "organization": p.organization}
    if p.name:
        data["name"] = p.name
    if p.zone:
        data["zone"] = p.zone
    if p.max_meetings is not None:
        data["max_meetings"] = p.max_meetings
    if p.available is not None:
        data["available"] = sorted(p.available)
    return data


def _meeting_json(m: Meeting) -> dict[str, Any]:
    data: dict[str, Any] = {"id": m.id, "participants": list(m.participants)}
    if m.priority != 1:
        data["priority"] = m.priority
    if m.mutual:
        data["mutual"] = True
    if m.preference != "would_like":
        data["preference"] = m.preference
    if m.mode != "in_person":
        data["mode"] = m.mode
    if m.explicit_weight is not None:
        data["weight"] = m.explicit_weight
    return data


# -- loading ----------------------------------------------------------------------------------------


def schema() -> dict[str, Any]:
    """The instance format's JSON Schema (``instance.schema.json``)."""
    return json.loads(_schema_text())


@cache
def _schema_text() -> str:
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


def schema_problems(data: Any) -> list[str]:
    """Every way ``data`` breaks the JSON Schema, each as 'at PATH: message', in document order."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(part) for part in e.absolute_path])
    return [f"at {_path(error.absolute_path)}: {_message(error)}" for error in errors]


def _path(parts: Iterable[Any]) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _message(error) -> str:
    if error.validator == "additionalProperties":
        return f"{error.message} (allowed: {', '.join(sorted(error.schema.get('properties', {})))})"
    if error.validator == "pattern" and "UTC offset" in error.schema.get("description", ""):
        return f"{error.instance!r} is not an ISO-8601 date and time with its UTC offset (Z or +hh:mm)"
    return error.message


def load_instance(path: str | Path) -> Instance:
    """Read and check an instance file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InstanceError([f"{path}: not JSON: {error}"]) from error
    return parse_instance(data)


def parse_instance(data: Any) -> Instance:
    """Check ``data`` (a decoded instance file) against the schema and its references; the Instance."""
    problems = schema_problems(data)
    if problems:
        raise InstanceError(problems)
    problems = []
    slots = [
        Slot(s["id"], datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
        for s in data["slots"]
    ]
    slots.sort(key=lambda s: (s.start, s.end, s.id))
    for name, items in (
        ("slots", data["slots"]),
        ("venues", data.get("venues", [])),
        ("locations", data["locations"]),
        ("participants", data["participants"]),
        ("meetings", data["meetings"]),
    ):
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item["id"] in seen:
                problems.append(f"at $.{name}[{index}].id: duplicate id {item['id']!r}")
            seen.add(item["id"])
    zone = data["event"]["zone"]
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"at $.event.zone: unknown time zone {zone!r}")
    for slot in slots:
        if slot.end <= slot.start:
            problems.append(f"slot {slot.id!r} ends ({slot.end.isoformat()}) before it starts")
    for before, after in zip(slots, slots[1:], strict=False):
        if after.start < before.end:
            problems.append(f"slots {before.id!r} and {after.id!r} overlap")
    slot_ids = {s.id for s in slots}
    venue_ids = {v["id"] for v in data.get("venues", [])}
    travel: dict[frozenset[str], int] = {}
    for index, entry in enumerate(data.get("travel", [])):
        a, b = entry["venues"]
        for venue in (a, b):
            if venue not in venue_ids:
                problems.append(f"at $.travel[{index}].venues: unknown venue {venue!r}")
        if a == b:
            problems.append(f"at $.travel[{index}].venues: a venue twice ({a!r})")
        travel[frozenset((a, b))] = entry["minutes"]
    locations = []
    for index, loc in enumerate(data["locations"]):
        venue = loc.get("venue")
        if venue is not None and venue not in venue_ids:
            problems.append(f"at $.locations[{index}].venue: unknown venue {venue!r}")
        open_slots = loc.get("slots")
        for slot_id in open_slots or ():
            if slot_id not in slot_ids:
                problems.append(f"at $.locations[{index}].slots: unknown slot {slot_id!r}")
        locations.append(
            Location(
                id=loc["id"],
                capacity=loc["capacity"],
                venue=venue,
                max_participants=loc.get("max_participants"),
                video=loc.get("video", False),
                slots=frozenset(open_slots) if open_slots is not None else None,
                name=loc.get("name", ""),
            )
        )
    participants = []
    for index, p in enumerate(data["participants"]):
        available = p.get("available")
        for slot_id in available or ():
            if slot_id not in slot_ids:
                problems.append(f"at $.participants[{index}].available: unknown slot {slot_id!r}")
        participants.append(
            Participant(
                id=p["id"],
                organization=p["organization"],
                max_meetings=p.get("max_meetings"),
                available=frozenset(available) if available is not None else None,
                name=p.get("name", ""),
                zone=p.get("zone", ""),
            )
        )
    participant_ids = {p.id for p in participants}
    meetings = []
    for index, m in enumerate(data["meetings"]):
        for person in m["participants"]:
            if person not in participant_ids:
                problems.append(f"at $.meetings[{index}].participants: unknown participant {person!r}")
        meetings.append(
            Meeting(
                id=m["id"],
                participants=tuple(m["participants"]),
                priority=m.get("priority", 1),
                mutual=m.get("mutual", False),
                preference=m.get("preference", "would_like"),
                mode=m.get("mode", "in_person"),
                explicit_weight=m.get("weight"),
            )
        )
    fixed = tuple(Assignment(a["meeting"], a["slot"], a["location"]) for a in data.get("fixed", []))
    previous_data = data.get("previous")
    previous = (
        tuple(Assignment(a["meeting"], a["slot"], a["location"]) for a in previous_data["assignments"])
        if previous_data is not None
        else None
    )
    if problems:
        raise InstanceError(problems)
    instance = Instance(
        id=data.get("id", ""),
        name=data["event"].get("name", ""),
        zone=zone,
        slots=tuple(slots),
        venues=tuple(Venue(v["id"], v.get("name", "")) for v in data.get("venues", [])),
        travel=travel,
        default_travel_minutes=data["event"].get("default_travel_minutes", 0),
        max_meetings_per_participant=data["event"].get("max_meetings_per_participant"),
        locations=tuple(locations),
        participants=tuple(participants),
        meetings=tuple(meetings),
        fixed=fixed,
        previous=previous,
        move_penalty=previous_data.get("move_penalty") if previous_data is not None else None,
    )
    problems = fixed_problems(instance)
    if problems:
        raise InstanceError(problems)
    return instance


def fixed_problems(instance: Instance) -> list[str]:
    """Fixed meetings that name unknown things, are fixed twice, or cannot be held where they are
    fixed (someone unavailable, the location closed or unsuitable)."""
    problems = []
    seen: set[str] = set()
    held: dict[tuple[str, str], int] = {}
    for index, a in enumerate(instance.fixed):
        where = f"at $.fixed[{index}]"
        meeting = instance.meeting_by_id.get(a.meeting)
        slot = instance.slot_by_id.get(a.slot)
        location = instance.location_by_id.get(a.location)
        if meeting is None:
            problems.append(f"{where}.meeting: unknown meeting {a.meeting!r}")
        if slot is None:
            problems.append(f"{where}.slot: unknown slot {a.slot!r}")
        if location is None:
            problems.append(f"{where}.location: unknown location {a.location!r}")
        if a.meeting in seen:
            problems.append(f"{where}.meeting: meeting {a.meeting!r} is fixed twice")
        seen.add(a.meeting)
        if meeting is None or slot is None or location is None:
            continue
        for person in meeting.participants:
            if not instance.participant_by_id[person].available_at(slot.id):
                problems.append(f"{where}: {person!r} is not available at slot {slot.id!r}")
        if not location.open_at(slot.id):
            problems.append(f"{where}: location {location.id!r} is not open at slot {slot.id!r}")
        if not meeting.suits(location):
            problems.append(f"{where}: location {location.id!r} does not suit meeting {meeting.id!r}")
        held[(a.location, a.slot)] = held.get((a.location, a.slot), 0) + 1
        if held[(a.location, a.slot)] > location.capacity:
            problems.append(f"{where}: more meetings fixed at {location.id!r} and {slot.id!r} than it holds")
    return problems
