"""The scheduler's benchmark (issue 18): weighted meetings against the proven optimum, scale, the greedy
baseline and re-scheduling, on the seeded instances of benchmarks/scheduling_generator.py.

    .venv/bin/python benchmarks/scheduling.py                      # full size (about 8 minutes)
    .venv/bin/python benchmarks/scheduling.py --small --out-json /tmp/s.json --out-md /tmp/s.md   # CI
    .venv/bin/python benchmarks/scheduling.py --prove-medium --proof-limit 1200   # the optimum's record

- Medium (300 participants, 1,200 requests, 16 slots, 2 venues, tables = ceil(requests/slots x 1.15)):
  the greedy baseline; the scheduler at 30 s (weighted meetings, share of the proven optimum, bound,
  gap); CP-SAT alone at 30 s (no relaxation: its own bound, to show why it is not the reference);
  re-scheduling after one cancellation (time, share of the other meetings moved).
- Medium with fewer tables (0.7 x): capacity binds and the relaxation is not tight; greedy and the
  scheduler at 30 s (bound and gap).
- Large (1,000 participants, 5,000 requests, 24 slots, one hall): greedy; the scheduler at 60 s and
  300 s (scheduled share, bound, gap).
- ``--prove-medium`` writes benchmarks/results/scheduling-medium-optimum.json beside the instance
  (benchmarks/results/scheduling-medium-instance.json): the optimum, how it is proven, and a long run
  of CP-SAT alone on the full model for comparison.

Every schedule goes through the validator; the load average is recorded before each run (the machine
has 2 cores, shared).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import ortools  # noqa: E402
from benchmarks.scheduling_generator import LARGE, MEDIUM, SMALL, generate_json  # noqa: E402

from dari.engines.scheduling import (  # noqa: E402
    SolverOptions,
    cancel_meeting,
    parse_instance,
    reschedule,
    solve,
    solve_greedy,
    validate,
)
from dari.engines.scheduling.metrics import summary  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
MEDIUM_INSTANCE = RESULTS / "scheduling-medium-instance.json"
MEDIUM_OPTIMUM = RESULTS / "scheduling-medium-optimum.json"
SMOKE_LARGE = {"participants": 80, "meetings": 300, "slots": 10, "venues": 1, "slot_minutes": 20, "seed": 18}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def figures_of(instance, schedule, label: str) -> dict:
    violations = validate(instance, schedule)
    figures = summary(instance, schedule)
    result = {
        "run": label,
        "method": schedule.method,
        "status": schedule.status,
        "weighted_meetings": schedule.objective,
        "bound": schedule.bound,
        "gap": None if schedule.gap is None else round(schedule.gap, 6),
        "wall_seconds": round(schedule.wall_seconds, 3),
        "violations": len(violations),
        **{k: figures[k] for k in ("meetings_scheduled", "scheduled_share", "weight_share")},
        "idle_gaps_per_delegate": figures["idle_gaps_per_delegate"],
        "idle_slots_per_delegate": figures["idle_slots_per_delegate"],
        "participants_with_no_meeting": figures["participants_with_no_meeting"],
        "unmet_requests_max": figures["unmet_requests_max"],
    }
    details = schedule.details
    if "relaxation" in details:
        result["relaxation_bound"] = details["relaxation"]["bound"]
        result["relaxation_seconds"] = details["relaxation"]["seconds"]
    if "starts_seconds" in details:
        result["starts_seconds"] = details["starts_seconds"]
    if details.get("phases"):
        first = details["phases"][0]
        result["phase1"] = {
            k: first.get(k) for k in ("status", "objective", "bound", "wall_seconds", "reason")
        }
        trace = first.get("trace") or []
        if trace:
            result["best_found_at_seconds"] = trace[-1][0]
        if len(details["phases"]) > 1:
            second = details["phases"][1]
            result["phase2"] = {
                k: second.get(k) for k in ("status", "objective", "start_secondary", "wall_seconds")
            }
    if "starts" in details:
        result["starts"] = details["starts"]
    if "model" in details:
        result["model"] = details["model"]
    return result


def run_solver(instance, label: str, **options) -> tuple[dict, object]:
    before = load()
    cpu = time.process_time()
    schedule = solve(instance, SolverOptions(**options))
    cpu = time.process_time() - cpu
    result = figures_of(instance, schedule, label)
    result["load_before"] = before
    result["cpu_seconds"] = round(cpu, 3)
    result["time_limit"] = options.get("time_limit")
    print(
        f"{label}: {result['status']} weight {result['weighted_meetings']} bound {result['bound']} "
        f"gap {result['gap']} in {result['wall_seconds']} s (load {before})",
        flush=True,
    )
    return result, schedule


def run_greedy(instance, label: str) -> dict:
    before = load()
    schedule = solve_greedy(instance)
    result = figures_of(instance, schedule, label)
    result["load_before"] = before
    print(f"{label}: weight {result['weighted_meetings']} in {result['wall_seconds']} s", flush=True)
    return result


def rescheduling(instance, schedule, seconds: float, seed: int) -> dict:
    """Cancel one scheduled meeting (chosen with the seed) and re-schedule with the previous schedule."""
    scheduled = sorted(a.meeting for a in schedule.assignments if a.meeting not in instance.fixed_by_meeting)
    cancelled = random.Random(seed).choice(scheduled)
    changed = cancel_meeting(instance, cancelled)
    before = load()
    started, cpu = time.perf_counter(), time.process_time()
    again = reschedule(changed, schedule, SolverOptions(time_limit=seconds))
    seconds_taken, cpu = time.perf_counter() - started, time.process_time() - cpu
    moves = again.details["moves"]
    return {
        "cancelled": cancelled,
        "time_limit": seconds,
        "wall_seconds": round(seconds_taken, 3),
        "cpu_seconds": round(cpu, 3),
        "status": again.status,
        "violations": len(validate(changed, again)),
        "other_meetings": moves["previous"],
        "kept": moves["kept"],
        "moved": moves["moved"],
        "dropped": moves["dropped"],
        "added": moves["added"],
        "moved_share": moves["moved_share"],
        "weighted_meetings_before": schedule.objective,
        "weighted_meetings_after": again.objective,
        "load_before": before,
    }


def benchmark(small: bool, medium_limit: float, large_limits: list[float], skip_large: bool) -> dict:
    medium_parameters = SMALL if small else MEDIUM
    medium_data = generate_json(**medium_parameters)
    medium = parse_instance(medium_data)
    out: dict = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "small" if small else "full",
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "load_at_start": load()},
        "ortools": ortools.__version__,
        "workers": 2,
        "medium": {
            "parameters": medium_parameters,
            "instance_sha256": digest(medium_data),
            "participants": len(medium.participants),
            "requests": len(medium.meetings),
            "slots": len(medium.slots),
            "tables": len(medium.locations),
        },
    }
    m = out["medium"]
    m["greedy"] = run_greedy(medium, "medium greedy")
    m["scheduler"], schedule = run_solver(
        medium, f"medium scheduler {medium_limit:g} s", time_limit=medium_limit
    )
    m["cp_sat_alone"], _ = run_solver(
        medium, f"medium CP-SAT alone {medium_limit:g} s", time_limit=medium_limit, relaxation=False
    )
    optimum = None
    if not small and MEDIUM_OPTIMUM.exists():
        record = json.loads(MEDIUM_OPTIMUM.read_text(encoding="utf-8"))
        if record.get("instance_sha256") == m["instance_sha256"]:
            optimum = {"value": record["optimum"], "source": MEDIUM_OPTIMUM.name}
    if optimum is None and m["scheduler"]["status"] == "OPTIMAL":
        optimum = {"value": m["scheduler"]["weighted_meetings"], "source": "this run (bound reached)"}
    if optimum is not None:
        m["optimum"] = optimum
        for run in ("greedy", "scheduler", "cp_sat_alone"):
            m[run]["share_of_optimum"] = round(m[run]["weighted_meetings"] / optimum["value"], 6)
    m["rescheduling"] = rescheduling(medium, schedule, seconds=2.0 if small else 4.0, seed=18)
    print(f"medium rescheduling: {m['rescheduling']}", flush=True)
    # The same event with fewer tables (0.7 x): capacity binds, the relaxation is no longer tight.
    tight_parameters = {**medium_parameters, "table_factor": 0.7}
    tight = parse_instance(generate_json(**tight_parameters))
    out["medium_tight_tables"] = {
        "parameters": tight_parameters,
        "tables": len(tight.locations),
        "greedy": run_greedy(tight, "tight tables greedy"),
    }
    out["medium_tight_tables"]["scheduler"], _ = run_solver(
        tight, f"tight tables scheduler {medium_limit:g} s", time_limit=medium_limit
    )
    if not skip_large:
        large_parameters = SMOKE_LARGE if small else LARGE
        large_data = generate_json(**large_parameters)
        large = parse_instance(large_data)
        out["large"] = {
            "parameters": large_parameters,
            "instance_sha256": digest(large_data),
            "participants": len(large.participants),
            "requests": len(large.meetings),
            "slots": len(large.slots),
            "tables": len(large.locations),
            "greedy": run_greedy(large, "large greedy"),
            "scheduler": {},
        }
        for limit in large_limits:
            result, _ = run_solver(large, f"large scheduler {limit:g} s", time_limit=limit)
            out["large"]["scheduler"][f"{limit:g}s"] = result
    out["machine"]["load_at_end"] = load()
    return out


def prove_medium(proof_limit: float) -> dict:
    """The medium instance's optimum, recorded beside it."""
    data = generate_json(**MEDIUM)
    MEDIUM_INSTANCE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    instance = parse_instance(data)
    record: dict = {
        "instance": MEDIUM_INSTANCE.name,
        "instance_sha256": digest(data),
        "generator": MEDIUM,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "ortools": ortools.__version__,
        "machine": {"cores": os.cpu_count(), "load_at_start": load()},
    }
    found, schedule = run_solver(instance, "medium scheduler (proof)", time_limit=120)
    record["schedule"] = found
    record["optimum"] = schedule.objective if schedule.status == "OPTIMAL" else None
    record["proof"] = (
        "A schedule of this weight passes the validator, and the selection relaxation (every meeting "
        "chosen or not, without slots; each person in no more meetings than their limit and than the slots "
        "where they have a possible meeting; no more meetings than the tables hold over the day), which "
        "every schedule satisfies, has the same optimum, proven by CP-SAT (status OPTIMAL on the "
        "relaxation). So no schedule weighs more."
        if record["optimum"] is not None
        else "not proven: the best schedule stays below the relaxation's bound"
    )
    record["best_bound"] = schedule.bound
    # For comparison: CP-SAT alone on the full model, from the greedy schedule, for a long time.
    record["cp_sat_alone_long_run"], _ = run_solver(
        instance, f"medium CP-SAT alone {proof_limit:g} s", time_limit=proof_limit, relaxation=False
    )
    record["machine"]["load_at_end"] = load()
    return record


