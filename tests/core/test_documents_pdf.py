"""PDF documents: Korean text set in Noto Sans CJK, the chart as vector text, both languages, the
running header, page numbers, and no fetching beyond Dari's own static files.

The text is read back with ``pdftotext`` (poppler-utils, installed by scripts/system-packages.sh).
"""

import subprocess
import time
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _

from dari.agreements.documents import action_items_by_status_chart, agreement_pdf
from dari.agreements.models import ActionItem, Agreement, ProgressNote
from dari.core.documents import RENDER_STEPS, LocalStaticFetcher, render_pdf
from dari.core.documents.pdf import css_content

from ..factories import ActionItemFactory, AgreementFactory, UserFactory
from ..helpers import chart_spec

MOU = "ulsan-san-diego-bio-mou-2024"
NOW = datetime(2024, 5, 2, 1, 0, tzinfo=UTC)


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    assert content.startswith(b"%PDF-")
    arguments = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(arguments, input=content, capture_output=True, check=True).stdout.decode()


def pdf_fonts(content: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=True).stdout.decode()


def mou_pk() -> int:
    return Agreement.objects.get(key=MOU).pk


def test_korean_agreement_pdf_has_the_title_signing_times_parties_and_chart(scenario):
    content = agreement_pdf(AnonymousUser(), mou_pk(), "ko", now=NOW)

    text = pdf_text(content)
    flat = " ".join(text.split())
    assert "바이오산업 육성 협력 기반 구축 업무 협약" in flat
    assert "2024-01-17 10:30 PST" in text
    assert "2024-01-18 03:30 KST" in text
    for name in ["울산광역시", "샌디에이고시", "김두겸", "토드 글로리아", "권순용", "하비에 고메즈"]:
        assert name in flat
    assert "샌디에이고시와의 교류 확대" in flat
    # The chart's labels are text in the PDF (vector SVG, not a picture), in the PDF's language.
    with translation.override("ko"):
        assert _("Action items by status") in text
        assert str(ActionItem.Status.IN_PROGRESS.label) in text
    assert "2024-05-02" in text  # report date in Seoul, where it is already 2 May
    assert "2024-05-02 10:00 KST" in text  # data as of
    assert "Noto-Sans-CJK-KR" in pdf_fonts(content)


def test_english_agreement_pdf_reads_in_english_with_the_same_times(scenario):
    content = agreement_pdf(AnonymousUser(), mou_pk(), "en", now=NOW)

    text = pdf_text(content)
    flat = " ".join(text.split())
    assert "MOU on building a cooperation base for fostering the bio industry" in flat
    assert "2024-01-17 10:30 PST" in text and "2024-01-18 03:30 KST" in text
    assert "Todd Gloria" in flat and "Javier Gomez" in flat
    assert "Action items by status" in text
    assert "in progress" in text and "open" in text  # chart categories
    assert "Report date: 2024-05-02" in flat
    assert "page 1 of 1" in text or "page 1 of 2" in text


def test_the_action_item_table_is_on_the_page_of_its_heading_in_both_languages(scenario):
    for language in ("en", "ko"):
        content = agreement_pdf(AnonymousUser(), mou_pk(), language, now=NOW)
        with translation.override(language):
            heading, column = _("Action items"), _("Action item")
        pages = pdf_text(content).split("\f")
        page = next(page for page in pages if heading in page.splitlines())
        assert column in page, language  # the table's heading row follows the section heading


def test_fonts_are_cut_down_by_harfbuzz_so_a_korean_pdf_renders_in_well_under_two_seconds(scenario):
    # Without libharfbuzz-subset0 (scripts/system-packages.sh) WeasyPrint subsets Noto Sans CJK with
    # fontTools: 14 s for this document instead of 0.3 s (benchmarks/pdf_render.py).
    import weasyprint.pdf.fonts

    assert weasyprint.pdf.fonts.harfbuzz_subset is not None, "install libharfbuzz-subset0"
    agreement_pdf(AnonymousUser(), mou_pk(), "ko", now=NOW)  # fonts and templates loaded
    started = time.perf_counter()
    content = agreement_pdf(AnonymousUser(), mou_pk(), "ko", now=NOW)
    assert time.perf_counter() - started < 5  # 0.3 s on the 2-core machine; generous for a busy CI
    assert len(content) < 1_000_000  # subset fonts: about 300 kB, not the 16 MB font


def test_render_pdf_reports_each_step(sample_template):
    steps = []
    render_pdf(
        "documents/test_sample.html",
        {"heading": "Steps", "lines": range(3)},
        language="en",
        report_date=date(2024, 5, 2),
        data_as_of=date(2024, 5, 1),
        on_step=steps.append,
    )
    assert steps == ["Pages laid out", "PDF written"]
    assert len(steps) == RENDER_STEPS


def test_confidential_progress_notes_are_left_out_for_outsiders_and_shown_to_staff(db):
    agreement = AgreementFactory(title_en="Open MOU", is_public=True)
    item = ActionItemFactory(agreement=agreement, title_en="Send the roster")
    ProgressNote.objects.create(action_item=item, written_at=NOW, text_en="Budget is confidential")

    outsider_text = pdf_text(agreement_pdf(UserFactory(), agreement.pk, "en", now=NOW))
    staff_text = pdf_text(agreement_pdf(UserFactory(is_staff=True), agreement.pk, "en", now=NOW))

    assert "Send the roster" in outsider_text and "Send the roster" in staff_text
    assert "Budget is confidential" not in outsider_text
    assert "Budget is confidential" in staff_text


