"""The load benchmark serves Dari on PostgreSQL, sends a tiny bounded crowd and writes its figures."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.benchmark
@pytest.mark.skipif(
    not os.environ.get("DARI_DATABASE_URL", "").startswith("postgres"), reason="it serves from PostgreSQL"
)
# Looked up, not imported: importing locust patches this process's sockets and ssl with gevent's.
@pytest.mark.skipif(
    importlib.util.find_spec("locust") is None,
    reason="locust is in the [bench] extra, not needed to run or test Dari",
)
def test_the_load_benchmark_measures_the_lists_beside_the_bare_view_in_smoke_mode(tmp_path):
    out = tmp_path / "load"
    server = os.environ["DARI_DATABASE_URL"].rsplit("/", 1)[0]
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "load.py"),
            "--smoke",
            "--database-url",
            f"{server}/dari_bench_load_smoke_{os.getpid()}",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    throughput = report["results"]["throughput"]
    assert set(throughput) == {
        "bare view (50 public rows as JSON)",
        "bare view (50 public rows as JSON), again",
        "GET /api/v1/organizations?limit=50",
        "GET /organizations/",
        "GET /",
    }
    assert all(figure["requests"] > 0 and figure["failures"] == 0 for figure in throughput.values())
    assert report["results"]["steps"] and "load average" in report["uptime_before"]
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("# Load")
