"""dari.engines.scoring: weighted totals, mean or median, normalization that corrects harsh and
lenient reviewers, the fallback for reviewers with few reviews, the disagreement flag, clear errors
and an order that never depends on the input's order."""

import random
from decimal import Decimal

import pytest

from dari.engines.scoring import (
    DISAGREEMENT_SHARE,
    MIN_REVIEWS,
    OVERALL,
    POOLING_REVIEWS,
    Criterion,
    Review,
    Scale,
    ScoringError,
    rank_reviews,
    weighted_total,
)

ONE_TO_FIVE = Scale(1, 5)


def overall(application, reviewer, score):
    return Review(application, reviewer, {OVERALL: score})


def line_of(ranking, application):
    return next(line for line in ranking.applications if line.application == application)


# --- weighted totals and aggregation ------------------------------------------------------------------


def test_a_review_s_total_is_the_weighted_mean_of_its_criteria():
    review = Review("app", "kim", {"team": 4, "market": 2})

    assert weighted_total(review, {"team": 3.0, "market": 1.0}, ONE_TO_FIVE) == 3.5


def test_the_ranking_weighs_criteria_as_given_and_equally_without_them():
    reviews = [
        Review("app", "kim", {"team": 5, "market": 1}),
        Review("other", "kim", {"team": 1, "market": 5}),
    ]

    weighted = rank_reviews(reviews, ONE_TO_FIVE, criteria=[Criterion("team", 3), Criterion("market", 1)])
    equal = rank_reviews(reviews, ONE_TO_FIVE)

    assert [(line.application, line.raw) for line in weighted.applications] == [("app", 4.0), ("other", 2.0)]
    assert {line.raw for line in equal.applications} == {3.0}


def test_scores_may_be_whole_numbers_floats_or_decimals():
    reviews = [overall("app", "kim", 4), overall("app", "lee", 3.5), overall("app", "park", Decimal("2.5"))]

    assert line_of(rank_reviews(reviews, ONE_TO_FIVE), "app").raw == pytest.approx(10 / 3)


def test_an_application_s_score_is_the_mean_or_the_median_of_its_reviews():
    reviews = [overall("app", "kim", 1), overall("app", "lee", 2), overall("app", "park", 5)]

    assert line_of(rank_reviews(reviews, ONE_TO_FIVE), "app").raw == pytest.approx(8 / 3)
    assert line_of(rank_reviews(reviews, ONE_TO_FIVE, aggregate="median"), "app").raw == 2


# --- normalization --------------------------------------------------------------------------------------


def test_normalization_corrects_a_harsh_and_a_lenient_reviewer():
    # A fair reviewer marks every application at its quality. A lenient one (+2) reviewed the first
    # six and a harsh one (-2) the other six, whose qualities are each half a point higher.
    lenient_share = {f"L{quality}": quality for quality in (3, 4, 5, 6, 7, 8)}
    harsh_share = {f"H{quality}": quality + 0.5 for quality in (3, 4, 5, 6, 7, 8)}
    quality = {**lenient_share, **harsh_share}
    reviews = [overall(key, "fair", value) for key, value in quality.items()]
    reviews += [overall(key, "lenient", value + 2) for key, value in lenient_share.items()]
    reviews += [overall(key, "harsh", value - 2) for key, value in harsh_share.items()]

    ranking = rank_reviews(reviews, Scale(1, 10))

    truth = sorted(quality, key=quality.__getitem__, reverse=True)
    assert [line.application for line in ranking.applications] == truth
    by_raw = [line.application for line in sorted(ranking.applications, key=lambda line: line.raw_rank)]
    assert by_raw[:2] == ["L8", "L7"]  # raw scores put the lenient reviewer's 8 above the true best
    assert line_of(ranking, "H8").raw_rank == 3 and line_of(ranking, "H8").rank == 1
    assert {ranking.reviewers[name].method for name in ("fair", "lenient", "harsh")} == {"z-score"}


def test_a_normalized_score_maps_the_reviewer_s_z_score_onto_the_panel_s_mean_and_sd():
    reviews = [overall(f"a{index}", "kim", score) for index, score in enumerate((1, 2, 3, 4, 5))]
    reviews += [overall(f"a{index}", "lee", score) for index, score in enumerate((3, 3, 4, 5, 5))]

    ranking = rank_reviews(reviews, ONE_TO_FIVE)

    lee = ranking.reviewers["lee"]
    first = next(
        review for review in ranking.reviews if (review.application, review.reviewer) == ("a0", "lee")
    )
    assert first.normalized == pytest.approx(ranking.panel_mean + ranking.panel_sd * (3 - lee.mean) / lee.sd)
    assert (lee.mean, lee.reviews) == (4.0, 5)


def test_a_reviewer_with_few_reviews_is_pooled_toward_the_panel():
    regular = [
        overall(f"a{index}", "kim", score) for index, score in enumerate((1, 2, 3, 4, 5, 1, 2, 3, 4, 5))
    ]
    newcomer = overall("a0", "new", 5)

    ranking = rank_reviews([*regular, newcomer], ONE_TO_FIVE)

    pooled = ranking.reviewers["new"]
    assert pooled.method == "pooled" and pooled.reviews == 1 < MIN_REVIEWS
    own = 1 / (1 + POOLING_REVIEWS)
    assert pooled.mean == pytest.approx(own * 5 + (1 - own) * ranking.panel_mean)
    # The lone 5 counts, less than a plain 5: a bare z-score would read it as the panel's mean.
    score = next(review.normalized for review in ranking.reviews if review.reviewer == "new")
    assert ranking.panel_mean < score < 5
    assert ranking.reviewers["kim"].method == "z-score"


