"""Evaluate the recommender on real Crunchbase investments; write benchmarks/results/matching-evaluation.*.

    .venv/bin/python benchmarks/matching_evaluation.py

Splits investments-through-2012.csv by date into files under var/matching/ (never committed):
tuning split train < 2011-01-01 / test 2011, reported split train < 2012-01-01 / test 2012
(undated rows are left out of both). Then runs, as an operator would,

    dari evaluate-matching --companies companies.csv --rounds rounds.csv \\
        --train var/matching/train-2012.csv --test var/matching/test-2012.csv --cutoff 2012-01-01 \\
        --tune-train var/matching/train-2011.csv --tune-test var/matching/test-2011.csv \\
        --out var/matching/results-2012.json

so the weights are tuned on 2011 and the figures reported on 2012. rounds.csv is passed whole: the
cut-off keeps its later rounds out. Writes the JSON (the issue's shape, plus "meta") and a Markdown
table.
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
SPLITS = {"2011": ("2011-01-01", "2012-01-01"), "2012": ("2012-01-01", "2013-01-01")}
LABELS = {
    "dari": "Dari",
    "baseline_popularity": "global popularity",
    "baseline_category_popularity": "category popularity",
}


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


def table(results: dict) -> list[str]:
    lines = [
        "| protocol | subset | companies | ranker | HitRate@10 | Recall@10 | Recall@50 | MRR | NDCG@10 |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for protocol in ("new_relationships", "all_relationships"):
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


def main() -> None:
    folder = ROOT / "var" / "matching"
    data = shared_data()
    write_splits(data / "investments-through-2012.csv", folder)
    out = folder / "results-2012.json"
    arguments = [
        "evaluate-matching",
        "--companies", str(data / "companies.csv"),
        "--rounds", str(data / "rounds.csv"),
        "--train", str(folder / "train-2012.csv"),
        "--test", str(folder / "test-2012.csv"),
        "--cutoff", "2012-01-01",
        "--tune-train", str(folder / "train-2011.csv"),
        "--tune-test", str(folder / "test-2011.csv"),
        "--tune-cutoff", "2011-01-01",
        "--out", str(out),
    ]  # fmt: skip
    subprocess.run([sys.executable, "-m", "dari", *arguments], cwd=ROOT, check=True)
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
        "Weights tuned on train < 2011-01-01 / test 2011 only; figures below are train < 2012-01-01 /",
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
    ]
    (output / "matching-evaluation.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
