"""The scheduling benchmark runs in smoke mode (small instances, 2-second limits) and writes its figures."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.benchmark
def test_the_scheduling_benchmark_runs_in_smoke_mode(tmp_path):
    out_json, out_md = tmp_path / "scheduling.json", tmp_path / "scheduling.md"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "scheduling.py"),
            "--small",
            "--out-json",
            str(out_json),
            "--out-md",
            str(out_md),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    figures = json.loads(out_json.read_text(encoding="utf-8"))
    medium = figures["medium"]
    for run in ("greedy", "scheduler", "cp_sat_alone"):
        assert medium[run]["violations"] == 0
    assert medium["scheduler"]["weighted_meetings"] >= medium["greedy"]["weighted_meetings"]
    assert medium["rescheduling"]["violations"] == 0 and medium["rescheduling"]["status"] in (
        "OPTIMAL",
        "FEASIBLE",
    )
    assert figures["large"]["scheduler"]["2s"]["violations"] == 0
    assert figures["machine"]["load_at_start"]
    assert out_md.read_text(encoding="utf-8").startswith("# Scheduling benchmark (issue 18)")
