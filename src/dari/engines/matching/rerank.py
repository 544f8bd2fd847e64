"""The second stage: a learned ranking model re-orders the linear score's best candidates.

The linear score (``recommend.DEFAULT_WEIGHTS``) ranks every candidate in a few milliseconds; its
``POOL_SIZE`` best eligible candidates are then re-scored by a gradient-boosted tree ensemble over
the deal-history, timing, entry and graph features (``RERANK_FEATURES``), trained for ranking
(LightGBM's lambdarank objective) on an earlier period of real investments than the one reported.
Trees capture what a weighted sum cannot: interactions such as "co-invested with the company's
investors *and* enters at later rounds", and saturation of deal counts.

A pool candidate's score is the linear score plus the model's output times ``scale``: the model
corrects the weighted sum rather than replacing it, which keeps the declared-profile features
(declared sectors, places, stages, check sizes, shared partners, the text engine's similarity:
not in Crunchbase, so no model can learn them from it) at their hand-set weights. ``scale`` is set
at training so that the model's spread over a pool is ``1 / LINEAR_SHARE`` times the linear
score's (each measured by the median over the training pools of its standard deviation): the
blend chosen on the development split. Reasons come from both parts: the weighted features, and
the model's per-feature contributions (SHAP values, which LightGBM computes exactly for trees), so
they explain the score that was actually used.

LightGBM needs OpenMP's runtime (Debian's libgomp1, installed by ``scripts/system-packages.sh``).
Without it the engine keeps working on the linear score alone and says so once in the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from .recommend import DEAL_FEATURES, FEATURES, PLACE_HISTORY_FEATURES, SUBJECT_FEATURES

logger = logging.getLogger(__name__)

#: The features the model reads: what a deal history can inform (Crunchbase has no declared
#: profiles, texts or partner links), and the subject's context, by which it reads them.
#: ``follow_on`` stays linear: a company's own investors investing again is a different question
#: (the all-relationship protocol), not learned here.
#: ``deals_per_company`` (added 2026-11-27) comes last: LightGBM samples features by column, so
#: its place is part of the model that was measured on the development year.
RERANK_FEATURES = (
    *PLACE_HISTORY_FEATURES,
    "size_fit",
    "activity",
    "recent",
    "recent_new",
    "co_investment",
    *(name for name in DEAL_FEATURES if name not in ("follow_on", "deals_per_company")),
    *SUBJECT_FEATURES,
    "deals_per_company",
)
RERANK_ROWS = np.array([FEATURES.index(name) for name in RERANK_FEATURES])

#: How many of the linear stage's best eligible candidates the model re-orders when it serves (and
#: when it is measured), and how many it learns from per company. Learning from a deeper pool shows
#: it more negatives; serving a shallower one is faster. On the reported Crunchbase split, the
#: model learned on pools of 1,000 scores the same re-ordering 300 or 1,000 (new relationships,
#: bio/health MRR 0.1430 against 0.1432, HitRate@10 0.2902 for both), and 300 is 3× cheaper.
POOL_SIZE = 300
TRAINING_POOL_SIZE = 1000

#: The linear score's weight in the blend, both parts in units of their typical spread over a pool
#: (chosen on the development split among 0.25, 0.5, 0.75 and the model alone).
LINEAR_SHARE = 0.5

#: LightGBM settings (chosen on the development split, see benchmarks/results/matching-evaluation.md).
PARAMETERS = {
    "objective": "lambdarank",
    "num_leaves": 15,
    "learning_rate": 0.05,
    "min_data_in_leaf": 50,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.8,
    "lambdarank_truncation_level": 20,
    # Reproducible training: ``deterministic`` alone is not, as LightGBM otherwise picks its row- or
    # column-wise histogram layout by timing both (a re-run on a busy machine learned another model).
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}
ROUNDS = 200

#: The model is the mean of this many ensembles trained alike but for their random seed (row and
#: feature sampling): the development split's figures improved on every metric with three.
SEEDS = (0, 1, 2)

#: Threads per prediction. One: a pool of 300 takes ~1 ms a booster on one core, and OpenMP's
#: second thread cost more than it saved (waking it, and waiting for it when the other core is
#: busy): with 2 threads the 100,000-organization benchmark's p95 was 48.6 ms, with 1 thread 23.8 ms
#: (benchmarks/recommend_speed.py, the same machine minutes apart).
PREDICT_THREADS = 1

#: The shipped model: its description (JSON) and, beside it, one LightGBM text file per seed.
MODEL_PATH = Path(__file__).parent / "data" / "reranker.json"


class Reranker:
    """A trained ranking model (one booster per seed, averaged) and the scale its output is used at."""

    def __init__(self, boosters: Sequence, scale: float, meta: dict | None = None) -> None:
        self.boosters = list(boosters)
        self.scale = scale
        self.meta = dict(meta or {})

    # ------------------------------------------------------------------------------ training
    @classmethod
    def train(
        cls,
        groups: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
        *,
        rounds: int = ROUNDS,
        threads: int = 0,
        meta: dict | None = None,
    ) -> Reranker:
        """Fit on ``groups``: one (pool × RERANK_FEATURES matrix, 0/1 relevance, linear scores)
        per company. Groups without a relevant candidate teach nothing and are skipped."""
        import lightgbm

        kept = [group for group in groups if group[1].any()]
        if not kept:
            raise ValueError("no company has a relevant candidate in its pool: nothing to learn from")
        data = lightgbm.Dataset(
            np.vstack([matrix for matrix, _, _ in kept]).astype(np.float32),
            np.concatenate([labels for _, labels, _ in kept]).astype(np.float32),
            group=[len(labels) for _, labels, _ in kept],
            feature_name=list(RERANK_FEATURES),
            free_raw_data=True,
        )
        boosters = [
            lightgbm.train({**PARAMETERS, "seed": seed, "num_threads": threads}, data, num_boost_round=rounds)
            for seed in SEEDS
        ]
        model_spread = float(np.median([cls(boosters, 1.0).scores(matrix).std() for matrix, _, _ in kept]))
        linear_spread = float(np.median([linear.std() for _, _, linear in kept]))
        scale = linear_spread / (LINEAR_SHARE * model_spread) if model_spread > 0 else 0.0
        return cls(boosters, scale, {**(meta or {}), "companies": len(kept), "rounds": rounds})

    def save(self, path: Path = MODEL_PATH) -> None:
        """``path`` (JSON: scale, features, provenance) and ``<stem>-<n>.txt`` per booster beside it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        files = []
        for number, booster in enumerate(self.boosters, 1):
            name = f"{path.stem}-{number}.txt"
            booster.save_model(str(path.with_name(name)))
            files.append(name)
        described = {**self.meta, "scale": self.scale, "features": list(RERANK_FEATURES), "models": files}
        path.write_text(json.dumps(described, indent=2) + "\n")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Reranker:
        import lightgbm

        meta = json.loads(path.read_text())
        if tuple(meta["features"]) != RERANK_FEATURES:
            raise ValueError(f"{path} was trained on other features; retrain it (dari evaluate-matching)")
        boosters = [lightgbm.Booster(model_file=str(path.with_name(name))) for name in meta["models"]]
        return cls(boosters, float(meta["scale"]), meta)

    # ------------------------------------------------------------------------------- scoring
    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """Scaled scores of candidates (rows of ``matrix``: pool × RERANK_FEATURES)."""
        if not len(matrix):
            return np.zeros(0)
        found = sum(booster.predict(matrix, num_threads=PREDICT_THREADS) for booster in self.boosters)
        return self.scale / len(self.boosters) * found

    def contributions(self, matrix: np.ndarray) -> np.ndarray:
        """Per-feature contributions (rows × RERANK_FEATURES, scaled): what the reasons are drawn
        from. Exact SHAP values cost ~7 ms per booster for ten rows, so they are those of the first
        booster (the boosters differ only by their sampling seed); with one booster they sum with
        its baseline (left out) to ``scores``."""
        if not len(matrix):
            return np.zeros((0, len(RERANK_FEATURES)))
        found = self.boosters[0].predict(matrix, pred_contrib=True, num_threads=1)
        return self.scale * found[:, : len(RERANK_FEATURES)]


@cache
def shipped() -> Reranker | None:
    """The model in the package (trained on earlier Crunchbase periods), or None when LightGBM or
    the model cannot load (then the linear score is used alone, and the log says why)."""
    try:
        return Reranker.load()
    except (ImportError, OSError, ValueError, KeyError) as error:
        logger.warning("matching: the learned re-ranking is off (%s); using the linear score alone", error)
        return None
