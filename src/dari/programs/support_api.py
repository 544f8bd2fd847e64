"""``/api/v1/participants/{id}/milestones`` and ``…/services``: a participating startup's milestone
plan and the services delivered to it, read by the program's managers, staff and the startup's own
members, written by the first two (``support``); and ``/api/v1/organizations/{id}/program-history``: a
startup's applications and cohorts across calls, as far as the caller may read them (``history``).
401 signed out, 403 not allowed, 404 not visible, 409 a stale ``version``, 422 invalid input."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
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
    visible_or_422,
)
from dari.core.schemas import in_own_zone
from dari.registry.api import VERSION_IN
from dari.registry.models import Organization, Person

from . import support
from .history import startup_history
from .models import MAX_SERVICE_HOURS, Application, Milestone, Participant, ServiceDelivery

participants_router = Router(tags=["programs"])
history_router = Router(tags=["programs"])

READ_ERRORS = errors(401, 404, 422)


def visible_participant(request, participant_id: int) -> Participant:
    participants = Participant.objects.support_visible_to(request.user).select_related("program")
    return get_object_or_404(participants, pk=participant_id)


# --- milestones --------------------------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    participant_id: int
    title_ko: str
    title_en: str
    due_on: date
    status: str = Field(description="planned, done or missed")
    done_on: date | None = Field(description="The day it was done (done only)")
    notes: str
    version: int
    web_url: str = Field(description="The participant's page")

    @staticmethod
    def resolve_web_url(obj: Milestone, context) -> str:
        return absolute_url(context, obj.participant.get_absolute_url())


class MilestoneIn(InputSchema):
    """A planned milestone: a title in Korean or English, the day it is due."""

    title_ko: str = Field("", max_length=300)
    title_en: str = Field("", max_length=300)
    due_on: date
    notes: MultilineText = ""


class MilestonePatch(InputSchema):
    """Only the fields sent change. ``status``: planned, done or missed (the startup's members may
    send only ``status`` done or planned, with ``done_on``); ``done_on`` defaults to today when done."""

    title_ko: str = Field(None, max_length=300)
    title_en: str = Field(None, max_length=300)
    due_on: date = None
    notes: MultilineText = None
    status: str = None
    done_on: date | None = None
    version: int | None = Field(None, description=VERSION_IN)


def milestones_of(participant: Participant):
    return Milestone.objects.filter(participant=participant).select_related("participant")


@participants_router.get(
    "/{participant_id}/milestones",
    response={200: list[MilestoneOut], **READ_ERRORS},
    auth=signed_in,
    summary="A participant's milestone plan",
)
@paginate(Pagination)
def list_milestones(request, participant_id: int, status: str | None = None):
    """The program's managers, staff and the startup's own members; filter by ``status``."""
    found = milestones_of(visible_participant(request, participant_id))
    if status:
        found = found.filter(status=status)
    return found


@participants_router.post(
    "/{participant_id}/milestones",
    response={201: MilestoneOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Add a milestone",
)
def add_milestone(request, participant_id: int, payload: MilestoneIn):
    """The program's managers and staff."""
    participant = visible_participant(request, participant_id)
    milestone = support.add_milestone(Actor.from_request(request), participant, payload.dict())
    return Status(201, milestones_of(participant).get(pk=milestone.pk))


def participant_milestone(request, participant_id: int, milestone_id: int) -> Milestone:
    participant = visible_participant(request, participant_id)
    return get_object_or_404(
        milestones_of(participant).select_related("participant__program"), pk=milestone_id
    )


