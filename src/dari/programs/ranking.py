"""The ranking of a call's applications (or of one review phase's), for those who run the call: the
submitted reviews go through the scoring engine (``dari.engines.scoring``: weighted totals, the
reviewers' normalization, mean or median), and its export as a workbook with every score and
comment.

Only submitted reviews of applications still under review count. A rubric's criteria may have
scales of their own: the ranking's scale runs from the lowest point of any of them to the highest.

Blindness in the export: the export is a document that leaves Dari (a committee's file), so for a
blind phase (or a blind call without phases) it names the applicants as "Applicant #id", as the
reviewers saw them, and leaves out the answers; the page and the API, seen only by the managers
and staff who know the applicants anyway, name them. Reviewers are named in both: blind review hides
the applicants from the reviewers, not the reviewers from the managers who assigned them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dari.core.bilingual import localized
from dari.core.documents import Column, Sheet, write_xlsx
from dari.engines import scoring

from . import reviews
from .forms import localized_label
from .models import Call, Review, ReviewPhase

AGGREGATES = scoring.AGGREGATES


@dataclass(frozen=True)
class RankingLine:
    """One application's line: the engine's figures and its submitted reviews."""

    application: object
    figures: scoring.RankedApplication
    reviews: tuple[Review, ...]


@dataclass(frozen=True)
class CallRanking:
    call: Call
    phase: ReviewPhase | None
    aggregate: str
    criteria: list[dict]
    blind: bool
    lines: tuple[RankingLine, ...]
    scored: dict  # review pk -> scoring.ScoredReview
    error: str = ""  # why the reviews could not be ranked (a rubric changed under them)


def scale_of(criteria: list[dict]) -> scoring.Scale | None:
    points = [point["value"] for criterion in criteria for point in criterion["scale"]]
    return scoring.Scale(min(points), max(points)) if points else None


def submitted_reviews(call: Call, phase: ReviewPhase | None):
    """The submitted reviews that the ranking reads, with their applications, startups and
    reviewers (one query, however many applications)."""
    return (
        reviews.scope_reviews(call, phase)
        .filter(status=Review.Status.SUBMITTED, application__in=reviews.reviewable_applications(call))
        .select_related("application__startup", "reviewer")
        .order_by("application_id", "reviewer__username")
    )


def rank_call(call: Call, phase: ReviewPhase | None, aggregate: str = "mean") -> CallRanking:
    """The ranking of ``call``'s applications in ``phase`` (None: the call's reviews without a phase),
    aggregated by ``aggregate`` (mean or median). No reviews: no lines. A review whose scores no
    longer fit the rubric: no lines and ``error`` saying why. The caller checks permission
    (``permissions.can_manage_reviews``)."""
    setup = reviews.review_setup(call, phase)
    found = list(submitted_reviews(call, phase))
    ranking = CallRanking(call, phase, aggregate, setup.rubric, setup.blind_review, (), {})
    scale = scale_of(setup.rubric)
    if not found or scale is None:
        return ranking
    try:
        result = scoring.rank_reviews(
            [
                scoring.Review(str(review.application_id), str(review.reviewer_id), review.scores)
                for review in found
            ],
            scale,
            criteria=[scoring.Criterion(item["key"], float(item["weight"])) for item in setup.rubric],
            aggregate=aggregate,
        )
    except scoring.ScoringError as error:
        return CallRanking(**{**ranking.__dict__, "error": str(error)})
    by_application: dict[str, list[Review]] = {}
    for review in found:
        by_application.setdefault(str(review.application_id), []).append(review)
    lines = tuple(
        RankingLine(
            by_application[line.application][0].application, line, tuple(by_application[line.application])
        )
        for line in result.applications
    )
    by_pair = {(item.application, item.reviewer): item for item in result.reviews}
    scored = {review.pk: by_pair[(str(review.application_id), str(review.reviewer_id))] for review in found}
    return CallRanking(**{**ranking.__dict__, "lines": lines, "scored": scored})


def applicant_name(ranking: CallRanking, application) -> str:
    """How the export names an applicant: "Applicant #id" in a blind review, else the startup."""
    if ranking.blind:
        return _("Applicant #%(number)s") % {"number": application.pk}
    return str(localized(application.startup, "name"))


def ranking_xlsx(ranking: CallRanking) -> bytes:
    """The ranking as a workbook, in the active language: a sheet of the applications (ranks, raw and
    normalized scores, spreads, disagreement, number of reviews) and a sheet of every submitted review
    (each criterion's score, its raw and normalized totals, both comments)."""
    score = {"type": "decimal", "places": 2}
    summary = Sheet(
        _("Ranking"),
        [
            Column(_("Rank"), "int"),
            Column(_("Application"), "int"),
            Column(_("Applicant")),
            Column(_("Reviews"), "int"),
            Column(_("Normalized score"), **score),
            Column(_("Raw score"), **score),
            Column(_("Rank by raw score"), "int"),
            Column(_("Spread (normalized range)"), **score),
            Column(_("Spread (raw range)"), **score),
            Column(_("Standard deviation (normalized)"), **score),
            Column(_("Strong disagreement")),
        ],
        [
            (
                line.figures.rank,
                line.application.pk,
                applicant_name(ranking, line.application),
                line.figures.reviews,
                line.figures.normalized,
                line.figures.raw,
                line.figures.raw_rank,
                line.figures.normalized_range,
                line.figures.raw_range,
                line.figures.normalized_sd,
                _("yes") if line.figures.disagreement else _("no"),
            )
            for line in ranking.lines
        ],
    )
    criteria = ranking.criteria
    detail = Sheet(
        _("Reviews"),
        [
            Column(_("Rank"), "int"),
            Column(_("Application"), "int"),
            Column(_("Applicant")),
            Column(_("Reviewer")),
            *(Column(str(localized_label(criterion)), "int") for criterion in criteria),
            Column(_("Weighted total"), **score),
            Column(_("Normalized total"), **score),
            Column(_("Comments for the managers")),
            Column(_("Comments for the applicant")),
            Column(_("Submitted at"), "datetime", time_zone=ranking.call.time_zone),
        ],
        [
            (
                line.figures.rank,
                line.application.pk,
                applicant_name(ranking, line.application),
                review.reviewer.username,
                *(review.scores.get(criterion["key"]) for criterion in criteria),
                ranking.scored[review.pk].raw,
                ranking.scored[review.pk].normalized,
                review.comment,
                review.comment_to_applicant,
                review.submitted_at,
            )
            for line in ranking.lines
            for review in line.reviews
        ],
    )
    return write_xlsx([summary, detail])
