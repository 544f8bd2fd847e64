"""``dari evaluate-matching``: score the recommender on a deal history split in time.

    dari evaluate-matching --companies companies.csv --rounds rounds.csv \\
        --train investments-train.csv --test investments-test.csv [--cutoff 2012-01-01] \\
        [--tune-train T --tune-test S] --out results.json

``results.json`` has exactly the shape of issue 5; ``results.meta.json`` beside it says which
split the weights were tuned on, the weights, and the split's sizes.

Runs without a database (``dari.cli`` dispatches here before Django is set up), so an operator can
measure the recommender on their own deal history in Crunchbase's CSV layout. With ``--tune-train``
and ``--tune-test`` (an earlier split), the weights are learned there first and then reported on
``--train``/``--test``, so the figures are never tuned on themselves.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from . import crunchbase, evaluation
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
    parser.add_argument("--tune-train", type=Path, help="an earlier training file to tune the weights on")
    parser.add_argument("--tune-test", type=Path, help="its test file")
    parser.add_argument("--tune-cutoff", type=date.fromisoformat)
    parser.add_argument(
        "--tune-bio-weight",
        type=float,
        default=1.0,
        help="weight of a bio/health company in the tuning loss (default 1: every company alike)",
    )
    parser.add_argument("--half-life-years", type=float, default=2.0, help="deal recency decay (default 2)")
    options = parser.parse_args(argv)
    progress = _progress(time.perf_counter())

    weights = dict(DEFAULT_WEIGHTS)
    tuning = None
    if options.tune_train or options.tune_test:
        if not (options.tune_train and options.tune_test):
            parser.error("--tune-train and --tune-test go together")
        progress("tuning split")
        tune_split = crunchbase.load_split(
            options.companies,
            options.rounds,
            options.tune_train,
            options.tune_test,
            options.tune_cutoff,
            progress,
        )
        tuned, objective = evaluation.tune(
            tune_split,
            _index(tune_split, options.half_life_years),
            bio_weight=options.tune_bio_weight,
            progress=progress,
        )
        weights.update(tuned)
        tuning = {
            "train": str(options.tune_train),
            "test": str(options.tune_test),
            "cutoff": tune_split.cutoff.isoformat(),
            "method": "listwise logistic model on the new-relationship protocol: each relevant "
            "investor against 150 hard and 400 random weighted negatives (evaluation.tune)",
            "bio_weight": options.tune_bio_weight,
            "training_loss": round(objective, 4),
        }

    progress("evaluation split")
    split = crunchbase.load_split(
        options.companies, options.rounds, options.train, options.test, options.cutoff, progress
    )
    index = _index(split, options.half_life_years)
    results = evaluation.evaluate(split, index, weights=weights, progress=progress)
    meta = {
        "cutoff": split.cutoff.isoformat(),
        "train": str(options.train),
        "test": str(options.test),
        "training_investors": len(split.investors),
        "half_life_years": options.half_life_years,
        "weights": {name: round(value, 4) for name, value in weights.items()},
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
