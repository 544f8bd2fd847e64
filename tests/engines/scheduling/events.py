"""Instances for the scheduler's tests: one small hand-made event whose every rule can be broken, and
seeded random ones from the benchmark's generator."""

from __future__ import annotations

import copy

from benchmarks.scheduling_generator import generate_json

from dari.engines.scheduling import Assignment, Instance, parse_instance

#: 2024-01-16 in San Diego (PST, UTC-8): four 30-minute slots with 5-minute breaks.
SLOTS = [
    ("s1", "2024-01-16T09:00:00-08:00", "2024-01-16T09:30:00-08:00"),
    ("s2", "2024-01-16T09:35:00-08:00", "2024-01-16T10:05:00-08:00"),
    ("s3", "2024-01-16T10:10:00-08:00", "2024-01-16T10:40:00-08:00"),
    ("s4", "2024-01-16T10:45:00-08:00", "2024-01-16T11:15:00-08:00"),
]


def small_event() -> dict:
    """A hall and a hotel 10 minutes apart; a video link; a two-seat room open in the morning only.
    a1 and a2 are delegates of one organization; c1 takes one meeting at most; d1 is there for s1 and s2.
    m1 is fixed at s1 in t1; m4 (a1, a2 and d1) cannot be held (d1's slots are taken by a1's)."""
    return {
        "format": "dari.scheduling.instance/1",
        "id": "small-event",
        "event": {"name": "Small event", "zone": "America/Los_Angeles"},
        "slots": [{"id": i, "start": s, "end": e} for i, s, e in SLOTS],
        "venues": [{"id": "hall"}, {"id": "hotel"}],
        "travel": [{"venues": ["hall", "hotel"], "minutes": 10}],
        "locations": [
            {"id": "t1", "venue": "hall", "capacity": 1, "max_participants": 4},
            {"id": "t2", "venue": "hall", "capacity": 1, "max_participants": 4},
            {"id": "h1", "venue": "hotel", "capacity": 1, "max_participants": 4},
            {"id": "v1", "video": True, "capacity": 2},
            {"id": "r1", "venue": "hall", "capacity": 1, "max_participants": 2, "slots": ["s1", "s2"]},
        ],
        "participants": [
            {"id": "a1", "organization": "A"},
            {"id": "a2", "organization": "A"},
            {"id": "b1", "organization": "B"},
            {"id": "c1", "organization": "C", "max_meetings": 1},
            {"id": "d1", "organization": "D", "available": ["s1", "s2"]},
        ],
        "meetings": [
            {"id": "m1", "participants": ["a1", "b1"], "priority": 2},
            {"id": "m2", "participants": ["a1", "c1"]},
            {"id": "m3", "participants": ["b1", "d1"], "mutual": True},
            {"id": "m4", "participants": ["a1", "a2", "d1"]},
            {"id": "m5", "participants": ["a2", "b1"], "mode": "video"},
            {"id": "m6", "participants": ["c1", "b1"]},
        ],
        "fixed": [{"meeting": "m1", "slot": "s1", "location": "t1"}],
    }


def small_instance() -> Instance:
    return parse_instance(small_event())


#: A schedule of small_event that keeps every rule (m4 and m6 unscheduled).
VALID = (
    Assignment("m1", "s1", "t1"),
    Assignment("m2", "s2", "t2"),
    Assignment("m3", "s2", "t1"),
    Assignment("m5", "s3", "v1"),
)


def random_instance(seed: int, participants: int = 24, meetings: int = 60, slots: int = 6) -> Instance:
    return parse_instance(generate_json(participants, meetings, slots, venues=2, seed=seed))


def changed(data: dict, **changes) -> dict:
    copied = copy.deepcopy(data)
    copied.update(changes)
    return copied
