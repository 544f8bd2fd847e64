"""The dashboard's charts in Chromium: vega-embed draws them from the page's JSON under the
Content-Security-Policy (``script-src 'self'``, no 'unsafe-eval': Vega's expressions run in its
interpreter) with no violation or script error, as wide as the page at 390 and 1400 px, in Korean
and English, and a click on a bar opens the outcomes it counts."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from dari.scenario.loader import load_scenario

from ..factories import OutcomeFactory
from .pages import SIZES, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded before any of the page's scripts run (Playwright's init scripts are not subject to the CSP).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.parametrize("size", ["phone", "wide"])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_dashboard_draws_its_charts_without_a_csp_violation(
    live_server, signed_in_context, superuser, language, size
):
    load_scenario()
    OutcomeFactory(reported_on=date(2024, 8, 1))  # a second quarter: the timeline is drawn too
    context = signed_in_context(superuser, language, SIZES[size])
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(live_server.url + "/")
    charts = page.locator(".chart.chart-drawn")
    expect(charts).to_have_count(3)
    expect(page.locator(".chart.chart-drawn svg").first).to_be_visible()

    assert page.evaluate("window.__violations") == []
    assert problems == []
    # As wide as their column (width: "container"), and the page no wider than the window.
    width = page.evaluate("document.querySelector('.chart.chart-drawn svg').getBoundingClientRect().width")
    column = page.evaluate("document.querySelector('.chart.chart-drawn').getBoundingClientRect().width")
    assert column * 0.9 <= width <= column + 1
    assert layout_problems(page, "/", wide=size == "wide") == []
    # The KPI table is still there for those without script.
    expect(page.locator("table.table").first).to_be_visible()


def test_a_click_on_a_bar_opens_the_outcomes_it_counts(live_server, signed_in_context, superuser):
    load_scenario()
    page = signed_in_context(superuser, "en", SIZES["wide"]).new_page()
    page.goto(live_server.url + "/")
    chart = page.locator("[data-chart-spec='chart-kpis'].chart-drawn")
    expect(chart).to_be_visible()

    bar = chart.locator("path[aria-roledescription='bar']").filter(
        has=page.locator("xpath=self::*[contains(@aria-label, 'Market entries')]")
    )
    bar.first.hover()
    expect(page.locator("#vg-tooltip-element")).to_contain_text("Market entries")
    bar.first.click()

    expect(page).to_have_url(re.compile(r"/outcomes/\?kind=market_entry&stage=entered$"))
    expect(page.locator("tbody tr")).not_to_have_count(0)
