"""Review use cases: a call's (or a review phase's) rubric and settings, assigning reviewers by
hand, in bulk or automatically, and the reviews themselves (draft, submit, recuse). Each runs in one
transaction, checks permission first (``PermissionDenied``), validates (``ValidationError``) and
writes its audit entries. A review's status moves by :func:`set_review_status` only.

Conflicts of interest (``conflicts.py``) are read afresh at every assignment: a conflicted reviewer
is never assigned, by hand or automatically, and an automatic assignment that cannot be made
without one (too few reviewers) is refused whole, naming the application.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts import audit
from dari.accounts.access import access_for
from dari.accounts.audit import Actor, log_action
from dari.accounts.models import Membership, Role
from dari.core.services import Fields, lock, require
from dari.core.transitions import Transitions
from dari.engines import assignment
from dari.notifications.services import notify
from dari.registry.models import Sector

from .conflicts import conflicts_of
from .models import Application, Call, DeclaredConflict, Program, Review, ReviewerExpertise, ReviewPhase
from .permissions import can_change_call, can_write_review
from .rubric import check_rubric, check_scores

REVIEW_ASSIGNED = "programs.reviews_assigned"


# --- the rubric and settings of a call or phase --------------------------------------------------------


@dataclass(frozen=True)
class ReviewSetup:
    """How the reviews of a call, or of one of its phases, are made: the rubric (a phase without its
    own uses the call's), whether reviewers see each other's submitted reviews after submitting theirs,
    and whether the review is blind."""

    rubric: list
    reviews_shared: bool
    blind_review: bool


def review_setup(call: Call, phase: ReviewPhase | None) -> ReviewSetup:
    if phase is None:
        return ReviewSetup(call.rubric, call.reviews_shared, call.blind_review)
    return ReviewSetup(phase.rubric or call.rubric, phase.reviews_shared, phase.blind_review)


def setup_of(review: Review) -> ReviewSetup:
    return review_setup(review.application.call, review.phase)


SETUP = ("rubric", "reviews_shared", "blind_review")


@transaction.atomic
def set_review_setup(actor: Actor, call: Call, phase: ReviewPhase | None, values: dict) -> None:
    """Change the rubric (``rubric.check_rubric``), ``reviews_shared`` and ``blind_review`` of
    ``call``, or of its ``phase`` when given (those not in ``values`` stay). The rubric is fixed once
    a review under it has been submitted: scores must keep meaning what they meant.
    Allowed: staff and the program's managers. Audit: programs.call.review_setup_changed (on the
    call; with the phase's position) with the fields before and after, if any changed."""
    require(actor.is_system or can_change_call(actor.user, call), _("You may not change this call."))
    target = lock(phase) if phase is not None else lock(call)
    unknown = set(values) - set(SETUP)
    if unknown:
        raise TypeError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")
    before = {name: getattr(target, name) for name in SETUP}
    if "rubric" in values:
        rubric = check_rubric(values["rubric"])
        if rubric != target.rubric and submitted_under(call, phase).exists():
            raise ValidationError({"rubric": _("The rubric is fixed once a review under it is submitted.")})
        values = {**values, "rubric": rubric}
    for name, value in values.items():
        setattr(target, name, value)
    target.save(update_fields=list(values) or None)
    changes = {
        name: [before[name], getattr(target, name)] for name in SETUP if before[name] != getattr(target, name)
    }
    if changes:
        if phase is not None:
            changes["phase"] = [phase.position, phase.position]
        log_action(actor, "programs.call.review_setup_changed", call, changes)


def submitted_under(call: Call, phase: ReviewPhase | None):
    """The submitted reviews scored with the rubric of ``call`` (phases without their own) or ``phase``."""
    reviews = Review.objects.filter(application__call=call, status=Review.Status.SUBMITTED)
    if phase is not None:
        return reviews.filter(phase=phase)
    return reviews.filter(phase__isnull=True) | reviews.filter(phase__rubric=[])


# --- who reviews what ------------------------------------------------------------------------------------


def program_reviewers(program: Program):
    """The users who hold the reviewer role on ``program``, by username."""
    memberships = Membership.objects.filter(
        role=Role.PROGRAM_REVIEWER,
        scope_type=ContentType.objects.get_for_model(Program),
        scope_id=program.pk,
    )
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .order_by("username")
    )


