"""``/api/v1/calls/{id}/review-setup``, ``/api/v1/calls/{id}/conflicts``,
``/api/v1/calls/{id}/assignments`` and ``/api/v1/reviews``: the review, through the services in
``reviews`` (401 signed out, 403 not allowed, 404 not visible, 409 a stale ``version``, 422 invalid
input, and an automatic assignment that cannot be made)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.core.api import (
    EDIT_ERRORS,
    WRITE_ERRORS,
    InputSchema,
    MultilineText,
    Pagination,
    Ref,
    absolute_url,
    errors,
    signed_in,
)
from dari.core.schemas import in_own_zone
from dari.registry.api import VERSION_IN
from dari.registry.models import Sector

from . import ranking, reviews
from .conflicts import conflicts_of
from .models import Call, Review
from .permissions import blind_application_ids, can_manage_reviews
from .rubric import weighted_total

call_reviews_router = Router(tags=["programs"])
reviews_router = Router(tags=["programs"])


def managed_call(request, call_id: int) -> Call:
    call = get_object_or_404(Call.objects.visible_to(request.user).select_related("program"), pk=call_id)
    if not can_manage_reviews(request.user, call):
        raise PermissionDenied(_("Only the program's managers run its reviews."))
    return call


def phase_at(call: Call, position: int | None):
    if position is None:
        return None
    phase = call.phases.filter(position=position).first()
    if phase is None:
        raise ValidationError({"phase": _("The call has no phase %(position)s.") % {"position": position}})
    return phase


# --- rubric and settings -----------------------------------------------------------------------------


class ReviewSetupOut(Schema):
    phase: int | None = Field(description="The phase's position, or null for the call itself")
    rubric: list[dict] = Field(
        description="Criteria: key, label_ko, label_en, help_ko, help_en, weight, "
        "scale [{value, label_ko, label_en}] (a phase without its own: the call's)"
    )
    reviews_shared: bool
    blind_review: bool


def setup_out(call, phase) -> dict:
    setup = reviews.review_setup(call, phase)
    return {
        "phase": phase.position if phase is not None else None,
        "rubric": setup.rubric,
        "reviews_shared": setup.reviews_shared,
        "blind_review": setup.blind_review,
    }


@call_reviews_router.get(
    "/{call_id}/review-setup",
    response={200: ReviewSetupOut, **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="A call's (or phase's) rubric and review settings",
)
def get_review_setup(request, call_id: int, phase: int | None = None):
    """The program's managers and staff."""
    call = managed_call(request, call_id)
    return setup_out(call, phase_at(call, phase))


class ReviewSetupIn(InputSchema):
    """Only the fields sent change. ``phase``: a phase's position (default: the call itself)."""

    phase: int | None = None
    rubric: list[dict] = None
    reviews_shared: bool = None
    blind_review: bool = None


@call_reviews_router.put(
    "/{call_id}/review-setup",
    response={200: ReviewSetupOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Set a call's (or phase's) rubric and review settings",
)
def put_review_setup(request, call_id: int, payload: ReviewSetupIn):
    """The rubric is fixed once a review under it is submitted (422)."""
    call = managed_call(request, call_id)
    values = payload.dict(exclude_unset=True)
    phase = phase_at(call, values.pop("phase", None))
    values = {name: value for name, value in values.items() if value is not None}
    reviews.set_review_setup(Actor.from_request(request), call, phase, values)
    call.refresh_from_db()
    if phase is not None:
        phase.refresh_from_db()
    return setup_out(call, phase)


# --- conflicts and assignments -----------------------------------------------------------------------


class ReasonOut(Schema):
    code: str = Field(
        description="worked_at, member, declared, invests_in, partners_with, part_of, invested_by, "
        "partnered_by or has_part"
    )
    organization: int | None = Field(description="The reviewer's organization the reason goes through")
    text: str = Field(description="The reason in the caller's language")


class ConflictOut(Schema):
    application: int
    reviewer: str
    reasons: list[ReasonOut]


@call_reviews_router.get(
    "/{call_id}/conflicts",
    response={200: list[ConflictOut], **errors(401, 403, 404)},
    auth=signed_in,
    summary="Conflicts of interest between the program's reviewers and the call's applicants",
)
def list_conflicts(request, call_id: int):
    """Derived afresh from the registry and the reviewers' recusals, with the reasons; the program's
    managers and staff."""
    call = managed_call(request, call_id)
    reviewers = list(reviews.program_reviewers(call.program))
    found = conflicts_of([reviewer.pk for reviewer in reviewers])
    applications = reviews.reviewable_applications(call).order_by("pk").values_list("pk", "startup_id")
    return [
        {
            "application": application_id,
            "reviewer": reviewer.username,
            "reasons": [
                {"code": reason.code, "organization": reason.via, "text": reason.describe()}
                for reason in found[reviewer.pk][startup_id]
            ],
        }
        for application_id, startup_id in applications
        for reviewer in reviewers
        if startup_id in found[reviewer.pk]
    ]


