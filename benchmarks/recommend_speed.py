"""Time top-10 suggestions with ALL signals among 100,000 organizations, as Dari serves them.

    .venv/bin/python benchmarks/recommend_speed.py [--organizations 100000] [--queries 300]

Writes benchmarks/results/recommend-speed.json. Each organization joins the two seeded generators
built on real data: its kind, places, sectors and deal history come from
``matching_speed.generate`` (real Crunchbase investors and companies, replicated with variation),
its Korean and English texts from ``profiles_generator.generate_profiles`` (real KRX product lines
and ClinicalTrials.gov titles). One query is what ``dari.matching.engine.suggestions`` does: the
subject's text vector against every candidate (the search index's coarse two-stage cosine), then
``RecommendationIndex.recommend`` with those text scores, with reasons. Measured in the same run:
the same query with the exact text cosine (the baseline without the two-stage shortcut), and the
brute-force per-candidate loop of ``matching_speed`` on a few queries, the two-stage query
without the learned re-ranking of the linear score's best ``rerank.POOL_SIZE`` (``rerank.py``), and
the two-stage query again while another process keeps one of the machine's cores busy (a shared
server: what the p95 becomes when the web process does not have the machine to itself).

Vectors are cached by text under ``var/benchmarks/`` (shared with search_speed.py), so a second run
does not encode again; the first run encodes ~20,000 distinct texts (a few minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from matching_speed import FEATURES, brute_force_top10, generate  # noqa: E402
from profiles_generator import generate_profiles  # noqa: E402
from search_speed import CACHE_DIR, load_cache, save_cache  # noqa: E402

from dari.engines.matching import crunchbase  # noqa: E402
from dari.engines.matching import text as encoder  # noqa: E402
from dari.engines.matching.recommend import RecommendationIndex  # noqa: E402
from dari.engines.matching.search import Document, SearchIndex  # noqa: E402


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(float(np.percentile(ordered, 95)), 2),
        "max": round(ordered[-1], 2),
    }


def spin() -> None:
    """Keep one core busy until terminated."""
    while True:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--brute-force-queries", type=int, default=5)
    parser.add_argument(
        "--output", type=Path, default=ROOT / "benchmarks" / "results" / "recommend-speed.json"
    )
    options = parser.parse_args()
    load_at_start = [round(value, 2) for value in os.getloadavg()]

    structured = generate(options.organizations)
    texts = generate_profiles(options.organizations, seed=5)
    profiles = [
        replace(
            profile,
            text_en=words.text_en,
            text_ko=words.text_ko,
            name_en=words.name_en,
            name_ko=words.name_ko,
        )
        for profile, words in zip(structured, texts, strict=True)
    ]
    print(f"{len(profiles)} profiles", file=sys.stderr)

    cache_path = CACHE_DIR / f"search-speed-vectors-{encoder.MODEL_VERSION}.npz"
    cache = load_cache(cache_path)
    cached_before = len(cache)
    started = time.perf_counter()
    search = SearchIndex.build([Document.from_profile(profile) for profile in profiles], vector_cache=cache)
    search_build_seconds = time.perf_counter() - started
    if len(cache) > cached_before:
        save_cache(cache_path, cache)
    positions = np.array([search.position(profile.id) for profile in profiles], dtype=np.int64)
    started = time.perf_counter()
    vectors = np.stack([search.vector(profile.id) for profile in profiles])
    index = RecommendationIndex.build(
        profiles, sector_parents=crunchbase.CATEGORY_PARENTS, text_vectors=vectors
    )
    recommend_build_seconds = time.perf_counter() - started
    print(f"indexes built ({search_build_seconds:.0f} s, {recommend_build_seconds:.0f} s)", file=sys.stderr)

    def suggest(subject, exact: bool):
        scores = search.similarities(search.vector(subject.id), exact=exact)[positions]
        return index.recommend(subject, k=10, text_scores=scores)

    generator = random.Random(11)
    startups = [profile for profile in profiles if profile.kind == "startup"]
    subjects = generator.sample(startups, options.queries + 30)
    for subject in subjects[:30]:
        suggest(subject, exact=False)
        suggest(subject, exact=True)
    two_stage, exact = [], []
    overlap = []
    for subject in subjects[30:]:
        started = time.perf_counter()
        fast = suggest(subject, exact=False)
        two_stage.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        slow = suggest(subject, exact=True)
        exact.append((time.perf_counter() - started) * 1000)
        assert len(fast) == 10 and all(item.reasons for item in fast)
        overlap.append(len({i.candidate_id for i in fast} & {i.candidate_id for i in slow}) / 10)

    # The same queries without the learned re-ranking (rerank.py): what the second stage costs.
    reranker, index.reranker = index.reranker, None
    linear_only = []
    for subject in subjects[30:]:
        started = time.perf_counter()
        suggest(subject, exact=False)
        linear_only.append((time.perf_counter() - started) * 1000)
    index.reranker = reranker

    # The same queries while another process keeps one core busy.
    busy = multiprocessing.get_context("spawn").Process(target=spin, daemon=True)
    busy.start()
    time.sleep(1.0)
    contended = []
    for subject in subjects[30:]:
        started = time.perf_counter()
        suggest(subject, exact=False)
        contended.append((time.perf_counter() - started) * 1000)
    busy.terminate()
    busy.join()

    subset = {name: index.weights[name] for name in FEATURES}
    brute = []
    for subject in subjects[30 : 30 + options.brute_force_queries]:
        started = time.perf_counter()
        brute_force_top10(index, subject, subset)
        brute.append((time.perf_counter() - started) * 1000)

    results = {
        "organizations": len(profiles),
        "queries": len(two_stage),
        "top10_with_text_two_stage_ms": percentiles(two_stage),
        "top10_with_text_exact_ms": percentiles(exact),
        "two_stage_vs_exact_top10_overlap": round(statistics.mean(overlap), 3),
        "learned_rerank": reranker is not None,
        "top10_with_text_two_stage_without_learned_rerank_ms": percentiles(linear_only),
        "top10_with_text_two_stage_one_core_busy_ms": percentiles(contended),
        "brute_force_queries": len(brute),
        "brute_force_python_loop_ms": percentiles(brute),
        "search_index_build_seconds": round(search_build_seconds, 1),
        "texts_encoded_this_run": len(cache) - cached_before,
        "recommendation_index_build_seconds": round(recommend_build_seconds, 1),
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "command": "python benchmarks/recommend_speed.py " + " ".join(sys.argv[1:]),
        "measured_on": date.today().isoformat(),
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
