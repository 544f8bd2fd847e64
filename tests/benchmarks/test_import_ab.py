"""The two-commit import benchmark runs on the small input and writes its figures."""

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
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git repository (it checks out commits)")
def test_the_ab_benchmark_imports_with_both_commits_in_smoke_mode(tmp_path):
    out = tmp_path / "import-ab"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "import_ab.py"), "HEAD", "HEAD", "--runs", "1", "--smoke"]
        + ["--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    figures = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert len(figures["base"]["runs"]) == len(figures["new"]["runs"]) == 1
    assert figures["base"]["runs"][0]["rows"] == figures["new"]["runs"][0]["rows"] > 0
    assert figures["speedup"] > 0
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("# Import speed, two commits")
