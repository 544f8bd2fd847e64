"""Times shown unambiguously: 24-hour ``YYYY-MM-DD HH:MM`` with the zone abbreviation.

A time is shown first in its own zone, then in the partnership's other zones and the viewer's zone
where they differ, e.g. ``2024-01-17 10:30 PST (2024-01-18 03:30 KST)``. Locale date formats are
never used, so the Korean and the English page read the same figures.
"""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError


def validate_zone(name: str) -> None:
    """Raise ``ValidationError`` unless ``name`` is an IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(f"{name!r} is not an IANA time zone (e.g. Asia/Seoul)") from error


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones())]


def in_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def format_in_zone(moment: datetime, zone: str) -> str:
    local = in_zone(moment, zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def zones_to_show(own_zone: str, partnership_zones: list[str], viewer_zone: str | None = None) -> list[str]:
    """The zone the event happened in first, then the others worth showing, without repeats."""
    zones = [own_zone, *partnership_zones]
    if viewer_zone:
        zones.append(viewer_zone)
    ordered: list[str] = []
    for zone in zones:
        if zone and zone not in ordered:
            ordered.append(zone)
    return ordered


def format_moment(
    moment: datetime, own_zone: str, partnership_zones: list[str], viewer_zone: str | None = None
) -> tuple[str, list[str]]:
    """Return the time in its own zone and the list of renderings in the other zones.

    Zones that give the very same wall-clock text (e.g. two zones with the same offset and
    abbreviation) are shown once.
    """
    primary = format_in_zone(moment, own_zone)
    others: list[str] = []
    for zone in zones_to_show(own_zone, partnership_zones, viewer_zone)[1:]:
        text = format_in_zone(moment, zone)
        if text != primary and text not in others:
            others.append(text)
    return primary, others