def reviewable_applications(call: Call):
    """The applications that are reviewed: those submitted (not drafts, withdrawn ones or those
    sent back for revisions)."""
    return call.applications.filter(status=Application.Status.SUBMITTED)


def check_phase(call: Call, phase: ReviewPhase | None) -> None:
    if phase is not None and phase.call_id != call.pk:
        raise ValidationError({"phase": _("This phase belongs to another call.")})


def conflict_error(application: Application, reviewer, reasons) -> ValidationError:
    return ValidationError(
        {
            "reviewer": _("%(reviewer)s may not review %(application)s: %(reasons)s")
            % {
                "reviewer": reviewer.get_username(),
                "application": application.startup,
                "reasons": "; ".join(reason.describe() for reason in reasons),
            }
        }
    )


@transaction.atomic
def assign_reviewers(actor: Actor, call: Call, phase: ReviewPhase | None, pairs) -> list[Review]:
    """Assign reviewers by hand or in bulk: ``pairs`` of (application, reviewer user). Each
    application must be a submitted application of ``call``, each reviewer hold the reviewer role on
    the call's program and have no conflict with the applicant (the error names the reasons); a pair
    already assigned is left as it is. All or nothing. Allowed: staff and the program's managers.
    Effects: the new reviews (status assigned); one audit entry programs.call.reviewers_assigned
    listing them; one notice per reviewer (kind programs.reviews_assigned, never naming applicants)."""
    require(
        actor.is_system or can_change_call(actor.user, call), _("You may not assign reviewers to this call.")
    )
    check_phase(call, phase)
    pairs = list(dict.fromkeys((application.pk, reviewer.pk) for application, reviewer in pairs))
    applications = {item.pk: item for item in reviewable_applications(call).select_related("startup")}
    reviewers = {user.pk: user for user in program_reviewers(call.program)}
    for application_id, reviewer_id in pairs:
        if application_id not in applications:
            raise ValidationError({"application": _("Only the call's submitted applications are reviewed.")})
        if reviewer_id not in reviewers:
            raise ValidationError({"reviewer": _("Only the program's reviewers review its applications.")})
    conflicts = conflicts_of({reviewer_id for _application, reviewer_id in pairs})
    for application_id, reviewer_id in pairs:
        application = applications[application_id]
        reasons = conflicts[reviewer_id].get(application.startup_id)
        if reasons:
            raise conflict_error(application, reviewers[reviewer_id], reasons)
    existing = set(
        scope_reviews(call, phase)
        .filter(reviewer_id__in=reviewers)
        .values_list("application_id", "reviewer_id")
    )
    wanted = [pair for pair in pairs if pair not in existing]
    return create_reviews(actor, call, phase, wanted, reviewers, how="by_hand")


def scope_reviews(call: Call, phase: ReviewPhase | None):
    reviews = Review.objects.filter(application__call=call)
    return reviews.filter(phase=phase) if phase is not None else reviews.filter(phase__isnull=True)


def create_reviews(actor: Actor, call: Call, phase, pairs, reviewers: dict, *, how: str) -> list[Review]:
    if not pairs:
        return []
    reviews = Review.objects.bulk_create(
        Review(application_id=application_id, reviewer_id=reviewer_id, phase=phase, assigned_by=actor.user)
        for application_id, reviewer_id in pairs
    )
    log_action(
        actor,
        "programs.call.reviewers_assigned",
        call,
        {
            "how": [None, how],
            "phase": [None, phase.position if phase is not None else None],
            "reviews": [
                None,
                sorted(
                    [application_id, reviewers[reviewer_id].get_username()]
                    for application_id, reviewer_id in pairs
                ),
            ],
        },
    )
    counts: dict[int, int] = defaultdict(int)
    for _application_id, reviewer_id in pairs:
        counts[reviewer_id] += 1
    for reviewer_id, count in counts.items():
        notify(
            reviewers[reviewer_id],
            REVIEW_ASSIGNED,
            subject_object=call,
            context={"call": call, "phase": phase, "count": count},
            link=review_list_path(),
        )
    return reviews


def review_list_path() -> str:
    from django.urls import reverse

    return reverse("programs:review-list")


