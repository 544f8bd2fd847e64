"""The scheduler: its schedules always pass the independent validator, reach the bound it proves when
they can, and keep every hard rule (fixed meetings, travel, limits). Small time limits: seconds in all."""

import pytest

from dari.engines.scheduling import SolverOptions, parse_instance, solve, solve_greedy, validate
from dari.engines.scheduling.metrics import summary

from .events import random_instance, small_event, small_instance

QUICK = SolverOptions(time_limit=1, seed=7)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_the_schedule_of_a_random_instance_passes_the_validator(seed):
    instance = random_instance(seed)
    schedule = solve(instance, QUICK)
    assert schedule.status in ("OPTIMAL", "FEASIBLE")
    assert validate(instance, schedule) == []
    assert schedule.objective >= solve_greedy(instance).objective
    assert schedule.bound is not None and schedule.objective <= schedule.bound
    assert schedule.gap == pytest.approx((schedule.bound - schedule.objective) / schedule.bound)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_greedy_baseline_passes_the_validator(seed):
    instance = random_instance(seed, participants=30, meetings=90, slots=5)
    schedule = solve_greedy(instance)
    assert schedule.method == "greedy" and schedule.status == "FEASIBLE"
    assert validate(instance, schedule) == []


def test_the_small_event_is_scheduled_optimally_with_its_fixed_meeting():
    instance = small_instance()
    schedule = solve(instance, QUICK)
    assert schedule.status == "OPTIMAL"
    placed = schedule.by_meeting()
    assert placed["m1"].slot == "s1" and placed["m1"].location == "t1"
    # m4 needs d1 (s1, s2) and a1, who is in m1 at s1 and must be in m2 or lose it; c1 takes one
    # meeting, so m2 or m6. Best: m1 (2), m3 (2), m5 (1) and one of m2, m6 (1).
    assert schedule.objective == 6
    assert "m4" not in placed and ("m2" in placed) != ("m6" in placed)
    assert placed["m5"].location == "v1"


def test_odd_cycles_are_solved_by_search_when_the_relaxation_is_not_tight():
    # Three people who all want to meet each other in two slots: the relaxation (two meetings each)
    # allows all three meetings, a schedule only two. CP-SAT proves 2.
    data = {
        "format": "dari.scheduling.instance/1",
        "event": {"zone": "Asia/Seoul"},
        "slots": [
            {"id": "s1", "start": "2024-01-17T10:00:00+09:00", "end": "2024-01-17T10:30:00+09:00"},
            {"id": "s2", "start": "2024-01-17T10:30:00+09:00", "end": "2024-01-17T11:00:00+09:00"},
        ],
        "locations": [{"id": "t1", "capacity": 3}],
        "participants": [{"id": p, "organization": p.upper()} for p in ("a", "b", "c")],
        "meetings": [
            {"id": "ab", "participants": ["a", "b"]},
            {"id": "bc", "participants": ["b", "c"]},
            {"id": "ca", "participants": ["c", "a"]},
        ],
    }
    schedule = solve(parse_instance(data), QUICK)
    assert schedule.details["relaxation"]["bound"] == 3
    assert (schedule.status, schedule.objective, schedule.bound) == ("OPTIMAL", 2, 2)


def test_colliding_fixed_meetings_are_infeasible():
    data = small_event()
    # a1 fixed in two meetings at s1 (different tables).
    data["fixed"].append({"meeting": "m2", "slot": "s1", "location": "t2"})
    schedule = solve(parse_instance(data), QUICK)
    assert schedule.status == "INFEASIBLE"
    assert schedule.assignments == () and schedule.details["fixed_that_collide"] == ["m2"]


def test_no_one_walks_between_venues_without_the_buffer():
    # Every table but one is in the hotel; the hall keeps one. The schedule still has no travel violation.
    data = small_event()
    data["locations"][1]["venue"] = "hotel"
    instance = parse_instance(data)
    schedule = solve(instance, QUICK)
    assert validate(instance, schedule) == []
    venue = {loc.id: loc.venue for loc in instance.locations}
    position = {s.id: i for i, s in enumerate(instance.slots)}
    for person in ("a1", "b1"):
        mine = sorted(
            (position[a.slot], venue[a.location])
            for a in schedule.assignments
            if person in instance.meeting_by_id[a.meeting].participants
        )
        for (s, v), (t, w) in zip(mine, mine[1:], strict=False):
            assert not (t == s + 1 and v and w and v != w)


def test_a_tiny_time_limit_still_returns_a_feasible_schedule():
    instance = random_instance(21, participants=80, meetings=300, slots=10)
    schedule = solve(instance, SolverOptions(time_limit=0.2))
    assert schedule.status in ("OPTIMAL", "FEASIBLE")
    assert validate(instance, schedule) == []
    assert schedule.wall_seconds > 0 and schedule.details["phases"]


def test_the_same_seed_gives_the_same_schedule_in_deterministic_mode():
    instance = random_instance(8)
    first = solve(instance, SolverOptions(time_limit=0.3, deterministic=True, seed=3))
    second = solve(instance, SolverOptions(time_limit=0.3, deterministic=True, seed=3))
    assert sorted(first.assignments, key=str) == sorted(second.assignments, key=str)


def test_cp_sat_alone_without_the_relaxation_is_valid_too():
    instance = random_instance(9)
    schedule = solve(instance, SolverOptions(time_limit=1, relaxation=False))
    assert schedule.details["relaxation"]["status"] == "SKIPPED"
    assert validate(instance, schedule) == []


def test_idle_gaps_are_counted_per_day_and_breaks_are_not_gaps():
    instance = small_instance()
    from dari.engines.scheduling import Assignment

    # a1: s1 and s3 (a hole at s2); b1: s1 and s2 (none).
    figures = summary(
        instance,
        [Assignment("m1", "s1", "t1"), Assignment("m2", "s3", "t2"), Assignment("m3", "s2", "t1")],
    )
    assert figures["idle_gaps_total"] == 1
    assert figures["meetings_scheduled"] == 3 and figures["weight_scheduled"] == 5


def test_schedule_json_names_status_bound_gap_and_unscheduled_meetings():
    instance = small_instance()
    data = solve(instance, QUICK).to_json(instance)
    assert data["format"] == "dari.scheduling.schedule/1"
    assert data["status"] == "OPTIMAL" and data["objective"] == 6 and data["bound"] == 6 and data["gap"] == 0
    assert "m4" in data["unscheduled"] and data["violations"] == []