def markdown(figures: dict) -> str:
    m = figures["medium"]
    lines = [
        "# Scheduling benchmark (issue 18)",
        "",
        f"Command: `benchmarks/scheduling.py{' --small' if figures['mode'] == 'small' else ''}`; "
        f"measured {figures['measured_at']}; OR-Tools {figures['ortools']}, CP-SAT with 2 workers.",
        f"Machine: {figures['machine']['cores']} cores shared with other work; load average (1, 5, 15 min) "
        f"{figures['machine']['load_at_start']} at the start, {figures['machine']['load_at_end']} at the end "
        "(each run's own load is in the JSON).",
        "",
        f"## Medium: {m['participants']} participants, {m['requests']} requests, {m['slots']} slots, "
        f"{m['tables']} tables",
        "",
    ]
    optimum = m.get("optimum")
    if optimum:
        lines.append(f"Proven optimum: **{optimum['value']}** weighted meetings ({optimum['source']}).")
        lines.append("")
        if optimum["source"] == MEDIUM_OPTIMUM.name and MEDIUM_OPTIMUM.exists():
            record = json.loads(MEDIUM_OPTIMUM.read_text(encoding="utf-8"))
            alone = record["cp_sat_alone_long_run"]
            lines += [
                f"How: {record['proof']} (measured {record['measured_at']}.)",
                "",
                f"For comparison, CP-SAT alone on the full model (no relaxation, greedy hint) for "
                f"{alone['time_limit']:g} s: {alone['status']}, "
                f"{alone['weighted_meetings']} weighted meetings, "
                f"its own bound {_num(alone['bound'])} (gap {_pct(alone['gap'])}); "
                f"load before {alone['load_before']}.",
                "",
            ]
    lines += [
        "| run | weighted meetings | share of optimum | bound | gap | meetings | idle gaps / delegate | "
        "no meeting | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key in ("greedy", "scheduler", "cp_sat_alone"):
        r = m[key]
        lines.append(
            f"| {r['run']} | {r['weighted_meetings']} | {_pct(r.get('share_of_optimum'))} | "
            f"{_num(r['bound'])} | {_pct(r['gap'])} | "
            f"{r['meetings_scheduled']} ({_pct(r['scheduled_share'])}) | "
            f"{r['idle_gaps_per_delegate']:.2f} | {r['participants_with_no_meeting']} | "
            f"{r['wall_seconds']:.1f} |"
        )
    r = m["rescheduling"]
    lines += [
        "",
        f"Re-scheduling after cancelling {r['cancelled']}: {r['wall_seconds']:.2f} s "
        f"(limit {r['time_limit']:g} s; {r.get('cpu_seconds', 0):.2f} s of CPU over both cores), "
        f"{r['moved'] + r['dropped']} of {r['other_meetings']} other meetings moved or dropped "
        f"({_pct(r['moved_share'])}), {r['added']} added, {r['violations']} violations; "
        f"weight {r['weighted_meetings_before']} -> {r['weighted_meetings_after']}.",
        "",
    ]
    if "medium_tight_tables" in figures:
        t = figures["medium_tight_tables"]
        lines += [
            f"## Medium with fewer tables: {t['tables']} (0.7 x requests / slots instead of 1.15 x)",
            "",
            "Capacity binds: the relaxation's bound is no longer reached by construction; CP-SAT searches.",
            "",
            "| run | weighted meetings | bound | gap | meetings | idle gaps / delegate | no meeting "
            "| seconds |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in (t["greedy"], t["scheduler"]):
            lines.append(
                f"| {r['run']} | {r['weighted_meetings']} | {_num(r['bound'])} | {_pct(r['gap'])} | "
                f"{r['meetings_scheduled']} ({_pct(r['scheduled_share'])}) | "
                f"{r['idle_gaps_per_delegate']:.2f} | {r['participants_with_no_meeting']} | "
                f"{r['wall_seconds']:.1f} |"
            )
        lines.append("")
    if "large" in figures:
        g = figures["large"]
        lines += [
            f"## Large: {g['participants']} participants, {g['requests']} requests, {g['slots']} slots, "
            f"{g['tables']} tables",
            "",
            "| run | weighted meetings | bound | gap | meetings scheduled | idle gaps / delegate | "
            "no meeting | seconds |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in [g["greedy"], *g["scheduler"].values()]:
            lines.append(
                f"| {r['run']} | {r['weighted_meetings']} | {_num(r['bound'])} | {_pct(r['gap'])} | "
                f"{r['meetings_scheduled']} ({_pct(r['scheduled_share'])}) | "
                f"{r['idle_gaps_per_delegate']:.2f} | "
                f"{r['participants_with_no_meeting']} | {r['wall_seconds']:.1f} |"
            )
        lines.append("")
    lines += ["## How the scheduler's time was spent", ""]
    runs = [m["scheduler"], m["cp_sat_alone"]]
    if "medium_tight_tables" in figures:
        runs.append(figures["medium_tight_tables"]["scheduler"])
    runs += figures.get("large", {}).get("scheduler", {}).values()
    for r in runs:
        first, second = r.get("phase1") or {}, r.get("phase2") or {}
        starts = ", ".join(f"{k} {v}" for k, v in (r.get("starts") or {}).items() if k != "used")
        text = f"- {r['run']}: starting schedules {starts} (used: {(r.get('starts') or {}).get('used')})"
        if r.get("relaxation_seconds") is not None and r.get("relaxation_bound") is not None:
            text += f"; relaxation bound {r['relaxation_bound']:g} proven at {r['relaxation_seconds']:.2f} s"
        text += f"; model built at {r['model']['built_at_seconds']:.1f} s; phase 1 {first.get('status')}"
        if first.get("reason"):
            text += f" ({first['reason']})"
        elif first.get("wall_seconds") is not None:
            text += f" after {first['wall_seconds']:.1f} s"
            text += f", last improvement at {r.get('best_found_at_seconds')} s"
        if second:
            text += (
                f"; phase 2 (idle gaps and fairness) {second.get('status')}, secondary objective "
                f"{second.get('start_secondary')} -> {second.get('objective')} "
                f"in {second.get('wall_seconds')} s"
            )
        lines.append(text + ".")
    lines.append("")
    return "\n".join(lines)


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def _num(value) -> str:
    return "-" if value is None else f"{value:g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="smoke mode: small instances, short limits (CI)")
    parser.add_argument("--out-json", type=Path, default=RESULTS / "scheduling.json")
    parser.add_argument("--out-md", type=Path, default=RESULTS / "scheduling.md")
    parser.add_argument("--medium-limit", type=float, default=30.0)
    parser.add_argument("--large-limits", type=float, nargs="*", default=[60.0, 300.0])
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--prove-medium", action="store_true", help="record the medium instance's optimum")
    parser.add_argument("--proof-limit", type=float, default=1200.0)
    parser.add_argument("--markdown-only", action="store_true", help="write --out-md again from --out-json")
    args = parser.parse_args(argv)
    if args.markdown_only:
        figures = json.loads(args.out_json.read_text(encoding="utf-8"))
        args.out_md.write_text(markdown(figures) + "\n", encoding="utf-8")
        return 0
    if args.prove_medium:
        record = prove_medium(args.proof_limit)
        MEDIUM_OPTIMUM.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"{MEDIUM_OPTIMUM}: optimum {record['optimum']}")
        return 0
    medium_limit = 2.0 if args.small else args.medium_limit
    large_limits = [2.0] if args.small else args.large_limits
    figures = benchmark(args.small, medium_limit, large_limits, args.skip_large)
    args.out_json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    args.out_md.write_text(markdown(figures) + "\n", encoding="utf-8")
    print(f"{args.out_json}, {args.out_md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
