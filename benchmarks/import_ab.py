"""Import speed of two commits, measured in the same run: the Crunchbase organizations and rounds
(``import_crunchbase.py``'s files, made once) imported by each commit in turn, alternating, each run in
a fresh process on a fresh copy of one migrated SQLite database. On a shared machine a figure alone
drifts with the load; the ratio of the medians, taken run against run, is what survives.

    .venv/bin/python benchmarks/import_ab.py d7d0215 HEAD --runs 3 --out benchmarks/results/import-ab
    .venv/bin/python benchmarks/import_ab.py HEAD HEAD --runs 1 --smoke --out /tmp/x   # what CI runs
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worktree(ref: str, directory: Path) -> Path:
    """``ref`` checked out (detached) under ``directory``."""
    path = directory / ref.replace("/", "-")
    if not path.exists():
        command = ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(path), ref]
        subprocess.run(command, check=True)
    return path


def one_run(tree: Path, data: Path, template: Path) -> dict:
    database = data / "run.sqlite3"
    shutil.copy(template, database)
    code = (
        "import json, sys, time\n"
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "import import_crunchbase as b\n"
        f"b.setup_django('sqlite:///{database}', __import__('pathlib').Path({str(data)!r}))\n"
        "from django.utils import translation; translation.activate('en')\n"
        "actor = b.staff_actor()\n"
        "out = {}\n"
        "for kind in ('organizations', 'outcomes'):\n"
        f"    path = __import__('pathlib').Path({str(data)!r}) / f'{{kind}}.csv'\n"
        "    out[kind] = b.dari_import(actor, kind, path)\n"
        "print(json.dumps(out))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
    load = os.getloadavg()[0]
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=tree, env=environment, capture_output=True, text=True, check=True
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    rows = sum(part["rows"] for part in result.values())
    seconds = sum(part["seconds"] for part in result.values())
    return {
        "organizations_s": result["organizations"]["seconds"],
        "outcomes_s": result["outcomes"]["seconds"],
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "load": round(load, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base")
    parser.add_argument("new")
    parser.add_argument("--runs", type=int, default=3, help="runs of each commit, alternating")
    parser.add_argument("--smoke", action="store_true", help="the benchmark's small input (CI)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "import-ab")
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import import_crunchbase

    with tempfile.TemporaryDirectory(prefix="dari-import-ab-") as name:
        directory = Path(name)
        data = directory / "data"
        data.mkdir()
        import_crunchbase.prepare(arguments.smoke, data)
        template = data / "template.sqlite3"
        import_crunchbase.run_worker("migrate", f"sqlite:///{template}", data, None)
        trees = {ref: worktree(ref, directory) for ref in {arguments.base, arguments.new}}
        commits = {
            ref: subprocess.run(
                ["git", "-C", str(trees[ref]), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
            ).stdout.strip()
            for ref in trees
        }
        order = []
        for index in range(arguments.runs):
            pair = [("base", arguments.base), ("new", arguments.new)]
            order += pair if index % 2 == 0 else pair[::-1]
        runs = {"base": [], "new": []}
        for side, ref in order:
            runs[side].append(one_run(trees[ref], data, template))
        for tree in trees.values():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    median = {side: statistics.median(run["seconds"] for run in items) for side, items in runs.items()}
    rows = runs["base"][0]["rows"]
    figures = {
        "command": "benchmarks/import_ab.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores",
        "base": {"ref": arguments.base, "commit": commits[arguments.base], "runs": runs["base"]},
        "new": {"ref": arguments.new, "commit": commits[arguments.new], "runs": runs["new"]},
        "rows": rows,
        "median_seconds": median,
        "median_rows_per_second": {side: round(rows / seconds) for side, seconds in median.items()},
        "speedup": round(median["base"] / median["new"], 2),
    }
    speeds = figures["median_rows_per_second"]
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.with_suffix(".json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Import speed, two commits in one run",
        "",
        f"Command: `{figures['command']}`  ",
        f"Measured {figures['measured_at']} on {figures['machine']}; {rows:,} rows (organizations, then "
        "outcomes), SQLite, each run in a fresh process on a fresh copy of the migrated database, the "
        "commits alternating.",
        "",
        "| commit | run | organizations s | outcomes s | total s | rows/s | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for side in ("base", "new"):
        for number, run in enumerate(figures[side]["runs"], start=1):
            lines.append(
                f"| {side} {figures[side]['commit']} | {number} | {run['organizations_s']} "
                f"| {run['outcomes_s']} | {run['seconds']} | {run['rows_per_second']:,} | {run['load']} |"
            )
    lines += [
        "",
        f"Median total: base {median['base']:.1f} s, new {median['new']:.1f} s: **{figures['speedup']}×** "
        f"({speeds['base']:,} → {speeds['new']:,} rows/s at this load).",
        "",
    ]
    arguments.out.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
