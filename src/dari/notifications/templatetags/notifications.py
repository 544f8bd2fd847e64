"""Template helpers for notification texts (plain text, rendered once per language)."""

from django import template

from dari.core.timezones import format_in_zone

register = template.Library()


@register.simple_tag(takes_context=True)
def in_zones(context, moment, zone: str) -> str:
    """``moment`` in ``zone``, then in the recipient's zone if it differs:
    ``2024-06-30 08:00 PDT (2024-07-01 00:00 KST)``."""
    if moment is None:
        return ""
    primary = format_in_zone(moment, zone or "UTC")
    recipient = context.get("recipient")
    own_zone = getattr(recipient, "time_zone", "") or ""
    if own_zone and own_zone != zone:
        theirs = format_in_zone(moment, own_zone)
        if theirs != primary:
            return f"{primary} ({theirs})"
    return primary
