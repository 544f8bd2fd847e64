"""The greedy baseline: highest weight first, each meeting at its earliest possible slot.

What a spreadsheet or a simple tool does, and what the CP-SAT schedule is compared with in the
benchmark. It also gives the solver its first feasible solution (a hint), so a schedule exists from
the first second. Fixed meetings go first, then (when re-scheduling) the meetings of the previous
schedule where they were, then the rest by weight.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from .instance import Instance
from .problem import Problem, assign_tables, compile_problem
from .schedule import Schedule, weighted_meetings
from .validator import InvalidSchedule, Kind, validate


class GreedyState:
    """Who is busy when and where, the load of every (slot, pool), and meetings per person."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.busy: list[dict[int, int]] = [{} for _ in problem.participant_ids]  # person -> {slot: pool}
        self.load = [[0] * len(problem.slot_ids) for _ in problem.pools]
        self.count = [0] * len(problem.participant_ids)
        self.chosen: dict[int, tuple[int, int]] = {}

    def fits(self, m: int, s: int, p: int) -> bool:
        problem = self.problem
        if self.load[p][s] >= problem.pools[p].capacity[s]:
            return False
        for person in problem.people_of[m]:
            agenda = self.busy[person]
            if s in agenda:
                return False
            limit = problem.limits[person]
            if limit is not None and self.count[person] >= limit:
                return False
            for t, gap in problem.near[s]:
                q = agenda.get(t)
                if q is not None and gap < problem.travel[p][q]:
                    return False
        return True

    def place(self, m: int, s: int, p: int) -> None:
        self.load[p][s] += 1
        for person in self.problem.people_of[m]:
            self.busy[person][s] = p
            self.count[person] += 1
        self.chosen[m] = (s, p)

    def try_options(self, m: int, options: Iterable[tuple[int, int]]) -> bool:
        for s, p in options:
            if self.fits(m, s, p):
                self.place(m, s, p)
                return True
        return False


def fixed_that_collide(problem: Problem) -> list[str]:
    """Fixed meetings that cannot all be held where they are fixed, even with no other meeting (one
    person twice at once, no time to walk, over a limit): then no schedule exists."""
    state = GreedyState(problem)
    missing = []
    for m, (s, p, _location) in sorted(problem.fixed.items()):
        if state.fits(m, s, p):
            state.place(m, s, p)
        else:
            missing.append(problem.instance.meetings[m].id)
    return missing


def greedy_choice(problem: Problem, *, keep_previous: bool = True) -> dict[int, tuple[int, int]]:
    """meeting position -> (slot, pool), highest weight first."""
    state = GreedyState(problem)
    for m, (s, p, _location) in problem.fixed.items():
        if state.fits(m, s, p):
            state.place(m, s, p)
    if keep_previous:
        for m, (s, p, _location) in sorted(
            problem.previous.items(), key=lambda item: -problem.weights[item[0]]
        ):
            if m not in state.chosen and m not in problem.fixed:
                state.try_options(m, [(s, p)])
    order = sorted(
        (m for m in range(len(problem.options)) if m not in state.chosen and m not in problem.fixed),
        key=lambda m: (-problem.weights[m], len(problem.options[m]), problem.instance.meetings[m].id),
    )
    for m in order:
        state.try_options(m, problem.options[m])
    return state.chosen


def solve_greedy(instance: Instance, problem: Problem | None = None) -> Schedule:
    """The greedy baseline's schedule, validated (raises InvalidSchedule on a violation)."""
    started = time.perf_counter()
    problem = problem or compile_problem(instance)
    chosen = greedy_choice(problem)
    assignments = assign_tables(problem, chosen)
    fixed_missing = [instance.meetings[m].id for m in problem.fixed if m not in chosen]
    schedule = Schedule(
        assignments=tuple(assignments),
        status="FEASIBLE" if not fixed_missing else "INFEASIBLE",
        method="greedy",
        objective=weighted_meetings(instance, assignments),
        bound=None,
        wall_seconds=time.perf_counter() - started,
        instance_id=instance.id,
        details={"fixed_not_placed": fixed_missing} if fixed_missing else {},
    )
    # Like the solver's, checked by the independent validator before anyone saves it; fixed meetings
    # that collide are the instance's fault (status INFEASIBLE), anything else would be a bug.
    schedule.violations = [
        v for v in validate(instance, schedule) if v.kind != Kind.FIXED_MOVED or not fixed_missing
    ]
    if schedule.violations:
        raise InvalidSchedule(schedule.violations)
    return schedule


def most_constrained_choice(problem: Problem, selection: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Place the meetings of ``selection`` most constrained first (the fewest places still possible,
    then the highest weight; DSatur's rule for colouring), then any other meeting that still fits,
    highest weight first. Used with the selection of the relaxation (``solver.selection_bound``):
    when every selected meeting finds a place, the schedule reaches the relaxation's bound and is
    optimal."""
    import heapq

    state = GreedyState(problem)
    for m, (s, p, _location) in problem.fixed.items():
        if state.fits(m, s, p):
            state.place(m, s, p)
    pending = {m for m in selection if m not in state.chosen and problem.options[m]}
    # Who shares a person with whom, and which meetings could use each (slot, pool).
    meetings_of: dict[int, list[int]] = {}
    users: dict[tuple[int, int], list[int]] = {}
    for m in pending:
        for person in problem.people_of[m]:
            meetings_of.setdefault(person, []).append(m)
        for option in problem.options[m]:
            users.setdefault(option, []).append(m)

    def free_places(m: int) -> int:
        return sum(1 for s, p in problem.options[m] if state.fits(m, s, p))

    places = {m: free_places(m) for m in pending}
    heap = [(places[m], -problem.weights[m], problem.instance.meetings[m].id, m) for m in pending]
    heapq.heapify(heap)
    while heap:
        count, _w, _id, m = heapq.heappop(heap)
        if m not in pending or count != places[m]:
            continue
        pending.discard(m)
        if not state.try_options(m, problem.options[m]):
            continue
        s, p = state.chosen[m]
        touched = {other for person in problem.people_of[m] for other in meetings_of.get(person, ())}
        if state.load[p][s] >= problem.pools[p].capacity[s]:
            touched.update(users.get((s, p), ()))
        for other in touched:
            if other in pending:
                now = free_places(other)
                if now != places[other]:
                    places[other] = now
                    heapq.heappush(
                        heap, (now, -problem.weights[other], problem.instance.meetings[other].id, other)
                    )
    rest = sorted(
        (m for m in range(len(problem.options)) if m not in state.chosen and problem.options[m]),
        key=lambda m: (-problem.weights[m], len(problem.options[m]), problem.instance.meetings[m].id),
    )
    for m in rest:
        state.try_options(m, problem.options[m])
    return state.chosen
