"""The list the glossary's domain terms were written from can be printed again from the corpus."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("DARI_SHARED_DATA", ROOT.parent / "shared" / "data"))

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.skipif(not (DATA / "krx-listed").exists(), reason="needs ../shared/data"),
]


def test_the_candidates_are_listed_with_their_frequencies():
    found = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "matching" / "domain_term_candidates.py"),
            "--ko-min",
            "40",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout.splitlines()
    headers = [line for line in found if line.startswith("#")]
    assert [header.split(":")[0] for header in headers] == [
        "# Korean nouns in KRX product lists",
        "# KRX industries (업종)",
        "# English terms in trial titles and conditions",
        "# trial interventions",
    ]
    counts = dict(line.split("\t")[::-1] for line in found if not line.startswith("#"))
    assert int(counts["반도체"]) >= 40 and int(counts["dementia"]) >= 10 and "donepezil" in counts
