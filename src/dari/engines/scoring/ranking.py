"""Weighted totals, per-reviewer normalization and the ranking of applications (see the package)."""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

#: A reviewer with at least this many reviews is normalized by their own mean and sd (a z-score).
MIN_REVIEWS = 5
#: A reviewer with fewer reviews has their mean and variance pulled toward the panel's, as if they had
#: also given this many reviews at the panel's mean and sd (partial pooling). Chosen on the
#: development seeds of ``benchmarks/review_normalization.py`` (``--choose``), never on the
#: held-out seeds it reports.
POOLING_REVIEWS = 3.0
#: An application's reviews disagree strongly when their normalized scores span at least this share
#: of the scale's width (2 points on a 1-5 scale).
DISAGREEMENT_SHARE = 0.5
AGGREGATES = ("mean", "median")
#: The key of the one score of a review that has no criteria (a spreadsheet's ``score`` column).
OVERALL = ""
#: Scores are compared at this many decimals, so that a tie stays a tie whatever the input order.
_PLACES = 9


class ScoringError(ValueError):
    """Input that cannot be scored. ``code`` names the problem and ``params`` its details, so that a
    caller can say it in the user's language; ``str()`` says it in English."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Scale:
    """The scores a form accepts, from ``minimum`` to ``maximum`` inclusive."""

    minimum: float
    maximum: float

    def __post_init__(self):
        if not (math.isfinite(self.minimum) and math.isfinite(self.maximum)) or self.minimum >= self.maximum:
            raise ScoringError(
                "bad_scale",
                f"a scale goes from a lower to a higher number, not {self.minimum} to {self.maximum}",
                scale=f"{self.minimum:g}-{self.maximum:g}",
            )

    @classmethod
    def parse(cls, text: str) -> Scale:
        """``1-5``, ``0-10``, ``1–5`` or ``1..7``."""
        match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(?:-|–|\.\.)\s*(-?\d+(?:\.\d+)?)\s*", text)
        if not match:
            raise ScoringError("bad_scale", f"a scale is written like 1-5, not {text!r}", scale=text)
        return cls(float(match[1]), float(match[2]))

    @property
    def width(self) -> float:
        return self.maximum - self.minimum

    def check(self, score: float) -> float:
        """``score`` as a float when the scale holds it; :class:`ScoringError` ``out_of_scale``."""
        if not _is_finite_number(score):
            raise ScoringError("not_a_number", f"{score!r} is not a number", value=str(score))
        score = float(score)
        if not self.minimum <= score <= self.maximum:
            raise ScoringError(
                "out_of_scale",
                f"{score:g} is outside the scale {self}",
                value=f"{score:g}",
                scale=str(self),
            )
        return score

    def __str__(self) -> str:
        return f"{self.minimum:g}-{self.maximum:g}"


def _is_finite_number(value) -> bool:
    """An int, float or Decimal (what a database's decimal column gives), neither NaN nor infinite."""
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: float = 1.0

    def __post_init__(self):
        if not _is_finite_number(self.weight) or self.weight <= 0:
            raise ScoringError(
                "bad_weight",
                f"the weight of criterion {self.key!r} must be a positive number, not {self.weight!r}",
                criterion=self.key,
                value=str(self.weight),
            )


@dataclass(frozen=True)
class Review:
    """One reviewer's scores for one application, by criterion key (``{OVERALL: 4}`` for one score)."""

    application: str
    reviewer: str
    scores: Mapping[str, float]


@dataclass(frozen=True)
class ReviewerNormalization:
    """How a reviewer's totals were mapped: ``panel_mean + panel_sd * (total - mean) / sd``.

    ``method`` is ``z-score`` (their own mean and sd), ``pooled`` (fewer than :data:`MIN_REVIEWS`
    reviews: mean and variance pulled toward the panel's) or ``centred`` (their totals do not vary:
    only their mean is taken away)."""

    reviewer: str
    reviews: int
    own_mean: float
    own_sd: float
    mean: float
    sd: float
    method: str


@dataclass(frozen=True)
class ScoredReview:
    application: str
    reviewer: str
    raw: float
    normalized: float


@dataclass(frozen=True)
class RankedApplication:
    """One application's line of the ranking. ``rank`` orders by the normalized score; ``raw_rank``
    is where the raw score alone would put it. Spreads are between its reviews (population sd and
    max - min), raw and normalized; ``disagreement`` follows :data:`DISAGREEMENT_SHARE`."""

    rank: int
    application: str
    reviews: int
    raw: float
    normalized: float
    raw_rank: int
    raw_sd: float
    raw_range: float
    normalized_sd: float
    normalized_range: float
    disagreement: bool
    reviewers: tuple[str, ...]


@dataclass(frozen=True)
class Ranking:
    scale: Scale
    aggregate: str
    panel_mean: float
    panel_sd: float
    applications: tuple[RankedApplication, ...]
    reviewers: Mapping[str, ReviewerNormalization]
    reviews: tuple[ScoredReview, ...]


def weighted_total(review: Review, criteria: Mapping[str, float], scale: Scale) -> float:
    """The weighted mean of ``review``'s scores over ``criteria`` (key -> weight), on the scale."""
    for code, keys, words in (
        ("unknown_criterion", set(review.scores) - set(criteria), "scores an unknown criterion"),
        ("missing_criterion", set(criteria) - set(review.scores), "has no score for"),
    ):
        if keys:
            key = min(keys)
            raise ScoringError(
                code,
                f"{review.reviewer}'s review of {review.application} {words} {key!r}",
                criterion=key,
                application=review.application,
                reviewer=review.reviewer,
            )
    scores = {key: scale.check(score) for key, score in review.scores.items()}
    weight = math.fsum(criteria.values())
    return math.fsum(criteria[key] * scores[key] for key in sorted(scores)) / weight


def normalize(
    totals: Iterable[float],
    panel_mean: float,
    panel_sd: float,
    reviewer: str = "",
    pooling: float = POOLING_REVIEWS,
) -> ReviewerNormalization:
    """How one reviewer's ``totals`` map onto the panel's mean and sd (see :class:`ReviewerNormalization`).
    ``pooling`` is the fallback's weight in reviews: 0 is a bare z-score, ``math.inf`` the raw score."""
    totals = list(totals)
    count, own_mean, own_sd = len(totals), statistics.fmean(totals), statistics.pstdev(totals)
    mean, sd, method = own_mean, own_sd, "z-score"
    if count < MIN_REVIEWS and pooling > 0:
        # A few reviews say little about a reviewer's habit: their mean is as much the applications'
        # quality as their leniency. Weigh them against `pooling` reviews at the panel's level.
        own = 0.0 if math.isinf(pooling) else count / (count + pooling)
        mean = own * own_mean + (1 - own) * panel_mean
        sd = math.sqrt(own * own_sd**2 + (1 - own) * panel_sd**2)
        method = "pooled"
    if sd == 0:
        sd, method = panel_sd, "centred"
    return ReviewerNormalization(reviewer, count, own_mean, own_sd, mean, sd, method)


def normalized_score(
    total: float, normalization: ReviewerNormalization, panel_mean: float, panel_sd: float
) -> float:
    if panel_sd == 0:
        return total
    return panel_mean + panel_sd * (total - normalization.mean) / normalization.sd


def rank_reviews(
    reviews: Iterable[Review],
    scale: Scale,
    criteria: Iterable[Criterion] | None = None,
    aggregate: str = "mean",
    pooling: float = POOLING_REVIEWS,
) -> Ranking:
    """Rank the applications of ``reviews`` by their normalized score, raw scores beside them.

    ``criteria`` weigh each review's scores (default: every criterion the reviews score, weight 1).
    Raises :class:`ScoringError` for no reviews, a score outside ``scale`` or not a number, a
    criterion not in ``criteria`` or not scored, two reviews of one application by one reviewer,
    or an unknown ``aggregate``. ``pooling``: the fallback's weight (see :func:`normalize`).
    """
    if aggregate not in AGGREGATES:
        raise ScoringError(
            "bad_aggregate", f"aggregate by {' or '.join(AGGREGATES)}, not {aggregate!r}", value=aggregate
        )
    reviews = sorted(reviews, key=lambda review: (review.application, review.reviewer))
    if not reviews:
        raise ScoringError("empty", "there are no reviews to rank")
    for before, after in zip(reviews, reviews[1:], strict=False):
        if (before.application, before.reviewer) == (after.application, after.reviewer):
            raise ScoringError(
                "duplicate_review",
                f"{after.reviewer} reviewed {after.application} twice",
                application=after.application,
                reviewer=after.reviewer,
            )
    if criteria is None:
        weights = {key: 1.0 for review in reviews for key in review.scores}
    else:
        weights = {criterion.key: float(criterion.weight) for criterion in criteria}
    if not weights:
        raise ScoringError("empty", "the reviews score no criterion")

    raw = [weighted_total(review, weights, scale) for review in reviews]
    panel_mean, panel_sd = statistics.fmean(raw), statistics.pstdev(raw)
    by_reviewer: dict[str, list[float]] = defaultdict(list)
    for review, total in zip(reviews, raw, strict=True):
        by_reviewer[review.reviewer].append(total)
    normalizations = {
        reviewer: normalize(totals, panel_mean, panel_sd, reviewer, pooling)
        for reviewer, totals in sorted(by_reviewer.items())
    }
    scored = tuple(
        ScoredReview(
            review.application,
            review.reviewer,
            total,
            normalized_score(total, normalizations[review.reviewer], panel_mean, panel_sd),
        )
        for review, total in zip(reviews, raw, strict=True)
    )
    return Ranking(
        scale=scale,
        aggregate=aggregate,
        panel_mean=panel_mean,
        panel_sd=panel_sd,
        applications=_rank(scored, scale, aggregate),
        reviewers=normalizations,
        reviews=scored,
    )


def _rank(scored: tuple[ScoredReview, ...], scale: Scale, aggregate: str) -> tuple[RankedApplication, ...]:
    combine = statistics.fmean if aggregate == "mean" else statistics.median
    by_application: dict[str, list[ScoredReview]] = defaultdict(list)
    for review in scored:
        by_application[review.application].append(review)
    lines = []
    for application, its_reviews in by_application.items():
        raw = [review.raw for review in its_reviews]
        normalized = [review.normalized for review in its_reviews]
        normalized_range = max(normalized) - min(normalized)
        lines.append(
            {
                "application": application,
                "reviews": len(its_reviews),
                "raw": round(combine(raw), _PLACES),
                "normalized": round(combine(normalized), _PLACES),
                "raw_sd": statistics.pstdev(raw),
                "raw_range": max(raw) - min(raw),
                "normalized_sd": statistics.pstdev(normalized),
                "normalized_range": normalized_range,
                "disagreement": round(normalized_range, _PLACES) >= DISAGREEMENT_SHARE * scale.width,
                "reviewers": tuple(review.reviewer for review in its_reviews),
            }
        )
    # Ties: the higher raw score first, then the application's key, so that the order never
    # depends on the order the reviews came in. The raw rank knows nothing of the normalized score.
    by_raw = sorted(lines, key=lambda line: (-line["raw"], line["application"]))
    raw_ranks = {line["application"]: place for place, line in enumerate(by_raw, start=1)}
    ordered = sorted(lines, key=lambda line: (-line["normalized"], -line["raw"], line["application"]))
    return tuple(
        RankedApplication(rank=place, raw_rank=raw_ranks[line["application"]], **line)
        for place, line in enumerate(ordered, start=1)
    )
