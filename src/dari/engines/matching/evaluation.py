"""Measure the recommender on real investments: metrics, the two protocols, two baselines, tuning.

For every company funded in the test period by at least one investor seen in training, all training
investors are ranked using only what was known before the cut-off, and the ranking is scored
against the company's test investors seen in training:

- **new relationships** (the headline): the relevant investors exclude those that had already
  invested in the company in the training file, and every ranking (Dari's and the baselines') leaves
  them out; companies left with no relevant investor are not counted;
- **all relationships**: follow-on investors count, and nobody is left out.

Baselines, measured in the same run: global popularity (training deals), and popularity within the
company's category (ties broken by global popularity; the global ranking when the category is
unknown).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .crunchbase import CrunchbaseSplit
from .recommend import FEATURES, RecommendationIndex

CUTOFFS = (10, 50)
METRICS = ("hit_rate@10", "recall@10", "recall@50", "mrr", "ndcg@10")
PROTOCOLS = ("new_relationships", "all_relationships")
RANKERS = ("dari", "baseline_popularity", "baseline_category_popularity")


def metrics_from_ranks(ranks: Sequence[int], n_relevant: int) -> dict[str, float]:
    """The metrics of one ranking, from the 1-based ranks of its relevant items (all of them)."""
    ranks = sorted(ranks)
    if n_relevant == 0:
        raise ValueError("no relevant item")
    ideal = sum(1.0 / math.log2(position + 1) for position in range(1, min(n_relevant, 10) + 1))
    return {
        "hit_rate@10": float(any(rank <= 10 for rank in ranks)),
        "recall@10": sum(rank <= 10 for rank in ranks) / n_relevant,
        "recall@50": sum(rank <= 50 for rank in ranks) / n_relevant,
        "mrr": 1.0 / ranks[0] if ranks else 0.0,
        "ndcg@10": sum(1.0 / math.log2(rank + 1) for rank in ranks if rank <= 10) / ideal,
    }


def ranks_of(
    relevant: np.ndarray, primary: np.ndarray, secondary: np.ndarray, eligible: np.ndarray
) -> list[int]:
    """1-based positions of ``relevant`` rows when ``eligible`` rows are sorted by (primary,
    secondary) descending, then by row (so ties resolve the same way every run)."""
    rows = np.flatnonzero(eligible)
    order = rows[np.lexsort((rows, -secondary[rows], -primary[rows]))]
    position = np.empty(len(eligible), dtype=np.int64)
    position[order] = np.arange(1, len(order) + 1)
    return [int(position[row]) for row in relevant]


@dataclass
class Case:
    """One test company under one protocol: who is relevant, who may be ranked."""

    company: str
    relevant: np.ndarray
    eligible: np.ndarray
    bio_health: bool


def cases(split: CrunchbaseSplit, index: RecommendationIndex, protocol: str) -> list[Case]:
    found = []
    for company, investors in sorted(split.test_investors.items()):
        seen = {index.row_of[key] for key in investors if key in index.row_of}
        if not seen:
            continue
        prior = {index.row_of[key] for key in split.prior_investors.get(company, ()) if key in index.row_of}
        eligible = np.ones(index.n, dtype=bool)
        if protocol == "new_relationships":
            seen -= prior
            eligible[list(prior)] = False
        if not seen:
            continue
        found.append(Case(company, np.array(sorted(seen)), eligible, split.is_bio_health(company)))
    return found


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {metric: (sum(row[metric] for row in rows) / len(rows) if rows else 0.0) for metric in METRICS}


def evaluate(
    split: CrunchbaseSplit,
    index: RecommendationIndex,
    weights: Mapping[str, float] | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> dict:
    """The results dict: ``{protocol: {"all"|"bio_health": {"n_companies", ranker: metrics}}}``."""
    popularity = np.array([len(profile.deals) for profile in index.profiles], dtype=np.float64)
    by_category: dict[str, np.ndarray] = {}
    for row, profile in enumerate(index.profiles):
        for category, count in Counter(next(iter(deal.sectors), "") for deal in profile.deals).items():
            by_category.setdefault(category, np.zeros(index.n))[row] = count
    zeros = np.zeros(index.n)
    results = {}
    for protocol in PROTOCOLS:
        per_ranker: dict[str, list[tuple[bool, dict[str, float]]]] = {ranker: [] for ranker in RANKERS}
        protocol_cases = cases(split, index, protocol)
        for number, case in enumerate(protocol_cases, 1):
            if number % 500 == 0:
                progress(f"{protocol}: {number}/{len(protocol_cases)} companies")
            subject = split.companies.get(case.company)
            if subject is not None:
                scores = index.scores(subject, weights=weights)[0]
            else:
                scores = popularity
            category = split.categories.get(case.company, "")
            rankings = {
                "dari": (scores, index.log_activity),
                "baseline_popularity": (popularity, zeros),
                "baseline_category_popularity": (
                    by_category.get(category, zeros) if category else zeros,
                    popularity,
                ),
            }
            for ranker, (primary, secondary) in rankings.items():
                ranks = ranks_of(case.relevant, primary, secondary, case.eligible)
                per_ranker[ranker].append((case.bio_health, metrics_from_ranks(ranks, len(case.relevant))))
        results[protocol] = {}
        for subset in ("all", "bio_health"):
            chosen = {
                ranker: [row for bio, row in rows if subset == "all" or bio]
                for ranker, rows in per_ranker.items()
            }
            results[protocol][subset] = {
                "n_companies": len(chosen["dari"]),
                **{ranker: _mean(rows) for ranker, rows in chosen.items()},
            }
    return results


#: Features Crunchbase can inform (it has no declared profiles, texts or partner links).
TUNABLE = (
    "sector_deals",
    "sector_group_deals",
    "sector_recent",
    "sector_stage_deals",
    "sector_share",
    "region_deals",
    "region_share",
    "sector_region_deals",
    "country_deals",
    "stage_deals",
    "size_fit",
    "activity",
    "recent",
    "recent_new",
    "co_investment",
)


def tune(
    split: CrunchbaseSplit,
    index: RecommendationIndex,
    rounds: int = 6,
    candidates: int = 150,
    sample: int = 1200,
    bio_weight: float = 0.5,
    seed: int = 0,
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[dict[str, float], float]:
    """Random search over the tunable weights, maximizing the new-relationship MRR averaged over
    all companies and over the bio/health subset (the latter weighing ``bio_weight``).

    The feature matrices of up to ``sample`` companies (every bio/health one, then a seeded random
    sample of the others) are computed once; each round scores ``candidates`` weight vectors on all
    of them at once, then narrows the search around the best. Returns (weights, objective).
    """
    generator = np.random.default_rng(seed)
    positions = [FEATURES.index(name) for name in TUNABLE]
    protocol_cases = [
        case for case in cases(split, index, "new_relationships") if case.company in split.companies
    ]
    bio = [case for case in protocol_cases if case.bio_health]
    others = [case for case in protocol_cases if not case.bio_health]
    chosen = bio + [others[i] for i in generator.permutation(len(others))[: max(sample - len(bio), 0)]]
    prepared = []
    for number, case in enumerate(chosen, 1):
        if number % 500 == 0:
            progress(f"tuning: features of {number}/{len(chosen)} companies")
        matrix = index.features(split.companies[case.company])[positions][:, case.eligible].astype(np.float32)
        relevant = np.searchsorted(np.flatnonzero(case.eligible), case.relevant)
        prepared.append((matrix, relevant, case.bio_health))
    best = np.array([index.weights[name] for name in TUNABLE])
    best_score = -1.0
    scale = 0.6
    for round_number in range(rounds):
        trial = np.abs(
            best + scale * generator.normal(size=(candidates, len(TUNABLE))) * np.maximum(best, 0.2)
        )
        trial[0] = best
        weights = trial.astype(np.float32)
        reciprocal = np.zeros((candidates, 2))
        counts = np.zeros(2)
        for matrix, relevant, is_bio in prepared:
            scores = weights @ matrix
            top = scores[:, relevant].max(axis=1, keepdims=True)
            rank = 1 + (scores > top).sum(axis=1)
            for column in (0, 1) if is_bio else (0,):
                reciprocal[:, column] += 1.0 / rank
                counts[column] += 1
        # The bio/health mean is over every bio/health company; the overall one over the sample.
        objective = (reciprocal / np.maximum(counts, 1)) @ np.array([1.0 - bio_weight, bio_weight])
        winner = int(np.argmax(objective))
        if objective[winner] > best_score:
            best, best_score = trial[winner], float(objective[winner])
        progress(f"tuning round {round_number + 1}/{rounds}: objective {best_score:.4f}")
        scale *= 0.6
    return {name: round(float(value), 4) for name, value in zip(TUNABLE, best, strict=True)}, best_score
