"""The reviewer assignment benchmark runs on a small call and writes checked figures."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.benchmark
def test_the_review_assignment_benchmark_measures_both_sizes_in_smoke_mode(tmp_path):
    out = tmp_path / "review-assignment"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "review_assignment.py"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    half, full = report["sizes"]["half"], report["sizes"]["full"]
    assert (full["applications"], full["reviewers"], full["checked"]["reviews"]) == (60, 8, 180)
    assert half["auto_assign"]["queries"] == full["auto_assign"]["queries"] > 0
    assert full["checked"]["load_max"] - full["checked"]["load_min"] <= 1
    # Every application is ranked from its 3 scored reviews, in as many queries at both sizes.
    assert (full["ranking"]["lines"], full["ranking"]["reviews_scored"]) == (60, 180)
    for name in ("rank_call", "page", "api"):
        assert half["ranking"][name]["queries"] == full["ranking"][name]["queries"] > 0
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("# Automatic reviewer assignment")
