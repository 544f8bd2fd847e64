"""A person's calendar feed of their meetings: a secret URL, shown once, that can be rotated."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dari.accounts.audit import Actor, log_action
from dari.accounts.keys import hash_secret, new_secret
from dari.core.ical import Entry, feed
from dari.core.services import require

from ..models import CalendarFeed, Meeting


@transaction.atomic
def rotate_calendar_feed(actor: Actor) -> str:
    """Give ``actor``'s user a new feed secret (the first, or one replacing the old, whose URL then
    answers 404) and return it: only its hash is stored, so this is the one time it is known.
    Audit: partnering.calendar_feed.created / rotated."""
    require(actor.user is not None, _("Sign in to have a calendar feed."))
    secret = new_secret()
    found = CalendarFeed.objects.select_for_update().filter(user=actor.user).first()
    if found is None:
        found = CalendarFeed.objects.create(user=actor.user, secret_hash=hash_secret(secret))
        log_action(actor, "partnering.calendar_feed.created", found)
    else:
        found.secret_hash = hash_secret(secret)
        found.save(update_fields=["secret_hash", "created_at"])
        log_action(actor, "partnering.calendar_feed.rotated", found)
    return secret


def feed_owner(secret: str):
    """The user whose feed ``secret`` opens, or None."""
    found = CalendarFeed.objects.select_related("user").filter(secret_hash=hash_secret(secret)).first()
    return found.user if found is not None and found.user.is_active else None


def calendar_of(user, base_url: str) -> bytes:
    """``user``'s meetings as an iCalendar feed: each at its instant in its event's zone, its UID
    kept for its life, SEQUENCE its changes, a cancelled one as STATUS:CANCELLED."""
    meetings = (
        Meeting.objects.visible_to(user).attended_by(user).for_agenda().order_by("slot__starts_at", "pk")
    )
    entries = []
    for meeting in meetings:
        request, location, event = meeting.request, meeting.location, meeting.event
        subject, candidate = request.subject, request.candidate
        names = f"{subject.name_en or subject.name_ko} – {candidate.name_en or candidate.name_ko}"
        entries.append(
            Entry(
                uid=f"meeting-{meeting.pk}@dari",
                start=meeting.slot.starts_at,
                end=meeting.slot.ends_at,
                zone=event.time_zone,
                summary=names,
                description=", ".join(delegate.user.get_username() for delegate in request.delegates.all()),
                location=" · ".join(
                    part
                    for part in (location.name_en or location.name_ko, location.venue, location.video_url)
                    if part
                ),
                url=base_url + event.get_absolute_url() + "agenda/",
                sequence=meeting.sequence,
                cancelled=meeting.state == Meeting.State.CANCELLED,
                updated_at=meeting.updated_at,
            )
        )
    return feed(_("Dari meetings"), entries)
