"""Time top-10 recommendations among 100,000 organizations; write benchmarks/results/matching-speed.json.

    .venv/bin/python benchmarks/matching_speed.py [--organizations 100000] [--queries 300]

The organizations are the real Crunchbase 2013 investors (with their real deal histories) and
companies, replicated with seeded variation until there are N of them: each copy keeps a random
80% of its deals, and some copies move to Ulsan or San Diego or change kind (corporate, hospital,
distributor, with declared sectors and places of interest taken from the real company), so the
index sees realistic sector, region and co-investment distributions, not random words. Subjects are
startups from the same set, with their real prior investors as related organizations.

Measured in one run: index build time and its peak memory (tracemalloc, in a second build), p50/p95
of warm top-10 queries with reasons, and a brute-force baseline (a plain Python loop over every
candidate computing the same deal-history features) on a few queries.

Text similarity hook: ``text_scores_for`` returns None here; the text engine's
``SearchIndex.similarities`` goes there, and its time is then inside the measured query.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from dari.engines.matching import crunchbase  # noqa: E402
from dari.engines.matching.profiles import Profile  # noqa: E402
from dari.engines.matching.recommend import FEATURES, RecommendationIndex  # noqa: E402

PLACES = (("KOR", "Ulsan"), ("USA", "San Diego"))
PARTNER_KINDS = ("corporate", "hospital", "distributor")


def shared_data() -> Path:
    return Path(os.environ.get("DARI_SHARED_DATA", ROOT.parent / "shared" / "data")) / "crunchbase-2013"


def real_profiles() -> tuple[list[Profile], list[Profile]]:
    """Every investor with its deals before 2013, and every company funded in 2012, as profiles."""
    folder = shared_data()
    investments = folder / "investments-through-2012.csv"
    split = crunchbase.load_split(
        folder / "companies.csv", folder / "rounds.csv", investments, investments, cutoff=date(2012, 1, 1)
    )
    return split.investors, list(split.companies.values())


def generate(count: int, seed: int = 7) -> list[Profile]:
    investors, companies = real_profiles()
    generator = random.Random(seed)
    profiles: list[Profile] = []
    copy = 0
    while len(profiles) < count:
        for source in investors + companies:
            if len(profiles) >= count:
                break
            suffix = f"#{copy}" if copy else ""
            variation = {"id": source.id + suffix}
            if source.deals and copy:
                kept = tuple(deal for deal in source.deals if generator.random() < 0.8)
                variation["deals"] = kept or source.deals[:1]
            if source.kind == "startup":
                variation["related"] = frozenset(key + suffix for key in source.related)
                if generator.random() < 0.15:
                    country, region = generator.choice(PLACES)
                    variation.update(country=country, region=region)
                if copy and generator.random() < 0.3:
                    variation.update(
                        kind=generator.choice(PARTNER_KINDS),
                        regions_of_interest=frozenset({generator.choice(PLACES)[1]}),
                        stages_of_interest=frozenset({source.stage} if source.stage else ()),
                    )
            profiles.append(replace(source, **variation))
        copy += 1
    return profiles


def text_scores_for(subject: Profile):
    """Hook for the text engine: its similarity per candidate (array in index order), or None."""
    return None


def brute_force_top10(index: RecommendationIndex, subject: Profile, weights: dict[str, float]) -> list[str]:
    """The same deal-history, place and co-investment features, one candidate at a time."""
    own, ancestors = index.split_sectors(subject.sectors)
    decay = math.log(2) / (365.25 * 2.0)
    prior = {index.profiles[row].id for row in index.prior_rows(subject)}
    prior_portfolios = [
        {deal.company for deal in index.profiles[index.row_of[key]].deals}
        for key in prior
        if key in index.row_of
    ]
    scored = []
    for candidate in index.profiles:
        if candidate.kind == "startup" or candidate.id in prior or candidate.id == subject.id:
            continue
        counts = dict.fromkeys(("own", "group", "region", "sector_region", "country", "total", "recent"), 0.0)
        for deal in candidate.deals:
            weight = math.exp(-decay * max((index.as_of - deal.on).days, 0)) if deal.on else 0.5
            sectors = index.expand(deal.sectors)
            counts["total"] += weight
            counts["own"] += weight * sum(key in sectors for key in own) / max(len(own), 1)
            counts["group"] += weight * sum(key in sectors for key in ancestors) / max(len(ancestors), 1)
            counts["region"] += weight * (deal.region == subject.region)
            counts["sector_region"] += (
                weight
                * (deal.region == subject.region)
                * (sum(key in sectors for key in own) / max(len(own), 1))
            )
            counts["country"] += weight * (deal.country == subject.country)
            counts["recent"] += 1.0 if deal.on and (index.as_of - deal.on).days <= 365 else 0.0
        portfolio = {deal.company for deal in candidate.deals}
        co_investment = sum(math.log1p(len(portfolio & other)) for other in prior_portfolios)
        score = (
            weights["sector_deals"] * math.log1p(counts["own"])
            + weights["sector_group_deals"] * math.log1p(counts["group"])
            + weights["region_deals"] * math.log1p(counts["region"])
            + weights["sector_region_deals"] * math.log1p(counts["sector_region"])
            + weights["country_deals"] * math.log1p(counts["country"])
            + weights["same_region"] * (candidate.region == subject.region and bool(subject.region))
            + weights["same_country"] * (candidate.country == subject.country and bool(subject.country))
            + weights["activity"] * math.log1p(counts["total"])
            + weights["recent"] * math.log1p(counts["recent"])
            + weights["co_investment"] * co_investment
        )
        scored.append((score, candidate.id))
    scored.sort(reverse=True)
    return [candidate for _, candidate in scored[:10]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--brute-force-queries", type=int, default=5)
    parser.add_argument(
        "--output", type=Path, default=ROOT / "benchmarks" / "results" / "matching-speed.json"
    )
    options = parser.parse_args()

    started = time.perf_counter()
    profiles = generate(options.organizations)
    print(f"generated {len(profiles)} profiles in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    started = time.perf_counter()
    index = RecommendationIndex.build(profiles, sector_parents=crunchbase.CATEGORY_PARENTS)
    build_seconds = time.perf_counter() - started
    print(f"built the index in {build_seconds:.1f}s", file=sys.stderr)
    tracemalloc.start()
    RecommendationIndex.build(profiles, sector_parents=crunchbase.CATEGORY_PARENTS)
    build_peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()

    generator = random.Random(11)
    startups = [profile for profile in profiles if profile.kind == "startup"]
    subjects = generator.sample(startups, options.queries + 20)
    for subject in subjects[:20]:  # warm-up
        index.recommend(subject, k=10, text_scores=text_scores_for(subject))
    timings = []
    for subject in subjects[20:]:
        started = time.perf_counter()
        found = index.recommend(subject, k=10, text_scores=text_scores_for(subject))
        timings.append((time.perf_counter() - started) * 1000)
        assert len(found) == 10 and all(item.reasons for item in found)
    timings.sort()

    # Brute force on the deal-history, place and co-investment features only (the vectorized path
    # also computes the declared-profile ones), with only those weights in the vectorized check.
    compared = {
        "sector_deals",
        "sector_group_deals",
        "region_deals",
        "sector_region_deals",
        "country_deals",
        "same_region",
        "same_country",
        "activity",
        "recent",
        "co_investment",
    }
    subset = {name: index.weights[name] if name in compared else 0.0 for name in FEATURES}
    brute_timings, agreement = [], []
    for subject in subjects[20 : 20 + options.brute_force_queries]:
        started = time.perf_counter()
        slow = brute_force_top10(index, subject, subset)
        brute_timings.append((time.perf_counter() - started) * 1000)
        fast = [
            item.candidate_id for item in index.recommend(subject, k=10, weights=subset, with_reasons=False)
        ]
        agreement.append(len(set(slow) & set(fast)) / 10)

    def percentile(values: list[float], share: float) -> float:
        return float(np.percentile(values, share))

    results = {
        "organizations": len(profiles),
        "kinds": {
            kind: sum(profile.kind == kind for profile in profiles)
            for kind in sorted({p.kind for p in profiles})
        },
        "deals": sum(len(profile.deals) for profile in profiles),
        "index_build_seconds": round(build_seconds, 2),
        "index_build_peak_memory_mb": round(build_peak_mb, 1),
        "queries": len(timings),
        "top10_ms": {
            "p50": round(statistics.median(timings), 2),
            "p95": round(percentile(timings, 95), 2),
            "max": round(timings[-1], 2),
        },
        "brute_force_queries": len(brute_timings),
        "brute_force_top10_ms": {
            "p50": round(statistics.median(brute_timings), 1),
            "p95": round(percentile(brute_timings, 95), 1),
        },
        "brute_force_top10_agreement": round(statistics.mean(agreement), 3),
        "text_scores": "not included (hook: text_scores_for)",
        "cpu_count": os.cpu_count(),
        "command": "python benchmarks/matching_speed.py " + " ".join(sys.argv[1:]),
        "measured_on": date.today().isoformat(),
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
