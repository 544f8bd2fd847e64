"""The KPI charts (dari.reports.charts): Vega-Lite specs built from the KPI figures, passed to the page
as JSON (what the viewer's browser is given) and rendered to SVG for PDFs. A chart's numbers are
the figures' numbers, its links are the figures' links, and an amount hidden from the viewer is in
neither the page's figures nor its charts."""

import re
from datetime import date

import pytest
from django.utils import translation

from dari.outcomes.models import Outcome
from dari.reports.charts import chart_svg, kpi_charts
from dari.reports.kpis import Filters, breakdown, outcome_figures
from tests.factories import OutcomeFactory, UserFactory
from tests.helpers import chart_spec, count_queries

pytestmark = pytest.mark.django_db


def page(client, path: str = "/", language: str = "en") -> str:
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_bar_chart_shows_the_kpi_figures_and_links_to_their_outcomes(client, scenario):
    html = page(client)
    spec = chart_spec(html, "chart-kpis")

    with translation.override("en"):
        figures = outcome_figures(None, Filters())
    assert [(row["label"], row["value"], row["href"]) for row in spec["data"]["values"]] == [
        (figure.label, figure.count, figure.link) for figure in figures
    ]
    assert spec["encoding"]["href"] == {"field": "href", "type": "nominal"}
    assert spec["width"] == "container"
    assert "Amounts" in [tip["title"] for tip in spec["encoding"]["tooltip"]]


def test_the_stacked_and_timeline_charts_show_the_breakdowns(client, scenario, superuser):
    OutcomeFactory(kind="market_entry", stage="entered", reported_on=date(2024, 8, 1))
    client.force_login(superuser)
    html = page(client)

    stacked = chart_spec(html, "chart-by_program")
    with translation.override("en"):
        expected = [
            (group.label, figure.label, figure.count, figure.link)
            for group in breakdown(superuser, "program", Filters())
            for figure in group.figures
            if figure.count
        ]
    assert [(r["label"], r["series"], r["value"], r["href"]) for r in stacked["data"]["values"]] == expected

    timeline = chart_spec(html, "chart-timeline")
    periods = timeline["encoding"]["x"]["sort"]
    assert periods[0] == "2024 Q1" and periods[-1] == "2024 Q3"
    entries = {r["period"]: r["value"] for r in timeline["data"]["values"] if r["series"] == "Market entries"}
    seed = Outcome.objects.filter(kind="market_entry", stage="entered", reported_on__year=2024).count() - 1
    # Every quarter from the first to the last, an empty one at zero.
    assert entries == {"2024 Q1": seed, "2024 Q2": 0, "2024 Q3": 1}


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "staff"])
def test_a_hidden_amount_is_nowhere_in_the_page_given_to_the_viewer(client, scenario, persona):
    if persona != "anonymous":
        client.force_login(UserFactory(is_staff=persona == "staff"))

    OutcomeFactory(reported_on=date(2024, 8, 1))  # a second quarter: the timeline is drawn too
    html = page(client)
    charts = {name: chart_spec(html, f"chart-{name}") for name in ("kpis", "by_program", "timeline")}

    tooltips = " ".join(
        row["amounts"] for spec in charts.values() for row in spec["data"]["values"] if "amounts" in row
    )
    # Thyroscope's US$10M under review: staff see it; the others are told one amount was left out.
    shown = "USD 10,000,000" in tooltips
    assert shown is (persona == "staff")
    assert ("1 confidential amount left out" in tooltips) is (persona != "staff")
    if persona != "staff":
        assert not re.search(r"10,?000,?000", html)


def test_korean_pages_get_korean_charts(client, scenario):
    html = page(client, language="ko")
    spec = chart_spec(html, "chart-kpis")

    assert [row["label"] for row in spec["data"]["values"]][0] == "심사 중인 투자"
    assert spec["encoding"]["x"]["title"] == "성과"


def test_the_program_page_charts_its_outcomes_per_cohort_and_quarter(client, scenario, superuser):
    from dari.programs.models import Program

    program = Program.objects.get(key="digital-healthcare-global-support")
    client.force_login(superuser)
    html = page(client, program.get_absolute_url())

    cohorts = chart_spec(html, "chart-by_cohort")
    total = sum(row["value"] for row in cohorts["data"]["values"])
    with translation.override("en"):
        figures = outcome_figures(superuser, Filters(program=program.key, include_illustrative=True))
    assert total == sum(figure.count for figure in figures)
    assert all(f"program={program.key}" in row["href"] for row in cohorts["data"]["values"])
    # The seed's outcomes were all reported on one day: no timeline of a single quarter.
    assert 'id="chart-timeline"' not in html


def test_a_chart_renders_to_svg_with_its_korean_labels_as_text(scenario):
    with translation.override("ko"):
        spec = kpi_charts(None)["kpis"]
        svg = chart_svg(spec)

    assert svg.startswith("<svg") and 'class="chart marks"' in svg
    assert "심사 중인 투자" in svg and ">성과<" in svg
    assert "Noto Sans CJK KR" in svg
    # A printed chart has no links and a fixed width.
    assert "<a " not in svg and "href" not in svg


def test_the_dashboard_with_its_charts_takes_the_same_queries_for_more_outcomes(client, scenario):
    from dari.programs.models import Program

    OutcomeFactory(reported_on=date(2023, 2, 1))  # two quarters: every chart is drawn
    before = count_queries(client, "/")
    for year in range(2015, 2023):
        OutcomeFactory(program=Program.objects.create(key=f"program-{year}"), reported_on=date(year, 6, 1))

    assert count_queries(client, "/") == before
