"""Meeting request pages: ask from a suggestion, list, withdraw, answer. Thin views over ``services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.audit import Actor
from dari.core.text import clean_text
from dari.matching.views import subject_url, visible_subject
from dari.registry.models import Organization

from . import services
from .forms import MeetingRequestForm
from .models import Event, MeetingRequest
from .permissions import can_answer_meeting_request, can_move_meeting_request, can_withdraw_meeting_request


def shared_events(subject: Organization, candidate: Organization):
    """Events taking meeting requests where both organizations have delegates."""
    events = Event.objects.filter(status=Event.Status.REGISTRATION, delegates__organization=subject)
    return events.filter(
        pk__in=Event.objects.filter(delegates__organization=candidate).values("pk")
    ).distinct()


@login_required
@require_http_methods(["GET", "POST"])
def request_meeting(request, pk: int, candidate_pk: int):
    """Ask for a meeting with a suggestion: a short form, then back to the suggestions."""
    subject = visible_subject(request, pk)
    candidate = get_object_or_404(Organization.objects.visible_to(request.user), pk=candidate_pk)
    events = shared_events(subject, candidate).filter(
        pk__in=Event.objects.visible_to(request.user).values("pk")
    )
    form = MeetingRequestForm(request.POST if request.method == "POST" else None, events=list(events))
    if request.method == "POST" and form.is_valid():
        actor, event = Actor.from_request(request), form.chosen_event()
        try:
            if event is None:
                services.request_meeting(actor, subject, candidate, form.values())
            else:
                services.request_event_meeting(actor, event, subject, candidate, form.values())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Meeting requested. The organization's members are told and will accept or decline it."),
            )
            return redirect(subject_url(subject))
    existing = MeetingRequest.objects.live(subject, candidate).select_related("requested_by").first()
    context = {"subject": subject, "candidate": candidate, "form": form, "existing": existing}
    return render(request, "partnering/request_meeting.html", context)


@login_required
def meeting_requests(request):
    """The meeting requests the user may see (made by them, or for or with their organizations)."""
    found = (
        MeetingRequest.objects.visible_to(request.user)
        .for_listing(request.user)
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in MeetingRequest.Status.values:
        found = found.filter(status=status)
    page = with_actions(
        request.user,
        Paginator(found.prefetch_related("delegates__user"), 25).get_page(request.GET.get("page")),
    )
    context = {
        "page": page,
        "status": status,
        "statuses": MeetingRequest.Status.choices,
        "reply_limit": services.MESSAGE_LIMIT,
    }
    return render(request, "partnering/meeting_requests.html", context)


def with_actions(user, page):
    """Offer what the state machine allows from each request's state, to whoever may do it: answer
    (accept, decline, and at an event propose other delegates), confirm the delegates proposed,
    withdraw."""
    allows, Status = services.REQUEST_STATUS.allows, MeetingRequest.Status
    for item in page:
        item.can_answer = item.status == Status.OPEN and can_answer_meeting_request(user, item)
        item.can_confirm = item.status == Status.PROPOSED and can_move_meeting_request(
            user, item, Status.ACCEPTED
        )
        item.can_withdraw = allows(item.status, Status.WITHDRAWN) and can_withdraw_meeting_request(user, item)
        if item.can_answer and item.event_id:
            item.candidate_delegates = list(
                item.event.delegates.filter(organization_id=item.candidate_id).select_related("user")
            )
    return page


@login_required
@require_POST
def withdraw_meeting_request(request, request_pk: int):
    found = get_object_or_404(MeetingRequest.objects.visible_to(request.user), pk=request_pk)
    try:
        services.withdraw_meeting_request(Actor.from_request(request), found)
        messages.success(request, _("The meeting request was withdrawn."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("partnering:meeting-requests")


@login_required
@require_POST
def answer_meeting_request(request, request_pk: int):
    """Answer (``decision``: accept, decline, or at an event propose other delegates) a request made
    to one of the user's organizations, or confirm (accept) the delegates proposed to the user's."""
    found = get_object_or_404(MeetingRequest.objects.visible_to(request.user), pk=request_pk)
    back = request.POST.get("next", "")
    back = (
        back if back.startswith("/") and not back.startswith("//") else reverse("partnering:meeting-requests")
    )
    statuses = {
        "accept": Status.ACCEPTED,
        "decline": Status.DECLINED,
        "propose": Status.PROPOSED,
        "confirm": Status.ACCEPTED,
    }
    decision = request.POST.get("decision", "")
    if decision not in statuses:
        messages.error(request, _("Choose to accept or to decline the request."))
        return redirect(back)
    answer = {}
    if found.event_id is not None and decision != "confirm":
        answer = {
            "preference": request.POST.get("preference", ""),
            "delegates": request.POST.getlist("delegates"),
        }
    try:
        reply = clean_text(request.POST.get("reply", ""), multiline=True) if decision != "confirm" else ""
        services.set_meeting_request_status(
            Actor.from_request(request), found, statuses[decision], reply=reply, **answer
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, DONE[decision])
    return redirect(back)


Status = MeetingRequest.Status
DONE = {
    "accept": gettext_lazy("The meeting request was accepted."),
    "confirm": gettext_lazy("The meeting request was accepted."),
    "decline": gettext_lazy("The meeting request was declined."),
    "propose": gettext_lazy("Your delegates were proposed; the requesting side confirms them."),
}
