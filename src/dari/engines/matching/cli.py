"""``dari evaluate-matching``: score the recommender on a deal history split in time.

    dari evaluate-matching --companies companies.csv --rounds rounds.csv \\
        --train investments-train.csv --test investments-test.csv [--cutoff 2012-01-01] \\
        [--tune-train T --tune-test S [--save-model M]] [--no-rerank] --out results.json

``results.json`` has exactly the shape of issue 5; ``results.meta.json`` beside it says which
split the re-ranking model was learned on, the linear weights, and the split's sizes.

Runs without a database (``dari.cli`` dispatches here before Django is set up), so an operator can
measure the recommender on their own deal history in Crunchbase's CSV layout. Without tuning options
the re-ranking model shipped with the engine is measured; with ``--tune-train`` and ``--tune-test``
(an earlier split) a model is learned there first and then reported on ``--train``/``--test``, so
the figures are never tuned on themselves. ``--no-rerank`` measures the linear stage alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from . import crunchbase, evaluation, rerank
from .recommend import DEFAULT_WEIGHTS, RecommendationIndex


def _progress(started: float):
    def report(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {message}", file=sys.stderr, flush=True)

    return report


def _index(split: crunchbase.CrunchbaseSplit, half_life_years: float) -> RecommendationIndex:
    return RecommendationIndex.build(
        split.investors,
        as_of=split.cutoff,
        sector_parents=crunchbase.CATEGORY_PARENTS,
        half_life_years=half_life_years,
        rerank=False,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dari evaluate-matching",
        description="Measure the matching engine's investor recommendations on a temporal split.",
    )
    parser.add_argument("--companies", required=True, type=Path, help="companies.csv (Crunchbase layout)")
    parser.add_argument(
        "--rounds", required=True, type=Path, help="rounds.csv (only rounds before the cut-off are read)"
    )
    parser.add_argument("--train", required=True, type=Path, help="investments known before the cut-off")
    parser.add_argument("--test", required=True, type=Path, help="investments made on or after the cut-off")
    parser.add_argument(
        "--cutoff", type=date.fromisoformat, help="YYYY-MM-DD (default: the test file's earliest date)"
    )
    parser.add_argument("--out", required=True, type=Path, help="where to write the results JSON")
    parser.add_argument(
        "--tune-train",
        type=Path,
        action="append",
        help="an earlier training file to learn the model on (repeat for several earlier periods)",
    )
    parser.add_argument(
        "--tune-test", type=Path, action="append", help="its test file (as many as --tune-train)"
    )
    parser.add_argument(
        "--tune-cutoff", type=date.fromisoformat, action="append", help="its cut-off (none, or one per pair)"
    )
    parser.add_argument(
        "--save-model",
        type=Path,
        help="write the model learned on the tuning split here (a .json, its LightGBM files beside it)",
    )
    parser.add_argument(
        "--no-rerank", action="store_true", help="measure the linear stage alone, without the learned model"
    )
    parser.add_argument("--half-life-years", type=float, default=2.0, help="deal recency decay (default 2)")
    options = parser.parse_args(argv)
    progress = _progress(time.perf_counter())

    tuning = None
    tuned = bool(options.tune_train or options.tune_test)
    if options.save_model and not tuned:
        parser.error("--save-model needs --tune-train and --tune-test")
    reranker = None if options.no_rerank or tuned else rerank.shipped()
    if tuned:
        pairs = list(zip(options.tune_train or [], options.tune_test or [], strict=False))
        if not options.tune_train or len(options.tune_train) != len(options.tune_test or []):
            parser.error("give --tune-train and --tune-test in pairs")
        if options.tune_cutoff and len(options.tune_cutoff) != len(pairs):
            parser.error("give no --tune-cutoff, or one per --tune-train/--tune-test pair")
        if options.no_rerank:
            parser.error("--no-rerank measures the linear stage alone: there is nothing to tune")
        periods = []
        for number, (train, test) in enumerate(pairs):
            progress(f"tuning split {number + 1}/{len(pairs)}")
            cutoff = options.tune_cutoff[number] if options.tune_cutoff else None
            tune_split = crunchbase.load_split(
                options.companies, options.rounds, train, test, cutoff, progress
            )
            periods.append((tune_split, _index(tune_split, options.half_life_years)))
        reranker = evaluation.tune(periods, progress=progress)
        reranker.meta.update(train=[train.name for train, _ in pairs], test=[test.name for _, test in pairs])
        tuning = {
            "train": [str(train) for train, _ in pairs],
            "test": [str(test) for _, test in pairs],
            "cutoff": [tune_split.cutoff.isoformat() for tune_split, _ in periods],
            "method": f"LightGBM lambdarank learned on the linear stage's {rerank.TRAINING_POOL_SIZE} "
            f"best investors per company (re-ordering the {rerank.POOL_SIZE} best when scored), "
            f"new-relationship protocol, mean of {len(rerank.SEEDS)} seeds "
            "(evaluation.tune, rerank.py)",
            "companies": reranker.meta["companies"],
        }
        if options.save_model:
            reranker.save(options.save_model)
            progress(f"saved the re-ranking model to {options.save_model}")

    progress("evaluation split")
    split = crunchbase.load_split(
        options.companies, options.rounds, options.train, options.test, options.cutoff, progress
    )
    index = _index(split, options.half_life_years)
    index.reranker = reranker
    results = evaluation.evaluate(split, index, progress=progress)
    meta = {
        "cutoff": split.cutoff.isoformat(),
        "train": str(options.train),
        "test": str(options.test),
        "training_investors": len(split.investors),
        "half_life_years": options.half_life_years,
        "linear_weights": {name: round(value, 4) for name, value in DEFAULT_WEIGHTS.items()},
        "reranker": None
        if reranker is None
        else {"pool_size": rerank.POOL_SIZE, "scale": round(reranker.scale, 4), **reranker.meta},
        "tuned_on": tuning,
    }
    # --out holds exactly the shape; what was tuned where goes beside it.
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(results, indent=2) + "\n")
    meta_path = options.out.with_suffix(".meta.json")
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    headline = results["new_relationships"]["bio_health"]
    dari, baseline = headline["dari"], headline["baseline_category_popularity"]
    progress(
        f"new relationships, bio/health: MRR {dari['mrr']:.4f} (category popularity {baseline['mrr']:.4f}), "
        f"HitRate@10 {dari['hit_rate@10']:.4f} ({baseline['hit_rate@10']:.4f}); wrote {options.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
