"""The review normalization benchmark runs on a small simulated panel and writes its figures."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "review_normalization.py"


def run(*arguments):
    subprocess.run(
        [sys.executable, str(SCRIPT), "--small", *arguments],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.mark.benchmark
def test_the_normalization_benchmark_reports_raw_and_normalized_side_by_side_in_small_mode(tmp_path):
    out = tmp_path / "review-normalization"
    run("--out", str(out))

    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert set(report["panels"]) == {"issue", "uneven"}
    assert set(report["panels"]["issue"]) == {"mean", "median"}
    figures = report["panels"]["issue"]["mean"]
    assert {"spearman_raw", "spearman_normalized", "gain", "top_raw", "top_normalized"} <= set(figures)
    assert len(figures["per_seed"]) == len(report["heldout_seeds"]) == 3
    assert not set(report["heldout_seeds"]) & set(report["dev_seeds"])
    assert report["timing"]["reviews"] == 180 and report["timing"]["median_s"] > 0
    assert "| issue | mean |" in out.with_suffix(".md").read_text(encoding="utf-8")


@pytest.mark.benchmark
def test_the_fallback_is_chosen_on_development_seeds_only(tmp_path):
    out = tmp_path / "dev"
    run("--choose", "--out", str(out))

    chosen = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert chosen["seeds"] == [0, 1]
    assert chosen["best"] in chosen["fallbacks"] and {"raw", "z-score", "pooled 3"} <= set(
        chosen["fallbacks"]
    )
