"""The scheduler: OR-Tools CP-SAT over (meeting, slot, pool) choices, in two phases.

Hard constraints (every schedule returned meets them, and the validator checks it again):
each meeting at most once, at a slot where all its participants are available and in a location that
suits it (kind and seats) and is open; no one in two meetings at once; no more meetings in a pool of
alike locations than its capacity at that slot; the travel buffer between meetings in two venues;
each person's limit of meetings; fixed meetings where they are fixed.

Objective, lexicographic in two phases over one model:

1. maximise the weighted number of meetings (``Meeting.weight``: priority x preference x mutual
   interest). When re-scheduling, each meeting of the previous schedule kept where it was earns
   ``move_penalty`` too, so a meeting is moved or dropped only when that wins more weight than it
   costs.
2. with phase 1's value held (and no more moves), minimise ``gap_weight`` x idle gaps (a hole
   between two meetings of one person on one day; breaks between slots are not holes)
   + ``fairness_weight`` x the largest shortfall of any participant (the meetings they could have
   had, at most their requests, available slots and limit, minus those they got)
   + ``no_meeting_weight`` x the participants with requests who got no meeting at all.

Before phase 1, a relaxation (:func:`selection_bound`: which meetings, without slots, each person
within their limit and the slots they could meet in) gives a proven upper bound on the weighted
meetings in well under a second, where CP-SAT's own LP bound on the full model stays loose for
minutes. Phase 1 starts from the better of two schedules (its hint): the greedy one (highest weight
first; the previous schedule first when re-scheduling) and the relaxation's selection placed most
constrained first. When that schedule reaches the bound it is optimal and phase 1's search is
skipped; otherwise CP-SAT searches with the bound as a constraint and stops once it reaches it.

The time limit covers everything, the model's construction included (which cannot be cut short: a
limit below the few seconds it takes at BIO scale is exceeded by that much); phase 1 has
``1 - secondary_share`` of what is left when it starts (it stops sooner once it proves its optimum),
phase 2 the rest. The best feasible schedule found is always returned, with the bound on the
weighted meetings (the smaller of the relaxation's and CP-SAT's) and the gap; if CP-SAT finds
nothing in time, the starting schedule is returned. Before returning, the schedule goes through the
independent validator (``validator.py``): a violation there raises
:class:`~.validator.InvalidSchedule`, since it would be a bug.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass

from ortools.sat.python import cp_model

from .greedy import fixed_that_collide, greedy_choice, most_constrained_choice
from .instance import Instance
from .problem import Problem, assign_tables, compile_problem
from .schedule import Schedule, weighted_meetings
from .validator import InvalidSchedule, validate


@dataclass
class SolverOptions:
    #: Seconds for the whole solve, construction included.
    time_limit: float = 30.0
    #: CP-SAT workers (the machines Dari runs on have 2 cores).
    workers: int = 2
    seed: int = 0
    #: Reproducible runs: CP-SAT interleaves its workers deterministically and stops on its own
    #: deterministic clock (``time_limit`` deterministic units, roughly seconds) instead of the wall
    #: clock. The same instance, seed and options then give the same schedule.
    deterministic: bool = False
    #: Run phase 2 (idle gaps and fairness) at all.
    secondary: bool = True
    secondary_share: float = 0.2
    gap_weight: int = 1
    fairness_weight: int = 10
    no_meeting_weight: int = 20
    #: Weight lost per meeting of the previous schedule moved or dropped; default: the instance's
    #: ``previous.move_penalty``, else the largest meeting weight.
    move_penalty: int | None = None
    #: Start from the greedy schedule (a hint).
    greedy_hint: bool = True
    #: Bound the weighted meetings by the selection relaxation (``selection_bound``) and start from
    #: its selection too; off only to measure CP-SAT without it.
    relaxation: bool = True
    log: bool = False


class _Progress(cp_model.CpSolverSolutionCallback):
    """Records (seconds since the solve started, objective, bound) at each improving solution."""

    def __init__(self, started: float):
        super().__init__()
        self.started = started
        self.trace: list[tuple[float, float, float]] = []

    def on_solution_callback(self) -> None:
        self.trace.append(
            (round(time.perf_counter() - self.started, 3), self.objective_value, self.best_objective_bound)
        )


@dataclass
class _Model:
    model: cp_model.CpModel
    x: list[list[cp_model.IntVar]]
    #: Per meeting: 1 when it is scheduled (None for a meeting with no possible place).
    y: list[cp_model.IntVar | None]
    #: (person, slot) -> the choices that put the person in a meeting at that slot.
    at: dict[tuple[int, int], list[cp_model.IntVar]]
    #: person -> the y of every meeting of theirs.
    of_person: list[list[cp_model.IntVar]]
    weighted: cp_model.LinearExpr
    #: The choices that keep a previous meeting where it was.
    keep: list[cp_model.IntVar]
    move_penalty: int


def build_model(problem: Problem, move_penalty: int) -> _Model:
    model = cp_model.CpModel()
    x: list[list[cp_model.IntVar]] = []
    at: dict[tuple[int, int], list] = defaultdict(list)
    at_pool: dict[tuple[int, int, int], list] = defaultdict(list)  # (person, slot, pool)
    in_pool: dict[tuple[int, int], list] = defaultdict(list)  # (slot, pool)
    of_person: list[list] = [[] for _ in problem.participant_ids]
    flat: list = []
    coefficients: list[int] = []
    keep: list = []
    y: list = []
    slots_of: list[set[int]] = [set() for _ in problem.participant_ids]
    for m, options in enumerate(problem.options):
        row = [model.new_bool_var(f"x{m}_{s}_{p}") for s, p in options]
        x.append(row)
        if not row:
            y.append(None)
            continue
        scheduled = row[0] if len(row) == 1 else model.new_bool_var(f"y{m}")
        y.append(scheduled)
        if len(row) > 1:
            model.add_exactly_one([*row, ~scheduled])
        if m in problem.fixed:
            model.add(scheduled == 1)
        flat.append(scheduled)
        coefficients.append(problem.weights[m])
        for person in problem.people_of[m]:
            of_person[person].append(scheduled)
        for (s, p), var in zip(options, row, strict=True):
            in_pool[(s, p)].append(var)
            for person in problem.people_of[m]:
                at[(person, s)].append(var)
                at_pool[(person, s, p)].append(var)
                slots_of[person].add(s)
        previous = problem.previous.get(m)
        if previous is not None:
            keep.append(row[options.index(previous[:2])])
    for variables in at.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    for (s, p), variables in in_pool.items():
        if len(variables) > problem.pools[p].capacity[s]:
            model.add(cp_model.LinearExpr.sum(variables) <= problem.pools[p].capacity[s])
    # Each person's limit; and, redundant but a much better LP bound early on, no more meetings than
    # the slots the person could meet in.
    for person, variables in enumerate(of_person):
        most = len(slots_of[person])
        if problem.limits[person] is not None:
            most = min(most, problem.limits[person])
        if len(variables) > most:
            model.add(cp_model.LinearExpr.sum(variables) <= most)
    if problem.has_travel:
        by_person: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for person, s, p in at_pool:
            by_person[person].append((s, p))
        for person, places in by_person.items():
            for s, p in places:
                for t, gap in problem.near[s]:
                    if t <= s:
                        continue
                    for q in range(len(problem.pools)):
                        if gap < problem.travel[p][q] and (person, t, q) in at_pool:
                            model.add(sum(at_pool[(person, s, p)]) + sum(at_pool[(person, t, q)]) <= 1)
    weighted = cp_model.LinearExpr.weighted_sum(flat, coefficients)
    return _Model(model, x, y, at, of_person, weighted, keep, move_penalty)


def _parameters(options: SolverOptions, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, options.workers)
    solver.parameters.random_seed = options.seed
    solver.parameters.log_search_progress = options.log
    if options.deterministic:
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = max(0.05, seconds)
        # A safety net only: far beyond what the deterministic limit takes.
        solver.parameters.max_time_in_seconds = max(10.0, 20 * seconds)
    else:
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
    return solver


def _light_presolve(solver: cp_model.CpSolver) -> None:
    """Both phases start from a complete, feasible hint; CP-SAT takes it as its first solution only
    after presolve, whose probing alone took seconds at 1,200 meetings (and all of a 30-second limit on
    a machine loaded 6 times over its cores). A light presolve leaves the time to the search."""
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0


def _chosen(problem: Problem, built: _Model, values: list[int]) -> dict[int, tuple[int, int]]:
    chosen = {}
    for m, row in enumerate(built.x):
        for option, var in zip(problem.options[m], row, strict=True):
            if values[var.index]:
                chosen[m] = option
                break
    return chosen


def _finishing(options: SolverOptions) -> float:
    """Seconds kept back from the time limit for handing out tables and validating."""
    return min(2.0, 0.03 * options.time_limit)


def selection_bound(
    problem: Problem, options: SolverOptions, seconds: float, hint: Collection[int] = ()
) -> tuple[str, float | None, list[int]]:
    """An upper bound on the weighted meetings, from a relaxation: choose meetings without slots, each
    person in no more meetings than their limit and the slots they could meet in, and no more meetings
    than the locations hold over the day. Every schedule's meetings satisfy it, so its optimum bounds
    every schedule; it is small (one variable per meeting, ``hint``: a schedule's meetings to start
    from) and CP-SAT proves its optimum in well under
    a second at BIO scale, where the full model's LP bound stays loose. Returns CP-SAT's status name,
    the bound (None when none was proved) and the relaxation's selection (meeting positions)."""
    model = cp_model.CpModel()
    y: dict[int, cp_model.IntVar] = {}
    of_person: dict[int, list] = defaultdict(list)
    slots_of: dict[int, set[int]] = defaultdict(set)
    for m, options_m in enumerate(problem.options):
        if not options_m:
            continue
        y[m] = model.new_bool_var(f"y{m}")
        if m in problem.fixed:
            model.add(y[m] == 1)
        for person in problem.people_of[m]:
            of_person[person].append(y[m])
            slots_of[person].update(s for s, _p in options_m)
    for person, variables in of_person.items():
        most = len(slots_of[person])
        if problem.limits[person] is not None:
            most = min(most, problem.limits[person])
        if len(variables) > most:
            model.add(cp_model.LinearExpr.sum(variables) <= most)
    total = sum(sum(pool.capacity) for pool in problem.pools)
    if len(y) > total:
        model.add(cp_model.LinearExpr.sum(list(y.values())) <= total)
    model.maximize(cp_model.LinearExpr.weighted_sum(list(y.values()), [problem.weights[m] for m in y]))
    for m, var in y.items():
        model.add_hint(var, m in hint)
    solver = _parameters(options, seconds)
    # A plain model: CP-SAT's presolve only slows it down (with tight tables it expands the capacity
    # row into clauses for seconds).
    solver.parameters.cp_model_presolve = False
    status = solver.solve(model)
    if status == cp_model.OPTIMAL or status == cp_model.FEASIBLE:
        # Proven either way: a relaxation stopped by the time limit still bounds every schedule, less
        # tightly. (With no solution at all, UNKNOWN, CP-SAT reports no usable bound.)
        bound = solver.best_objective_bound
        selection = [m for m, var in y.items() if solver.boolean_value(var)]
        return solver.status_name(status), (bound if math.isfinite(bound) else None), selection
    return solver.status_name(status), None, []