@transaction.atomic
def auto_assign(
    actor: Actor,
    call: Call,
    phase: ReviewPhase | None,
    per_application: int,
    *,
    reviewers=None,
    preferences=None,
    expertise=None,
) -> list[Review]:
    """Assign reviewers automatically (``dari.engines.assignment``): every submitted application of
    ``call`` ends with ``per_application`` reviews in the scope (those already assigned count and
    stay), the reviewers' loads differ by at most one, and no reviewer with a conflict is assigned.

    ``reviewers``: the users to draw from (default: the program's reviewers); ``preferences``:
    (application, reviewer, weight) triples, weight from -1 (rather not) to 1 (preferably);
    ``expertise``: reviewer → sectors, each sector shared with the applicant a point of preference
    (none given: what the reviewers stated themselves, :func:`set_expertise`).
    Preferences and expertise are followed where the balance allows.

    Raises ``ValidationError`` on ``per_application`` naming the application or reviewer when the
    request cannot be met (too few reviewers without a conflict): nothing is written. Effects as
    :func:`assign_reviewers` (audit programs.call.reviewers_assigned with how=automatic)."""
    require(
        actor.is_system or can_change_call(actor.user, call), _("You may not assign reviewers to this call.")
    )
    check_phase(call, phase)
    pool = {user.pk: user for user in program_reviewers(call.program)}
    if reviewers is not None:
        chosen = {user.pk for user in reviewers}
        if chosen - set(pool):
            raise ValidationError({"reviewers": _("Only the program's reviewers review its applications.")})
        pool = {pk: user for pk, user in pool.items() if pk in chosen}
    if not 1 <= per_application <= 50:
        raise ValidationError({"per_application": _("Ask for 1 to 50 reviews per application.")})
    applications = list(reviewable_applications(call).order_by("pk").values_list("pk", "startup_id"))
    startup_of = dict(applications)
    existing = {
        (application_id, reviewer_id)
        for application_id, reviewer_id in scope_reviews(call, phase)
        .exclude(status=Review.Status.RECUSED)
        .values_list("application_id", "reviewer_id")
        if reviewer_id in pool
    }
    found = conflicts_of(pool)
    conflicts = {
        (application_id, reviewer_id)
        for reviewer_id, organizations in found.items()
        for application_id, startup_id in applications
        if startup_id in organizations
    }
    # A reviewer who recused themself from an application keeps out of it.
    conflicts |= set(
        scope_reviews(call, phase)
        .filter(status=Review.Status.RECUSED)
        .values_list("application_id", "reviewer_id")
    )
    if not expertise:
        expertise = stored_expertise(pool.values())
    affinity = preference_scores(applications, pool, preferences, expertise)
    request = assignment.Request(
        [pk for pk, _startup in applications],
        sorted(pool, key=lambda pk: pool[pk].get_username()),
        per_application,
        conflicts=conflicts,
        existing=existing,
        affinity=affinity,
    )
    try:
        pairs = assignment.assign(request)
    except assignment.Impossible as error:
        raise ValidationError(
            {"per_application": impossible_message(error, pool, startup_of, per_application)}
        ) from None
    return create_reviews(actor, call, phase, pairs, pool, how="automatic")


def impossible_message(error: assignment.Impossible, pool, startup_of, per_application) -> str:
    if error.application is not None:
        return _(
            "Application #%(application)s cannot get %(count)s reviews: only %(eligible)s of the "
            "%(reviewers)s reviewers have no conflict with it (or are not on it already). Add reviewers "
            "or ask for fewer reviews. Nothing was assigned."
        ) % {
            "application": error.application,
            "count": per_application,
            "eligible": error.eligible,
            "reviewers": len(pool),
        }
    if error.reviewer is not None:
        return _(
            "%(reviewer)s cannot get a balanced share of the reviews: too few applications without a "
            "conflict for them. Leave them out or ask for fewer reviews. Nothing was assigned."
        ) % {"reviewer": pool[error.reviewer].get_username()}
    return str(error)


