"""A startup's history across calls (issue 17, item 6): its applications (with their decisions
where the reader may see them), the cohorts it joined, and the support it received there
(milestones and services), kept with its organization whatever call comes next.

Who reads what (``queries.history_program_ids``): staff and the startup's own members read all of it;
a program's manager reads the part of the programs they manage; reviewers and anyone else read
nothing (not even as a reviewer of one of its applications). Decisions follow
``DecisionQuerySet.visible_to``: the startup's members see a decision once released, never while it
is pending; managers see their program's pending ones. With a released decision come the
reviewers' comments for the applicant (``queries.released_feedback``), without names or scores; no
review, score, comment for the managers or reviewer is otherwise part of the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Sum

from .models import Application, Decision, Milestone, Participant, ServiceDelivery
from .queries import history_program_ids, released_feedback_by_application


@dataclass
class History:
    applications: list = field(default_factory=list)
    participations: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.applications or self.participations)


def may_read_history(user, organization) -> bool:
    """Whether ``user`` may read any of ``organization``'s history."""
    programs = history_program_ids(user, organization)
    return programs is None or bool(programs)


def startup_history(user, organization) -> History | None:
    """``organization``'s history as ``user`` may read it (None: none of it), newest first: its
    applications with the call, the visible decision (``visible_decision``) and the released
    feedback (``feedback``: the reviewers' comments for the applicant), and its
    participations with their milestones, services delivered and hours in all."""
    programs = history_program_ids(user, organization)
    if programs is not None and not programs:
        return None
    applications = (
        Application.objects.filter(startup=organization)
        .select_related("call__program")
        .prefetch_related(
            Prefetch("decision", queryset=Decision.objects.visible_to(user), to_attr="visible_decision")
        )
        .order_by("-call__opens_at", "-pk")
    )
    participations = (
        Participant.objects.filter(organization=organization)
        .select_related("program", "cohort__call")
        .annotate(service_count=Count("services", distinct=True), service_hours=Sum("services__hours"))
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
            Prefetch(
                "services",
                queryset=ServiceDelivery.objects.select_related("provider_organization", "provider_person"),
            ),
        )
        .order_by("-cohort__year", "-since", "-pk")
    )
    if programs is not None:
        applications = applications.filter(call__program_id__in=programs)
        participations = participations.filter(program_id__in=programs)
    applications = list(applications)
    feedback = released_feedback_by_application(user, [application.pk for application in applications])
    for application in applications:
        application.feedback = feedback.get(application.pk, [])
    return History(applications=applications, participations=list(participations))
