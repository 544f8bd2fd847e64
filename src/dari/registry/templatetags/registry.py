from html import escape  # django.utils.html's, without its check for lazy text

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dari.core.bilingual import current_language
from dari.core.countries import country_name
from dari.core.templatetags.dari import loc_html, viewer
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
    page's rendering, and ``format_html`` on each of a row's values half of this tag's
    (benchmarks/results/load.md). Every value is escaped here (``loc_html``, ``escape``)."""
    user = viewer(context)
    language = current_language()
    illustrative = format_html(
        '<span class="tag illustrative" title="{}">{}</span>',
        _("Illustrative organization made up for the demo. It is not a real organization."),
        _("illustrative"),
    )
    rows = []
    # A page has a few kinds, countries, clusters and sectors: each written once.
    kinds, countries, names = {}, {}, {}

    def name_of(reference) -> str:
        key = tuple(reference.items())
        if key not in names:
            names[key] = loc_html(user, reference, "name", language)
        return names[key]

    for organization in organizations:
        kind, country, cluster = organization["kind"], organization["country"], organization["cluster"]
        if kind not in kinds:
            kinds[kind] = escape(organization.get_kind_display())
        if country not in countries:
            countries[country] = escape(country_name(country))
        short = ""
        if organization["short_name_ko"] or organization["short_name_en"]:
            short = f"<small>({loc_html(user, organization, 'short_name', language)})</small>"
        sectors = "".join(
            f'<span class="tag">{name_of(sector)}</span> ' for sector in organization["sectors"]
        )
        rows.append(
            ROW.format(
                escape(organization.get_absolute_url()),
                loc_html(user, organization, "name", language),
                short,
                illustrative if organization["is_illustrative"] else "",
                kinds[kind],
                name_of(cluster) if cluster else "",
                sectors,
                countries[country],
            )
        )
    if not rows:
        return format_html('<tr><td colspan="5">{}</td></tr>\n', _("No organizations match."))
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
