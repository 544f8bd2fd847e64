"""Keyboard only (issue 14): sign in, switch the language, search, and open a result, with the Tab,
Enter and typing keys alone, as someone who cannot use a pointer would."""

import pytest
from playwright.sync_api import expect

from dari.matching import engine
from dari.scenario.loader import load_scenario

from ..factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# More Tab presses than any page needs to reach the element: the header, then the page's own links.
MOST_TABS = 60


def tab_to(page, selector: str) -> None:
    """Press Tab until the focus is on ``selector``; fails if it is never reached."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reaches {selector} on {page.url}")


@pytest.mark.parametrize("width", [390, 1400])
def test_sign_in_switch_language_search_and_open_a_result_by_keyboard(live_server, browser, width):
    load_scenario()
    engine.refresh_index()  # as the worker does after a load
    UserFactory(username="keyboard")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type("keyboard")
    tab_to(page, "#id_password")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".user-name")).to_contain_text("keyboard")
    expect(page.locator("html")).to_have_attribute("lang", "ko")

    if width < 640:  # the language switch is in the folded menu: open it first
        tab_to(page, ".menu-toggle")
        page.keyboard.press("Enter")
        expect(page.locator(".menu-toggle")).to_have_attribute("aria-expanded", "true")
    tab_to(page, "button[name=language][value=en]")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    tab_to(page, "#site-search-q")
    page.keyboard.type("thyroid")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search organizations and people")
    first = page.locator("ol.results > li a").first
    expect(first).to_be_visible()
    name = first.inner_text()

    tab_to(page, "ol.results > li a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    context.close()