def stored_expertise(users) -> dict:
    """Reviewer → the sectors they stated (:func:`set_expertise`), for those who stated any; two
    queries whatever the number of reviewers."""
    by_id = {user.pk: user for user in users}
    found: dict = defaultdict(list)
    rows = ReviewerExpertise.sectors.through.objects.filter(reviewerexpertise__reviewer_id__in=by_id)
    for row in rows.select_related("sector", "reviewerexpertise"):
        found[by_id[row.reviewerexpertise.reviewer_id]].append(row.sector)
    return dict(found)


def may_state_expertise(user) -> bool:
    access = access_for(user)
    return access.sees_everything or bool(access.reviewed_program_ids)


def expertise_of(user) -> list:
    """The sectors ``user`` stated they know, in key order."""
    return list(
        Sector.objects.filter(
            pk__in=ReviewerExpertise.sectors.through.objects.filter(reviewerexpertise__reviewer=user).values(
                "sector_id"
            )
        ).order_by("key")
    )


@transaction.atomic
def set_expertise(actor: Actor, sectors) -> list:
    """The signed-in reviewer states the sectors and technologies they know (replacing those stated
    before; none: nothing). Only for oneself, and only a program's reviewer (or staff, who may review
    anything). Audit:
    programs.reviewer.expertise_changed with the sector keys before and after, if they changed."""
    user = actor.user
    require(
        user is not None and may_state_expertise(user),
        _("Only a program's reviewers state their expertise."),
    )
    sectors = list(dict.fromkeys(sectors))
    expertise, _created = ReviewerExpertise.objects.select_for_update().get_or_create(reviewer=user)
    before = sorted(expertise.sectors.values_list("key", flat=True))
    after = sorted(sector.key for sector in sectors)
    if before != after:
        expertise.sectors.set(sectors)
        expertise.save(update_fields=["updated_at"])
        log_action(actor, "programs.reviewer.expertise_changed", expertise, {"sectors": [before, after]})
    return expertise_of(user)


def preference_scores(applications, pool, preferences, expertise) -> dict:
    """(application, reviewer) → how much the pair is wanted: a manager's preference counts ten
    times a shared sector, so a stated preference wins over expertise."""
    scores: dict = defaultdict(float)
    for application, reviewer, weight in preferences or ():
        scores[(application.pk, reviewer.pk)] += 10 * max(-1.0, min(1.0, float(weight)))
    if expertise:
        from dari.registry.models import Organization

        wanted = {reviewer.pk: {sector.pk for sector in sectors} for reviewer, sectors in expertise.items()}
        startup_ids = {startup_id for _pk, startup_id in applications}
        sectors: dict = defaultdict(set)
        for organization_id, sector_id in Organization.sectors.through.objects.filter(
            organization_id__in=startup_ids
        ).values_list("organization_id", "sector_id"):
            sectors[organization_id].add(sector_id)
        for application_id, startup_id in applications:
            for reviewer_id, reviewer_sectors in wanted.items():
                shared = len(reviewer_sectors & sectors[startup_id])
                if shared:
                    scores[(application_id, reviewer_id)] += shared
    return dict(scores)


@transaction.atomic
def set_feedback_withheld(actor: Actor, review: Review, withheld: bool) -> Review:
    """Withhold (or pass on again) ``review``'s comment for the applicant: the managers choose the
    feedback the applicant reads with a released decision (``queries.feedback_reviews``). Allowed:
    staff and the program's managers, on a submitted review that has such a comment, before or after
    the release (a comment withheld after it disappears from the applicant's page).
    Audit: programs.review.feedback_withheld with the flag before and after, if it changed."""
    require(
        actor.is_system or can_change_call(actor.user, review.application.call),
        _("Only the program's managers choose the feedback the applicant reads."),
    )
    review = lock(review)
    if review.status != ReviewStatus.SUBMITTED or not review.comment_to_applicant:
        raise ValidationError(
            {
                "feedback_withheld": _(
                    "Only a submitted review's comment for the applicant is passed on or withheld."
                )
            }
        )
    if review.feedback_withheld != withheld:
        log_action(
            actor,
            "programs.review.feedback_withheld",
            review,
            {"feedback_withheld": [review.feedback_withheld, withheld]},
        )
        review.feedback_withheld = withheld
        review.save(update_fields=["feedback_withheld"])
    return review


