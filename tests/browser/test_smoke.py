import re

import pytest
from playwright.sync_api import expect

from dari.scenario.loader import load_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_korean_home_switch_to_english_open_agreement_read_both_signing_times(live_server, korean_page):
    load_scenario()
    page = korean_page

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", level=1)).to_have_text("협력 현황")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership dashboard")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agreements").click()
    page.get_by_role("link", name="MOU on building a cooperation base for fostering the bio industry").click()
    expect(page).to_have_url(re.compile(r"/agreements/\d+/$"))
    signed = page.locator(".signed-at")
    expect(signed).to_contain_text("2024-01-17 10:30 PST")
    expect(signed).to_contain_text("2024-01-18 03:30 KST")

    page.get_by_role("button", name="한국어").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", level=1)).to_have_text("바이오산업 육성 협력 기반 구축 업무 협약")
    expect(page.locator(".signed-at")).to_contain_text("2024-01-17 10:30 PST")
    expect(page.locator(".signed-at")).to_contain_text("2024-01-18 03:30 KST")
