"""The validator rejects every kind of violation: each test breaks one rule of a valid schedule."""

from dataclasses import replace

import pytest

from dari.engines.scheduling import Assignment, Kind, validate
from dari.engines.scheduling.validator import InvalidSchedule, check

from .events import VALID, small_instance


def mutated(**moves: tuple[str, str]) -> list[Assignment]:
    """VALID with some meetings moved: meeting=(slot, location)."""
    result = []
    for a in VALID:
        if a.meeting in moves:
            slot, location = moves[a.meeting]
            a = replace(a, slot=slot, location=location)
        result.append(a)
    return result


def kinds(assignments) -> set[Kind]:
    return {v.kind for v in validate(small_instance(), assignments)}


def test_the_valid_schedule_passes():
    assert validate(small_instance(), VALID) == []
    check(small_instance(), VALID)


def test_an_unknown_meeting():
    assert kinds([*VALID, Assignment("m99", "s4", "t2")]) == {Kind.UNKNOWN_MEETING}


def test_an_unknown_slot():
    assert kinds(mutated(m3=("s9", "t1"))) == {Kind.UNKNOWN_SLOT}


def test_an_unknown_location():
    assert kinds(mutated(m3=("s2", "t9"))) == {Kind.UNKNOWN_LOCATION}


def test_a_meeting_scheduled_twice():
    assert kinds([*VALID, Assignment("m5", "s4", "v1")]) == {Kind.SCHEDULED_TWICE}


def test_a_double_booking():
    # b1 is in m3 at s2; m5 (a2, b1) moved to s2 on the video link.
    violations = validate(small_instance(), mutated(m5=("s2", "v1")))
    assert [v.kind for v in violations] == [Kind.DOUBLE_BOOKING]
    assert violations[0].participant == "b1"


def test_someone_unavailable():
    # d1 is available at s1 and s2 only.
    violations = validate(small_instance(), mutated(m3=("s4", "t2")))
    assert [(v.kind, v.participant, v.slot) for v in violations] == [(Kind.UNAVAILABLE, "d1", "s4")]


def test_a_closed_location():
    # r1 is open in the morning (s1, s2) only.
    assert kinds(mutated(m2=("s3", "r1"))) == {Kind.LOCATION_CLOSED}


def test_an_in_person_meeting_on_the_video_link():
    assert kinds(mutated(m2=("s2", "v1"))) == {Kind.LOCATION_UNSUITABLE}


def test_a_video_meeting_at_a_table():
    assert kinds(mutated(m5=("s3", "t2"))) == {Kind.LOCATION_UNSUITABLE}


def test_more_people_than_seats():
    # m4 has three participants; r1 seats two. a1 and d1 are free at s2 once m2 and m3 move away.
    assignments = [
        Assignment("m1", "s1", "t1"),
        Assignment("m4", "s2", "r1"),
        Assignment("m5", "s3", "v1"),
    ]
    assert kinds(assignments) == {Kind.LOCATION_UNSUITABLE}


def test_a_location_over_capacity():
    # m2 is at t2 at s2; m3 (other people) joins it there.
    violations = validate(small_instance(), mutated(m3=("s2", "t2")))
    assert [(v.kind, v.location, v.slot) for v in violations] == [(Kind.CAPACITY, "t2", "s2")]


def test_no_time_to_walk_between_venues():
    # a1: m1 in the hall at s1, then m2 in the hotel at s2, 5 minutes later; the walk takes 10.
    violations = validate(small_instance(), mutated(m2=("s2", "h1")))
    assert [(v.kind, v.participant) for v in violations] == [(Kind.TRAVEL_BUFFER, "a1")]


def test_enough_time_to_walk_when_a_slot_lies_between():
    # a1: hall at s1, hotel at s3 (40 minutes later).
    assert kinds(mutated(m2=("s3", "h1"))) == set()


def test_more_meetings_than_a_person_takes():
    # c1 takes one meeting; m6 (c1, b1) added at s4.
    violations = validate(small_instance(), [*VALID, Assignment("m6", "s4", "t1")])
    assert [(v.kind, v.participant) for v in violations] == [(Kind.PERSON_LIMIT, "c1")]


def test_a_fixed_meeting_moved():
    assert kinds(mutated(m1=("s1", "t2"))) == {Kind.FIXED_MOVED}


def test_a_fixed_meeting_left_out():
    assert kinds([a for a in VALID if a.meeting != "m1"]) == {Kind.FIXED_MOVED}


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_mutation_test(kind):
    names = {
        Kind.UNKNOWN_MEETING: test_an_unknown_meeting,
        Kind.UNKNOWN_SLOT: test_an_unknown_slot,
        Kind.UNKNOWN_LOCATION: test_an_unknown_location,
        Kind.SCHEDULED_TWICE: test_a_meeting_scheduled_twice,
        Kind.DOUBLE_BOOKING: test_a_double_booking,
        Kind.UNAVAILABLE: test_someone_unavailable,
        Kind.LOCATION_CLOSED: test_a_closed_location,
        Kind.LOCATION_UNSUITABLE: test_an_in_person_meeting_on_the_video_link,
        Kind.CAPACITY: test_a_location_over_capacity,
        Kind.TRAVEL_BUFFER: test_no_time_to_walk_between_venues,
        Kind.PERSON_LIMIT: test_more_meetings_than_a_person_takes,
        Kind.FIXED_MOVED: test_a_fixed_meeting_moved,
    }
    assert kind in names


def test_check_raises_with_every_violation():
    with pytest.raises(InvalidSchedule) as raised:
        check(small_instance(), mutated(m5=("s2", "v1"), m3=("s2", "t2")))
    assert {v.kind for v in raised.value.violations} == {Kind.DOUBLE_BOOKING, Kind.CAPACITY}


def test_violations_serialize_with_what_they_concern():
    (violation,) = validate(small_instance(), mutated(m3=("s4", "t2")))
    assert violation.to_json() == {
        "kind": "unavailable",
        "message": "'d1' is not available at 's4' (meeting 'm3')",
        "meeting": "m3",
        "participant": "d1",
        "slot": "s4",
    }