def test_a_hidden_agreement_cannot_be_rendered_by_an_outsider(db):
    agreement = AgreementFactory(is_public=False)

    with pytest.raises(Agreement.DoesNotExist):
        agreement_pdf(UserFactory(), agreement.pk, "en")


def test_the_pdf_route_serves_the_requested_language(client, scenario):
    response = client.get(f"/agreements/{mou_pk()}/pdf/?lang=ko")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="agreement-{mou_pk()}-ko.pdf"'
    assert "바이오산업 육성 협력 기반 구축 업무 협약" in " ".join(pdf_text(response.content).split())


def test_the_pdf_route_refuses_outsiders_for_a_private_agreement(client, db):
    agreement = AgreementFactory(is_public=False)
    client.force_login(UserFactory())

    assert client.get(f"/agreements/{agreement.pk}/pdf/").status_code == 404


def test_the_agreement_page_links_to_the_pdf_and_shows_the_same_chart(client, scenario):
    html = client.get(f"/agreements/{mou_pk()}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'href="/agreements/{mou_pk()}/pdf/?lang=en"' in html
    # The page carries the spec the PDF renders (drawn by charts.js): both scenario items are open.
    spec = chart_spec(html, "chart-status")
    with translation.override("en"):
        agreement = Agreement.objects.get(key=MOU)
        assert spec == action_items_by_status_chart(agreement, agreement.action_items.all())
    counts = {row["label"]: row["value"] for row in spec["data"]["values"]}
    assert counts == {"open": 2, "in progress": 0, "done": 0, "dropped": 0}
    board = f"/agreements/{mou_pk()}/board/#status-open"
    assert spec["data"]["values"][0]["href"] == board


SAMPLE = """{% extends "documents/base_print.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block running_title %}{{ heading }}{% endblock %}
{% block content %}<h1>{{ heading }}</h1>{% for line in lines %}<p>줄 {{ line }}</p>{% endfor %}{% endblock %}
"""


@pytest.fixture
def sample_template(settings, tmp_path):
    """``documents/test_sample.html``: a long document extending the print base template."""
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "test_sample.html").write_text(SAMPLE)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]


def test_render_pdf_shows_the_header_dates_and_page_numbers_in_both_languages(sample_template):
    context = {"heading": "다리 보고서", "lines": range(120)}

    for language in ("en", "ko"):
        content = render_pdf(
            "documents/test_sample.html",
            context,
            language=language,
            report_date=date(2024, 1, 18),
            data_as_of=datetime(2024, 1, 17, 18, 30, tzinfo=UTC),
        )
        text = pdf_text(content)
        pages = text.count("\f")
        assert pages >= 2
        # The running header, on every page.
        assert text.count("2024-01-18 03:30 KST (2024-01-17 10:30 PST)") == pages
        assert text.count("다리 보고서") == pages + 1
        assert "줄 119" in text
        with translation.override(language):
            page_label = _("page %(page)s of %(pages)s")
            assert text.count(f"{_('Report date')}: 2024-01-18") == pages
        assert page_label % {"page": 1, "pages": pages} in text
        assert page_label % {"page": pages, "pages": pages} in text


def test_render_pdf_refuses_an_unknown_language(sample_template):
    with pytest.raises(ValueError):
        render_pdf("documents/test_sample.html", {}, language="fr", report_date=date.today(), data_as_of=NOW)


def test_the_fetcher_serves_local_static_files_and_refuses_everything_else(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    fetcher = LocalStaticFetcher()

    css = fetcher.fetch("http://127.0.0.1:8000/static/documents/print.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    for url in [
        "https://example.com/static/documents/print.css",
        "http://127.0.0.1:8000/agreements/1/",
        "http://127.0.0.1:8000/static/../settings.py",
        "http://127.0.0.1:8000/static/%2e%2e/%2e%2e/settings.py",
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/documents/missing.css",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_page_counter_translations_become_css_content_safely():
    assert css_content("page %(page)s of %(pages)s") == '"page " counter(page) " of " counter(pages)'
    assert css_content("%(page)s / %(pages)s쪽") == 'counter(page) " / " counter(pages) "쪽"'
    assert css_content('a"</style>') == '"a\\22 \\3c /style\\3e "'


def test_the_report_date_is_the_readers_date_else_seoul(scenario):
    # 20:00 UTC on 1 May: 2 May in Seoul, still 1 May in New York.
    evening = datetime(2024, 5, 1, 20, 0, tzinfo=UTC)

    without_zone = agreement_pdf(UserFactory(time_zone=""), mou_pk(), "en", now=evening)
    in_new_york = agreement_pdf(UserFactory(time_zone="America/New_York"), mou_pk(), "en", now=evening)

    assert "Report date: 2024-05-02" in " ".join(pdf_text(without_zone).split())
    assert "Report date: 2024-05-01" in " ".join(pdf_text(in_new_york).split())
