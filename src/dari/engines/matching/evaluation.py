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
from .recommend import DEAL_FEATURES, FEATURES, RecommendationIndex

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
    *(name for name in DEAL_FEATURES if name != "follow_on"),
)

#: The hard negatives are the candidates ranked highest by the previous model (random-search weights
#: over the first 15 features, tuned on 2011). Fixed here, not read from DEFAULT_WEIGHTS, so that
#: re-learning from the same split gives the same weights instead of drifting with each run.
HARD_NEGATIVE_WEIGHTS = {
    "sector_deals": 0.1913,
    "sector_group_deals": 0.3754,
    "sector_recent": 0.1171,
    "sector_stage_deals": 0.2768,
    "sector_share": 0.1083,
    "region_deals": 1.8142,
    "region_share": 0.1039,
    "sector_region_deals": 2.1018,
    "country_deals": 0.0922,
    "stage_deals": 0.093,
    "size_fit": 0.2341,
    "activity": 0.0251,
    "recent": 0.0573,
    "recent_new": 0.2449,
    "co_investment": 2.2719,
}

#: The follow-on weights tried on the all-relationship protocol (new relationships cannot inform it).
FOLLOW_ON_GRID = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0)

#: The learned weights are scaled so that, for a typical company, the best candidate's deal-history
#: score is this far above the median candidate's (p99 - p50): the scale the hand-set declared
#: weights (a full declared match is about 5) were chosen against.
SCORE_SPREAD = 4.0


@dataclass
class _Sample:
    """One tuning company: its relevant candidates' features, sampled negatives and their weights."""

    positives: np.ndarray  # relevant × features
    negatives: np.ndarray  # sampled × features
    negative_weights: np.ndarray  # how many eligible candidates each sampled negative stands for
    weight: float  # the company's weight in the loss
    spread: np.ndarray  # features of the p50 and p99 candidates by the starting weights


