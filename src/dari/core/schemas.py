"""Serializing times for the API: ISO 8601 in the event's own zone, the zone in a sibling field."""

from datetime import datetime

from dari.core.time import in_zone_or_utc


def in_own_zone(moment: datetime | None, zone: str) -> datetime | None:
    """``moment`` with its own zone's offset (in UTC where that zone cannot show it)."""
    if moment is None:
        return None
    return in_zone_or_utc(moment, zone) if zone else moment