@participants_router.patch(
    "/{participant_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, **EDIT_ERRORS},
    auth=signed_in,
    summary="Change a milestone, or mark it done",
)
def update_milestone(request, participant_id: int, milestone_id: int, payload: MilestonePatch):
    """The program's managers and staff change any field; the startup's members mark it done (or
    planned again) by sending ``status`` (and ``done_on``) alone."""
    milestone = participant_milestone(request, participant_id, milestone_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    actor = Actor.from_request(request)
    if set(values) <= {"status", "done_on"} and "status" in values:
        support.set_milestone_status(actor, milestone, values["status"], done_on=values.get("done_on"))
    else:
        support.update_milestone(actor, milestone, values, version=version)
    return milestones_of(milestone.participant).get(pk=milestone.pk)


@participants_router.delete(
    "/{participant_id}/milestones/{milestone_id}",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Delete a milestone",
)
def delete_milestone(request, participant_id: int, milestone_id: int):
    """The program's managers and staff."""
    milestone = participant_milestone(request, participant_id, milestone_id)
    support.delete_milestone(Actor.from_request(request), milestone)
    return Status(204, None)


# --- services delivered ------------------------------------------------------------------------------


class ProviderPersonOut(Schema):
    id: int
    name_ko: str
    name_en: str


class ServiceOut(Schema):
    id: int
    participant_id: int
    kind: str = Field(
        description="mentoring, regulatory, clinical_pilot, investor_introduction, market_study or other"
    )
    delivered_on: date
    provider_organization: Ref | None
    provider_person: ProviderPersonOut | None
    provider_name: str
    hours: Decimal | None
    notes: str
    follow_up: str = Field(description="The follow-up actions, one a line")
    version: int
    web_url: str = Field(description="The participant's page")

    @staticmethod
    def resolve_web_url(obj: ServiceDelivery, context) -> str:
        return absolute_url(context, obj.participant.get_absolute_url())


HOURS = Field(None, ge=0, le=MAX_SERVICE_HOURS, max_digits=6, decimal_places=2)


class ServiceIn(InputSchema):
    """A service delivered. ``provider_organization`` and ``provider_person``: ids of registry
    entries you may see (optional); ``provider_name``: a provider as named."""

    kind: str = Field(
        description="mentoring, regulatory, clinical_pilot, investor_introduction, market_study or other"
    )
    delivered_on: date
    provider_organization: int | None = None
    provider_person: int | None = None
    provider_name: str = Field("", max_length=200)
    hours: Decimal | None = HOURS
    notes: MultilineText = ""
    follow_up: MultilineText = Field("", description="Follow-up actions, one a line")


class ServicePatch(InputSchema):
    """Only the fields sent change."""

    kind: str = None
    delivered_on: date = None
    provider_organization: int | None = None
    provider_person: int | None = None
    provider_name: str = Field(None, max_length=200)
    hours: Decimal | None = HOURS
    notes: MultilineText = None
    follow_up: MultilineText = None
    version: int | None = Field(None, description=VERSION_IN)


def service_values(request, values: dict) -> dict:
    """Provider ids turned into registry rows the caller may see (else 422 on the field)."""
    for name, model in (("provider_organization", Organization), ("provider_person", Person)):
        if name in values:
            values[name] = visible_or_422(model.objects.visible_to(request.user), values[name], name)
    return values


def services_of(participant: Participant):
    return ServiceDelivery.objects.filter(participant=participant).select_related(
        "participant", "provider_organization", "provider_person"
    )


@participants_router.get(
    "/{participant_id}/services",
    response={200: list[ServiceOut], **READ_ERRORS},
    auth=signed_in,
    summary="The services delivered to a participant",
)
@paginate(Pagination)
def list_services(request, participant_id: int, kind: str | None = None):
    """The program's managers, staff and the startup's own members; newest first; filter by ``kind``."""
    found = services_of(visible_participant(request, participant_id))
    if kind:
        found = found.filter(kind=kind)
    return found


@participants_router.post(
    "/{participant_id}/services",
    response={201: ServiceOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Record a service delivered",
)
def add_service(request, participant_id: int, payload: ServiceIn):
    """The program's managers and staff."""
    participant = visible_participant(request, participant_id)
    service = support.add_service(
        Actor.from_request(request), participant, service_values(request, payload.dict())
    )
    return Status(201, services_of(participant).get(pk=service.pk))


def participant_service(request, participant_id: int, service_id: int) -> ServiceDelivery:
    participant = visible_participant(request, participant_id)
    return get_object_or_404(services_of(participant).select_related("participant__program"), pk=service_id)


@participants_router.patch(
    "/{participant_id}/services/{service_id}",
    response={200: ServiceOut, **EDIT_ERRORS},
    auth=signed_in,
    summary="Change a service delivered",
)
def update_service(request, participant_id: int, service_id: int, payload: ServicePatch):
    """The program's managers and staff."""
    service = participant_service(request, participant_id, service_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    support.update_service(
        Actor.from_request(request), service, service_values(request, values), version=version
    )
    return services_of(service.participant).get(pk=service.pk)


@participants_router.delete(
    "/{participant_id}/services/{service_id}",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Delete a service delivered",
)
def delete_service(request, participant_id: int, service_id: int):
    """The program's managers and staff."""
    service = participant_service(request, participant_id, service_id)
    support.delete_service(Actor.from_request(request), service)
    return Status(204, None)


# --- a startup's history -----------------------------------------------------------------------------


class HistoryProgramOut(Schema):
    id: int
    key: str
    name_ko: str
    name_en: str


class HistoryCallOut(Schema):
    id: int
    round: int
    title_ko: str
    title_en: str


class HistoryDecisionOut(Schema):
    outcome: str = Field(description="accepted, waitlisted or rejected")
    status: str = Field(description="released; pending only for the program's managers and staff")
    released_at: datetime | None = Field(description="In the call's zone")


class HistoryApplicationOut(Schema):
    id: int
    status: str
    submitted_at: datetime | None = Field(description="In the call's zone")
    decision: HistoryDecisionOut | None = Field(
        description="For the startup's members once released, never before"
    )
    feedback: list[str] = Field(
        description="The reviewers' comments for the applicant, once the decision is released "
        "(no names, scores or comments for the managers)"
    )
    web_url: str


class HistoryParticipationOut(Schema):
    id: int
    cohort_year: int | None
    status: str
    since: date | None
    milestones: list[MilestoneOut]
    services: list[ServiceOut]
    service_hours: Decimal | None = Field(description="The services' hours in all")
    web_url: str


class HistoryEntryOut(Schema):
    kind: str = Field(description="application (to a call) or participation (in a cohort)")
    program: HistoryProgramOut
    call: HistoryCallOut | None = Field(description="The call applied to, or whose cohort was joined")
    application: HistoryApplicationOut | None
    participation: HistoryParticipationOut | None


def application_entry(application: Application, context) -> dict:
    call = application.call
    decision = application.visible_decision
    return {
        "kind": "application",
        "program": call.program,
        "call": call,
        "application": {
            "id": application.pk,
            "status": application.status,
            "submitted_at": in_own_zone(application.submitted_at, call.time_zone),
            "decision": None
            if decision is None
            else {
                "outcome": decision.outcome,
                "status": decision.status,
                "released_at": in_own_zone(decision.released_at, call.time_zone),
            },
            "feedback": application.feedback,
            "web_url": absolute_url(context, application.get_absolute_url()),
        },
        "participation": None,
    }


def participation_entry(participant: Participant, context) -> dict:
    return {
        "kind": "participation",
        "program": participant.program,
        "call": participant.cohort.call,
        "application": None,
        "participation": {
            "id": participant.pk,
            "cohort_year": participant.cohort.year,
            "status": participant.status,
            "since": participant.since,
            "milestones": list(participant.milestones.all()),
            "services": list(participant.services.all()),
            "service_hours": None
            if participant.service_hours is None
            else participant.service_hours.quantize(Decimal("0.01")),
            "web_url": absolute_url(context, participant.get_absolute_url()),
        },
    }


@history_router.get(
    "/{organization_id}/program-history",
    response={200: list[HistoryEntryOut], **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="A startup's applications and cohorts across calls",
)
@paginate(Pagination)
def organization_history(request, organization_id: int):
    """Its members and staff read all of it; a program's managers the part of their programs; anyone
        else nothing (403; 404 for an organization they may not see). Applications first (newest call
        first), then participations (newest cohort first). Decisions only where the caller may see them:
        the startup's members once released, with the reviewers' comments meant for them (``feedback``);
    no score, reviewer or comment for the managers is part of it."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=organization_id)
    history = startup_history(request.user, organization)
    if history is None:
        raise PermissionDenied(_("Only the startup's members and its programs' managers read its history."))
    context = {"request": request}
    return [application_entry(item, context) for item in history.applications] + [
        participation_entry(item, context) for item in history.participations
    ]