def solve(instance: Instance, options: SolverOptions | None = None) -> Schedule:
    """The best schedule found within the time limit, validated (see the module's text)."""
    options = options or SolverOptions()
    started = time.perf_counter()
    problem = compile_problem(instance)
    move_penalty = options.move_penalty
    if move_penalty is None:
        move_penalty = instance.move_penalty
    if move_penalty is None:
        move_penalty = max(problem.weights, default=1)
    rescheduling = bool(problem.previous)
    details: dict = {"options": asdict(options)}
    colliding = fixed_that_collide(problem)
    if colliding:
        details["fixed_that_collide"] = colliding
        return Schedule(
            assignments=(),
            status="INFEASIBLE",
            method="fixed meetings",
            wall_seconds=time.perf_counter() - started,
            instance_id=instance.id,
            details=details,
        )

    # The relaxation's bound, and its selection as a starting point.
    if options.relaxation:
        relaxation_seconds = min(10.0, max(0.05, 0.1 * options.time_limit))
        relaxation_status, upper, selection = selection_bound(
            problem, options, relaxation_seconds, hint=greedy_choice(problem)
        )
    else:
        relaxation_status, upper, selection = "SKIPPED", None, []
    details["relaxation"] = {
        "status": relaxation_status,
        "bound": upper,
        "seconds": round(time.perf_counter() - started, 3),
    }
    if upper is not None:
        upper = int(upper + 1e-6)
    # Starting schedules: the greedy one (which keeps the previous schedule first when re-scheduling)
    # and, unless re-scheduling, the relaxation's selection placed most constrained first.
    hint: dict[int, tuple[int, int]] = {}
    starts = {}
    if options.greedy_hint:
        starts["greedy"] = greedy_choice(problem)
        if selection and not rescheduling:
            starts["relaxation"] = most_constrained_choice(problem, selection)
        best = max(starts, key=lambda name: sum(problem.weights[m] for m in starts[name]))
        hint = starts[best]
        details["starts"] = {name: sum(problem.weights[m] for m in chosen) for name, chosen in starts.items()}
        details["starts"]["used"] = best
    hint_value = sum(problem.weights[m] for m in hint)
    if upper is not None and upper < hint_value:  # cannot happen for a proven bound; never trust it then
        details["relaxation"]["ignored"] = True
        upper = None
    details["starts_seconds"] = round(time.perf_counter() - started, 3)

    built = build_model(problem, move_penalty)
    if upper is not None:
        built.model.add(built.weighted <= upper)
    objective = built.weighted
    if rescheduling and move_penalty:
        objective = objective + move_penalty * cp_model.LinearExpr.sum(built.keep)
    built.model.maximize(objective)
    for m, row in enumerate(built.x):
        hinted = hint.get(m)
        for option, var in zip(problem.options[m], row, strict=True):
            built.model.add_hint(var, option == hinted)
        if len(row) > 1:
            built.model.add_hint(built.y[m], hinted is not None)
    details["model"] = {
        "meetings": len(problem.options),
        "choices": sum(len(row) for row in built.x),
        "pools": len(problem.pools),
        "constraints": len(built.model.proto.constraints),
        "built_at_seconds": round(time.perf_counter() - started, 3),
    }

    remaining = options.time_limit - (time.perf_counter() - started) - _finishing(options)
    share = (1 - options.secondary_share) if options.secondary else 1.0
    cp_bound = None
    if not rescheduling and upper is not None and hint_value >= upper:
        # The starting schedule already reaches the bound: it is optimal, no search needed.
        details["phases"] = [
            {"status": "SKIPPED", "reason": "the starting schedule reaches the relaxation's bound"}
        ]
        chosen, primary, found = hint, float(hint_value), True
    else:
        solver = _parameters(options, max(0.05, remaining * share))
        _light_presolve(solver)
        progress = _Progress(started)
        status = solver.solve(built.model, progress)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        details["phases"] = [
            {
                "status": solver.status_name(status),
                "objective": solver.objective_value if found else None,
                "bound": solver.best_objective_bound,
                "wall_seconds": round(solver.wall_time, 3),
                "deterministic_time": round(solver.deterministic_time, 3),
                "trace": progress.trace,
            }
        ]
        if found:
            chosen = _chosen(problem, built, list(solver.response_proto.solution))
            primary = solver.objective_value
            if not rescheduling:
                cp_bound = solver.best_objective_bound
        elif status == cp_model.INFEASIBLE:
            chosen, primary = {}, 0.0
        else:
            chosen, primary = hint, None
            if any(m not in hint for m in problem.fixed):  # cannot happen: fixed meetings go first
                chosen = {}
    if found and options.secondary:
        second = _phase2(problem, built, options, chosen, primary, started, details)
        if second is not None:
            chosen = second
    assignments = assign_tables(problem, chosen) if chosen else []
    weight = weighted_meetings(instance, assignments)
    bounds = [b for b in (upper, cp_bound) if b is not None]
    bound = min(bounds) if bounds else None
    if found:
        method = "cp-sat"
        final_status = (
            "OPTIMAL"
            if bound is not None and weight >= int(bound + 1e-6) and not rescheduling
            else "FEASIBLE"
        )
        if rescheduling and details["phases"][0]["status"] == "OPTIMAL":
            final_status = "OPTIMAL"
    elif chosen:
        method = "greedy (CP-SAT found no schedule in time)"
        final_status = "FEASIBLE"
    else:
        method = "cp-sat"
        final_status = "INFEASIBLE" if details["phases"][0]["status"] == "INFEASIBLE" else "UNKNOWN"
    schedule = Schedule(
        assignments=tuple(assignments),
        status=final_status,
        method=method,
        objective=weight,
        bound=bound,
        wall_seconds=time.perf_counter() - started,
        instance_id=instance.id,
        details=details,
    )
    if instance.previous is not None:
        details["moves"] = moves(instance, assignments)
    violations = validate(instance, schedule)
    if violations:
        schedule.violations = violations
        error = InvalidSchedule(violations)
        error.schedule = schedule
        raise error
    return schedule


