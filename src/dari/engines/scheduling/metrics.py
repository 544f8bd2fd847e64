"""Figures about a schedule, for the benchmark, the command's summary and an organizer's page: meetings
and weight scheduled, idle gaps per delegate, how evenly the unmet requests fall."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean, pvariance

from .instance import Instance


def summary(instance: Instance, assignments) -> dict:
    if hasattr(assignments, "assignments"):
        assignments = assignments.assignments
    placed = {a.meeting: a for a in assignments if a.meeting in instance.meeting_by_id}
    position = {s.id: i for i, s in enumerate(instance.slots)}
    day_of = {s.id: instance.local_day(s) for s in instance.slots}
    # Slots of one day in order; a hole is a slot of that day with no meeting between two that have one.
    day_slots: dict = defaultdict(list)
    for s in instance.slots:
        day_slots[day_of[s.id]].append(position[s.id])
    index_in_day = {}
    for slots in day_slots.values():
        for k, p in enumerate(slots):
            index_in_day[p] = k
    busy: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for a in placed.values():
        for person in instance.meeting_by_id[a.meeting].participants:
            busy[person][day_of[a.slot]].append(index_in_day[position[a.slot]])
    gaps = {}
    idle_slots = {}
    for person, days in busy.items():
        holes = idle = 0
        for indices in days.values():
            indices.sort()
            for before, after in zip(indices, indices[1:], strict=False):
                if after - before > 1:
                    holes += 1
                    idle += after - before - 1
        gaps[person] = holes
        idle_slots[person] = idle
    requested = defaultdict(int)
    met = defaultdict(int)
    for meeting in instance.meetings:
        for person in meeting.participants:
            requested[person] += 1
            if meeting.id in placed:
                met[person] += 1
    unmet = [requested[p] - met[p] for p in requested]
    with_meetings = [p for p in busy]
    total_weight = instance.total_weight
    weight = sum(instance.meeting_by_id[m].weight for m in placed)
    return {
        "meetings_requested": len(instance.meetings),
        "meetings_scheduled": len(placed),
        "scheduled_share": round(len(placed) / len(instance.meetings), 6) if instance.meetings else 0.0,
        "weight_requested": total_weight,
        "weight_scheduled": weight,
        "weight_share": round(weight / total_weight, 6) if total_weight else 0.0,
        "participants_with_requests": len(requested),
        "participants_with_no_meeting": sum(1 for p in requested if met[p] == 0),
        "idle_gaps_total": sum(gaps.values()),
        "idle_gaps_per_delegate": round(mean(gaps.values()), 4) if gaps else 0.0,
        "idle_slots_per_delegate": round(mean(idle_slots.values()), 4) if idle_slots else 0.0,
        "delegates_with_meetings": len(with_meetings),
        "unmet_requests_max": max(unmet, default=0),
        "unmet_requests_variance": round(pvariance(unmet), 4) if len(unmet) > 1 else 0.0,
    }
