"""Partnering use cases: request a meeting with a suggestion, answer a request, withdraw one.

Each function runs in one transaction, checks the actor's permission (``PermissionDenied``),
validates (``ValidationError`` with field errors) and records an audit entry on the requesting
organization, whose history shows it. The audit actions and notification kinds keep the names they
had when meeting requests were part of matching (``matching.meeting_request.*``,
``matching.meeting_requested``): stored entries, notices and preferences use them.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dari.accounts.audit import Actor, log_action
from dari.accounts.queries import members_by_organization
from dari.core.services import require
from dari.matching.permissions import can_view_suggestions
from dari.notifications.services import notify
from dari.registry.models import Organization

from .models import MeetingRequest
from .permissions import can_answer_meeting_request, can_withdraw_meeting_request

#: The longest message a meeting request may carry.
MESSAGE_LIMIT = 2000

#: The notification kind telling the requested organization's members (bell and e-mail, as each chose).
MEETING_REQUESTED = "matching.meeting_requested"

#: The notification kind telling the requester, and the requesting organization's members, the answer.
MEETING_ANSWERED = "matching.meeting_answered"


def _check_length(field: str, text: str, message: str) -> None:
    if len(text) > MESSAGE_LIMIT:
        raise ValidationError({field: message % {"limit": MESSAGE_LIMIT}})


def _check_daily_limits(user, candidate: Organization) -> None:
    """Every request e-mails the requested organization's members: a user makes at most
    ``MEETING_REQUESTS_PER_DAY`` in 24 hours, and at most ``MEETING_REQUESTS_PER_ORGANIZATION_PER_DAY``
    to one organization; withdrawn ones count, or asking and withdrawing would mail without end."""
    since = timezone.now() - timedelta(days=1)
    recent = MeetingRequest.objects.filter(requested_by=user, created_at__gte=since)
    limit = settings.MEETING_REQUESTS_PER_DAY
    if recent.count() >= limit:
        message = ngettext(
            "You have made %(limit)d meeting request in the last 24 hours, the most allowed. "
            "Try again later.",
            "You have made %(limit)d meeting requests in the last 24 hours, the most allowed. "
            "Try again later.",
            limit,
        )
        raise ValidationError({"candidate": message % {"limit": limit}}, code="limit")
    limit = settings.MEETING_REQUESTS_PER_ORGANIZATION_PER_DAY
    if recent.filter(candidate=candidate).count() >= limit:
        message = ngettext(
            "You have asked this organization for a meeting %(limit)d time in the last 24 hours, the most "
            "allowed. Try again later.",
            "You have asked this organization for a meeting %(limit)d times in the last 24 hours, the most "
            "allowed. Try again later.",
            limit,
        )
        raise ValidationError({"candidate": message % {"limit": limit}}, code="limit")


@transaction.atomic
def request_meeting(
    actor: Actor, subject: Organization, candidate: Organization, message: str = ""
) -> MeetingRequest:
    """Ask that ``subject`` meet ``candidate`` (one of its suggestions). Those who see ``subject``'s
    suggestions may ask; the caller has checked the actor may see ``candidate``. ``candidate``'s
    members are notified (``MEETING_REQUESTED``; the e-mail leaves after the commit). Audit:
    matching.meeting_request.created."""
    require(
        actor.user is not None and can_view_suggestions(actor.user, subject),
        _("Only the organization's members and the partnership's staff can request meetings for it."),
    )
    if subject.pk == candidate.pk:
        raise ValidationError({"candidate": _("An organization cannot meet itself.")})
    message = (message or "").strip()
    _check_length("message", message, _("Keep the message under %(limit)d characters."))
    if MeetingRequest.objects.select_for_update().live(subject, candidate).exists():
        raise ValidationError({"candidate": _("A meeting with this organization is already requested.")})
    _check_daily_limits(actor.user, candidate)
    request = MeetingRequest.objects.create(
        requested_by=actor.user, subject=subject, candidate=candidate, message=message
    )
    log_action(actor, "matching.meeting_request.created", subject, {"candidate": [None, candidate.pk]})
    for member in members_by_organization([candidate.pk]).get(candidate.pk, []):
        if member.pk != actor.user.pk:
            notify(
                member, MEETING_REQUESTED, subject_object=request, link=reverse("partnering:meeting-requests")
            )
    return request


def _lock_open(actor: Actor, request: MeetingRequest, allowed, refusal: str) -> MeetingRequest:
    """``request`` locked for the transaction, once ``allowed(user, request)`` holds and it is open."""
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    require(actor.user is not None and allowed(actor.user, request), refusal)
    if request.status != MeetingRequest.Status.OPEN:
        raise ValidationError({"status": _("This request is no longer open.")})
    return request


@transaction.atomic
def withdraw_meeting_request(actor: Actor, request: MeetingRequest) -> MeetingRequest:
    """Withdraw an open request: whoever made it, the subject's people, or staff."""
    request = _lock_open(
        actor, request, can_withdraw_meeting_request, _("You may not withdraw this request.")
    )
    request.status = MeetingRequest.Status.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    log_action(
        actor,
        "matching.meeting_request.withdrawn",
        request.subject,
        {"candidate": [request.candidate_id, None]},
    )
    return request


@transaction.atomic
def answer_meeting_request(
    actor: Actor, request: MeetingRequest, accept: bool, reply: str = ""
) -> MeetingRequest:
    """Accept or decline an open request, with an optional reply: the requested organization's
    members, or staff. The requester and the requesting organization's members are notified
    (``MEETING_ANSWERED``). Audit: matching.meeting_request.accepted / .declined."""
    request = _lock_open(
        actor,
        request,
        can_answer_meeting_request,
        _("Only the requested organization's members and the partnership's staff can answer this request."),
    )
    reply = (reply or "").strip()
    _check_length("reply", reply, _("Keep the reply under %(limit)d characters."))
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.reply = reply
    request.answered_by = actor.user
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "reply", "answered_by", "answered_at", "updated_at"])
    log_action(
        actor,
        f"matching.meeting_request.{request.status}",
        request.subject,
        {
            "request": [None, request.pk],
            "candidate": [None, request.candidate_id],
            "status": [MeetingRequest.Status.OPEN.value, request.status],
        },
    )
    recipients = {
        member.pk: member
        for member in members_by_organization([request.subject_id]).get(request.subject_id, [])
    }
    recipients.setdefault(request.requested_by_id, request.requested_by)
    recipients.pop(actor.user.pk, None)
    link = reverse("partnering:meeting-requests")
    for recipient in recipients.values():
        if recipient.is_active:
            notify(recipient, MEETING_ANSWERED, subject_object=request, link=link)
    return request
