"""Serializing times for the API: ISO 8601 in the event's own zone, the zone in a sibling field."""

from datetime import datetime
from zoneinfo import ZoneInfo


def in_own_zone(moment: datetime | None, zone: str) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)) if zone else moment
