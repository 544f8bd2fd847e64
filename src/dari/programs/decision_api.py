"""``/api/v1/calls/{id}/decisions`` and ``/api/v1/applications/{id}/decision``: the managers'
decisions on a call's applications, held as pending until released together (``decisions``). An
applicant reads a decision only once released, in ``GET /api/v1/applications/{id}`` (``decision``)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.core.api import WRITE_ERRORS, InputSchema, Pagination, Ref, absolute_url, errors, signed_in
from dari.core.schemas import in_own_zone

from . import decisions
from .models import Application, Call, Decision
from .permissions import can_decide

call_decisions_router = Router(tags=["programs"])
application_decision_router = Router(tags=["programs"])


class DecisionOut(Schema):
    id: int
    application_id: int
    startup: Ref
    outcome: str = Field(description="accepted, waitlisted or rejected")
    status: str = Field(description="pending (seen by the managers only) or released (final)")
    decided_at: datetime = Field(description="In the call's zone (time_zone)")
    released_at: datetime | None = Field(description="In the call's zone (time_zone)")
    time_zone: str
    web_url: str = Field(description="The application's page")

    @staticmethod
    def resolve_startup(obj: Decision):
        return obj.application.startup

    @staticmethod
    def resolve_decided_at(obj: Decision):
        return in_own_zone(obj.decided_at, obj.application.call.time_zone)

    @staticmethod
    def resolve_released_at(obj: Decision):
        return in_own_zone(obj.released_at, obj.application.call.time_zone)

    @staticmethod
    def resolve_time_zone(obj: Decision) -> str:
        return obj.application.call.time_zone

    @staticmethod
    def resolve_web_url(obj: Decision, context) -> str:
        return absolute_url(context, obj.application.get_absolute_url())


def decisions_for(request):
    return Decision.objects.visible_to(request.user).select_related(
        "application__call", "application__startup"
    )


def deciding_call(request, call_id: int) -> Call:
    call = get_object_or_404(Call.objects.visible_to(request.user).select_related("program"), pk=call_id)
    if not can_decide(request.user, call):
        raise PermissionDenied(_("Only the program's managers decide on its applications."))
    return call


@call_decisions_router.get(
    "/{call_id}/decisions",
    response={200: list[DecisionOut], **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="A call's decisions, pending and released",
)
@paginate(Pagination)
def list_decisions(request, call_id: int, status: str | None = None):
    """The program's managers and staff: every decision on the call's applications, by application;
    filter by ``status`` (pending or released)."""
    call = deciding_call(request, call_id)
    found = decisions_for(request).filter(application__call=call).order_by("application_id")
    if status:
        found = found.filter(status=status)
    return found


class ReleaseOut(Schema):
    released: int
    accepted: int
    waitlisted: int
    rejected: int
    call_status: str


@call_decisions_router.post(
    "/{call_id}/decisions/release",
    response={200: ReleaseOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Release a call's decisions together",
)
def release_decisions(request, call_id: int):
    """The program's managers and staff, on a closed call: every pending decision is released at
    once, the call is decided, accepted startups join the call's cohort and every applicant
    organization's members are told in their language. All or nothing: 422 naming the applications
    when there is no decision, a submitted application has none, or a decided one is no longer
    submitted."""
    call = deciding_call(request, call_id)
    released = decisions.release_decisions(Actor.from_request(request), call)
    counts = {
        outcome: sum(1 for item in released if item.outcome == outcome) for outcome in Decision.Outcome.values
    }
    return {"released": len(released), **counts, "call_status": Call.Status.DECIDED}


class DecisionIn(InputSchema):
    outcome: str = Field(description="accepted, waitlisted or rejected")


@application_decision_router.put(
    "/{application_id}/decision",
    response={200: DecisionOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Decide on an application (pending until released)",
)
def decide(request, application_id: int, payload: DecisionIn):
    """The program's managers and staff, on a submitted application of a closed call; a pending
    decision may be changed, a released one not (422)."""
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=application_id)
    if not payload.outcome:  # taking a decision back is DELETE, not an empty outcome
        raise ValidationError({"outcome": _("Choose accepted, waitlisted or rejected.")})
    decision = decisions.decide(Actor.from_request(request), application, payload.outcome)
    return decisions_for(request).get(pk=decision.pk)


@application_decision_router.post(
    "/{application_id}/decision/accept-waitlisted",
    response={200: DecisionOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Accept a waitlisted application after the release",
)
def accept_waitlisted(request, application_id: int):
    """The program's managers and staff, when a place frees up: a released ``waitlisted`` decision
    becomes ``accepted``, the startup joins the call's cohort and its members are told (422 for any
    other decision)."""
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=application_id)
    decision = decisions.accept_from_waitlist(Actor.from_request(request), application)
    return decisions_for(request).get(pk=decision.pk)


@application_decision_router.delete(
    "/{application_id}/decision",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Take back a pending decision",
)
def take_back(request, application_id: int):
    """The program's managers and staff, while the decision is pending."""
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=application_id)
    decisions.decide(Actor.from_request(request), application, "")
    return Status(204, None)
