"""Daylight saving: slots are instants with their offsets, so the engine needs nothing of its own. Events
around 2024-03-10 (San Diego moves to PDT: 16 hours behind Seoul instead of 17) and 2024-11-03 (back
to PST: 17 hours behind), with slots given in San Diego's local time and converted to UTC."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dari.engines.scheduling import Assignment, Kind, SolverOptions, parse_instance, solve, validate

SAN_DIEGO = ZoneInfo("America/Los_Angeles")
SEOUL = ZoneInfo("Asia/Seoul")
UTC = ZoneInfo("UTC")


def local(text: str, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SAN_DIEGO, fold=fold)


def slot(slot_id: str, start: datetime, minutes: int = 30) -> dict:
    """A slot written as the scheduler's instance files write it: UTC with its offset."""
    start_utc = start.astimezone(UTC)
    return {
        "id": slot_id,
        "start": start_utc.isoformat(),
        "end": (start_utc + timedelta(minutes=minutes)).isoformat(),
    }


def event(slots: list[dict]) -> dict:
    return {
        "format": "dari.scheduling.instance/1",
        "event": {"zone": "America/Los_Angeles"},
        "slots": slots,
        "venues": [{"id": "hall"}, {"id": "hotel"}],
        "travel": [{"venues": ["hall", "hotel"], "minutes": 30}],
        "locations": [
            {"id": "t1", "venue": "hall", "capacity": 1},
            {"id": "h1", "venue": "hotel", "capacity": 1},
        ],
        "participants": [
            {"id": "ulsan", "organization": "U", "zone": "Asia/Seoul"},
            {"id": "sd1", "organization": "S"},
            {"id": "sd2", "organization": "T"},
        ],
        "meetings": [
            {"id": "m1", "participants": ["ulsan", "sd1"]},
            {"id": "m2", "participants": ["ulsan", "sd2"]},
        ],
    }


@pytest.mark.parametrize(
    ("local_start", "utc_start", "seoul_start", "hours_behind_seoul"),
    [
        ("2024-03-09T09:00", "2024-03-09T17:00:00+00:00", "2024-03-10T02:00:00+09:00", 17),
        ("2024-03-11T09:00", "2024-03-11T16:00:00+00:00", "2024-03-12T01:00:00+09:00", 16),
        ("2024-11-02T09:00", "2024-11-02T16:00:00+00:00", "2024-11-03T01:00:00+09:00", 16),
        ("2024-11-04T09:00", "2024-11-04T17:00:00+00:00", "2024-11-05T02:00:00+09:00", 17),
    ],
)
def test_slot_instants_either_side_of_the_change(local_start, utc_start, seoul_start, hours_behind_seoul):
    instance = parse_instance(event([slot("s1", local(local_start))]))
    (s1,) = instance.slots
    assert s1.start.isoformat() == utc_start
    assert s1.start.astimezone(SEOUL).isoformat() == seoul_start
    offset = s1.start.astimezone(SEOUL).utcoffset() - s1.start.astimezone(SAN_DIEGO).utcoffset()
    assert offset == timedelta(hours=hours_behind_seoul)
    assert instance.local_day(s1).isoformat() == local_start[:10]


def test_the_spring_forward_night_has_ten_minutes_between_0150_and_0300():
    # 01:20-01:50 PST and 03:00-03:30 PDT look 70 minutes apart on the wall clock; they are 10.
    before = slot("before", local("2024-03-10T01:20"))
    after = slot("after", local("2024-03-10T03:00"))
    instance = parse_instance(event([before, after]))
    first, second = instance.slots
    assert (second.start - first.end) == timedelta(minutes=10)
    # Hall then hotel needs 30 minutes: the validator refuses it, the scheduler never does it.
    hall_then_hotel = [Assignment("m1", "before", "t1"), Assignment("m2", "after", "h1")]
    assert [v.kind for v in validate(instance, hall_then_hotel)] == [Kind.TRAVEL_BUFFER]
    schedule = solve(instance, SolverOptions(time_limit=1))
    assert validate(instance, schedule) == []
    venues = {a.location for a in schedule.assignments}
    assert len(schedule.assignments) == 2 and venues in ({"t1"}, {"h1"})


def test_the_fall_back_night_has_two_0100s_an_hour_apart():
    first = slot("first-0100", local("2024-11-03T01:00", fold=0))  # PDT
    second = slot("second-0100", local("2024-11-03T01:00", fold=1))  # PST
    instance = parse_instance(event([first, second]))
    a, b = instance.slots
    assert a.start.isoformat() == "2024-11-03T08:00:00+00:00"
    assert b.start.isoformat() == "2024-11-03T09:00:00+00:00"
    assert instance.local_day(a) == instance.local_day(b)
    # They do not overlap: Ulsan's delegate meets both, one in each venue (30 minutes between).
    both = [Assignment("m1", "first-0100", "t1"), Assignment("m2", "second-0100", "h1")]
    assert validate(instance, both) == []
    schedule = solve(instance, SolverOptions(time_limit=1))
    assert schedule.objective == 2 and validate(instance, schedule) == []


def test_slots_written_with_local_offsets_are_the_same_instants():
    # The same slot written in San Diego's offset, Seoul's and UTC is one instant.
    start = local("2024-03-11T09:00")
    written = [start.isoformat(), start.astimezone(SEOUL).isoformat(), start.astimezone(UTC).isoformat()]
    assert written == ["2024-03-11T09:00:00-07:00", "2024-03-12T01:00:00+09:00", "2024-03-11T16:00:00+00:00"]
    instants = set()
    for text in written:
        data = event([{"id": "s1", "start": text, "end": (start + timedelta(minutes=30)).isoformat()}])
        instants.add(parse_instance(data).slots[0].start)
    assert len(instants) == 1
