"""The import benchmark runs on the first companies of the Crunchbase data and writes its figures."""

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
def test_the_import_benchmark_measures_dari_and_the_baselines_in_smoke_mode(tmp_path):
    out = tmp_path / "import"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "import_crunchbase.py"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    figures = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    sqlite = figures["results"]["sqlite"]
    dari = sqlite["dari"]
    assert dari["organizations"]["created"] == figures["input"]["organization_rows"]
    assert dari["outcomes"]["created"] == figures["input"]["outcome_rows"]
    assert dari["reimport_outcomes"]["unchanged"] == figures["input"]["outcome_rows"]
    assert dari["krx_cp949"]["encoding"] == "cp949" and dari["krx_raw_files"]["same_table"]
    assert sqlite["naive"]["total"]["rows_per_second"] > 0
    try:
        import import_export  # noqa: F401
    except ImportError:
        assert "import_export" not in sqlite  # the comparison is skipped without it
    else:
        assert sqlite["import_export"]["total"]["rows_per_second"] > 0
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("# Import benchmark")
