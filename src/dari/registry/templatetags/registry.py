from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dari.core.countries import country_name
from dari.core.templatetags.dari import loc
from dari.registry.models import Organization

register = template.Library()


@register.filter
def organization_kind(value: str) -> str:
    """The translated name of an organization kind (the value itself if it is no longer a kind)."""
    try:
        return Organization.Kind(value).label
    except ValueError:
        return value


ROW = (
    '<tr>\n      <td><a href="{}">{}</a>\n        {}\n        {}</td>\n      <td>{}</td>\n      <td>{}</td>\n'
    "      <td>{}</td>\n      <td>{}</td>\n    </tr>\n"
)


@register.simple_tag(takes_context=True)
def organization_rows(context, organizations) -> str:
    """The organization list's table rows (``OrganizationQuerySet.listed`` rows), each name, cluster
    and sector as ``{% loc %}`` shows it, in one pass: a template per row was two thirds of the list
    page's rendering (benchmarks/results/load.md)."""
    illustrative = format_html(
        '<span class="tag illustrative" title="{}">{}</span>',
        _("Illustrative organization made up for the demo. It is not a real organization."),
        _("illustrative"),
    )
    rows = []
    countries = {}  # a page has a few countries: each named once
    for organization in organizations:
        if organization.country not in countries:
            countries[organization.country] = country_name(organization.country)
        short = ""
        if organization.short_name_ko or organization.short_name_en:
            short = format_html("<small>({})</small>", loc(context, organization, "short_name"))
        cluster = organization.cluster
        sectors = format_html_join(
            "",
            '<span class="tag">{}</span> ',
            ((loc(context, sector, "name"),) for sector in organization.sectors),
        )
        rows.append(
            format_html(
                ROW,
                organization.get_absolute_url(),
                loc(context, organization, "name"),
                short,
                illustrative if organization.is_illustrative else "",
                organization.get_kind_display(),
                loc(context, cluster, "name") if cluster else "",
                sectors,
                countries[organization.country],
            )
        )
    if not rows:
        return format_html('<tr><td colspan="5">{}</td></tr>\n', _("No organizations match."))
    return mark_safe("".join(rows))  # noqa: S308 (each row is format_html's)