class ApplicationRef(Schema):
    id: int
    call_id: int
    startup: Ref | None = Field(description="null for a reviewer in a blind review")


class ReviewOut(Schema):
    id: int
    application: ApplicationRef
    phase: int | None = Field(description="The phase's position, or null for the call's review")
    reviewer: str
    status: str = Field(description="assigned (to do), submitted or recused")
    scores: dict = Field(description="Criterion key → a value of its scale")
    weighted_total: float | None = Field(description="On the rubric's scale, once every criterion is scored")
    comment: str = Field(description="For the program's managers")
    comment_to_applicant: str
    feedback_withheld: bool = Field(description="The managers withheld the comment for the applicant")
    submitted_at: datetime | None = Field(description="In the call's zone")
    version: int
    web_url: str

    @staticmethod
    def resolve_application(obj: Review, context) -> dict:
        application = obj.application
        blind = application.pk in blind_application_ids(context["request"].user)
        return {
            "id": application.pk,
            "call_id": application.call_id,
            "startup": None if blind else application.startup,
        }

    @staticmethod
    def resolve_phase(obj: Review) -> int | None:
        return obj.phase.position if obj.phase is not None else None

    @staticmethod
    def resolve_reviewer(obj: Review) -> str:
        return obj.reviewer.get_username()

    @staticmethod
    def resolve_weighted_total(obj: Review) -> float | None:
        return weighted_total(reviews.setup_of(obj).rubric, obj.scores)

    @staticmethod
    def resolve_submitted_at(obj: Review):
        return in_own_zone(obj.submitted_at, obj.application.call.time_zone)

    @staticmethod
    def resolve_web_url(obj: Review, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


def reviews_for(request):
    return Review.objects.visible_to(request.user).select_related(
        "application__call", "application__startup", "phase", "reviewer"
    )


class PairIn(InputSchema):
    application: int
    reviewer: str = Field(description="The reviewer's username")


class AssignIn(InputSchema):
    """By hand or in bulk: each pair assigned (those assigned already are left as they are)."""

    phase: int | None = None
    pairs: list[PairIn]


def reviewer_named(call: Call, usernames: list[str], field: str) -> dict:
    found = {
        user.username: user for user in reviews.program_reviewers(call.program).filter(username__in=usernames)
    }
    missing = sorted(set(usernames) - set(found))
    if missing:
        raise ValidationError(
            {field: _("Not a reviewer of the program: %(names)s") % {"names": ", ".join(missing)}}
        )
    return found


def application_of(call: Call, ids: list[int], field: str) -> dict:
    found = {item.pk: item for item in call.applications.filter(pk__in=ids)}
    missing = sorted(set(ids) - set(found))
    if missing:
        raise ValidationError(
            {field: _("No such application in this call: %(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )
    return found


@call_reviews_router.post(
    "/{call_id}/assignments",
    response={201: list[ReviewOut], **WRITE_ERRORS},
    auth=signed_in,
    summary="Assign reviewers by hand or in bulk",
)
def assign_reviewers(request, call_id: int, payload: AssignIn):
    """The program's managers and staff; a reviewer in conflict with the applicant is refused (422,
    with the reasons), and then nothing is assigned. Answers the reviews created."""
    call = managed_call(request, call_id)
    phase = phase_at(call, payload.phase)
    users = reviewer_named(call, [pair.reviewer for pair in payload.pairs], "pairs")
    applications = application_of(call, [pair.application for pair in payload.pairs], "pairs")
    created = reviews.assign_reviewers(
        Actor.from_request(request),
        call,
        phase,
        [(applications[pair.application], users[pair.reviewer]) for pair in payload.pairs],
    )
    return Status(201, list(reviews_for(request).filter(pk__in=[review.pk for review in created])))


class PreferenceIn(InputSchema):
    application: int
    reviewer: str
    weight: float = Field(ge=-1, le=1, description="-1 rather not … 1 preferably")


class ExpertiseIn(InputSchema):
    reviewer: str
    sectors: list[str] = Field(description="Sector keys; each one the applicant shares is a point")


class AutoAssignIn(InputSchema):
    """Every submitted application ends with ``per_application`` reviews (those assigned count),
    loads within one of each other, nobody in conflict."""

    phase: int | None = None
    per_application: int = Field(ge=1, le=50)
    reviewers: list[str] | None = Field(
        None, description="Usernames to draw from (default: all the program's)"
    )
    preferences: list[PreferenceIn] = []
    expertise: list[ExpertiseIn] = []


@call_reviews_router.post(
    "/{call_id}/assignments/auto",
    response={201: list[ReviewOut], **WRITE_ERRORS},
    auth=signed_in,
    summary="Assign reviewers automatically",
)
def auto_assign(request, call_id: int, payload: AutoAssignIn):
    """The program's managers and staff. A request that cannot be met (too few reviewers without a
    conflict) answers 422 naming the application, and assigns nothing."""
    call = managed_call(request, call_id)
    phase = phase_at(call, payload.phase)
    named = [*(payload.reviewers or []), *(item.reviewer for item in payload.preferences)]
    named += [item.reviewer for item in payload.expertise]
    users = reviewer_named(call, named, "reviewers")
    applications = application_of(call, [item.application for item in payload.preferences], "preferences")
    sectors = {
        sector.key: sector
        for sector in Sector.objects.filter(
            key__in={key for item in payload.expertise for key in item.sectors}
        )
    }
    created = reviews.auto_assign(
        Actor.from_request(request),
        call,
        phase,
        payload.per_application,
        reviewers=[users[name] for name in payload.reviewers] if payload.reviewers is not None else None,
        preferences=[
            (applications[item.application], users[item.reviewer], item.weight)
            for item in payload.preferences
        ],
        expertise={
            users[item.reviewer]: [sectors[key] for key in item.sectors if key in sectors]
            for item in payload.expertise
        },
    )
    return Status(201, list(reviews_for(request).filter(pk__in=[review.pk for review in created])))


# --- reviews -----------------------------------------------------------------------------------------


class ExpertiseOut(Schema):
    sectors: list[str] = Field(description="The keys of the sectors you stated you know, in key order")


class MyExpertiseIn(InputSchema):
    sectors: list[str] = Field(
        description="Sector keys, as in an organization's sectors; [] states none", max_length=200
    )


@reviews_router.get(
    "/expertise",
    response={200: ExpertiseOut, **errors(401)},
    auth=signed_in,
    summary="Your expertise as a reviewer",
)
def get_expertise(request):
    """The sectors and technologies you stated you know; automatic assignment prefers giving you
    applications in them."""
    return {"sectors": [sector.key for sector in reviews.expertise_of(request.user)]}


@reviews_router.put(
    "/expertise",
    response={200: ExpertiseOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="State your expertise as a reviewer",
)
def put_expertise(request, payload: MyExpertiseIn):
    """A program's reviewers state the sectors they know (replacing those stated before); an unknown
    key is refused (422) and nothing changes."""
    found = {sector.key: sector for sector in Sector.objects.filter(key__in=payload.sectors)}
    unknown = [key for key in payload.sectors if key not in found]
    if unknown:
        raise ValidationError({"sectors": _("Unknown sectors: %(keys)s.") % {"keys": ", ".join(unknown)}})
    sectors = reviews.set_expertise(Actor.from_request(request), [found[key] for key in payload.sectors])
    return {"sectors": [sector.key for sector in sectors]}


@reviews_router.get("", response={200: list[ReviewOut], **errors(422)}, summary="List reviews")
@paginate(Pagination)
def list_reviews(request, call: int | None = None, application: int | None = None, status: str | None = None):
    """A reviewer's own reviews (and the others' they may see); a program's managers and staff
    every review of its calls. Filter by ``call``, ``application`` and ``status``."""
    found = reviews_for(request).order_by("pk")
    if call is not None:
        found = found.filter(application__call_id=call)
    if application is not None:
        found = found.filter(application_id=application)
    if status:
        found = found.filter(status=status)
    return found


@reviews_router.get("/{review_id}", response=ReviewOut, summary="One review")
def get_review(request, review_id: int):
    return get_object_or_404(reviews_for(request), pk=review_id)


class ReviewPatch(InputSchema):
    """Only the fields sent change; ``scores`` given replace those of the same criteria (null clears)."""

    scores: dict = None
    comment: MultilineText = None
    comment_to_applicant: MultilineText = None
    version: int | None = Field(None, description=VERSION_IN)


@reviews_router.patch(
    "/{review_id}", response={200: ReviewOut, **EDIT_ERRORS}, auth=signed_in, summary="Save a review's draft"
)
def save_review(request, review_id: int, payload: ReviewPatch):
    """The reviewer, while the review is to do."""
    review = get_object_or_404(reviews_for(request), pk=review_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    reviews.save_review(Actor.from_request(request), review, values, version=version)
    return reviews_for(request).get(pk=review.pk)


class ReviewStatusIn(InputSchema):
    status: str = Field(description="submitted, or recused with a reason")
    reason: MultilineText = ""


@reviews_router.post(
    "/{review_id}/status",
    response={200: ReviewOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Submit a review, or step aside",
)
def set_review_status(request, review_id: int, payload: ReviewStatusIn):
    """The reviewer: ``submitted`` (every criterion scored) or ``recused`` with a ``reason`` (a
    declared conflict with the applicant: from then on the review and the application answer 404
    to the reviewer)."""
    review = get_object_or_404(reviews_for(request), pk=review_id)
    review = reviews.set_review_status(
        Actor.from_request(request), review, payload.status, reason=payload.reason
    )
    return review


class FeedbackIn(InputSchema):
    withheld: bool = Field(description="true: the applicant never reads this comment")


@reviews_router.put(
    "/{review_id}/feedback",
    response={200: ReviewOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Withhold a comment for the applicant, or pass it on",
)
def set_feedback(request, review_id: int, payload: FeedbackIn):
    """The program's managers and staff, on a submitted review with a comment for the applicant: the
    applicant reads it with the released decision unless it is withheld."""
    review = get_object_or_404(reviews_for(request), pk=review_id)
    reviews.set_feedback_withheld(Actor.from_request(request), review, payload.withheld)
    return reviews_for(request).get(pk=review.pk)


@reviews_router.delete(
    "/{review_id}", response={204: None, **WRITE_ERRORS}, auth=signed_in, summary="Take a review back"
)
def unassign(request, review_id: int):
    """The program's managers and staff, while the review is not submitted."""
    review = get_object_or_404(reviews_for(request), pk=review_id)
    reviews.unassign(Actor.from_request(request), review)
    return Status(204, None)


# --- ranking -----------------------------------------------------------------------------------------


class RankedReviewOut(Schema):
    review_id: int
    reviewer: str
    raw: float = Field(description="The review's weighted total, on the rubric's scale")
    normalized: float = Field(description="The same corrected for the reviewer's harshness or leniency")


class RankingLineOut(Schema):
    rank: int = Field(description="By the normalized score")
    application: ApplicationRef
    reviews: int = Field(description="Submitted reviews")
    normalized: float
    raw: float
    raw_rank: int = Field(description="Where the raw score alone would rank it")
    raw_sd: float
    raw_range: float
    normalized_sd: float
    normalized_range: float = Field(description="The spread between its reviewers")
    disagreement: bool = Field(description="The normalized scores span at least half the scale")
    scores: list[RankedReviewOut]


class RankingOut(Schema):
    call_id: int
    phase: int | None = Field(description="The phase's position, or null for the call's reviews")
    aggregate: str = Field(description="mean or median")
    blind_review: bool
    error: str = Field(description="Why the reviews could not be ranked, else empty")
    items: list[RankingLineOut]
    count: int


def ranking_out(result: ranking.CallRanking) -> dict:
    items = [
        {
            **{name: getattr(line.figures, name) for name in RANKING_FIGURES},
            "application": {
                "id": line.application.pk,
                "call_id": line.application.call_id,
                "startup": line.application.startup,
            },
            "scores": [
                {
                    "review_id": review.pk,
                    "reviewer": review.reviewer.get_username(),
                    "raw": result.scored[review.pk].raw,
                    "normalized": result.scored[review.pk].normalized,
                }
                for review in line.reviews
            ],
        }
        for line in result.lines
    ]
    return {
        "call_id": result.call.pk,
        "phase": result.phase.position if result.phase is not None else None,
        "aggregate": result.aggregate,
        "blind_review": result.blind,
        "error": result.error,
        "items": items,
        "count": len(items),
    }


RANKING_FIGURES = (
    "rank",
    "reviews",
    "normalized",
    "raw",
    "raw_rank",
    "raw_sd",
    "raw_range",
    "normalized_sd",
    "normalized_range",
    "disagreement",
)


@call_reviews_router.get(
    "/{call_id}/ranking",
    response={200: RankingOut, **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="A call's (or phase's) ranking from its submitted reviews",
)
def get_ranking(request, call_id: int, phase: int | None = None, aggregate: str = "mean"):
    """The program's managers and staff. Raw and normalized scores side by side (``dari.engines.scoring``),
    the spread between reviewers and the disagreement flag; ``aggregate``: mean or median (422 else).
    The whole ranking at once, not paginated."""
    call = managed_call(request, call_id)
    if aggregate not in ranking.AGGREGATES:
        raise ValidationError({"aggregate": _("Combine the reviews by their mean or their median.")})
    return ranking_out(ranking.rank_call(call, phase_at(call, phase), aggregate))
