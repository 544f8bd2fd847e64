"""Re-scheduling after a change: the changed instance, with the published schedule as ``previous``.

A change is a new instance (a meeting or a participant cancelled, someone's availability changed);
the previous schedule goes with it, so the solver starts from it (the hint) and pays
``move_penalty`` for each of its meetings moved or dropped (see ``solver.py``). The result's
``details["moves"]`` says how many were kept, moved, dropped and added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .instance import Assignment, Instance, InstanceError
from .schedule import Schedule
from .solver import SolverOptions, solve


def with_previous(
    instance: Instance, previous: Schedule | Iterable[Assignment], move_penalty: int | None = None
) -> Instance:
    assignments = previous.assignments if isinstance(previous, Schedule) else tuple(previous)
    return replace(
        instance,
        previous=tuple(assignments),
        move_penalty=move_penalty if move_penalty is not None else instance.move_penalty,
    )


def cancel_meeting(instance: Instance, meeting_id: str) -> Instance:
    """The instance without that meeting (nor its fixed place)."""
    if meeting_id not in instance.meeting_by_id:
        raise InstanceError([f"no meeting {meeting_id!r} to cancel"])
    return replace(
        instance,
        meetings=tuple(m for m in instance.meetings if m.id != meeting_id),
        fixed=tuple(a for a in instance.fixed if a.meeting != meeting_id),
    )


def cancel_participant(instance: Instance, participant_id: str) -> Instance:
    """The instance without that person: their meetings go on with the others when at least two people
    of two organizations are left (a delegation that loses one delegate), and are cancelled otherwise."""
    if participant_id not in instance.participant_by_id:
        raise InstanceError([f"no participant {participant_id!r} to cancel"])
    organization = {p.id: p.organization for p in instance.participants}
    meetings = []
    for m in instance.meetings:
        if participant_id not in m.participants:
            meetings.append(m)
            continue
        left = tuple(p for p in m.participants if p != participant_id)
        if len(left) >= 2 and len({organization[p] for p in left}) >= 2:
            meetings.append(replace(m, participants=left))
    kept = {m.id for m in meetings}
    return replace(
        instance,
        participants=tuple(p for p in instance.participants if p.id != participant_id),
        meetings=tuple(meetings),
        fixed=tuple(a for a in instance.fixed if a.meeting in kept),
    )


def change_availability(instance: Instance, participant_id: str, available: Iterable[str] | None) -> Instance:
    """The instance with that person available at ``available`` (slot ids; None: every slot)."""
    if participant_id not in instance.participant_by_id:
        raise InstanceError([f"no participant {participant_id!r}"])
    slots = None if available is None else frozenset(available)
    unknown = sorted((slots or frozenset()) - set(instance.slot_by_id))
    if unknown:
        raise InstanceError([f"unknown slot(s): {', '.join(unknown)}"])
    return replace(
        instance,
        participants=tuple(
            replace(p, available=slots) if p.id == participant_id else p for p in instance.participants
        ),
    )


def reschedule(
    changed: Instance,
    previous: Schedule | Iterable[Assignment],
    options: SolverOptions | None = None,
    move_penalty: int | None = None,
) -> Schedule:
    """Solve the changed instance, keeping the previous schedule where possible; by default within 4 s
    (the previous schedule, less what the change took away, is already a good starting point)."""
    return solve(with_previous(changed, previous, move_penalty), options or SolverOptions(time_limit=4.0))