@transaction.atomic
def unassign(actor: Actor, review: Review) -> None:
    """Take a review back from its reviewer, while it is not submitted (a submitted review is a
    record). Allowed: staff and the program's managers. Audit: programs.review.unassigned."""
    call = review.application.call
    require(
        actor.is_system or can_change_call(actor.user, call), _("You may not assign reviewers to this call.")
    )
    review = lock(review)
    if review.status == Review.Status.SUBMITTED:
        raise ValidationError({"status": _("A submitted review stays.")})
    audit.delete(actor, review, REVIEW, "programs.review.unassigned")


# --- the review itself ----------------------------------------------------------------------------------

REVIEW = Fields(
    creatable=("scores", "comment", "comment_to_applicant"),
    also_audited=("application", "phase", "reviewer", "status"),
)

ReviewStatus = Review.Status
#: A review is to do until its reviewer submits it (final) or recuses themself (final, and a
#: declared conflict with the applicant).
REVIEW_STATUS = Transitions(
    ReviewStatus,
    {ReviewStatus.ASSIGNED: {ReviewStatus.SUBMITTED, ReviewStatus.RECUSED}},
    field="status",
    refusal=gettext_lazy("A review cannot go from %(old)s to %(new)s."),
)


@transaction.atomic
def save_review(actor: Actor, review: Review, values: dict, *, version: int | None = None) -> Review:
    """Save a draft: ``scores`` (criterion key → a value of its scale; those given replace, an
    empty one clears), ``comment`` (for the managers), ``comment_to_applicant``. Allowed: the reviewer,
    while the review is to do and they may see the application. Audit: programs.review.changed."""
    require(actor.is_system or can_write_review(actor.user, review), _("You may not change this review now."))
    values = dict(values)
    if "scores" in values:
        merged = {**review.scores, **(values["scores"] or {})}
        values["scores"] = check_scores(setup_of(review).rubric, merged, complete=False)
    return audit.update(actor, review, values, REVIEW, "programs.review.changed", version=version)


def check_phase_open(phase: ReviewPhase | None, now) -> None:
    """A phase's reviews are submitted from its opening time up to, not including, its closing time
    (either may be unset); reviews without a phase at any time."""
    if phase is None:
        return
    if phase.opens_at and now < phase.opens_at:
        raise ValidationError({"status": _("This review phase has not opened yet.")})
    if phase.closes_at and now >= phase.closes_at:
        raise ValidationError({"status": _("This review phase has closed.")})


@transaction.atomic
def set_review_status(actor: Actor, review: Review, status: str, *, reason: str = "", now=None) -> Review:
    """Move ``review`` along ``REVIEW_STATUS`` (the reviewer only):

    - **submitted**: every criterion of the rubric scored, within the phase's times if it has any
      (``now``, default the current time, from its opening to before its closing); ``submitted_at``
      set to ``now``; from then
      on, where the phase (or call) shares reviews, the reviewer sees the others' submitted reviews;
    - **recused**, with a ``reason``: the reviewer declares a conflict with the applicant (a
      ``DeclaredConflict``, which keeps them out of its applications in every program, and hides this
      one from them at once).

    Effects, in one transaction: ``status`` saved; one audit entry programs.review.status_changed with
    ``{"status": [old, new]}`` (and the reason). Raises ``PermissionDenied`` or ``ValidationError``
    (nothing written). The same status again changes nothing."""
    require(actor.is_system or can_write_review(actor.user, review), _("You may not change this review now."))
    review = lock(review)
    if status == review.status:
        return review
    REVIEW_STATUS.check(review.status, status)
    changes = {"status": [review.status, status]}
    if status == ReviewStatus.SUBMITTED:
        now = now or timezone.now()
        check_phase_open(review.phase, now)
        review.scores = check_scores(setup_of(review).rubric, review.scores, complete=True)
        review.submitted_at = now
    elif status == ReviewStatus.RECUSED:
        reason = reason.strip()
        if not reason:
            raise ValidationError({"reason": _("Say why you step aside.")})
        DeclaredConflict.objects.get_or_create(
            reviewer=review.reviewer, organization=review.application.startup, defaults={"reason": reason}
        )
        changes["reason"] = [None, reason]
    review.status = status
    review.save(update_fields=["status", "scores", "submitted_at"])
    log_action(actor, "programs.review.status_changed", review, changes)
    return review