def test_the_fallback_weight_runs_from_a_bare_z_score_to_the_raw_score():
    reviews = [overall(f"a{index}", "kim", score) for index, score in enumerate((1, 2, 3, 4, 5, 1, 2, 3))]
    reviews += [overall("a0", "new", 5), overall("a1", "new", 4)]

    def newcomer_scores(pooling):
        ranking = rank_reviews(reviews, ONE_TO_FIVE, pooling=pooling)
        return [review.normalized for review in ranking.reviews if review.reviewer == "new"]

    raw = [5.0, 4.0]
    assert newcomer_scores(float("inf")) == pytest.approx(raw)
    bare, pooled = newcomer_scores(0), newcomer_scores(POOLING_REVIEWS)
    assert bare[0] - bare[1] > pooled[0] - pooled[1] > raw[0] - raw[1]  # one point apart, stretched less


def test_a_reviewer_who_gives_one_mark_to_everything_is_only_centred():
    reviews = [overall(f"a{index}", "kim", score) for index, score in enumerate((1, 2, 3, 4, 5))]
    reviews += [overall(f"a{index}", "same", 4) for index in range(5)]

    ranking = rank_reviews(reviews, ONE_TO_FIVE)

    assert ranking.reviewers["same"].method == "centred"
    assert {review.normalized for review in ranking.reviews if review.reviewer == "same"} == {
        ranking.panel_mean
    }


# --- the ranking's lines ------------------------------------------------------------------------------------


def test_strong_disagreement_is_flagged_from_half_the_scale_s_width():
    # Both reviewers give 1 to 5 once each, so normalized scores equal raw ones.
    first = dict(A=1, B=2, C=3, D=4, E=5)
    second = dict(A=5, B=4, C=3, D=2, E=1)
    reviews = [overall(key, "kim", score) for key, score in first.items()]
    reviews += [overall(key, "lee", score) for key, score in second.items()]

    ranking = rank_reviews(reviews, ONE_TO_FIVE)

    assert DISAGREEMENT_SHARE * ONE_TO_FIVE.width == 2
    flagged = {line.application: line.disagreement for line in ranking.applications}
    assert flagged == {"A": True, "B": True, "C": False, "D": True, "E": True}
    a = line_of(ranking, "A")
    assert (a.raw_range, a.raw_sd, a.normalized_range) == (4.0, 2.0, pytest.approx(4.0))
    assert line_of(ranking, "C").reviews == 2 and line_of(ranking, "C").reviewers == ("kim", "lee")


def test_ties_are_ordered_by_raw_score_then_key_whatever_the_input_order():
    reviews = [overall(key, "kim", 3) for key in ("b", "a", "c")] + [overall("d", "kim", 5)]
    reviews += [overall(key, "lee", 2) for key in ("b", "a", "c", "d")]

    first = rank_reviews(reviews, ONE_TO_FIVE)
    shuffled = reviews[:]
    random.Random(7).shuffle(shuffled)
    second = rank_reviews(shuffled, ONE_TO_FIVE)

    assert [line.application for line in first.applications] == ["d", "a", "b", "c"]
    assert [line.rank for line in first.applications] == [1, 2, 3, 4]
    assert first.applications == second.applications


# --- errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reviews", "criteria", "code", "words"),
    [
        ([], None, "empty", "no reviews"),
        ([overall("app", "kim", 6)], None, "out_of_scale", "6 is outside the scale 1-5"),
        ([overall("app", "kim", 0.5)], None, "out_of_scale", "0.5 is outside"),
        ([overall("app", "kim", float("nan"))], None, "not_a_number", "nan"),
        ([overall("app", "kim", "4")], None, "not_a_number", "'4' is not a number"),
        (
            [Review("app", "kim", {"team": 3, "luck": 4})],
            [Criterion("team")],
            "unknown_criterion",
            "unknown criterion 'luck'",
        ),
        (
            [Review("app", "kim", {"team": 3})],
            [Criterion("team"), Criterion("market")],
            "missing_criterion",
            "no score for 'market'",
        ),
        (
            [overall("app", "kim", 3), overall("app", "kim", 4)],
            None,
            "duplicate_review",
            "kim reviewed app twice",
        ),
    ],
)
def test_bad_input_is_refused_with_its_reason(reviews, criteria, code, words):
    with pytest.raises(ScoringError, match=words) as raised:
        rank_reviews(reviews, ONE_TO_FIVE, criteria=criteria)
    assert raised.value.code == code


def test_bad_weights_scales_and_aggregates_are_refused():
    with pytest.raises(ScoringError) as raised:
        Criterion("team", weight=0)
    assert raised.value.code == "bad_weight"
    for text in ("5-1", "3-3", "five", ""):
        with pytest.raises(ScoringError) as raised:
            Scale.parse(text)
        assert raised.value.code == "bad_scale"
    assert Scale.parse("1–5") == Scale.parse(" 1 - 5 ") == ONE_TO_FIVE
    assert Scale.parse("0..10") == Scale(0, 10)
    with pytest.raises(ScoringError) as raised:
        rank_reviews([overall("app", "kim", 3)], ONE_TO_FIVE, aggregate="mode")
    assert raised.value.code == "bad_aggregate"
