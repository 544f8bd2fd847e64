"""Review scores to a ranking a committee can defend (no Django imports)::

    from dari.engines.scoring import Criterion, Review, Scale, rank_reviews
    ranking = rank_reviews(
        [Review("app-1", "kim", {"team": 4, "market": 3}), ...],
        Scale(1, 5),
        criteria=[Criterion("team", weight=2), Criterion("market", weight=1)],
        aggregate="mean",  # or "median"
    )
    ranking.applications[0].application, .normalized, .raw, .raw_rank, .normalized_range, .disagreement

- **Weighted total** of a review: the weighted mean of its criterion scores, so it stays on the scale.
  Without ``criteria`` every criterion the reviews score weighs 1 (a spreadsheet's single ``score``
  is the criterion :data:`OVERALL`).
- **Normalization** corrects harsh and lenient reviewers: each reviewer's totals become z-scores
  against their own mean and sd, mapped back onto the scale with the whole panel's mean and sd
  (``panel_mean + panel_sd * z``). Nothing is clipped, so a normalized score may lie a little outside
  the scale: clipping would tie the best (or worst) applications of the most generous reviewers.
- **Fallback** for a reviewer with fewer than :data:`MIN_REVIEWS` reviews: partial pooling. Their
  mean and variance are averaged with the panel's as if they had also given :data:`POOLING_REVIEWS`
  reviews at the panel's mean and sd. One review of 5 from a newcomer is then read as "somewhat
  lenient, or a good application", not (as a bare z-score would) as exactly the panel's mean, nor
  (as raw scores would) as a plain 5. A reviewer whose totals never vary is only centred.
  ``benchmarks/review_normalization.py --choose`` chose this over raw scores, centring alone and
  other pooling weights on development seeds; ``benchmarks/results/review-normalization.md``
  reports it on held-out seeds.
- **Aggregation** per application: the mean or the median of its reviews' totals, raw and
  normalized alike.
- **Ranking**: by the normalized score; ties by the raw score, then by the application's key
  (scores compared at 9 decimals), so the order never depends on the input's order. Each line has
  both scores, the rank the raw score alone would give, the spread between its reviews (sd and
  range, raw and normalized) and ``disagreement``: the normalized scores span at least
  :data:`DISAGREEMENT_SHARE` of the scale's width (2 points on 1-5), i.e. the reviewers disagree on
  the application itself, not merely in how strictly they mark.
- **Errors**: :class:`ScoringError` with a ``code`` (``empty``, ``out_of_scale``, ``not_a_number``,
  ``unknown_criterion``, ``missing_criterion``, ``duplicate_review``, ``bad_weight``, ``bad_scale``,
  ``bad_aggregate``) and its ``params``, for callers that translate.

``dari rank_reviews FILE.csv --scale 1-5`` ranks a spreadsheet with this module.
"""

from .ranking import (
    AGGREGATES,
    DISAGREEMENT_SHARE,
    MIN_REVIEWS,
    OVERALL,
    POOLING_REVIEWS,
    Criterion,
    RankedApplication,
    Ranking,
    Review,
    ReviewerNormalization,
    Scale,
    ScoredReview,
    ScoringError,
    normalize,
    rank_reviews,
    weighted_total,
)

__all__ = [
    "AGGREGATES",
    "DISAGREEMENT_SHARE",
    "MIN_REVIEWS",
    "OVERALL",
    "POOLING_REVIEWS",
    "Criterion",
    "RankedApplication",
    "Ranking",
    "Review",
    "ReviewerNormalization",
    "Scale",
    "ScoredReview",
    "ScoringError",
    "normalize",
    "rank_reviews",
    "weighted_total",
]
