"""Playwright (Python) driving Debian's Chromium: never a downloaded browser."""

import os
import shutil

import pytest

# The permission matrix's world (its users and the ids its routes are filled with), for the page walk.
from ..test_permission_matrix import world  # noqa: F401

CHROMIUM = os.environ.get("DARI_CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; the test itself only touches the
# database before and after driving the browser, never concurrently with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-packages.sh --browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def korean_page(browser):
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def signed_in_context(browser, live_server):
    """``signed_in_context(user, language, viewport)``: a browser context signed in as ``user`` (a
    session made on the server, no sign-in form) that reads pages in ``language``."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def make(user, language: str, viewport: dict):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport=viewport, locale="ko-KR", timezone_id="Asia/Seoul")
        context.set_default_timeout(30_000)  # a page of the walk may be slow on a busy CI machine
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                },
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            ]
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
