"""Partnering use cases: request a meeting with a suggestion, and move a request along its one
state machine (accept, decline, withdraw).

Each function runs in one transaction, checks the actor's permission (``PermissionDenied``, 403),
validates (``ValidationError`` with field errors, 422) and records an audit entry on the requesting
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
from django.utils.translation import gettext_lazy, ngettext

from dari.accounts.audit import Actor, log_action
from dari.accounts.queries import members_by_organization
from dari.core.services import Fields, only, require
from dari.core.transitions import Transitions
from dari.matching.permissions import can_view_suggestions
from dari.notifications.services import notify
from dari.registry.models import Organization

from .models import MeetingRequest
from .permissions import can_move_meeting_request

#: The longest message or reply a meeting request may carry.
MESSAGE_LIMIT = 2000

#: The notification kind telling the requested organization's members (bell and e-mail, as each chose).
MEETING_REQUESTED = "matching.meeting_requested"

#: The notification kind telling the requester, and the requesting organization's members, the answer.
MEETING_ANSWERED = "matching.meeting_answered"

#: What a requester writes; the status and the answer are the state machine's.
MEETING_REQUEST = Fields(creatable=("message",), editable=())

Status = MeetingRequest.Status
# The one state machine of a meeting request: an open request is accepted or declined by the
# requested side, or withdrawn by the requesting side. Every other state is final: an answer is
# not changed afterwards (ask again once declined), and a withdrawn request is not revived.
REQUEST_STATUS = Transitions(
    Status,
    {Status.OPEN: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}},
    field="status",
    refusal=gettext_lazy("A meeting request cannot go from %(old)s to %(new)s."),
)


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


def requests_page() -> str:
    return reverse("partnering:meeting-requests")


@transaction.atomic
def request_meeting(
    actor: Actor, subject: Organization, candidate: Organization, values: dict | None = None
) -> MeetingRequest:
    """Ask that ``subject`` meet ``candidate`` (one of its suggestions), with ``values`` of
    ``MEETING_REQUEST`` (an optional ``message``). Those who see ``subject``'s suggestions may ask;
    the caller has checked the actor may see ``candidate``. One live (open or accepted) request per
    pair, and daily limits per user (``ValidationError``).

    Effects: the request is saved, open; audit ``matching.meeting_request.created`` on ``subject``;
    ``candidate``'s members are notified (``MEETING_REQUESTED``; the e-mail leaves after the commit).
    """
    require(
        actor.user is not None and can_view_suggestions(actor.user, subject),
        _("Only the organization's members and the partnership's staff can request meetings for it."),
    )
    values = only(values or {}, MEETING_REQUEST.creatable)
    if subject.pk == candidate.pk:
        raise ValidationError({"candidate": _("An organization cannot meet itself.")})
    message = (values.get("message") or "").strip()
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
            notify(member, MEETING_REQUESTED, subject_object=request, link=requests_page())
    return request


@transaction.atomic
def set_meeting_request_status(
    actor: Actor, request: MeetingRequest, status: str, *, reply: str = ""
) -> MeetingRequest:
    """Move ``request`` to ``status`` along ``REQUEST_STATUS``: the one way a request changes state,
    for pages, the API and tasks alike. Returns the request as saved (a fresh instance).

    Who: ``withdrawn`` by whoever made the request or acts on the subject's suggestions
    (``can_withdraw_meeting_request``); ``accepted``/``declined`` by the requested organization's
    members or staff (``can_answer_meeting_request``). Else ``PermissionDenied`` (403).

    Refused with ``ValidationError`` (422), changing nothing: a move the table does not allow
    (including to the state the request is in: an answer is final), an unknown state, a ``reply``
    over ``MESSAGE_LIMIT`` characters, or a reply given with a withdrawal.

    Side effects, in the transaction:

    - accepted / declined: ``status``, ``reply`` (trimmed), ``answered_by`` (the actor) and
      ``answered_at`` (now) are saved; audit ``matching.meeting_request.accepted`` / ``.declined``
      on the subject organization with ``request``, ``candidate`` and ``status`` (old, new); the
      requester and the subject's members, the actor aside, are notified (``MEETING_ANSWERED``,
      bell and e-mail as each chose; e-mails leave after the commit). The pair may be asked again
      once declined; an accepted request stays live (a meeting to arrange).
    - withdrawn: ``status`` is saved; audit ``matching.meeting_request.withdrawn`` on the subject
      organization with the ``candidate``; nobody is notified. The pair may be asked again.
    """
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if status == Status.WITHDRAWN:
        refusal = _("You may not withdraw this request.")
    else:
        refusal = _(
            "Only the requested organization's members and the partnership's staff can answer this request."
        )
    require(actor.user is not None and can_move_meeting_request(actor.user, request, status), refusal)
    old = request.status
    # Unlike an action item's, the same state is refused too (the table holds no such move): a
    # second answer would silently drop its reply.
    REQUEST_STATUS.check(old, status)
    reply = (reply or "").strip()
    if status == Status.WITHDRAWN:
        if reply:
            raise ValidationError({"reply": _("Only an answer carries a reply.")})
        request.status = status
        request.save(update_fields=["status", "updated_at"])
        log_action(
            actor,
            "matching.meeting_request.withdrawn",
            request.subject,
            {"candidate": [request.candidate_id, None]},
        )
        return request
    _check_length("reply", reply, _("Keep the reply under %(limit)d characters."))
    request.status = status
    request.reply = reply
    request.answered_by = actor.user
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "reply", "answered_by", "answered_at", "updated_at"])
    log_action(
        actor,
        f"matching.meeting_request.{status}",
        request.subject,
        {"request": [None, request.pk], "candidate": [None, request.candidate_id], "status": [old, status]},
    )
    recipients = {
        member.pk: member
        for member in members_by_organization([request.subject_id]).get(request.subject_id, [])
    }
    recipients.setdefault(request.requested_by_id, request.requested_by)
    recipients.pop(actor.user.pk, None)
    for recipient in recipients.values():
        if recipient.is_active:
            notify(recipient, MEETING_ANSWERED, subject_object=request, link=requests_page())
    return request


def withdraw_meeting_request(actor: Actor, request: MeetingRequest) -> MeetingRequest:
    """Withdraw an open request (``set_meeting_request_status`` to ``withdrawn``)."""
    return set_meeting_request_status(actor, request, Status.WITHDRAWN)


def answer_meeting_request(
    actor: Actor, request: MeetingRequest, accept: bool, reply: str = ""
) -> MeetingRequest:
    """Accept or decline an open request with an optional reply (``set_meeting_request_status``)."""
    return set_meeting_request_status(
        actor, request, Status.ACCEPTED if accept else Status.DECLINED, reply=reply
    )
