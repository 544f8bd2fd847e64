"""Template helpers for notification texts (plain text, rendered once per language)."""

from django import template

from dari.core.time import format_for

register = template.Library()


@register.simple_tag(takes_context=True)
def in_zones(context, moment, zone: str = "") -> str:
    """``moment`` in ``zone`` (the time's own), then in the recipient's zones where they differ
    (``dari.core.time.viewer_zones``: their own zone, else the partnership's):
    ``2024-06-30 08:00 PDT (2024-07-01 00:00 KST)``. Without a zone of its own, in the recipient's
    zones only. An e-mail is read by one person, so the partnership's zones are not added."""
    if moment is None:
        return ""
    primary, others = format_for(moment, context.get("recipient"), zone or None, partnership=False)
    return f"{primary} ({', '.join(others)})" if others else primary
