"""The instance file: its JSON Schema, and the checks a schema cannot make, with errors that say where."""

import json

import pytest
from jsonschema import Draft202012Validator

from dari.engines.scheduling import InstanceError, load_instance, parse_instance
from dari.engines.scheduling.instance import schema

from .events import changed, random_instance, small_event


def problems_of(data) -> list[str]:
    with pytest.raises(InstanceError) as raised:
        parse_instance(data)
    return raised.value.problems


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(schema())


def test_a_valid_instance_loads_with_its_weights():
    instance = parse_instance(small_event())
    assert [m.weight for m in instance.meetings] == [2, 1, 2, 1, 1, 1]
    assert instance.limit_of("c1") == 1 and instance.limit_of("a1") is None
    assert instance.travel_minutes("hall", "hotel") == 10
    assert instance.travel_minutes("hall", None) == 0


def test_an_instance_round_trips_through_json():
    instance = random_instance(3)
    again = parse_instance(json.loads(json.dumps(instance.to_json())))
    assert again.to_json() == instance.to_json()
    assert again.meetings == instance.meetings and again.slots == instance.slots


def test_a_missing_field_is_named_with_its_place():
    data = small_event()
    del data["participants"][2]["organization"]
    assert problems_of(data) == ["at $.participants[2]: 'organization' is a required property"]


def test_a_wrong_type_is_named_with_its_place():
    data = small_event()
    data["locations"][0]["capacity"] = "two"
    assert problems_of(data) == ["at $.locations[0].capacity: 'two' is not of type 'integer'"]


def test_an_instant_without_its_offset_is_refused():
    data = small_event()
    data["slots"][0]["start"] = "2024-01-16T09:00:00"
    assert problems_of(data) == [
        "at $.slots[0].start: '2024-01-16T09:00:00' is not an ISO-8601 date and time with its UTC offset "
        "(Z or +hh:mm)"
    ]


def test_an_unknown_field_is_refused_with_the_allowed_ones():
    data = small_event()
    data["meetings"][0]["room"] = "t1"
    (problem,) = problems_of(data)
    assert problem.startswith(
        "at $.meetings[0]: Additional properties are not allowed ('room' was unexpected)"
    )
    assert "(allowed: id, mode, mutual, participants, preference, priority, weight)" in problem


def test_a_meeting_of_one_person_is_refused():
    data = small_event()
    data["meetings"][0]["participants"] = ["a1"]
    assert problems_of(data) == ["at $.meetings[0].participants: ['a1'] is too short"]


def test_every_schema_error_is_listed():
    data = small_event()
    data["format"] = "something else"
    data["locations"][1]["capacity"] = 0
    problems = problems_of(data)
    assert len(problems) == 2
    assert problems[0].startswith("at $.format:")
    assert problems[1] == "at $.locations[1].capacity: 0 is less than the minimum of 1"


def test_references_to_unknown_things_are_refused():
    data = small_event()
    data["meetings"][1]["participants"] = ["a1", "zz"]
    data["participants"][4]["available"] = ["s1", "s7"]
    data["locations"][0]["venue"] = "garden"
    assert problems_of(data) == [
        "at $.locations[0].venue: unknown venue 'garden'",
        "at $.participants[4].available: unknown slot 's7'",
        "at $.meetings[1].participants: unknown participant 'zz'",
    ]


def test_duplicate_ids_are_refused():
    data = small_event()
    data["meetings"][1]["id"] = "m1"
    assert problems_of(data) == ["at $.meetings[1].id: duplicate id 'm1'"]


def test_slots_that_overlap_or_end_before_they_start_are_refused():
    data = small_event()
    data["slots"][1]["start"] = "2024-01-16T09:20:00-08:00"
    data["slots"][3]["end"] = "2024-01-16T10:40:00-08:00"
    assert problems_of(data) == [
        "slot 's4' ends (2024-01-16T10:40:00-08:00) before it starts",
        "slots 's1' and 's2' overlap",
    ]


def test_an_unknown_time_zone_is_refused():
    data = changed(small_event(), event={"zone": "America/San_Diego"})
    assert problems_of(data) == ["at $.event.zone: unknown time zone 'America/San_Diego'"]


def test_a_fixed_meeting_that_cannot_be_held_there_is_refused():
    data = small_event()
    data["fixed"] = [
        {"meeting": "m3", "slot": "s3", "location": "v1"},
        {"meeting": "m9", "slot": "s1", "location": "t1"},
    ]
    assert problems_of(data) == [
        "at $.fixed[0]: 'd1' is not available at slot 's3'",
        "at $.fixed[0]: location 'v1' does not suit meeting 'm3'",
        "at $.fixed[1].meeting: unknown meeting 'm9'",
    ]


def test_two_meetings_fixed_at_one_table_are_refused():
    data = small_event()
    data["fixed"].append({"meeting": "m6", "slot": "s1", "location": "t1"})
    assert problems_of(data) == ["at $.fixed[1]: more meetings fixed at 't1' and 's1' than it holds"]


def test_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "event.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InstanceError) as raised:
        load_instance(path)
    assert raised.value.problems[0].startswith(f"{path}: not JSON:")
