"""The held-out retrieval benchmark runs on a few documents and queries and writes its figures."""

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
def test_the_heldout_benchmark_reports_both_halves_and_the_fresh_set_in_smoke_mode(tmp_path):
    out = tmp_path / "heldout"
    # Every step in one process (the encoder loads once), the report with them.
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "heldout_retrieval.py"),
            "--smoke",
            "--report",
            "--out",
            str(out),
            "--choose-floor",
            "--floor-out",
            str(tmp_path / "floor.json"),
            "--choose-names",
            "--names-out",
            str(tmp_path / "names.json"),
            "--probe-names",
            "--probe-out",
            str(tmp_path / "probe.json"),
            "--choose-exact-names",
            "--exact-names-out",
            str(tmp_path / "exact.json"),
            "--probe-loanwords",
            "--loanwords-out",
            str(tmp_path / "loanwords.json"),
            "--choose-cross-language",
            "--cross-language-out",
            str(tmp_path / "cross.json"),
            "--choose-place-offset",
            "--place-offset-out",
            str(tmp_path / "place.json"),
            "--probe-group-names",
            "--group-names-out",
            str(tmp_path / "group.json"),
            "--choose-public-terms",
            "--public-terms-out",
            str(tmp_path / "public.json"),
            "--choose-domain-terms",
            "--domain-terms-out",
            str(tmp_path / "domain.json"),
            "--choose-name-spellings",
            "--name-spellings-out",
            str(tmp_path / "spellings.json"),
            "--choose-phrases",
            "--phrases-out",
            str(tmp_path / "phrases.json"),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert set(report["modes"]) >= {"today", "served", "served_no_glossary"}
    for mode in report["modes"].values():
        assert mode["dev"]["n_queries"] + mode["heldout"]["n_queries"] == 6
        assert mode["fresh"]["n_queries"] == 2  # the fresh set has a table of its own
    assert "## Fresh set" in out.with_suffix(".md").read_text(encoding="utf-8")
    floor = json.loads((tmp_path / "floor.json").read_text(encoding="utf-8"))
    assert floor["chosen"]["absolute"] >= 0 and floor["n_dev_queries"] > 0
    names = json.loads((tmp_path / "names.json").read_text(encoding="utf-8"))
    assert {"sound_threshold", "named_relative", "sound_names", "mrr.name"} <= set(names["chosen"])
    probe = json.loads((tmp_path / "probe.json").read_text(encoding="utf-8"))
    assert {"unwritten_sound_weight", "prefix_hangul_syllables", "words_losing_half"} <= set(probe["chosen"])
    assert probe["n_words"] > 0 and len(probe["grid"]) == 27
    exact = json.loads((tmp_path / "exact.json").read_text(encoding="utf-8"))
    assert {"exact_names_only", "names_within", "within_minimum", "f1"} <= set(exact["chosen"])
    assert exact["n_words"] > 0 and exact["words_losing_half"] >= 0
    loanwords = json.loads((tmp_path / "loanwords.json").read_text(encoding="utf-8"))
    assert loanwords["n_pairs"] > 0 and len(loanwords["grid"]) == 7
    assert {"loanword_minimum", "pairs_gained", "words_losing_half"} <= set(loanwords["grid"][-1])
    cross = json.loads((tmp_path / "cross.json").read_text(encoding="utf-8"))
    assert {"cross_language_offset", "f1", "cross_recall@10"} <= set(cross["chosen"]) and len(
        cross["grid"]
    ) > 1
    place = json.loads((tmp_path / "place.json").read_text(encoding="utf-8"))
    assert "place_language_offset" in place["chosen"] and place["n_dev_place_queries"] > 0
    group = json.loads((tmp_path / "group.json").read_text(encoding="utf-8"))
    assert group["n_pairs"] > 0 and {"group_sound_minimum", "words_sounding_so"} <= set(group["chosen"])
    public = json.loads((tmp_path / "public.json").read_text(encoding="utf-8"))
    assert [row["glossary"] for row in public["grid"]] == [
        "served_hand_written",
        "served_public_heads",
        "served_public_alternatives",
    ]
    assert "served_public_terms" in report["modes"]
    domain = json.loads((tmp_path / "domain.json").read_text(encoding="utf-8"))
    assert [(row["longest_match"], row["glossary"]) for row in domain["grid"]] == [
        (longest, kind)
        for longest in (False, True)
        for kind in (
            "served_no_domain",
            "served_domain_across",
            "served_domain",
            "served_domain_across_tier_2",
            "served_domain_tier_2",
        )
    ]
    assert domain["n_groups"] > 0 and "served_no_domain_terms" in report["modes"]
    spellings = json.loads((tmp_path / "spellings.json").read_text(encoding="utf-8"))
    assert len(spellings["grid"]) == 4 and spellings["chosen"]["words_losing_half"] == 0
    assert "served_no_name_spellings" in report["modes"] and "probed" in exact
    phrases = json.loads((tmp_path / "phrases.json").read_text(encoding="utf-8"))
    assert [row["phrase_expansions"] for row in phrases["grid"]] == [False, True]
    assert "served_words_of_phrases" in report["modes"]
    served = report["modes"]["served"]
    assert {"mrr.name", "success@1.name"} <= set(served["dev"])
