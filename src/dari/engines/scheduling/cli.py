"""``dari schedule_instance FILE --time-limit 30 --out SCHEDULE.json``: solve an instance file, no database.

Reads and checks the instance (``instance.schema.json``), solves it (``solver.solve``, or the greedy
baseline with ``--greedy``), validates the schedule, writes it as JSON (to ``--out``, else to
standard output) and prints a summary. ``--previous SCHEDULE.json`` re-schedules: the file's
assignments are the published schedule to keep where possible. ``--check SCHEDULE.json`` only
validates a schedule against the instance and lists its violations.

Exit status: 0 for a schedule written (or a schedule that passes ``--check``), 1 for a schedule
with violations or none found, 2 for an instance or schedule file that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from .greedy import solve_greedy
from .instance import InstanceError, load_instance
from .metrics import summary
from .reschedule import with_previous
from .schedule import ScheduleError, parse_schedule
from .solver import SolverOptions, solve
from .validator import InvalidSchedule, validate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the instance, a JSON file (instance.schema.json)")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds for the whole solve (30)")
    parser.add_argument("--out", type=Path, help="where to write the schedule (standard output if absent)")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (2)")
    parser.add_argument("--seed", type=int, default=0, help="CP-SAT's random seed (0)")
    parser.add_argument(
        "--deterministic",
        action="store_true",
        help="the same schedule for the same instance and seed (time limit in CP-SAT's deterministic units)",
    )
    parser.add_argument(
        "--greedy", action="store_true", help="the greedy baseline only (highest weight first)"
    )
    parser.add_argument(
        "--previous", type=Path, help="a published schedule to keep where possible (re-scheduling)"
    )
    parser.add_argument("--move-penalty", type=int, help="weight lost per meeting moved when re-scheduling")
    parser.add_argument("--check", type=Path, metavar="SCHEDULE", help="only validate this schedule file")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        instance = load_instance(args.file)
    except FileNotFoundError:
        err.write(f"{args.file}: no such file\n")
        return 2
    except InstanceError as error:
        err.write(f"{args.file}: {error}\n")
        return 2
    try:
        if args.previous is not None:
            previous = parse_schedule(json.loads(args.previous.read_text(encoding="utf-8")))
            instance = with_previous(instance, previous, args.move_penalty)
        if args.check is not None:
            checked = parse_schedule(json.loads(args.check.read_text(encoding="utf-8")))
    except FileNotFoundError as error:
        err.write(f"{error.filename}: no such file\n")
        return 2
    except (json.JSONDecodeError, ScheduleError) as error:
        err.write(f"schedule file: {error}\n")
        return 2
    if args.check is not None:
        violations = validate(instance, checked)
        for v in violations:
            out.write(f"{v.kind}: {v.message}\n")
        figures = summary(instance, checked)
        out.write(
            f"{len(violations)} violation(s); {figures['meetings_scheduled']} of "
            f"{figures['meetings_requested']} meetings, "
            f"weight {figures['weight_scheduled']} of {figures['weight_requested']}\n"
        )
        return 1 if violations else 0
    try:
        if args.greedy:
            schedule = solve_greedy(instance)
        else:
            options = SolverOptions(
                time_limit=args.time_limit,
                workers=args.workers,
                seed=args.seed,
                deterministic=args.deterministic,
                move_penalty=args.move_penalty,
            )
            schedule = solve(instance, options)
    except InvalidSchedule as error:
        err.write(f"the schedule found breaks the instance (a bug, please report it): {error}\n")
        return 1
    data = schedule.to_json(instance)
    data["metrics"] = summary(instance, schedule)
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    report = out
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    else:
        out.write(text)
        report = err
    figures = data["metrics"]
    gap = "unknown" if schedule.gap is None else f"{schedule.gap:.2%}"
    bound = "none" if schedule.bound is None else f"{schedule.bound:g}"
    report.write(
        f"{schedule.status} ({schedule.method}) in {schedule.wall_seconds:.1f} s: "
        f"{figures['meetings_scheduled']} of {figures['meetings_requested']} meetings, "
        f"weight {schedule.objective} (bound {bound}, gap {gap}), "
        f"{figures['idle_gaps_per_delegate']:.2f} idle gaps per delegate"
        + (f"; written to {args.out}" if args.out is not None else "")
        + "\n"
    )
    if "moves" in schedule.details:
        moved = schedule.details["moves"]
        report.write(
            f"previous schedule: {moved['kept']} kept, {moved['moved']} moved, {moved['dropped']} dropped, "
            f"{moved['added']} added\n"
        )
    return 0 if schedule.status in ("OPTIMAL", "FEASIBLE") else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dari schedule_instance", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv), sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
