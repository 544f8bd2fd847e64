"""Meeting request pages: ask from a suggestion, list, withdraw, answer. Thin views over ``services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.audit import Actor
from dari.core.text import clean_text
from dari.matching.views import subject_url, visible_subject
from dari.registry.models import Organization

from . import services
from .forms import MeetingRequestForm
from .models import MeetingRequest
from .permissions import can_answer_meeting_request, can_withdraw_meeting_request


@login_required
@require_http_methods(["GET", "POST"])
def request_meeting(request, pk: int, candidate_pk: int):
    """Ask for a meeting with a suggestion: a short form, then back to the suggestions."""
    subject = visible_subject(request, pk)
    candidate = get_object_or_404(Organization.objects.visible_to(request.user), pk=candidate_pk)
    form = MeetingRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_meeting(Actor.from_request(request), subject, candidate, form.values())
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
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    # Offer what the state machine allows from each request's state, to whoever may do it.
    allows, user, Status = services.REQUEST_STATUS.allows, request.user, MeetingRequest.Status
    for item in page:
        item.can_answer = allows(item.status, Status.ACCEPTED) and can_answer_meeting_request(user, item)
        item.can_withdraw = allows(item.status, Status.WITHDRAWN) and can_withdraw_meeting_request(user, item)
    context = {
        "page": page,
        "status": status,
        "statuses": MeetingRequest.Status.choices,
        "reply_limit": services.MESSAGE_LIMIT,
    }
    return render(request, "partnering/meeting_requests.html", context)


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
    """Accept or decline (``decision``) a request made to one of the user's organizations."""
    found = get_object_or_404(MeetingRequest.objects.visible_to(request.user), pk=request_pk)
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or to decline the request."))
        return redirect("partnering:meeting-requests")
    try:
        reply = clean_text(request.POST.get("reply", ""), multiline=True)
        services.answer_meeting_request(Actor.from_request(request), found, decision == "accept", reply)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if decision == "accept":
            messages.success(request, _("The meeting request was accepted."))
        else:
            messages.success(request, _("The meeting request was declined."))
    return redirect("partnering:meeting-requests")
