"""The instance in the form the solver and the greedy baseline search: positions instead of ids, and
identical locations pooled.

Pooling is what keeps the model small at BIO scale: tables of one venue that are alike (same kind,
seats and opening hours) are one *pool* whose capacity at a slot is the sum of theirs, so the search
places a meeting at a (slot, pool) *option* and concrete tables are handed out afterwards
(:func:`assign_tables`), which always succeeds since the pool's capacity held. A 5,000-request day
with 24 slots and one hall is then at most 120,000 choices rather than 120,000 times the tables.

Shared by ``solver.py`` and ``greedy.py`` only; the validator does not use it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .instance import Assignment, Instance


@dataclass(frozen=True)
class Pool:
    index: int
    venue: str | None
    video: bool
    max_participants: int | None
    #: The concrete locations in the pool, in the instance's order.
    locations: tuple[str, ...]
    #: Capacity at each slot position (0 where closed).
    capacity: tuple[int, ...]


@dataclass
class Problem:
    instance: Instance
    slot_ids: list[str]
    pools: list[Pool]
    pool_of_location: dict[str, int]
    #: Per meeting position: the (slot, pool) options where it can take place.
    options: list[list[tuple[int, int]]]
    weights: list[int]
    #: Per meeting position: the positions of its participants.
    people_of: list[list[int]]
    participant_ids: list[str]
    limits: list[int | None]
    #: Per slot position s: (t, minutes from the earlier one's end to the later one's start) for every
    #: other slot t close enough that some pair of venues needs more travel time than that.
    near: list[list[tuple[int, float]]]
    #: Minutes between pool venues: travel[p][q].
    travel: list[list[int]]
    #: Slot positions grouped per local day, in order.
    days: list[list[int]]
    #: meeting position -> the (slot, pool, location) it is fixed at.
    fixed: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    #: meeting position -> the (slot, pool, location) of the previous schedule, when still possible.
    previous: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    #: Previous assignments that can no longer be kept as they were (meeting, reason).
    previous_lost: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_travel(self) -> bool:
        return any(self.near)

    def conflicts_by_travel(self, s: int, p: int, t: int, q: int) -> bool:
        """Whether one person cannot be in pool p at slot s and in pool q at slot t."""
        if s == t:
            return False
        for other, gap in self.near[s]:
            if other == t:
                return gap < self.travel[p][q]
        return False


def compile_problem(instance: Instance) -> Problem:
    slot_ids = [s.id for s in instance.slots]
    slot_position = {sid: i for i, sid in enumerate(slot_ids)}
    # Pools: locations alike in everything the constraints read.
    groups: dict[tuple, list] = defaultdict(list)
    for loc in instance.locations:
        key = (loc.venue, loc.video, loc.max_participants, loc.slots)
        groups[key].append(loc)
    pools = []
    pool_of_location = {}
    for index, ((venue, video, seats, open_slots), locs) in enumerate(groups.items()):
        capacity = tuple(
            sum(loc.capacity for loc in locs) if (open_slots is None or sid in open_slots) else 0
            for sid in slot_ids
        )
        pools.append(Pool(index, venue, video, seats, tuple(loc.id for loc in locs), capacity))
        for loc in locs:
            pool_of_location[loc.id] = index
    travel = [[instance.travel_minutes(p.venue, q.venue) for q in pools] for p in pools]
    longest = max((max(row) for row in travel), default=0)
    near: list[list[tuple[int, float]]] = [[] for _ in slot_ids]
    if longest:
        for i, a in enumerate(instance.slots):
            for j, b in enumerate(instance.slots):
                if i == j:
                    continue
                first, second = (a, b) if a.start <= b.start else (b, a)
                gap = (second.start - first.end).total_seconds() / 60
                if 0 <= gap < longest:
                    near[i].append((j, gap))
    participant_ids = [p.id for p in instance.participants]
    person_position = {pid: i for i, pid in enumerate(participant_ids)}
    people = instance.participants
    options = []
    for meeting in instance.meetings:
        suitable = [
            pool
            for pool in pools
            if _suits(meeting.mode, len(meeting.participants), pool.video, pool.max_participants)
        ]
        mine = []
        for s, sid in enumerate(slot_ids):
            if all(people[person_position[pid]].available_at(sid) for pid in meeting.participants):
                mine.extend((s, pool.index) for pool in suitable if pool.capacity[s] > 0)
        options.append(mine)
    days: dict = defaultdict(list)
    for s, slot in enumerate(instance.slots):
        days[instance.local_day(slot)].append(s)
    meeting_position = {m.id: i for i, m in enumerate(instance.meetings)}
    problem = Problem(
        instance=instance,
        slot_ids=slot_ids,
        pools=pools,
        pool_of_location=pool_of_location,
        options=options,
        weights=[m.weight for m in instance.meetings],
        people_of=[[person_position[pid] for pid in m.participants] for m in instance.meetings],
        participant_ids=participant_ids,
        limits=[instance.limit_of(pid) for pid in participant_ids],
        near=near,
        travel=travel,
        days=[days[d] for d in sorted(days)],
    )
    for a in instance.fixed:
        m = meeting_position[a.meeting]
        s, p = slot_position[a.slot], pool_of_location[a.location]
        problem.fixed[m] = (s, p, a.location)
        # The fixed place is the meeting's only option (availability was checked on loading).
        problem.options[m] = [(s, p)]
    for a in instance.previous or ():
        m = meeting_position.get(a.meeting)
        if m is None:
            problem.previous_lost.append((a.meeting, "no longer requested"))
            continue
        if a.slot not in slot_position or a.location not in pool_of_location:
            problem.previous_lost.append((a.meeting, "its slot or location is gone"))
            continue
        option = (slot_position[a.slot], pool_of_location[a.location])
        if option not in problem.options[m]:
            problem.previous_lost.append((a.meeting, "no longer possible there"))
            continue
        problem.previous[m] = (*option, a.location)
    return problem


def _suits(mode: str, size: int, video: bool, seats: int | None) -> bool:
    if mode == "in_person" and video:
        return False
    if mode == "video" and not video:
        return False
    return seats is None or size <= seats


def assign_tables(problem: Problem, chosen: dict[int, tuple[int, int]]) -> list[Assignment]:
    """Concrete locations for meetings placed at (slot, pool): fixed meetings at their own location,
    then a meeting of the previous schedule at its previous location, then the location where one of
    its participants sat at the slot before (a delegate stays at a table), then the first free one."""
    instance = problem.instance
    capacity = {loc.id: loc.capacity for loc in instance.locations}
    by_slot: dict[int, list[int]] = defaultdict(list)
    for m, (s, _p) in chosen.items():
        by_slot[s].append(m)
    result: list[Assignment] = []
    seat_of_person: dict[int, str] = {}
    for s in sorted(by_slot):
        used: dict[str, int] = defaultdict(int)
        placed: dict[int, str] = {}
        meetings = sorted(by_slot[s], key=lambda m: instance.meetings[m].id)
        for m in meetings:
            if m in problem.fixed:
                _take(problem, chosen, capacity, used, placed, m, problem.fixed[m][2])
        for m in meetings:
            if m not in placed and m in problem.previous and problem.previous[m][:2] == chosen[m]:
                _take(problem, chosen, capacity, used, placed, m, problem.previous[m][2])
        for m in meetings:
            if m not in placed:
                for person in problem.people_of[m]:
                    if person in seat_of_person and _take(
                        problem, chosen, capacity, used, placed, m, seat_of_person[person]
                    ):
                        break
        for m in meetings:
            if m not in placed:
                pool = problem.pools[chosen[m][1]]
                for location in pool.locations:
                    if _take(problem, chosen, capacity, used, placed, m, location):
                        break
                else:  # cannot happen while the pool's capacity holds; the validator would say so
                    placed[m] = pool.locations[0]
        for m, location in placed.items():
            for person in problem.people_of[m]:
                seat_of_person[person] = location
            result.append(Assignment(instance.meetings[m].id, problem.slot_ids[s], location))
    return result


def _take(problem: Problem, chosen, capacity, used, placed, m: int, location: str) -> bool:
    """Seat meeting m at the location if it has room and belongs to the meeting's pool."""
    if used[location] < capacity[location] and location in problem.pools[chosen[m][1]].locations:
        used[location] += 1
        placed[m] = location
        return True
    return False
