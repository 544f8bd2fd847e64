"""Pages of the decisions: a call's decisions (the managers decide on each submitted application and
release them together) and the decision buttons the ranking page shares. Thin views over
``decisions`` and ``visible_to``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dari.accounts.audit import Actor

from . import decisions
from .models import Application, Call, Decision
from .permissions import can_decide


def deciding_call(request, pk: int) -> Call:
    call = get_object_or_404(Call.objects.visible_to(request.user).select_related("program"), pk=pk)
    if not can_decide(request.user, call):
        raise PermissionDenied(_("Only the program's managers decide on its applications."))
    return call


def decisions_by_application(user, call: Call) -> dict:
    """The decisions on ``call``'s applications that ``user`` sees, by application id."""
    found = Decision.objects.visible_to(user).filter(application__call=call)
    return {decision.application_id: decision for decision in found}


@login_required
@require_GET
def call_decisions(request, pk: int):
    """Every submitted (or decided) application of the call with its decision, the buttons to
    decide, and the release of them all."""
    call = deciding_call(request, pk)
    decided = decisions_by_application(request.user, call)
    applications = (
        Application.objects.visible_to(request.user)
        .filter(call=call)
        .filter(status=Application.Status.SUBMITTED)
        .select_related("startup")
        .order_by("pk")
    )
    applications = list(applications) + list(
        Application.objects.visible_to(request.user)
        .filter(pk__in=decided)
        .exclude(status=Application.Status.SUBMITTED)
        .select_related("startup")
        .order_by("pk")
    )
    pending = [decision for decision in decided.values() if decision.status == Decision.Status.PENDING]
    context = {
        "call": call,
        "lines": [(application, decided.get(application.pk)) for application in applications],
        "pending": len(pending),
        "counts": {
            outcome: sum(1 for item in pending if item.outcome == outcome)
            for outcome in Decision.Outcome.values
        },
        "may_decide": call.status == Call.Status.CLOSED,
        "outcomes": Decision.Outcome.choices,
        "here": request.get_full_path(),
    }
    return render(request, "programs/call_decisions.html", context)


@login_required
@require_POST
def application_decision(request, pk: int):
    """Decide on one application (``outcome``; empty: take the pending decision back), then go back
    to ``next`` (the ranking or the decisions page) or the application."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call__program", "startup"), pk=pk
    )
    try:
        decisions.decide(Actor.from_request(request), application, request.POST.get("outcome", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Decision saved. It stays pending until the call's decisions are released.")
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(reverse("programs:call-decisions", args=[application.call_id]))


@login_required
@require_POST
def accept_waitlisted(request, pk: int):
    """Accept a waitlisted application after the release, when a place frees up."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call__program", "startup"), pk=pk
    )
    try:
        decisions.accept_from_waitlist(Actor.from_request(request), application)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Accepted from the waitlist; the startup has joined the cohort and been told.")
        )
    return redirect(reverse("programs:call-decisions", args=[application.call_id]))


@login_required
@require_POST
def release_call_decisions(request, pk: int):
    """Release every pending decision of the call together (all or nothing)."""
    call = deciding_call(request, pk)
    try:
        released = decisions.release_decisions(Actor.from_request(request), call)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s decision was released; the applicant has been told.",
                "%(count)s decisions were released; the applicants have been told.",
                len(released),
            )
            % {"count": len(released)},
        )
    return redirect(reverse("programs:call-decisions", args=[call.pk]))
