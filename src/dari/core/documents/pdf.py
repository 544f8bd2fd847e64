"""PDF documents: a Django template rendered to HTML in the requested language, then laid out by
WeasyPrint on A4 pages with a running header (report date, data as-of) and page numbers.

Korean text is set in Noto Sans CJK KR, found through fontconfig (Debian's ``fonts-noto-cjk``, see
``scripts/system-packages.sh``); nothing is downloaded. The fonts are cut down to the glyphs a document
uses by HarfBuzz (``libharfbuzz-subset0``, from the same script): without it WeasyPrint falls back to
fontTools, which takes seconds for a CJK font (14 s instead of 0.3 s for the agreement in Korean,
``benchmarks/pdf_render.py``). WeasyPrint runs no JavaScript, so charts are
inline SVG rendered from their Vega-Lite spec (``dari.core.vega.chart_svg``). Rendering only reads
Dari's own static files: any other URL in a template (another host, ``file:``, a path outside the
static files) is refused and left out.
"""

import logging
import mimetypes
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from dari.core.timezones import format_moment

logger = logging.getLogger(__name__)


class LocalStaticFetcher(URLFetcher):
    """Gives WeasyPrint the static files of Dari's apps (``/static/...`` on the site's own address)
    and ``data:`` URLs, and refuses everything else, so a document never reaches the network or
    reads files other than static assets."""

    def __init__(self, site_url: str | None = None):
        super().__init__(allowed_protocols=["data"], fail_on_errors=False)
        site = urlsplit((site_url or settings.SITE_URL).rstrip("/") + "/")
        self.site = (site.scheme, site.netloc)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = self.static_path(url)
        if path is None:
            logger.warning("Document rendering refused to fetch %s (only local static files)", url)
            raise ValueError(f"documents may only load Dari's static files, not {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def static_path(self, url: str) -> Path | None:
        """The file behind a static-file URL of this site, or None when ``url`` is anything else."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self.site or not parts.path.startswith(settings.STATIC_URL):
            return None
        relative = unquote(parts.path[len(settings.STATIC_URL) :])
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        return Path(found) if found else None


def render_pdf(
    template_name: str,
    context: dict,
    *,
    language: str,
    report_date: date,
    data_as_of: datetime | date,
    on_step: Callable[[str], None] | None = None,
) -> bytes:
    """Render ``template_name`` (which extends ``documents/base_print.html``) to PDF bytes.

    The template is rendered with ``translation.override(language)``; the running header shows
    ``report_date`` (the day the report is made) and ``data_as_of`` (the moment the data was read:
    an aware datetime, shown in the partnership's zones, or a date). ``context`` is the template's;
    include ``user`` when templates show times, so the viewer's zone is added. ``on_step`` (a job's
    progress, say) is called with an untranslated message after each of the ``RENDER_STEPS`` steps:
    the pages laid out, then the PDF written (with the glyphs of its fonts).

    Raises ``ValueError`` for a language Dari does not have.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    with translation.override(language):
        document = {
            "language": language,
            "report_date": report_date.isoformat(),
            "data_as_of": _as_of_text(data_as_of),
            "page_counter": css_content(_("page %(page)s of %(pages)s")),
        }
        html = render_to_string(template_name, {**context, "document": document})
    base_url = settings.SITE_URL.rstrip("/") + "/"
    laid_out = HTML(string=html, base_url=base_url, url_fetcher=LocalStaticFetcher()).render()
    if on_step:
        on_step(gettext_noop("Pages laid out"))
    content = laid_out.write_pdf()
    if on_step:
        on_step(gettext_noop("PDF written"))
    return content


def requested_language(query) -> str:
    """The language a document is asked for: ``lang=ko|en`` in ``query`` (``request.GET`` or
    ``request.POST``), else the page's."""
    language = query.get("lang", "")
    if language in dict(settings.LANGUAGES):
        return language
    return translation.get_supported_language_variant(translation.get_language())


def pdf_response(content: bytes, filename: str):
    """``content`` shown in the browser's PDF viewer, saved as ``filename``."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


#: How many times ``render_pdf`` calls its ``on_step``.
RENDER_STEPS = 2


def _as_of_text(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        zones = settings.PARTNERSHIP_TIME_ZONES
        primary, others = format_moment(moment, zones[0], zones)
        return f"{primary} ({', '.join(others)})" if others else primary
    return moment.isoformat()


_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def css_content(text: str) -> SafeString:
    """A CSS ``content`` value from a translated text with ``%(page)s``/``%(pages)s`` placeholders:
    ``"page %(page)s of %(pages)s"`` gives ``"page " counter(page) " of " counter(pages)``.

    Literal parts are CSS strings with quotes, backslashes and ``<`` escaped, so a translation can
    neither break out of the string nor close the ``<style>`` element it is written into."""
    tokens = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        tokens.append(_css_string(text[position : match.start()]))
        tokens.append(f"counter({match.group(1)})")
        position = match.end()
    tokens.append(_css_string(text[position:]))
    return mark_safe(" ".join(token for token in tokens if token))


def _css_string(literal: str) -> str:
    if not literal:
        return ""
    escaped = "".join(
        f"\\{ord(character):x} " if character in '"\\<>\n' else character for character in literal
    )
    return f'"{escaped}"'
