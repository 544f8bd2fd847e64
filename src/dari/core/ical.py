"""iCalendar feeds (RFC 5545): a person's meetings as a ``.ics`` file a calendar app subscribes to.

Each entry is written at its instant in the zone it happens in (``DTSTART;TZID=America/Los_Angeles``),
with that zone's ``VTIMEZONE`` built from the IANA database by the ``icalendar`` package over the
years the entries span, so an app that knows no IANA names still places a meeting right on both sides
of a daylight-saving change (San Diego 16, then 17 hours behind Seoul). A feed is regenerated from the
schedule on every request: an entry that moved keeps its ``UID`` and carries a higher ``SEQUENCE``, one
that was cancelled stays in the feed as ``STATUS:CANCELLED`` so subscribed apps remove it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

#: Written as the feed's PRODID: who made it (RFC 5545 3.7.3).
PRODUCT_ID = "-//Dari//Dari partnering//EN"
#: How often a subscribed app should fetch the feed again (the de-facto X-PUBLISHED-TTL and the
#: standard REFRESH-INTERVAL of RFC 7986).
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class Entry:
    """One meeting (or any appointment) of a feed. ``start`` and ``end`` are aware datetimes;
    ``zone`` the IANA zone it happens in (its event's host zone); ``uid`` stays the same for the
    life of the meeting, ``sequence`` grows each time it moves or changes."""

    uid: str
    start: datetime
    end: datetime
    zone: str
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False
    updated_at: datetime | None = None

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("An entry's start and end must be aware datetimes.")
        if self.end <= self.start:
            raise ValueError("An entry must end after it starts.")
        ZoneInfo(self.zone)  # raises ZoneInfoNotFoundError for an unknown zone


def feed(name: str, entries: Iterable[Entry], *, description: str = "", now: datetime | None = None) -> bytes:
    """The ``.ics`` file of ``entries`` (in order of start), named ``name`` in calendar apps."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    entries = sorted(entries, key=lambda entry: (entry.start, entry.uid))
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar["name"] = vText(name)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for entry in entries:
        calendar.add_component(_event(entry, now))
    if entries:
        # Every zone the entries use, with its transitions from a year before the first entry to a
        # year after the last: enough for any app, small enough to fetch often.
        first = min(entry.start for entry in entries).date()
        last = max(entry.end for entry in entries).date()
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1)
        )
    return calendar.to_ical()


def _event(entry: Entry, now: datetime) -> Event:
    zone = ZoneInfo(entry.zone)
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now)
    event.add("dtstart", entry.start.astimezone(zone))
    event.add("dtend", entry.end.astimezone(zone))
    event.add("summary", entry.summary)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    if entry.updated_at:
        event.add("last-modified", entry.updated_at.astimezone(UTC))
    return event
