"""Decisions on a call's applications (issue 17, item 5): accept, waitlist or reject, held as
*pending* until the program's managers release the call's decisions together, and the cohort the
accepted startups join.

The rules, enforced here for pages and API alike:

- A decision is made (and changed, or taken back) by staff and the program's managers, on a
  *submitted* application of a *closed* call: not on a draft, a withdrawn application or one waiting
  for revisions, and not while the call is a draft, open or already decided.
- A pending decision is seen by those who make it only (``DecisionQuerySet.visible_to``): the
  applicant reads nothing of it in pages, the API, e-mails or notices until it is released.
- Releasing (:func:`release_decisions`) is all or nothing, for the whole call: it needs at least one
  decision, a decision on every submitted application, and every decided application still
  submitted; otherwise nothing changes and the refusal names the applications. It moves every
  decision to ``released`` (final: a released decision is never changed, except that a waitlisted
  one may later be accepted), the call to ``decided``, makes the accepted startups participants of
  the call's cohort, and tells each applicant organization's members in their own language.
- Accepting from the waitlist (:func:`accept_from_waitlist`), after the release, when a place frees
  up: the released ``waitlisted`` decision becomes ``accepted``, the startup joins the cohort and its
  members are told, as at the release. Nothing else about a released decision ever changes.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts import audit
from dari.accounts.audit import Actor, log_action
from dari.accounts.queries import members_by_organization
from dari.core.services import Fields, lock, require
from dari.core.time import in_zone
from dari.core.transitions import Transitions
from dari.notifications.services import notify

from .models import Application, Call, Cohort, Decision, Participant
from .permissions import can_decide
from .queries import feedback_reviews
from .services import CALL_STATUS

DECISION_RELEASED = "programs.decision_released"

DecisionStatus = Decision.Status
Outcome = Decision.Outcome
CallStatus = Call.Status

#: A decision is pending until the call's decisions are released together; released is final.
DECISION_STATUS = Transitions(
    DecisionStatus,
    {DecisionStatus.PENDING: {DecisionStatus.RELEASED}},
    field="status",
    refusal=gettext_lazy("A decision cannot go from %(old)s to %(new)s."),
)

DECISION = Fields(creatable=("outcome",), also_audited=("application", "status"))
PARTICIPANT = Fields(creatable=("since", "status"), also_audited=("program", "cohort", "organization"))


def check_decidable(call: Call) -> None:
    if call.status != CallStatus.CLOSED:
        raise ValidationError(
            {"call": _("Decisions are made once the call has closed, and until they are released.")}
        )


@transaction.atomic
def decide(actor: Actor, application: Application, outcome: str, *, now=None) -> Decision | None:
    """Make, change or (``outcome`` empty) take back the pending decision on ``application``:
    ``accepted``, ``waitlisted`` or ``rejected``. Allowed: staff and the program's managers.

    Refused (``ValidationError``, nothing written): an unknown outcome; a call that is not closed; an
    application that is not submitted; a decision already released (final). Audit:
    programs.decision.made, programs.decision.changed or programs.decision.withdrawn, on the
    decision, with the outcome before and after. Nothing is sent to anyone: the decision is pending."""
    call = application.call
    require(
        actor.is_system or can_decide(actor.user, call), _("You may not decide on this call's applications.")
    )
    # The call's row serializes decisions with their release (:func:`release_decisions` locks it too).
    call = Call.objects.select_for_update().get(pk=call.pk)
    existing = Decision.objects.select_for_update().filter(application=application).first()
    if existing is not None and existing.status == DecisionStatus.RELEASED:
        raise ValidationError({"outcome": _("This decision has been released: it is final.")})
    check_decidable(call)
    if not outcome:
        if existing is not None:
            audit.delete(actor, existing, DECISION, "programs.decision.withdrawn")
        return None
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown decision %(outcome)s.") % {"outcome": outcome}})
    application = Application.objects.get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(
            {
                "application": _(
                    "Only submitted applications are decided on (not drafts, withdrawn applications "
                    "or those waiting for revisions)."
                )
            }
        )
    now = now or timezone.now()
    if existing is None:
        decision = Decision(application=application, decided_by=actor.user, decided_at=now)
        return audit.create(actor, decision, {"outcome": outcome}, DECISION, "programs.decision.made")
    if existing.outcome == outcome:
        return existing

    def stamp(decision, before):
        decision.decided_by, decision.decided_at = actor.user, now

    return audit.update(
        actor, existing, {"outcome": outcome}, DECISION, "programs.decision.changed", prepare=stamp
    )


def release_problems(call: Call, decisions: list[Decision]) -> list[str]:
    """Why ``call``'s ``decisions`` (its pending ones) cannot be released, in words; none: they can."""
    if not decisions:
        return [_("There are no decisions to release: decide on the applications first.")]
    problems = []
    decided = {decision.application_id for decision in decisions}
    undecided = list(
        call.applications.filter(status=Application.Status.SUBMITTED)
        .exclude(pk__in=decided)
        .exclude(decision__status=DecisionStatus.RELEASED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if undecided:
        problems.append(
            _("Every submitted application needs a decision first: %(applications)s has none.")
            % {"applications": ", ".join(f"#{pk}" for pk in undecided)}
        )
    unsubmitted = sorted(
        decision.application_id
        for decision in decisions
        if decision.application.status != Application.Status.SUBMITTED
    )
    if unsubmitted:
        problems.append(
            _(
                "%(applications)s is no longer submitted (withdrawn, or waiting for revisions): take "
                "its decision back or decide again once it is submitted."
            )
            % {"applications": ", ".join(f"#{pk}" for pk in unsubmitted)}
        )
    return problems


@transaction.atomic
def release_decisions(actor: Actor, call: Call, *, now=None) -> list[Decision]:
    """Release every pending decision of ``call`` at once (``DECISION_STATUS``: pending → released).
    Allowed: staff and the program's managers, on a closed call.

    Refused whole (``ValidationError`` on ``decisions``, nothing written, nobody told) when there is
    no pending decision, a submitted application has none, or a decided application is no longer
    submitted: the message names the applications.

    Side effects, in one transaction: each decision ``released`` with ``released_at`` (audit
    programs.decision.released each); the call ``decided`` (audit programs.call.status_changed); each
    accepted startup a participant of the call's cohort (``Cohort`` of the call, its year the year of
    ``now`` in the call's zone; ``since`` that day; audit programs.participant.created); one audit
    entry programs.call.decisions_released with the number of each outcome; and, queued for after the
    commit, a notice and an e-mail (kind programs.decision_released) to every active member of each
    applicant organization, in their own language, naming the call and the decision (and how many of
    the reviewers' comments for the applicant now wait on its page). Returns the
    released decisions."""
    require(
        actor.is_system or can_decide(actor.user, call), _("You may not decide on this call's applications.")
    )
    call = lock(call)
    if call.status != CallStatus.CLOSED:
        raise ValidationError({"decisions": _("Decisions are released once, from a closed call.")})
    decisions = list(
        Decision.objects.select_for_update()
        .filter(application__call=call, status=DecisionStatus.PENDING)
        .select_related("application__startup")
        .order_by("application_id")
    )
    problems = release_problems(call, decisions)
    if problems:
        raise ValidationError({"decisions": problems})
    now = now or timezone.now()
    for decision in decisions:
        DECISION_STATUS.check(decision.status, DecisionStatus.RELEASED)
        decision.status, decision.released_at = DecisionStatus.RELEASED, now
        decision.save(update_fields=["status", "released_at"])
        log_action(
            actor,
            "programs.decision.released",
            decision,
            {
                "status": [DecisionStatus.PENDING, DecisionStatus.RELEASED],
                "outcome": [None, decision.outcome],
            },
        )
    CALL_STATUS.check(call.status, CallStatus.DECIDED)
    call.status = CallStatus.DECIDED
    call.save(update_fields=["status"])
    log_action(
        actor, "programs.call.status_changed", call, {"status": [CallStatus.CLOSED, CallStatus.DECIDED]}
    )
    counts = {outcome: sum(1 for item in decisions if item.outcome == outcome) for outcome in Outcome.values}
    log_action(actor, "programs.call.decisions_released", call, {"decisions": [None, counts]})
    accepted = [decision for decision in decisions if decision.outcome == Outcome.ACCEPTED]
    if accepted:
        join_cohort(actor, call, [decision.application.startup for decision in accepted], now)
    tell_applicants(call, decisions)
    return decisions


@transaction.atomic
def accept_from_waitlist(actor: Actor, application: Application, *, now=None) -> Decision:
    """Accept ``application``, waitlisted in a released decision, once a place frees up. Allowed: staff
    and the program's managers. Refused (``ValidationError``, nothing written): no released decision,
    or one that is not ``waitlisted``; an application no longer submitted (withdrawn).

    Side effects, in one transaction: the decision's outcome ``accepted``, ``decided_by`` and
    ``decided_at`` the actor and ``now`` (``released_at`` stays: when the applicant was first told);
    audit programs.decision.accepted_from_waitlist with the outcome before and after; the startup a
    participant of the call's cohort (programs.participant.created); and, after the commit, a notice
    and an e-mail (programs.decision_released) to each member of the startup in their language."""
    call = application.call
    require(
        actor.is_system or can_decide(actor.user, call), _("You may not decide on this call's applications.")
    )
    call = Call.objects.select_for_update().get(pk=call.pk)
    decision = Decision.objects.select_for_update().filter(application=application).first()
    if (
        decision is None
        or decision.status != DecisionStatus.RELEASED
        or decision.outcome != Outcome.WAITLISTED
    ):
        raise ValidationError(
            {
                "outcome": _(
                    "Only a waitlisted application, once its decision is released, can be accepted "
                    "from the waitlist."
                )
            }
        )
    application = Application.objects.select_related("startup").get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError({"application": _("This application has been withdrawn.")})
    now = now or timezone.now()
    decision.outcome, decision.decided_by, decision.decided_at = Outcome.ACCEPTED, actor.user, now
    decision.save(update_fields=["outcome", "decided_by", "decided_at"])
    log_action(
        actor,
        "programs.decision.accepted_from_waitlist",
        decision,
        {"outcome": [Outcome.WAITLISTED, Outcome.ACCEPTED]},
    )
    join_cohort(actor, call, [application.startup], now)
    decision.application = application
    tell_applicants(call, [decision])
    return decision


def call_cohort(call: Call, now) -> Cohort:
    """The cohort of ``call``'s accepted startups, made when missing (its year: the year of ``now``
    in the call's zone)."""
    cohort, _created = Cohort.objects.get_or_create(
        call=call, defaults={"program_id": call.program_id, "year": in_zone(now, call.time_zone).date().year}
    )
    return cohort


def join_cohort(actor: Actor, call: Call, startups, now) -> list[Participant]:
    cohort = call_cohort(call, now)
    joined = []
    for startup in startups:
        if Participant.objects.filter(cohort=cohort, organization=startup).exists():
            continue
        participant = Participant(program_id=call.program_id, cohort=cohort, organization=startup)
        values = {"since": in_zone(now, call.time_zone).date(), "status": Participant.Status.ACTIVE}
        joined.append(audit.create(actor, participant, values, PARTICIPANT, "programs.participant.created"))
    return joined


def tell_applicants(call: Call, decisions: list[Decision]) -> None:
    members = members_by_organization({decision.application.startup_id for decision in decisions})
    # The notice says how many of the reviewers' comments wait on the page (``released_feedback``).
    comments = Counter(
        feedback_reviews()
        .filter(application_id__in=[decision.application_id for decision in decisions])
        .values_list("application_id", flat=True)
    )
    for decision in decisions:
        application = decision.application
        for user in members.get(application.startup_id, []):
            notify(
                user,
                DECISION_RELEASED,
                subject_object=application,
                context={
                    "call": call,
                    "application": application,
                    "outcome": decision.outcome,
                    "comments": comments[application.pk],
                },
                link=reverse("programs:application-detail", args=[application.pk]),
            )
