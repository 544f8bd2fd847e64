"""Does per-reviewer normalization rank applications closer to their true quality? A simulated panel.

    .venv/bin/python benchmarks/review_normalization.py [--out benchmarks/results/review-normalization]
    .venv/bin/python benchmarks/review_normalization.py --choose   # the fallback, on development seeds only
    .venv/bin/python benchmarks/review_normalization.py --small    # CI: a small panel, few seeds

The panel (issue 17): 500 applications, 40 reviewers, 3 reviews each. Each application has a true
quality drawn uniformly from 1 to 5; each reviewer a bias drawn from N(0, 1); each review adds noise
from N(0, 0.5). A review form takes whole numbers from 1 to 5, so a review's score is
``quality + bias + noise`` rounded to the nearest whole number (half to even) and clipped to 1-5:
a lenient reviewer's good applications all read 5. Applications get 3 different reviewers; the
reviewers' loads are fixed first and the reviews dealt out at random (a shuffled list of reviewer
slots cut into threes, a reviewer met twice in a three swapped away). Numbers come from numpy's
PCG64 generator (``numpy.random.default_rng(seed)``), so a seed is one panel, on any machine.

Two panels are measured:

- ``issue``: the issue's panel, loads of 37 or 38 reviews: every reviewer has at least
  ``MIN_REVIEWS`` reviews, so only the z-score is at work;
- ``uneven``: the same size, but 12 of the 40 reviewers are occasional (1 to 4 reviews each) and the
  28 others share the rest: the fallback for reviewers with fewer than ``MIN_REVIEWS`` reviews is at
  work too.

The fallback (``POOLING_REVIEWS`` in ``dari.engines.scoring``) is chosen by ``--choose`` on the
development seeds (``DEV_SEEDS``) alone: raw scores for occasional reviewers, their scores centred
on the panel mean (their own mean taken away), a bare z-score, or partial pooling with a few weights.
The report runs the engine as shipped on other seeds (``HELDOUT_SEEDS``), never used to choose.

Figures per seed: Spearman's correlation of the ranking's scores with the true quality (average
ranks for ties), raw and normalized; the share of the true top 50 in the ranking's top 50 (raw:
ties broken by the application's key, as the engine's ``raw_rank``; normalized: the engine's
``rank``); and the seconds ``rank_reviews`` takes for the 500 applications and 1,500 reviews.
Writes ``<out>.json`` and ``<out>.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from dari.engines import scoring  # noqa: E402
from dari.engines.scoring import OVERALL, Review, Scale, rank_reviews  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SCALE = Scale(1, 5)
BIAS_SD, NOISE_SD = 1.0, 0.5
DEV_SEEDS = tuple(range(20))
HELDOUT_SEEDS = tuple(range(1000, 1020))
#: The fallbacks ``--choose`` compares: a pooling weight in reviews, or a named rule.
FALLBACKS = {
    "raw": math.inf,
    "centred": "centred",
    "z-score": 0.0,
    **{f"pooled {weight:g}": weight for weight in (0.5, 1, 2, 3, 5, 10)},
}


@dataclass(frozen=True)
class Size:
    applications: int
    reviewers: int
    per_application: int
    occasional: int  # reviewers with 1-4 reviews in the uneven panel
    top: int
    timing_repeats: int


FULL = Size(applications=500, reviewers=40, per_application=3, occasional=12, top=50, timing_repeats=7)
SMALL = Size(applications=60, reviewers=8, per_application=3, occasional=2, top=10, timing_repeats=2)


@dataclass
class Panel:
    truth: dict[str, float]
    reviews: list[Review]
    loads: dict[str, int]


def simulate(seed: int, size: Size, uneven: bool) -> Panel:
    """One simulated panel (see the module): the true quality per application and the reviews."""
    rng = np.random.default_rng(seed)
    applications = [f"A{number:04d}" for number in range(size.applications)]
    reviewers = [f"R{number:02d}" for number in range(size.reviewers)]
    quality = rng.uniform(SCALE.minimum, SCALE.maximum, size.applications)
    bias = rng.normal(0.0, BIAS_SD, size.reviewers)
    slots = size.applications * size.per_application
    occasional = size.occasional if uneven else 0
    loads = [0] * size.reviewers
    for index in range(occasional):
        loads[index] = int(rng.integers(1, 5))
    regular = size.reviewers - occasional
    share, extra = divmod(slots - sum(loads), regular)
    for index in range(occasional, size.reviewers):
        loads[index] = share + (1 if index - occasional < extra else 0)
    dealt = np.repeat(np.arange(size.reviewers), loads)
    rng.shuffle(dealt)
    triples = dealt.reshape(size.applications, size.per_application)
    _no_reviewer_twice(triples, rng)
    noise = rng.normal(0.0, NOISE_SD, triples.shape)
    marks = np.clip(np.rint(quality[:, None] + bias[triples] + noise), SCALE.minimum, SCALE.maximum)
    reviews = [
        Review(applications[row], reviewers[triples[row, column]], {OVERALL: float(marks[row, column])})
        for row in range(size.applications)
        for column in range(size.per_application)
    ]
    return Panel(
        truth=dict(zip(applications, quality.tolist(), strict=True)),
        reviews=reviews,
        loads=dict(zip(reviewers, loads, strict=True)),
    )


def _no_reviewer_twice(triples: np.ndarray, rng: np.random.Generator) -> None:
    """Swap slots until no application has one reviewer twice (loads unchanged)."""
    rows, width = triples.shape
    for _attempt in range(100_000):
        clashes = [row for row in range(rows) if len(set(triples[row].tolist())) < width]
        if not clashes:
            return
        for row in clashes:
            column = int(rng.integers(width))
            other_row, other_column = int(rng.integers(rows)), int(rng.integers(width))
            a, b = triples[row, column], triples[other_row, other_column]
            if a != b and b not in triples[row] and a not in triples[other_row]:
                triples[row, column], triples[other_row, other_column] = b, a
    raise RuntimeError("could not deal the reviews without a reviewer twice on one application")


# --- measuring -----------------------------------------------------------------------------------------


def average_ranks(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ordered)) + 1]
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values))
    for start, end in zip(starts, ends, strict=True):
        ranks[order[start:end]] = (start + end - 1) / 2 + 1
    return ranks


def spearman(first, second) -> float:
    return float(np.corrcoef(average_ranks(first), average_ranks(second))[0, 1])


def top_share(truth: dict[str, float], chosen: list[str], top: int) -> float:
    best = set(sorted(truth, key=truth.__getitem__, reverse=True)[:top])
    return len(best & set(chosen[:top])) / top


def measure(panel: Panel, size: Size, aggregate: str = "mean", fallback="shipped") -> dict:
    """Raw and normalized figures of one panel ranked by the engine (``fallback``: a FALLBACKS value)."""
    if fallback == "shipped":
        ranking = rank_reviews(panel.reviews, SCALE, aggregate=aggregate)
    else:
        ranking = rank_reviews(
            panel.reviews, SCALE, aggregate=aggregate, pooling=0.0 if fallback == "centred" else fallback
        )
    lines = sorted(ranking.applications, key=lambda line: line.application)
    normalized = {line.application: line.normalized for line in lines}
    by_normalized = [line.application for line in ranking.applications]
    if fallback == "centred":
        normalized = _centred(ranking, aggregate)
        by_normalized = sorted(normalized, key=lambda key: (-normalized[key], key))
    truth = [panel.truth[line.application] for line in lines]
    by_raw = [line.application for line in sorted(lines, key=lambda line: line.raw_rank)]
    occasional = {reviewer for reviewer, load in panel.loads.items() if load < scoring.MIN_REVIEWS}
    touched = [line for line in lines if occasional & set(line.reviewers)]
    figures = {}
    if occasional:
        # Only the applications an occasional reviewer scored: where the fallback is at work.
        touched_truth = [panel.truth[line.application] for line in touched]
        few = len(touched) < 3  # no correlation to speak of (a tiny --small panel)
        figures["spearman_raw_fallback_applications"] = (
            math.nan if few else spearman(touched_truth, [line.raw for line in touched])
        )
        figures["spearman_normalized_fallback_applications"] = (
            math.nan if few else spearman(touched_truth, [normalized[line.application] for line in touched])
        )
    return {
        **figures,
        "spearman_raw": spearman(truth, [line.raw for line in lines]),
        "spearman_normalized": spearman(truth, [normalized[line.application] for line in lines]),
        "top_raw": top_share(panel.truth, by_raw, size.top),
        "top_normalized": top_share(panel.truth, by_normalized, size.top),
        "disagreements": sum(line.disagreement for line in lines),
    }


def _centred(ranking, aggregate: str) -> dict[str, float]:
    """The fallback "centred" (not the engine's): an occasional reviewer's totals minus their own
    mean plus the panel's; the others' z-scores as the engine gives them."""
    combine = statistics.fmean if aggregate == "mean" else statistics.median
    by_application: dict[str, list[float]] = {}
    for review in ranking.reviews:
        normalization = ranking.reviewers[review.reviewer]
        score = review.normalized
        if normalization.reviews < scoring.MIN_REVIEWS:
            score = review.raw - normalization.own_mean + ranking.panel_mean
        by_application.setdefault(review.application, []).append(score)
    return {application: combine(scores) for application, scores in by_application.items()}


def summary(values: list[float]) -> dict | None:
    values = [value for value in values if not math.isnan(value)]
    if not values:
        return None
    return {
        "mean": round(statistics.fmean(values), 4),
        "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def report_panel(seeds, size: Size, uneven: bool, aggregate: str, fallback="shipped") -> dict:
    runs = [measure(simulate(seed, size, uneven), size, aggregate, fallback) for seed in seeds]
    figures = {key: summary([run[key] for run in runs]) for key in runs[0]}
    gains = [run["spearman_normalized"] - run["spearman_raw"] for run in runs]
    figures["gain"] = summary(gains)
    figures["seeds_meeting_target"] = sum(gain >= 0.05 for gain in gains)
    figures["per_seed"] = {
        seed: {key: None if math.isnan(value) else round(value, 4) for key, value in run.items()}
        for seed, run in zip(seeds, runs, strict=True)
    }
    return figures


def time_ranking(size: Size) -> dict:
    panel = simulate(HELDOUT_SEEDS[0], size, uneven=False)
    seconds = []
    for _repeat in range(size.timing_repeats):
        started = time.perf_counter()
        rank_reviews(panel.reviews, SCALE)
        seconds.append(time.perf_counter() - started)
    return {
        "applications": size.applications,
        "reviews": len(panel.reviews),
        "repeats": size.timing_repeats,
        "median_s": round(statistics.median(seconds), 4),
        "max_s": round(max(seconds), 4),
    }


def choose(size: Size, seeds) -> dict:
    """Every fallback on the development seeds of the uneven panel, mean aggregation; the best by
    the mean Spearman over the applications an occasional reviewer scored (the few where the
    fallback is at work: over all 500 the fallbacks differ by less than the seeds do), the
    Spearman over all applications breaking ties."""
    results = {}
    for name, fallback in FALLBACKS.items():
        uneven = report_panel(seeds, size, True, "mean", fallback)
        results[name] = {
            key: uneven[key]
            for key in (
                "spearman_normalized_fallback_applications",
                "spearman_normalized",
                "top_normalized",
                "spearman_raw_fallback_applications",
                "spearman_raw",
            )
        }
    best = max(
        results,
        key=lambda name: (
            (results[name]["spearman_normalized_fallback_applications"] or {"mean": -1})["mean"],
            results[name]["spearman_normalized"]["mean"],
        ),
    )
    return {"seeds": list(seeds), "panel": "uneven", "fallbacks": results, "best": best}


# --- writing ---------------------------------------------------------------------------------------------


def _cell(figures: dict | None) -> str:
    if figures is None:
        return "n/a"
    return f"{figures['mean']:.3f} ± {figures['sd']:.3f} ({figures['min']:.3f}-{figures['max']:.3f})"


def fallback_table(choice: dict) -> list[str]:
    lines = [
        "| fallback | Spearman, applications with an occasional reviewer | Spearman, all | top share |",
        "|---|---|---|---|",
    ]
    for name, figures in choice["fallbacks"].items():
        lines.append(
            f"| {name} | {_cell(figures['spearman_normalized_fallback_applications'])} | "
            f"{_cell(figures['spearman_normalized'])} | {_cell(figures['top_normalized'])} |"
        )
    return lines


def markdown(report: dict) -> str:
    size = report["size"]
    lines = [
        "# Review normalization on a simulated panel",
        "",
        f"Command: `{report['command']}`",
        f"Machine: {report['machine']}; measured {report['measured']}.",
        "",
        f"{size['applications']} applications, {size['reviewers']} reviewers, {size['per_application']} "
        f"reviews each; true quality uniform on 1-5, reviewer bias N(0, {BIAS_SD:g}), noise "
        f"N(0, {NOISE_SD:g}); a score is rounded to a whole number and clipped to 1-5 (see "
        "`benchmarks/review_normalization.py`). Engine as shipped: z-score per reviewer mapped back "
        f"with the panel's mean and sd; reviewers with fewer than {report['engine']['min_reviews']} "
        f"reviews pooled with {report['engine']['pooling_reviews']:g} reviews at the panel's level. "
        f"Held-out seeds {report['heldout_seeds'][0]}-{report['heldout_seeds'][-1]} "
        f"({len(report['heldout_seeds'])} panels); the fallback was chosen on seeds "
        f"{report['dev_seeds'][0]}-{report['dev_seeds'][-1]} (`--choose`, "
        "`review-normalization-dev.json`). Mean ± sd over the seeds (min-max).",
        "",
        f"| panel | aggregate | Spearman raw | Spearman normalized | gain | seeds with gain ≥ 0.05 "
        f"| top {size['top']} raw | top {size['top']} normalized |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for panel, by_aggregate in report["panels"].items():
        for aggregate, figures in by_aggregate.items():
            lines.append(
                f"| {panel} | {aggregate} | {_cell(figures['spearman_raw'])} | "
                f"{_cell(figures['spearman_normalized'])} | {_cell(figures['gain'])} | "
                f"{figures['seeds_meeting_target']}/{len(report['heldout_seeds'])} | "
                f"{_cell(figures['top_raw'])} | {_cell(figures['top_normalized'])} |"
            )
    timing = report["timing"]
    lines += [
        "",
        "`issue`: every reviewer has 37 or 38 reviews. `uneven`: 12 reviewers have 1-4 reviews each "
        "(the fallback at work), 28 share the rest. The top share is the part of the true top "
        f"{size['top']} found in the ranking's top {size['top']} (raw: ties by application key).",
        "",
        f"Time to compute the normalized ranking (`rank_reviews`, {timing['applications']} applications, "
        f"{timing['reviews']:,} reviews, weighted totals included): median {timing['median_s']:.3f} s, "
        f"max {timing['max_s']:.3f} s over {timing['repeats']} runs (target < 2 s). Reading the "
        "reviews from the database is not included.",
    ]
    choice = report["fallback_choice"]
    lines += [
        "",
        f"## The fallback, chosen on the development seeds {choice['seeds'][0]}-{choice['seeds'][-1]}",
        "",
        "The uneven panel, mean aggregation, each fallback for the reviewers with fewer than "
        f"{report['engine']['min_reviews']} reviews (the others get their z-score in every row). "
        "Chosen by the Spearman over the applications an occasional reviewer scored (about 30 of "
        f"500: over all of them the fallbacks differ by less than the seeds do). Best: **{choice['best']}**; "
        f"shipped: pooled {report['engine']['pooling_reviews']:g}.",
        "",
        *fallback_table(choice),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="a small panel and few seeds (CI)")
    parser.add_argument(
        "--choose", action="store_true", help="compare the fallbacks on the development seeds"
    )
    parser.add_argument("--out", type=Path, help="where to write .json and .md (no suffix)")
    options = parser.parse_args(argv)
    size = SMALL if options.small else FULL
    dev_seeds = DEV_SEEDS[:2] if options.small else DEV_SEEDS
    heldout_seeds = HELDOUT_SEEDS[:3] if options.small else HELDOUT_SEEDS
    command = "benchmarks/review_normalization.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if options.choose:
        out = options.out or RESULTS / "review-normalization-dev"
        chosen = choose(size, dev_seeds)
        chosen["command"] = command.strip()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".json").write_text(json.dumps(chosen, indent=2) + "\n", encoding="utf-8")
        print("\n".join(fallback_table(chosen)))
        print(f"best on the development seeds: {chosen['best']}")
        return 0
    out = options.out or RESULTS / "review-normalization"
    report = {
        "command": command.strip(),
        "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}",
        "measured": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "size": size.__dict__,
        "engine": {
            "min_reviews": scoring.MIN_REVIEWS,
            "pooling_reviews": scoring.POOLING_REVIEWS,
            "disagreement_share": scoring.DISAGREEMENT_SHARE,
        },
        "dev_seeds": list(dev_seeds),
        "heldout_seeds": list(heldout_seeds),
        "panels": {
            panel: {
                aggregate: report_panel(heldout_seeds, size, panel == "uneven", aggregate)
                for aggregate in scoring.AGGREGATES
            }
            for panel in ("issue", "uneven")
        },
        "timing": time_ranking(size),
        "fallback_choice": choose(size, dev_seeds),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
