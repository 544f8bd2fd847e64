"""The KPI speed benchmark runs on a few hundred Crunchbase rounds and writes its figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("DARI_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.mark.benchmark
@pytest.mark.skipif(not (DATA / "crunchbase-2013").exists(), reason="the shared real data is not here")
def test_the_kpi_benchmark_measures_both_sizes_in_smoke_mode(tmp_path):
    out = tmp_path / "kpi-speed"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "kpi_speed.py"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["sizes"]["full"]["seeded"]["outcomes"] == 300
    for size in report["sizes"].values():
        for persona in ("staff", "anonymous"):
            figures = size["results"][persona]
            assert figures["dashboard"]["queries"] > 0 and figures["api kpis"]["p95_ms"] > 0
            assert size["dashboard_reading"][persona]["ratio"] > 0
