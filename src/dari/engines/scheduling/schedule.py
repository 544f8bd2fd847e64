"""A schedule: which requested meeting takes place at which slot and location, with how it was found.

``Schedule.to_json`` is the file ``dari schedule_instance --out`` writes; ``parse_schedule`` reads one
back (for the validator, or as the previous schedule of a re-scheduling).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .instance import Assignment, Instance

FORMAT = "dari.scheduling.schedule/1"

#: Solver statuses, CP-SAT's names: OPTIMAL (proven), FEASIBLE (not proven optimal), INFEASIBLE (the
#: hard constraints cannot all hold, e.g. fixed meetings that collide), UNKNOWN (nothing found in
#: time), MODEL_INVALID. The greedy baseline says FEASIBLE.
STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID")


class ScheduleError(ValueError):
    pass


@dataclass
class Schedule:
    assignments: tuple[Assignment, ...]
    status: str = "FEASIBLE"
    method: str = ""
    #: The weighted number of meetings scheduled (each meeting's weight, see Meeting.weight).
    objective: int = 0
    #: The solver's proven upper bound on that objective (None when it proved none).
    bound: float | None = None
    wall_seconds: float = 0.0
    instance_id: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    #: The validator's findings (empty for a schedule that may be saved).
    violations: list[Any] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        """(bound - objective) / bound: 0 for a proven optimum."""
        if self.bound is None:
            return None
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)

    @property
    def feasible(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE") and not self.violations

    def by_meeting(self) -> dict[str, Assignment]:
        return {a.meeting: a for a in self.assignments}

    def unscheduled(self, instance: Instance) -> list[str]:
        placed = {a.meeting for a in self.assignments}
        return [m.id for m in instance.meetings if m.id not in placed]

    def to_json(self, instance: Instance | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "instance": self.instance_id or (instance.id if instance else ""),
            "status": self.status,
            "method": self.method,
            "objective": self.objective,
            "bound": self.bound,
            "gap": None if self.gap is None else round(self.gap, 6),
            "wall_seconds": round(self.wall_seconds, 3),
            "assignments": [a.to_json() for a in sorted(self.assignments, key=_order(instance))],
        }
        if instance is not None:
            data["unscheduled"] = self.unscheduled(instance)
        data["details"] = self.details
        data["violations"] = [v.to_json() for v in self.violations]
        return data


def _order(instance: Instance | None):
    if instance is None:
        return lambda a: (a.slot, a.location, a.meeting)
    position = {s.id: i for i, s in enumerate(instance.slots)}
    return lambda a: (position.get(a.slot, len(position)), a.location, a.meeting)


def parse_schedule(data: Any) -> Schedule:
    """A schedule from its JSON (only the assignments are needed)."""
    if not isinstance(data, dict) or not isinstance(data.get("assignments"), list):
        raise ScheduleError("a schedule is a JSON object with a list of assignments")
    assignments = []
    for index, item in enumerate(data["assignments"]):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("meeting", "slot", "location")
        ):
            raise ScheduleError(f"at $.assignments[{index}]: needs meeting, slot and location (strings)")
        assignments.append(Assignment(item["meeting"], item["slot"], item["location"]))
    return Schedule(
        assignments=tuple(assignments),
        status=data.get("status", "FEASIBLE"),
        method=data.get("method", ""),
        objective=data.get("objective", 0),
        bound=data.get("bound"),
        wall_seconds=data.get("wall_seconds", 0.0),
        instance_id=data.get("instance", ""),
        details=data.get("details", {}),
    )


def weighted_meetings(instance: Instance, assignments) -> int:
    """The objective of a set of assignments: the weights of the distinct known meetings in it."""
    placed = {a.meeting for a in assignments}
    return sum(m.weight for m in instance.meetings if m.id in placed)
