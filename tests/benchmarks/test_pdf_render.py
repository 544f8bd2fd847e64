"""The PDF benchmark runs (once per language, on the scenario) and writes its figures."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.benchmark
def test_the_pdf_benchmark_measures_both_languages_in_smoke_mode(tmp_path):
    out = tmp_path / "pdf-render.json"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "pdf_render.py"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["harfbuzz_subset"] is True
    for language in ("ko", "en"):
        measured = figures["languages"][language]
        assert measured["renders"] == 1 and measured["pages"] >= 1
        assert 0 < measured["median_seconds"] < 10
