"""Meeting request use cases: request a meeting with a suggestion or at an event, and move a
request along its one state machine (accept, decline, propose other delegates, withdraw).

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

from ..models import Delegate, Event, MeetingRequest, Preference
from ..permissions import can_act_for, can_move_meeting_request

#: The longest message or reply a meeting request may carry.
MESSAGE_LIMIT = 2000

#: The notification kind telling the requested organization's members (bell and e-mail, as each chose).
MEETING_REQUESTED = "matching.meeting_requested"

#: The notification kind telling the requester, and the requesting organization's members, the answer.
MEETING_ANSWERED = "matching.meeting_answered"

#: What a requester writes; the status and the answer are the state machine's.
MEETING_REQUEST = Fields(creatable=("message",), editable=())
#: What a requester writes at an event: also its priority, how much they want it, and the
#: delegates of both sides they ask to meet (the requested side's may be left to it).
EVENT_MEETING_REQUEST = Fields(
    creatable=("message", "priority", "requester_preference", "delegates", "candidate_delegates"), editable=()
)

Status = MeetingRequest.Status
# The one state machine of a meeting request: an open request is accepted or declined by the
# requested side, or withdrawn by the requesting side. Every other state is final: an answer is
# not changed afterwards (ask again once declined), and a withdrawn request is not revived.
# At an event the requested side may also propose other delegates of its own, which the requesting
# side then accepts (or withdraws the request); only an event's requests are proposed.
REQUEST_STATUS = Transitions(
    Status,
    {
        Status.OPEN: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.PROPOSED},
        Status.PROPOSED: {Status.ACCEPTED, Status.WITHDRAWN},
    },
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


def notify_requested(actor: Actor, request: MeetingRequest) -> None:
    candidate = request.candidate
    for member in members_by_organization([candidate.pk]).get(candidate.pk, []):
        if member.pk != actor.user.pk:
            notify(member, MEETING_REQUESTED, subject_object=request, link=requests_page())


@transaction.atomic
def request_meeting(
    actor: Actor, subject: Organization, candidate: Organization, values: dict | None = None
) -> MeetingRequest:
    """Ask that ``subject`` meet ``candidate`` (one of its suggestions), with ``values`` of
    ``MEETING_REQUEST`` (an optional ``message``). Those who see ``subject``'s suggestions may ask;
    the caller has checked the actor may see ``candidate``. One live (open or accepted) request per
    pair, and daily limits per user (``ValidationError``). At an event: :func:`request_event_meeting`.

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
    notify_requested(actor, request)
    return request


def kind_label(organization: Organization) -> str:
    return str(organization.get_kind_display())


def check_event_rules(event: Event, subject: Organization, candidate: Organization) -> None:
    """The event's rules on who meets whom and on how many requests an organization sends."""
    if not event.allows_pair(subject.kind, candidate.kind):
        side_a, side_b = event.rule_labels()
        raise ValidationError(
            {
                "candidate": _(
                    "At this event, %(side_a)s meet only %(side_b)s, and the other way round: "
                    "a %(subject)s cannot ask a %(candidate)s."
                )
                % {
                    "side_a": side_a,
                    "side_b": side_b,
                    "subject": kind_label(subject),
                    "candidate": kind_label(candidate),
                }
            }
        )
    if event.request_cap is not None:
        sent = event.meeting_requests.filter(subject=subject).exclude(status=Status.WITHDRAWN).count()
        if sent >= event.request_cap:
            message = ngettext(
                "Your organization has sent %(cap)d meeting request at this event, the most the "
                "organizers allow. Withdraw one to ask someone else.",
                "Your organization has sent %(cap)d meeting requests at this event, the most the "
                "organizers allow. Withdraw one to ask someone else.",
                event.request_cap,
            )
            raise ValidationError({"candidate": message % {"cap": event.request_cap}}, code="limit")


