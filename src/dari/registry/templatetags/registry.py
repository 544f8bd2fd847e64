from django import template

from dari.registry.models import Organization

register = template.Library()


@register.filter
def organization_kind(value: str) -> str:
    """The translated name of an organization kind (the value itself if it is no longer a kind)."""
    try:
        return Organization.Kind(value).label
    except ValueError:
        return value
