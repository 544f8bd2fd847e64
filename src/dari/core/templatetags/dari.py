"""Template helpers for bilingual text, times in several zones and money."""

from datetime import date, datetime
from functools import lru_cache
from html import escape  # django.utils.html's, without its check for lazy text

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dari.core import redaction
from dari.core.bilingual import localized
from dari.core.money import format_money, format_quantity
from dari.core.panels import list_panels as list_panel_registry
from dari.core.time import format_for, viewer_zones

register = template.Library()


def viewer(context):
    """Whom a template renders for: the signed-in user of a page, or the recipient of a notice (an
    e-mail renders without a request)."""
    return context.get("user") or context.get("recipient")


@register.simple_tag(takes_context=True)
def list_panels(context, name: str) -> list:
    """What later apps add beside the list ``name`` (``dari.core.panels.list_panels``):
    ``{% list_panels "outcomes" as panels %}``."""
    return list_panel_registry.panels_for(context["request"], name)


@register.simple_tag
def page_url(name: str) -> str:
    """``{% url name %}`` for a page without arguments, e.g. base.html's menu: reversed once a process
    for each URLconf and script prefix (they are the key), not on every page (a dozen a page, about
    0.4 ms). Not for a namespace with several instances (the admin's), whose URL depends on the
    current app: ``{% url %}`` there."""
    # The URLconf in the key is the request's, or the settings' (which a test may change).
    return reversed_url(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def reversed_url(name: str, urlconf, script_prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag(takes_context=True)
def loc(context, obj, field: str):
    """The viewer's language of ``obj.<field>_ko/_en``, marked visibly when it falls back; a text
    confidential for the viewer (``dari.core.redaction``) shows its public text or reads as such."""
    if obj is None:
        return ""
    value = redaction.shown_text(viewer(context), obj, field)
    if value is None or value.is_fallback:
        return mark_safe(marked_text(obj, value))  # noqa: S308 (escaped by marked_text)
    return value.text


def loc_html(user, obj, field: str, language: str) -> str:
    """``{% loc %}`` as HTML in a plain ``str`` (the text escaped), for tags that write many of them
    in one pass (e.g. the organization list's rows): without ``format_html``'s lazy-text checks on
    each argument, which were most of such a tag's time."""
    value = redaction.shown_text(user, obj, field, language)
    if value is None or value.is_fallback:
        return marked_text(obj, value)
    return escape(value.text)


def marked_text(obj, value) -> str:
    """The HTML of a text ``{% loc %}`` marks: confidential (``value`` None) or in the other language."""
    if value is None:
        return f'<span class="redacted">{escape(str(redaction.placeholder(obj)))}</span>'
    title = escape(_("Not available in this language; shown in the other one."))
    language, text = escape(value.language), escape(value.text)
    return f'<span lang="{language}" class="lang-fallback" title="{title}">{text}</span>'


@register.simple_tag(takes_context=True)
def loc_text(context, obj, field: str) -> str:
    """Plain text variant of ``loc`` (for attributes and titles)."""
    if obj is None:
        return ""
    value = redaction.shown_text(viewer(context), obj, field)
    return redaction.placeholder(obj) if value is None else value.text


@register.simple_tag(takes_context=True)
def moment(context, value: datetime | None, zone: str = ""):
    """``2024-01-17 10:30 PST (2024-01-18 03:30 KST)`` in a <time> element: in ``zone``, the time's
    own, then in the partnership's other zones and the viewer's (``dari.core.time.format_for``); a
    time without a zone of its own (``{% moment entry.created_at %}``) in the viewer's zone first."""
    if value is None:
        return ""
    user = viewer(context)
    zone = zone or viewer_zones(user)[0]
    primary, others = format_for(value, user, zone)
    html = format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), zone, primary)
    if others:
        html += format_html(
            ' <span class="other-zones">({})</span>',
            format_html_join(", ", '<span class="zone-time">{}</span>', ((text,) for text in others)),
        )
    return html


@register.filter
def iso_date(value: date | None) -> str:
    return value.isoformat() if value else ""


@register.simple_tag
def money(amount, currency: str) -> str:
    """An amount in the page's language: ``USD 10,000,000``; KRW in Korean as ``1억 2,345만 원``."""
    return format_money(amount, currency, get_language() or "en")


@register.filter
def quantity(value) -> str:
    return format_quantity(value)


@register.simple_tag
def quantity_in_words(obj) -> str:
    """``obj.quantity`` with its unit (``quantity_unit_ko``/``_en``, in the page's language) and its
    ``quantity_period``, in the language's order: ``200,000 units a year`` / ``연간 200,000대``."""
    from dari.core.figures import format_quantity_with_unit

    if obj.quantity is None:
        return ""
    unit = localized(obj, "quantity_unit")
    return format_quantity_with_unit(
        obj.quantity, unit.text, obj.quantity_period, unit_is_korean=unit.language == "ko"
    )


@register.filter
def country_name(code) -> str:
    """The country ``code`` (ISO 3166) by name in the page's language: ``US`` → 미국 / United States."""
    from dari.core.countries import country_name as name

    return name(code)


@register.simple_tag
def figure(fact) -> str:
    """A statistic or fact (``value``, ``unit``, ``is_approximate``) in words."""
    from dari.core.figures import format_figure

    return format_figure(fact.value, fact.unit, fact.is_approximate)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def hidden_fields(context, obj) -> frozenset[str]:
    """``{% hidden_fields outcome as hidden %}``: the fields of ``obj`` the viewer may not see."""
    from dari.core.redaction import hidden_fields as hidden

    return hidden(context.get("user"), obj)


@register.simple_tag
def choice_options(field):
    """The ``<option>``s of a bound one-choice ``field``, its value selected (the empty choice when it
    has none), as its Select widget renders them but in one pass: the widget renders a template per
    option, a third of the organization list's time (benchmarks/results/load.md).
    ``<select name="kind" id="{{ form.kind.auto_id }}">{% choice_options form.kind %}</select>``"""
    value = field.value()
    selected = "" if value is None else str(value)
    # The choices as text in the page's language (lazy labels translated): the key of the options.
    return options_html(tuple((str(choice), str(label)) for choice, label in field.field.choices), selected)


@lru_cache(maxsize=256)
def options_html(choices: tuple[tuple[str, str], ...], selected: str) -> str:
    """``choice_options``' HTML, kept for the same choices and selection: a list's filters are the same
    on most of its requests. Its key is the choices themselves (as read for this request, e.g. from
    the database), so it is never stale and needs no invalidation in any process."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((choice, " selected" if choice == selected else "", label) for choice, label in choices),
    )