def checked_delegates(event: Event, organization: Organization, delegates, field: str) -> list[Delegate]:
    """``delegates`` (Delegate rows or ids) of ``organization`` at ``event``; another one: refused."""
    ids = {getattr(delegate, "pk", delegate) for delegate in delegates or []}
    found = list(Delegate.objects.filter(event=event, organization=organization, pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({field: _("Choose delegates of the organization at this event.")})
    return found


@transaction.atomic
def request_event_meeting(
    actor: Actor, event: Event, subject: Organization, candidate: Organization, values: dict | None = None
) -> MeetingRequest:
    """Ask, at ``event``, that ``subject`` meet ``candidate``, both taking part in it. ``values``
    (``EVENT_MEETING_REQUEST``): ``message``, ``priority`` (1–3), ``requester_preference`` (must meet
    or would like), ``delegates`` (the subject's delegates who will attend; default: the actor, if a
    delegate, else all of them) and ``candidate_delegates`` (whom they ask to meet; default: left
    to the requested side). Allowed: the subject's members, the event's organizers and staff, while
    registration is open. Refused (``ValidationError``, nothing written): a pair the event's rule
    does not allow, a request over the event's cap, a second live request for the pair at this
    event (the pair may meet at another), delegates of another organization.

    Effects: the request is saved, open; audit ``matching.meeting_request.created`` on ``subject``
    with the event; ``candidate``'s members are notified (``MEETING_REQUESTED``)."""
    require(
        actor.user is not None and can_act_for(actor.user, event, subject),
        _("Only the organization's members and the event's organizers can request meetings for it."),
    )
    values = only(values or {}, EVENT_MEETING_REQUEST.creatable)
    if event.status != Event.Status.REGISTRATION:
        raise ValidationError({"event": _("This event does not take meeting requests now.")})
    taking_part = set(event.delegates.values_list("organization_id", flat=True))
    if subject.pk not in taking_part:
        raise ValidationError({"subject": _("Register a delegate for your organization first.")})
    if candidate.pk not in taking_part or subject.pk == candidate.pk:
        raise ValidationError({"candidate": _("Choose another organization taking part in the event.")})
    message = (values.get("message") or "").strip()
    _check_length("message", message, _("Keep the message under %(limit)d characters."))
    check_event_rules(event, subject, candidate)
    if MeetingRequest.objects.select_for_update().live(subject, candidate, event).exists():
        raise ValidationError({"candidate": _("A meeting with this organization is already requested.")})
    own = checked_delegates(event, subject, values.get("delegates"), "delegates")
    if not own:
        mine = event.delegates.filter(organization=subject, user=actor.user)
        own = list(mine) or list(event.delegates.filter(organization=subject))
    theirs = checked_delegates(event, candidate, values.get("candidate_delegates"), "candidate_delegates")
    preference = values.get("requester_preference") or Preference.WOULD_LIKE
    if preference not in (Preference.MUST_MEET, Preference.WOULD_LIKE):
        raise ValidationError({"requester_preference": _("Say that you must meet them or would like to.")})
    request = MeetingRequest(
        requested_by=actor.user,
        subject=subject,
        candidate=candidate,
        event=event,
        message=message,
        priority=values.get("priority") or MeetingRequest._meta.get_field("priority").default,
        requester_preference=preference,
    )
    request.full_clean()
    request.save()
    request.delegates.set([*own, *theirs])
    log_action(
        actor,
        "matching.meeting_request.created",
        subject,
        {"candidate": [None, candidate.pk], "event": [None, event.pk]},
    )
    notify_requested(actor, request)
    return request


@transaction.atomic
def set_meeting_request_status(
    actor: Actor,
    request: MeetingRequest,
    status: str,
    *,
    reply: str = "",
    preference: str = "",
    delegates=None,
) -> MeetingRequest:
    """Move ``request`` to ``status`` along ``REQUEST_STATUS``: the one way a request changes state,
    for pages, the API and tasks alike. Returns the request as saved (a fresh instance).

    Who: ``withdrawn``, and ``accepted`` from ``proposed``, by whoever made the request or acts for
    the subject (``can_withdraw_meeting_request``); ``accepted``/``declined``/``proposed`` from
    ``open`` by the requested organization's members, staff, and at an event its organizers
    (``can_answer_meeting_request``). Else ``PermissionDenied`` (403).

    Refused with ``ValidationError`` (422), changing nothing: a move the table does not allow
    (including to the state the request is in: an answer is final), an unknown state, a ``reply``
    over ``MESSAGE_LIMIT`` characters, a reply given with a withdrawal; at an event, any move while
    the event is not taking registrations or scheduling, a ``preference`` that does not fit the
    answer, ``delegates`` not of the requested organization at the event; ``proposed`` outside an
    event or without delegates.

    Side effects, in the transaction:

    - accepted / declined / proposed (the requested side): ``status``, ``reply`` (trimmed),
      ``answered_by`` (the actor) and ``answered_at`` (now) are saved; at an event also the
      requested side's ``candidate_preference`` (``no_thanks`` on a decline; must meet or would
      like, default would like, otherwise) and, when ``delegates`` are given, the requested side's
      delegates in the meeting (when accepting with none chosen yet: all of its delegates). Audit
      ``matching.meeting_request.accepted`` / ``.declined`` / ``.proposed`` on the subject
      organization with ``request``, ``candidate`` and ``status`` (old, new); the requester and the
      subject's members, the actor aside, are notified (``MEETING_ANSWERED``, bell and e-mail as
      each chose; e-mails leave after the commit). The pair may be asked again once declined; an
      accepted request stays live (a meeting to arrange).
    - accepted from proposed (the requesting side agrees to the delegates proposed): ``status``
      saved; audit ``matching.meeting_request.accepted``; the requested organization's members
      are notified (``MEETING_ANSWERED``).
    - withdrawn: ``status`` is saved; audit ``matching.meeting_request.withdrawn`` on the subject
      organization with the ``candidate``; nobody is notified. The pair may be asked again.
    """
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if status == Status.WITHDRAWN:
        refusal = _("You may not withdraw this request.")
    elif request.status == Status.PROPOSED:
        refusal = _("Only the requesting organization's members can accept the delegates proposed.")
    else:
        refusal = _(
            "Only the requested organization's members and the partnership's staff can answer this request."
        )
    require(actor.user is not None and can_move_meeting_request(actor.user, request, status), refusal)
    old = request.status
    # Unlike an action item's, the same state is refused too (the table holds no such move): a
    # second answer would silently drop its reply.
    REQUEST_STATUS.check(old, status)
    event = request.event
    if event is not None and event.status not in (Event.Status.REGISTRATION, Event.Status.SCHEDULING):
        raise ValidationError({"event": _("This event's meeting requests can no longer change.")})
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
    if old == Status.PROPOSED:
        request.status = status
        request.save(update_fields=["status", "updated_at"])
        changes = {"request": [None, request.pk], "status": [old, status]}
        log_action(actor, "matching.meeting_request.accepted", request.subject, changes)
        notify_answered(actor, request, request.candidate_id, None, context={"confirmed": True})
        return request
    _check_length("reply", reply, _("Keep the reply under %(limit)d characters."))
    fields = ["status", "reply", "answered_by", "answered_at", "updated_at"]
    if event is not None:
        request.candidate_preference = answer_preference(status, preference)
        fields.append("candidate_preference")
        chosen = checked_delegates(event, request.candidate, delegates, "delegates")
        if status == Status.PROPOSED and not chosen:
            raise ValidationError({"delegates": _("Choose the delegates you propose.")})
        if status == Status.ACCEPTED and not chosen and not request.delegates_of(request.candidate_id):
            chosen = list(event.delegates.filter(organization=request.candidate))
        if chosen and status != Status.DECLINED:
            keep = [
                delegate
                for delegate in request.delegates.all()
                if delegate.organization_id != request.candidate_id
            ]
            request.delegates.set([*keep, *chosen])
    elif status == Status.PROPOSED:
        raise ValidationError({"status": _("Other delegates are proposed only at an event.")})
    request.status = status
    request.reply = reply
    request.answered_by = actor.user
    request.answered_at = timezone.now()
    request.save(update_fields=fields)
    log_action(
        actor,
        f"matching.meeting_request.{status}",
        request.subject,
        {"request": [None, request.pk], "candidate": [None, request.candidate_id], "status": [old, status]},
    )
    notify_answered(actor, request, request.subject_id, request.requested_by)
    return request


def answer_preference(status: str, preference: str) -> str:
    """The requested side's interest that goes with its answer: no thanks with a decline."""
    preference = preference or ""
    if status == Status.DECLINED:
        if preference not in ("", Preference.NO_THANKS):
            raise ValidationError({"preference": _("A declined request is a “no thanks”.")})
        return Preference.NO_THANKS
    if preference == Preference.NO_THANKS:
        raise ValidationError({"preference": _("To say “no thanks”, decline the request.")})
    if preference not in ("", *Preference.values):
        raise ValidationError({"preference": _("Choose how much you want this meeting.")})
    return preference or Preference.WOULD_LIKE


def notify_answered(
    actor: Actor, request: MeetingRequest, organization_id: int, requester, context: dict | None = None
) -> None:
    """Tell ``organization_id``'s members (and ``requester``), the actor aside, of the answer
    (``context`` for the notice's templates: ``confirmed`` when the requesting side accepted the
    delegates proposed)."""
    recipients = {
        member.pk: member for member in members_by_organization([organization_id]).get(organization_id, [])
    }
    if requester is not None:
        recipients.setdefault(requester.pk, requester)
    recipients.pop(actor.user.pk, None)
    for recipient in recipients.values():
        if recipient.is_active:
            notify(recipient, MEETING_ANSWERED, subject_object=request, context=context, link=requests_page())


def withdraw_meeting_request(actor: Actor, request: MeetingRequest) -> MeetingRequest:
    """Withdraw an open request (``set_meeting_request_status`` to ``withdrawn``)."""
    return set_meeting_request_status(actor, request, Status.WITHDRAWN)


def answer_meeting_request(
    actor: Actor, request: MeetingRequest, accept: bool, reply: str = "", **answer
) -> MeetingRequest:
    """Accept or decline an open request with an optional reply, and at an event the ``preference``
    and ``delegates`` (``set_meeting_request_status``)."""
    return set_meeting_request_status(
        actor, request, Status.ACCEPTED if accept else Status.DECLINED, reply=reply, **answer
    )
