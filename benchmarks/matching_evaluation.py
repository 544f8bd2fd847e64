"""Evaluate the recommender on real Crunchbase investments; write benchmarks/results/matching-evaluation.*.

    .venv/bin/python benchmarks/matching_evaluation.py

Splits investments-through-2012.csv by date into files under var/matching/ (never committed):
development split train < 2010-01-01 / test 2010, tuning split train < 2011-01-01 / test 2011,
reported split train < 2012-01-01 / test 2012
(undated rows are left out of all). Then runs, as an operator would,

    dari evaluate-matching --companies companies.csv --rounds rounds.csv \\
        --train var/matching/train-2012.csv --test var/matching/test-2012.csv --cutoff 2012-01-01 \\
        --tune-train var/matching/train-2011.csv --tune-test var/matching/test-2011.csv \\
        --out var/matching/results-2012.json

so the weights are learned on 2011 and the figures reported on 2012. rounds.csv is passed whole: the
cut-off keeps its later rounds out. Before it, the same command runs one year earlier (learn on
train < 2010-01-01 / test 2010, report on 2011): the development run the model was chosen on, shown
beside the reported one. Writes the JSON (the issue's shape, plus "meta") and a Markdown table.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPLITS = {
    "2010": ("2010-01-01", "2011-01-01"),
    "2011": ("2011-01-01", "2012-01-01"),
    "2012": ("2012-01-01", "2013-01-01"),
}
LABELS = {
    "dari": "Dari",
    "baseline_popularity": "global popularity",
    "baseline_category_popularity": "category popularity",
}


#: How the reported model was chosen: on the development run only. The variant figures come from a
#: scratch harness (same features and learner, a sample of the 2010 companies), not from this script.
DEVELOPMENT_NOTES = [
    "## How this model was chosen",
    "",
    "Features, learner and settings were chosen on the development run (learn on 2010, measure on",
    "2011, new relationships), before any 2012 figure of the new model was seen; the reported run",
    "then learns on 2011 and measures on 2012 with those settings. Variants measured there (bio/health",
    "MRR / HitRate@10; all companies MRR / HitRate@10). (a): measured after the first 2012 run of the",
    "kept model had been seen, on the development run only, and not kept.",
    "",
    "| variant | bio MRR | bio HR@10 | all MRR | all HR@10 |",
    "|---|---:|---:|---:|---:|",
    "| previous: 15 features, random search on MRR (bio weight 0.5) | 0.0963 | 0.1957 | 0.1055 | 0.2130 |",
    "| listwise logistic, same 15 features | 0.0913 | 0.1957 | 0.0953 | 0.2015 |",
    "| + entry-stage features | 0.1072 | 0.1884 | 0.1007 | 0.1988 |",
    "| **all 41 features (kept)** | 0.1040 | 0.2319 | 0.1046 | 0.2104 |",
    "| not kept: bio/health weighted 2× (a) / 3× in the loss | 0.1023 / 0.1004 | 0.2319 / 0.2391 | | |",
    "| not kept: one model for companies with investors, one without | 0.1024 | 0.2283 | 0.1093 | 0.2107 |",
    "| not kept: random search on MRR from the learned weights | 0.0963 | 0.2174 | 0.1082 | 0.2166 |",
    "| not kept: life-sciences group × region features (a) | 0.0995 | 0.2391 | 0.1054 | 0.2113 |",
    "| not kept: features scaled by their spread in each query (a) | 0.1015 | 0.2101 | 0.1088 | 0.2127 |",
    "| not kept: ½ previous + ½ learned weights (a) | 0.1009 | 0.2101 | 0.1159 | 0.2245 |",
    "",
    "For comparison, the previous model on the reported 2012 run (tuned on 2011): bio/health MRR",
    "0.1348, HitRate@10 0.2334; all companies MRR 0.1068, HitRate@10 0.2121. The new model is better",
    "on HitRate@10 (bio/health) and on both metrics for all companies and for all relationships, but",
    "its bio/health MRR on 2012 is lower than the previous model's.",
]


def shared_data() -> Path:
    return Path(os.environ.get("DARI_SHARED_DATA", ROOT.parent / "shared" / "data")) / "crunchbase-2013"


def write_splits(source: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for year, (start, end) in SPLITS.items():
        for name, keep in (
            (f"train-{year}.csv", lambda day, start=start: day and day < start),
            (f"test-{year}.csv", lambda day, start=start, end=end: day and start <= day < end),
        ):
            with open(folder / name, "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(row for row in rows if keep(row["funded_when"]))


def table(
    results: dict, protocols: tuple[str, ...] = ("new_relationships", "all_relationships")
) -> list[str]:
    lines = [
        "| protocol | subset | companies | ranker | HitRate@10 | Recall@10 | Recall@50 | MRR | NDCG@10 |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for protocol in protocols:
        for subset in ("all", "bio_health"):
            block = results[protocol][subset]
            for ranker, label in LABELS.items():
                metrics = block[ranker]
                lines.append(
                    f"| {protocol.replace('_', ' ')} | {subset.replace('_', '/')} | {block['n_companies']} | "
                    f"{label} | {metrics['hit_rate@10']:.4f} | {metrics['recall@10']:.4f} | "
                    f"{metrics['recall@50']:.4f} | {metrics['mrr']:.4f} | {metrics['ndcg@10']:.4f} |"
                )
    return lines


def run(folder: Path, data: Path, tune_year: str, year: str) -> tuple[list[str], Path]:
    """``dari evaluate-matching``, weights learned on ``tune_year``'s split, reported on ``year``'s."""
    out = folder / f"results-{year}.json"
    arguments = [
        "evaluate-matching",
        "--companies", str(data / "companies.csv"),
        "--rounds", str(data / "rounds.csv"),
        "--train", str(folder / f"train-{year}.csv"),
        "--test", str(folder / f"test-{year}.csv"),
        "--cutoff", SPLITS[year][0],
        "--tune-train", str(folder / f"train-{tune_year}.csv"),
        "--tune-test", str(folder / f"test-{tune_year}.csv"),
        "--tune-cutoff", SPLITS[tune_year][0],
        "--out", str(out),
    ]  # fmt: skip
    subprocess.run([sys.executable, "-m", "dari", *arguments], cwd=ROOT, check=True)
    return arguments, out


def main() -> None:
    folder = ROOT / "var" / "matching"
    data = shared_data()
    write_splits(data / "investments-through-2012.csv", folder)
    # The development run: what the features and the learner were chosen on (2012 never seen).
    _, development_out = run(folder, data, "2010", "2011")
    development = json.loads(development_out.read_text())
    arguments, out = run(folder, data, "2011", "2012")
    results = json.loads(out.read_text())
    meta = json.loads(out.with_suffix(".meta.json").read_text())
    meta["command"] = "dari " + " ".join(arguments).replace(str(ROOT) + "/", "").replace(str(data), "$DATA")
    meta["measured_on"] = datetime.now(UTC).strftime("%Y-%m-%d")
    target = results["new_relationships"]["bio_health"]
    dari, baseline = target["dari"], target["baseline_category_popularity"]
    meta["targets"] = {
        "mrr_ratio_vs_category_popularity": round(dari["mrr"] / baseline["mrr"], 2)
        if baseline["mrr"]
        else None,
        "mrr_ratio_required": 2.5,
        "hit_rate@10_ratio_vs_category_popularity": (
            round(dari["hit_rate@10"] / baseline["hit_rate@10"], 2) if baseline["hit_rate@10"] else None
        ),
        "hit_rate@10_ratio_required": 1.8,
    }
    meta["development"] = {
        "tuned_on": "train < 2010-01-01 / test 2010",
        "measured_on": "train < 2011-01-01 / test 2011",
        "new_relationships": development["new_relationships"],
    }
    output = ROOT / "benchmarks" / "results"
    output.mkdir(parents=True, exist_ok=True)
    (output / "matching-evaluation.json").write_text(json.dumps({**results, "meta": meta}, indent=2) + "\n")
    ratios = meta["targets"]
    lines = [
        "# Matching evaluation on Crunchbase 2013 (real investments)",
        "",
        f"Measured {meta['measured_on']} with `.venv/bin/python benchmarks/matching_evaluation.py`,",
        "which runs",
        f"`{meta['command']}`.",
        "",
        "Weights learned (a listwise logistic model over 41 deal, timing, entry-stage and graph features,",
        "`evaluation.tune`; the follow-on weight by a grid on the all-relationship protocol) on",
        "train < 2011-01-01 / test 2011 only; figures below are train < 2012-01-01 /",
        "test 2012 (cut-off 2012-01-01: no round or investment dated on or after it, and no companies.csv",
        "snapshot column, is read). Each company funded in 2012 by at least one investor seen before",
        f"2012; all {meta['training_investors']} training investors ranked.",
        "Headline: new relationships, bio/health.",
        "",
        *table(results),
        "",
        f"Target (new relationships, bio/health): MRR ≥ 2.5× category popularity — reached "
        f"{ratios['mrr_ratio_vs_category_popularity']}×; HitRate@10 ≥ 1.8× — reached "
        f"{ratios['hit_rate@10_ratio_vs_category_popularity']}×.",
        "",
        *DEVELOPMENT_NOTES,
        "",
        "Development run, measured in the same invocation (weights learned on train < 2010-01-01 /",
        "test 2010, reported on train < 2011-01-01 / test 2011):",
        "",
        *table(development, ("new_relationships",)),
        "",
    ]
    (output / "matching-evaluation.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
