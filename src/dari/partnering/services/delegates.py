"""Delegates: an organization registers its members for an event; each marks when they are free.

A delegate holds the ``event_delegate`` role in the event (which lets them see it while it is not
public) for as long as they are registered: the registration is the decision, audited as
``partnering.delegate.registered`` with the person who made it; the membership follows from it.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dari.accounts.access import access_for
from dari.accounts.audit import Actor, log_action
from dari.accounts.models import Membership, Role
from dari.accounts.services import grant_membership, revoke_membership
from dari.core.services import require

from ..models import Delegate, Event
from ..permissions import can_act_for, can_change_event, can_mark_availability

EventStatus = Event.Status


def check_registration_open(user, event: Event) -> None:
    """Organizations register delegates while registration is open; organizers and staff also
    before it opens and while scheduling."""
    if event.status == EventStatus.REGISTRATION:
        return
    organizer_may = event.status in (EventStatus.DRAFT, EventStatus.SCHEDULING)
    if not (organizer_may and can_change_event(user, event)):
        raise ValidationError({"event": _("This event does not take registrations now.")})


@transaction.atomic
def register_delegate(actor: Actor, event: Event, organization, user) -> Delegate:
    """Register ``user``, a member of ``organization``, as its delegate at ``event``. Allowed: the
    organization's members, the event's organizers and staff (``can_act_for``), while registration
    is open. A user is a delegate once per event (for one organization), and may be one at several
    events. Effects: the ``Delegate`` row; the ``event_delegate`` membership; audit
    ``partnering.delegate.registered`` on the event."""
    require(
        actor.user is not None and can_act_for(actor.user, event, organization),
        _("Only the organization's members and the event's organizers may register its delegates."),
    )
    check_registration_open(actor.user, event)
    if organization.pk not in access_for(user).organization_ids:
        raise ValidationError({"user": _("A delegate is a member of the organization they represent.")})
    if Delegate.objects.filter(event=event, user=user).exists():
        raise ValidationError({"user": _("This person is already a delegate at this event.")})
    delegate = Delegate.objects.create(
        event=event, organization=organization, user=user, registered_by=actor.user
    )
    grant_membership(Actor.system(), user, Role.EVENT_DELEGATE, event)
    log_action(
        actor,
        "partnering.delegate.registered",
        event,
        {"organization": [None, organization.pk], "user": [None, user.pk]},
    )
    return delegate


@transaction.atomic
def remove_delegate(actor: Actor, delegate: Delegate) -> None:
    """Take a delegate off the event (with the availability they marked and their place in meeting
    requests). Allowed as registering; also the delegate themself. Audit
    ``partnering.delegate.removed``; the ``event_delegate`` membership is revoked."""
    event = delegate.event
    require(
        actor.user is not None
        and (delegate.user_id == actor.user.pk or can_act_for(actor.user, event, delegate.organization)),
        _("Only the organization's members and the event's organizers may change its delegates."),
    )
    if event.status in (EventStatus.PUBLISHED, EventStatus.CLOSED):
        raise ValidationError({"event": _("The event's schedule is published: ask its organizers.")})
    scope_type = ContentType.objects.get_for_model(Event)
    memberships = Membership.objects.filter(
        user_id=delegate.user_id, role=Role.EVENT_DELEGATE, scope_type=scope_type, scope_id=event.pk
    )
    for membership in memberships:
        revoke_membership(Actor.system(), membership)
    log_action(
        actor,
        "partnering.delegate.removed",
        event,
        {"organization": [delegate.organization_id, None], "user": [delegate.user_id, None]},
    )
    delegate.delete()


@transaction.atomic
def set_availability(actor: Actor, delegate: Delegate, slot_ids) -> Delegate:
    """Make ``slot_ids`` (slots of the delegate's event) the ones the delegate is available in.
    Allowed: the delegate, their organization's members, the organizers and staff, while the event
    takes registrations or is being scheduled. Audit ``partnering.delegate.availability_changed``
    on the event with the slots before and after, if they changed."""
    event = delegate.event
    require(
        actor.user is not None and can_mark_availability(actor.user, delegate),
        _("You may not change this delegate's availability."),
    )
    if event.status not in (EventStatus.REGISTRATION, EventStatus.SCHEDULING):
        raise ValidationError({"slots": _("Availability is marked while the event takes registrations.")})
    wanted = {int(pk) for pk in slot_ids}
    known = set(event.slots.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        raise ValidationError({"slots": _("Choose slots of this event.")})
    before = sorted(delegate.available.values_list("pk", flat=True))
    delegate.available.set(sorted(wanted))
    if before != sorted(wanted):
        log_action(
            actor,
            "partnering.delegate.availability_changed",
            event,
            {"delegate": delegate.pk, "slots": [before, sorted(wanted)]},
        )
    return delegate