def _samples(
    split: CrunchbaseSplit,
    index: RecommendationIndex,
    positions: list[int],
    hard: int,
    random: int,
    bio_weight: float,
    generator: np.random.Generator,
    progress: Callable[[str], None],
) -> list[_Sample]:
    start = np.array([HARD_NEGATIVE_WEIGHTS.get(name, 0.0) for name in TUNABLE], dtype=np.float32)
    protocol_cases = [
        case for case in cases(split, index, "new_relationships") if case.company in split.companies
    ]
    found = []
    for number, case in enumerate(protocol_cases, 1):
        if number % 500 == 0:
            progress(f"tuning: features of {number}/{len(protocol_cases)} companies")
        matrix = index.features(split.companies[case.company])[positions]
        eligible = case.eligible.copy()
        eligible[case.relevant] = False
        candidates = np.flatnonzero(eligible)
        scores = start @ matrix[:, candidates]
        order = np.argsort(-scores)
        strongest = candidates[order[:hard]]
        rest = candidates[order[hard:]]
        drawn = generator.choice(rest, min(random, len(rest)), replace=False)
        negatives = np.concatenate([strongest, drawn])
        weights = np.concatenate(
            [np.ones(len(strongest)), np.full(len(drawn), len(rest) / max(len(drawn), 1))]
        )
        quantiles = candidates[order[[len(order) // 100, len(order) // 2]]]
        found.append(
            _Sample(
                matrix[:, case.relevant].T.astype(np.float64),
                matrix[:, negatives].T.astype(np.float64),
                weights,
                bio_weight if case.bio_health else 1.0,
                matrix[:, quantiles].T.astype(np.float64),
            )
        )
    return found


def _fit_listwise(
    samples: list[_Sample], l2: float, iterations: int, rate: float
) -> tuple[np.ndarray, float]:
    """Weights minimizing, for every relevant candidate, -log of its softmax probability against
    the company's eligible candidates (estimated from the sampled negatives, each weighted by how
    many candidates it stands for): a smooth stand-in for the reciprocal rank. Features are
    standardized for the fit (so L2 treats them alike), and the weights returned are for raw
    features. Adam on the full batch; numpy only."""
    stacked = np.vstack([sample.negatives for sample in samples])
    mean, deviation = stacked.mean(axis=0), stacked.std(axis=0) + 1e-6
    positives = [(sample.positives - mean) / deviation for sample in samples]
    negatives = [(sample.negatives - mean) / deviation for sample in samples]
    total_weight = sum(sample.weight for sample in samples)
    weights = np.zeros(len(mean))
    moment, second = np.zeros_like(weights), np.zeros_like(weights)
    loss = 0.0
    for step in range(1, iterations + 1):
        gradient, loss = l2 * weights, 0.0
        for sample, positive, negative in zip(samples, positives, negatives, strict=True):
            positive_scores, negative_scores = positive @ weights, negative @ weights
            shift = max(positive_scores.max(), negative_scores.max())
            negative_mass = np.exp(negative_scores - shift) * sample.negative_weights
            positive_mass = np.exp(positive_scores - shift)
            denominator = positive_mass + negative_mass.sum()
            share = sample.weight / len(positive_scores) / total_weight
            loss += share * float(np.sum(np.log(denominator) - (positive_scores - shift)))
            gradient += share * (
                (1.0 / denominator).sum() * (negative_mass @ negative)
                + (positive_mass / denominator - 1.0) @ positive
            )
        moment = 0.9 * moment + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient**2
        weights -= rate * (moment / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
    return weights / deviation, loss


def tune(
    split: CrunchbaseSplit,
    index: RecommendationIndex,
    hard_negatives: int = 150,
    random_negatives: int = 400,
    bio_weight: float = 1.0,
    l2: float = 1e-2,
    iterations: int = 250,
    seed: int = 0,
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[dict[str, float], float]:
    """Learn the tunable weights on ``split`` (an earlier period than the one reported).

    Every company of the new-relationship protocol contributes its relevant investors against
    negatives: the ``hard_negatives`` eligible candidates ``HARD_NEGATIVE_WEIGHTS`` rank highest, and
    ``random_negatives`` drawn from the rest (weighted so that the softmax sees the whole pool). A
    listwise logistic model (``_fit_listwise``) is fitted on them; bio/health companies weigh
    ``bio_weight``. The weights are then scaled to ``SCORE_SPREAD`` so that the hand-set declared
    weights keep their meaning. Returns (weights, final training loss).

    The random search this replaces tuned 15 weights by MRR; with 41 correlated features the learned
    model did better on the next year (trained on 2010, measured on 2011, new relationships,
    bio/health: MRR 0.104 against 0.096, HitRate@10 0.232 against 0.196; see the development run in
    benchmarks/results/matching-evaluation.md). On the reported year it is mixed: 2012, bio/health,
    MRR 0.119 against the random search's 0.135, HitRate@10 0.262 against 0.233.
    """
    generator = np.random.default_rng(seed)
    positions = [FEATURES.index(name) for name in TUNABLE]
    samples = _samples(
        split, index, positions, hard_negatives, random_negatives, bio_weight, generator, progress
    )
    progress(f"tuning: fitting {len(positions)} weights on {len(samples)} companies")
    weights, loss = _fit_listwise(samples, l2, iterations, rate=0.05)
    spread = np.median([float(np.diff(sample.spread[::-1] @ weights)[0]) for sample in samples])
    if spread > 0:
        weights *= SCORE_SPREAD / spread
    progress(f"tuning: loss {loss:.4f}")
    learned = {name: round(float(value), 4) for name, value in zip(TUNABLE, weights, strict=True)}
    learned["follow_on"] = _follow_on_weight(split, index, learned, progress)
    return learned, loss


def _follow_on_weight(
    split: CrunchbaseSplit,
    index: RecommendationIndex,
    weights: Mapping[str, float],
    progress: Callable[[str], None],
) -> float:
    """The ``follow_on`` weight (a company's own investors investing again) with the best MRR on
    the all-relationship protocol of the tuning split, the other weights fixed."""
    vector = index.weight_vector({**weights, "follow_on": 0.0})
    position = FEATURES.index("follow_on")
    reciprocal = np.zeros(len(FOLLOW_ON_GRID))
    protocol_cases = [
        case for case in cases(split, index, "all_relationships") if case.company in split.companies
    ]
    for case in protocol_cases:
        matrix = index.features(split.companies[case.company])
        base, follow_on = vector @ matrix, matrix[position]
        for column, weight in enumerate(FOLLOW_ON_GRID):
            scores = base + weight * follow_on
            ranks = ranks_of(case.relevant, scores, index.log_activity, case.eligible)
            reciprocal[column] += 1.0 / min(ranks)
    best = FOLLOW_ON_GRID[int(np.argmax(reciprocal))]
    progress(
        f"tuning: follow-on weight {best} (all-relationship MRR {reciprocal.max() / len(protocol_cases):.4f})"
    )
    return best
