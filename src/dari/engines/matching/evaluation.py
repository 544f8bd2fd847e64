"""Measure the recommender on real investments: metrics, the two protocols, two baselines, tuning.

For every company funded in the test period by at least one investor seen in training, all training
investors are ranked using only what was known before the cut-off, and the ranking is scored
against the company's test investors seen in training:

- **new relationships** (the headline): the relevant investors exclude those that had already
  invested in the company in the training file, and every ranking (Dari's and the baselines') leaves
  them out; companies left with no relevant investor are not counted;
- **all relationships**: follow-on investors count, and nobody is left out.

Baselines, measured in the same run: global popularity (training deals), popularity within the
company's category (ties broken by global popularity; the global ranking when the category is
unknown), and **co-investment** (issue 15 item 5), a strong simple one: investors ranked by how
many training companies they invested in together with the company's earlier (training) investors,
ties broken by their training deals in the company's region and in its category, then by global
popularity (for a company without earlier investors, that activity decides alone).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .crunchbase import CrunchbaseSplit
from .recommend import RecommendationIndex, best_rows
from .rerank import RERANK_ROWS, TRAINING_POOL_SIZE, Reranker

CUTOFFS = (10, 50)
METRICS = ("hit_rate@10", "recall@10", "recall@50", "mrr", "ndcg@10")
PROTOCOLS = ("new_relationships", "all_relationships")
RANKERS = ("dari", "baseline_popularity", "baseline_category_popularity", "baseline_coinvestment")


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


def coinvestments(split: CrunchbaseSplit, index: RecommendationIndex) -> dict[int, Counter]:
    """Per investor row, how many training companies it invested in with each other investor row."""
    together: dict[int, Counter] = {}
    for investors in split.prior_investors.values():
        rows = sorted({index.row_of[key] for key in investors if key in index.row_of})
        for row in rows:
            counter = together.setdefault(row, Counter())
            for other in rows:
                if other != row:
                    counter[other] += 1
    return together


def coinvestment_ranking(
    together: dict[int, Counter], earlier: set[str], index: RecommendationIndex, activity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(primary, secondary) of the co-investment baseline: co-investments with the ``earlier``
    investors, then ``activity`` (deals in the company's region and category, popularity below 1)."""
    primary = np.zeros(index.n)
    for key in earlier:
        for other, count in together.get(index.row_of.get(key, -1), Counter()).items():
            primary[other] += count
    return primary, activity


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
    together = coinvestments(split, index)
    by_region: dict[str, np.ndarray] = {}
    for row, profile in enumerate(index.profiles):
        for region, count in Counter(deal.region for deal in profile.deals if deal.region).items():
            by_region.setdefault(region, np.zeros(index.n))[row] = count
    tie_popularity = popularity / (popularity.max() + 1) if index.n else popularity
    results = {}
    for protocol in PROTOCOLS:
        per_ranker: dict[str, list[tuple[bool, dict[str, float]]]] = {ranker: [] for ranker in RANKERS}
        protocol_cases = cases(split, index, protocol)
        for number, case in enumerate(protocol_cases, 1):
            if number % 500 == 0:
                progress(f"{protocol}: {number}/{len(protocol_cases)} companies")
            subject = split.companies.get(case.company)
            if subject is not None:
                scores = index.scores(subject, eligible=case.eligible, weights=weights)[0]
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
                "baseline_coinvestment": coinvestment_ranking(
                    together,
                    split.prior_investors.get(case.company, ()),
                    index,
                    (
                        by_region.get(subject.region, zeros)
                        if subject is not None and subject.region
                        else zeros
                    )
                    + (by_category.get(category, zeros) if category else zeros)
                    + tie_popularity,
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


def tune(
    periods: Sequence[tuple[CrunchbaseSplit, RecommendationIndex]],
    *,
    threads: int = 2,
    progress: Callable[[str], None] = lambda message: None,
) -> Reranker:
    """Learn the re-ranking model on ``periods`` (splits earlier than the one reported, each with
    its index built as of its own cut-off).

    Every company of each period's new-relationship protocol is one ranking to learn: the linear
    stage's ``TRAINING_POOL_SIZE`` best eligible investors (a deeper pool than the one it serves),
    labelled 1 for the company's relevant investors among them. Companies whose relevant investors
    are all outside the pool are skipped (the model never sees them). LightGBM lambdarank
    (rerank.py), on ``threads`` threads (fixed, so that the same splits always give the same model).
    """
    groups = []
    for split, index in periods:
        vector = index.weight_vector()
        protocol_cases = [
            case for case in cases(split, index, "new_relationships") if case.company in split.companies
        ]
        for number, case in enumerate(protocol_cases, 1):
            if number % 500 == 0:
                progress(
                    f"tuning: pools of {number}/{len(protocol_cases)} companies (cut-off {split.cutoff})"
                )
            matrix = index.features(split.companies[case.company])
            linear = vector @ matrix
            pool = best_rows(linear, np.flatnonzero(case.eligible), TRAINING_POOL_SIZE)
            labels = np.isin(pool, case.relevant)
            groups.append((np.ascontiguousarray(matrix[np.ix_(RERANK_ROWS, pool)].T), labels, linear[pool]))
    progress(
        f"tuning: training the re-ranking model on {sum(labels.any() for _, labels, _ in groups)} companies"
    )
    cutoffs = [split.cutoff.isoformat() for split, _ in periods]
    return Reranker.train(groups, threads=threads, meta={"cutoff": max(cutoffs), "cutoffs": cutoffs})
