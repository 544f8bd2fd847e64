"""Re-scheduling keeps the published schedule where it can: after a cancellation or an availability
change, the other meetings stay where they were unless moving them wins more than it costs."""

import pytest

from dari.engines.scheduling import (
    InstanceError,
    SolverOptions,
    cancel_meeting,
    cancel_participant,
    change_availability,
    reschedule,
    solve,
    validate,
    with_previous,
)

from .events import random_instance, small_instance

QUICK = SolverOptions(time_limit=1, seed=5)


@pytest.fixture(scope="module")
def published():
    instance = random_instance(31, participants=40, meetings=120, slots=8)
    return instance, solve(instance, QUICK)


def test_cancelling_a_meeting_keeps_every_other_meeting(published):
    instance, schedule = published
    cancelled = sorted(a.meeting for a in schedule.assignments)[0]
    changed = cancel_meeting(instance, cancelled)
    again = reschedule(changed, schedule, QUICK)
    assert validate(changed, again) == []
    assert cancelled not in again.by_meeting()
    moves = again.details["moves"]
    assert moves["no_longer_requested"] == 1
    assert moves["moved"] + moves["dropped"] == 0
    assert moves["kept"] == len(schedule.assignments) - 1
    before = schedule.by_meeting()
    for meeting, a in again.by_meeting().items():
        if meeting in before:
            assert (a.slot, a.location) == (before[meeting].slot, before[meeting].location)


def test_cancelling_a_participant_removes_or_shrinks_their_meetings(published):
    instance, schedule = published
    person = instance.meetings[0].participants[0]
    changed = cancel_participant(instance, person)
    assert all(person not in m.participants for m in changed.meetings)
    again = reschedule(changed, schedule, QUICK)
    assert validate(changed, again) == []
    moves = again.details["moves"]
    assert moves["moved"] + moves["dropped"] <= 0.05 * moves["previous"]


def test_a_delegation_that_loses_one_delegate_keeps_its_meeting():
    instance = small_instance()
    # m4 is a1, a2 (one organization) and d1: without a2 it goes on; without d1 it is one organization.
    assert cancel_participant(instance, "a2").meeting_by_id["m4"].participants == ("a1", "d1")
    assert "m4" not in cancel_participant(instance, "d1").meeting_by_id


def test_an_availability_change_moves_only_the_meetings_it_touches(published):
    instance, schedule = published
    first = schedule.assignments[0]
    person = instance.meeting_by_id[first.meeting].participants[0]
    others = [s.id for s in instance.slots if s.id != first.slot]
    changed = change_availability(instance, person, others)
    again = reschedule(changed, schedule, QUICK)
    assert validate(changed, again) == []
    placed = again.by_meeting()
    assert first.meeting not in placed or placed[first.meeting].slot != first.slot
    touched = {a.meeting for a in schedule.assignments if a.slot == first.slot}
    before = schedule.by_meeting()
    moved_elsewhere = [
        m
        for m, a in placed.items()
        if m in before and m not in touched and (a.slot, a.location) != (before[m].slot, before[m].location)
    ]
    assert len(moved_elsewhere) <= 0.05 * len(before)


def test_the_previous_schedule_is_the_hint_and_the_result_says_what_moved(published):
    instance, schedule = published
    again = solve(with_previous(instance, schedule), QUICK)
    assert again.details["moves"] == {
        "previous": len(schedule.assignments),
        "kept": len(schedule.assignments),
        "moved": 0,
        "dropped": 0,
        "no_longer_requested": 0,
        "added": 0,
        "moved_share": 0.0,
    }
    assert again.objective == schedule.objective


def test_without_a_move_penalty_meetings_may_move_but_rules_still_hold(published):
    instance, schedule = published
    changed = cancel_meeting(instance, schedule.assignments[-1].meeting)
    again = reschedule(changed, schedule, QUICK, move_penalty=0)
    assert validate(changed, again) == []
    assert (
        again.objective
        >= schedule.objective - instance.meeting_by_id[schedule.assignments[-1].meeting].weight
    )


def test_cancelling_something_unknown_is_refused():
    with pytest.raises(InstanceError):
        cancel_meeting(small_instance(), "m99")
    with pytest.raises(InstanceError):
        change_availability(small_instance(), "a1", ["s1", "s9"])


@pytest.mark.slow
def test_one_cancellation_on_the_medium_instance_moves_at_most_5_percent():
    from benchmarks.scheduling_generator import MEDIUM, generate

    instance = generate(**MEDIUM)
    schedule = solve(instance, SolverOptions(time_limit=10))
    changed = cancel_meeting(instance, schedule.assignments[len(schedule.assignments) // 2].meeting)
    again = reschedule(changed, schedule, SolverOptions(time_limit=4))
    assert validate(changed, again) == []
    assert again.details["moves"]["moved_share"] <= 0.05