def _phase2(
    problem: Problem,
    built: _Model,
    options: SolverOptions,
    chosen: dict[int, tuple[int, int]],
    primary_value: float,
    started: float,
    details: dict,
) -> dict[int, tuple[int, int]] | None:
    if (
        options.time_limit - (time.perf_counter() - started) < 0.5 + _finishing(options)
        and not options.deterministic
    ):
        details["phases"].append({"status": "SKIPPED", "reason": "no time left"})
        return None
    model = built.model
    hint: dict[int, int] = {}
    for m, row in enumerate(built.x):
        for option, var in zip(problem.options[m], row, strict=True):
            hint[var.index] = int(chosen.get(m) == option)
        if len(row) > 1:
            hint[built.y[m].index] = int(m in chosen)
    # Hold phase 1's value (and its kept meetings when re-scheduling).
    objective = built.weighted
    if built.keep and built.move_penalty:
        objective = objective + built.move_penalty * sum(built.keep)
    model.add(objective >= round(primary_value))
    if built.keep:
        kept = sum(hint[var.index] for var in built.keep)
        model.add(sum(built.keep) >= kept)
    busy = defaultdict(int)
    for (person, s), variables in built.at.items():
        busy[(person, s)] = sum(hint[v.index] for v in variables)
    terms = []
    hints: list[tuple] = []
    # Idle gaps: a block of meetings starts at s when the person is busy at s and not at the slot before
    # it that day; holes = blocks - days with a meeting.
    busy_var = {}
    for (person, s), variables in built.at.items():
        var = model.new_bool_var(f"busy{person}_{s}")
        model.add(var == cp_model.LinearExpr.sum(variables))
        busy_var[(person, s)] = var
        hints.append((var, busy[(person, s)]))
    for person in range(len(problem.participant_ids)):
        for day in problem.days:
            busy_slots = [s for s in day if (person, s) in busy_var]
            if not busy_slots:
                continue
            starts = []
            for j, s in enumerate(day):
                if (person, s) not in busy_var:
                    continue
                start = model.new_bool_var(f"start{person}_{s}")
                before = day[j - 1] if j else None
                if before is not None and (person, before) in busy_var:
                    model.add(start >= busy_var[(person, s)] - busy_var[(person, before)])
                    value = max(0, busy[(person, s)] - busy[(person, before)])
                else:
                    model.add(start >= busy_var[(person, s)])
                    value = busy[(person, s)]
                starts.append(start)
                hints.append((start, value))
            any_meeting = model.new_bool_var(f"day{person}_{day[0]}")
            model.add_bool_or([~any_meeting, *(busy_var[(person, s)] for s in busy_slots)])
            hints.append((any_meeting, int(any(busy[(person, s)] for s in busy_slots))))
            terms.extend((options.gap_weight, start) for start in starts)
            terms.append((-options.gap_weight, any_meeting))
    # Fairness: the largest shortfall, and the participants with requests who got nothing.
    requested = defaultdict(set)
    for m, options_m in enumerate(problem.options):
        if options_m:
            for person in problem.people_of[m]:
                requested[person].add(m)
    met_now = defaultdict(int)
    for m in chosen:
        for person in problem.people_of[m]:
            met_now[person] += 1
    shortfall_targets = {}
    for person, meetings in requested.items():
        slots_open = sum(1 for s in range(len(problem.slot_ids)) if (person, s) in built.at)
        target = min(len(meetings), slots_open)
        if problem.limits[person] is not None:
            target = min(target, problem.limits[person])
        shortfall_targets[person] = target
    worst = model.new_int_var(0, max(shortfall_targets.values(), default=0), "worst_shortfall")
    worst_value = 0
    for person, target in shortfall_targets.items():
        met = sum(built.of_person[person])
        model.add(worst >= target - met)
        worst_value = max(worst_value, target - met_now[person])
        if target > 0:
            nothing = model.new_bool_var(f"none{person}")
            model.add(nothing >= 1 - met)
            hints.append((nothing, int(met_now[person] == 0)))
            terms.append((options.no_meeting_weight, nothing))
    hints.append((worst, worst_value))
    terms.append((options.fairness_weight, worst))
    model.clear_objective()
    model.minimize(cp_model.LinearExpr.weighted_sum([v for _, v in terms], [c for c, _ in terms]))
    model.clear_hints()
    for index, value in hint.items():
        model.add_hint(model.get_bool_var_from_proto_index(index), value)
    for var, value in hints:
        model.add_hint(var, value)
    remaining = options.time_limit - (time.perf_counter() - started) - _finishing(options)
    solver = _parameters(options, max(0.05, remaining))
    solver.parameters.random_seed = options.seed + 1
    _light_presolve(solver)
    status = solver.solve(model)
    phase = {
        "status": solver.status_name(status),
        "objective": solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None,
        "bound": solver.best_objective_bound,
        "wall_seconds": round(solver.wall_time, 3),
        "deterministic_time": round(solver.deterministic_time, 3),
        "start_secondary": sum(
            c * v for (c, _), (_, v) in zip(terms, _hint_values(terms, hints), strict=True)
        ),
    }
    details["phases"].append(phase)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _chosen(problem, built, list(solver.response_proto.solution))


def _hint_values(terms, hints):
    values = {id(var): value for var, value in hints}
    return [(var, values.get(id(var), 0)) for _, var in terms]


def moves(instance: Instance, assignments) -> dict:
    """How a schedule differs from the instance's previous one: meetings of the previous schedule
    still requested that are kept (same slot and location), moved, or dropped."""
    now = {a.meeting: a for a in assignments}
    kept = moved = dropped = gone = 0
    for a in instance.previous or ():
        if a.meeting not in instance.meeting_by_id:
            gone += 1
            continue
        b = now.get(a.meeting)
        if b is None:
            dropped += 1
        elif (b.slot, b.location) == (a.slot, a.location):
            kept += 1
        else:
            moved += 1
    considered = kept + moved + dropped
    previous_ids = {a.meeting for a in instance.previous or ()}
    return {
        "previous": considered,
        "kept": kept,
        "moved": moved,
        "dropped": dropped,
        "no_longer_requested": gone,
        "added": sum(1 for m in now if m not in previous_ids),
        "moved_share": round((moved + dropped) / considered, 6) if considered else 0.0,
    }
