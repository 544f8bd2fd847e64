"""Every page route of the permission matrix, as staff, in Korean and English, at 390×844 and
1400×900 (issue 14): nothing wider than the window, no text cell narrower than three Korean
syllables, and no serious or critical axe-core violation.

The layout is measured in all four runs; axe-core runs in two of them (Korean on the phone, English
on the wide screen), so that each language and each size is checked once. Its rules read the
document's structure, names and colours, which the window's width rarely changes, and it took half
of each run's time (45 of 94 s on a busy machine).

The routes and the world they are filled from are the matrix's own (``tests/test_permission_matrix``),
so a page added to the matrix is checked here too. One browser context and one page per language and
size keep the run short; every problem of a run is collected and reported at once.
"""

import pytest
from playwright.sync_api import Error as PlaywrightError

from ..test_permission_matrix import PAGES, PERSONAS
from .pages import SIZES, axe_problems, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = PERSONAS.index("staff")
#: The (language, size) runs that run axe-core as well as the layout checks.
AXE_RUNS = {("ko", "phone"), ("en", "wide")}
# Page routes that staff reads (a GET answered 200); forms are included, empty.
PAGE_PATHS = sorted(
    {row.path for rows in PAGES.values() for row in rows if row.method == "GET" and row.expect[STAFF] == 200}
)


def open_page(page, url: str) -> bool:
    """Open ``url``; whether it is a whole page (not a download, a JSON document, a PDF or an htmx
    fragment, which have no layout of their own)."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in error.message:
            return False
        raise
    assert response.status == 200, url
    if not response.headers.get("content-type", "").startswith("text/html"):
        return False
    return page.locator("body > header.site-header").count() == 1


def test_the_walk_covers_every_page_route():
    assert len(PAGE_PATHS) >= 40
    assert {language for language, _ in AXE_RUNS} == {"ko", "en"}
    assert {size for _, size in AXE_RUNS} == set(SIZES)


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_page_fits_the_window_and_passes_axe(
    live_server, browser, signed_in_context, world, language, size
):
    ids, users = world
    context = signed_in_context(users["staff"], language, SIZES[size])
    page = context.new_page()
    problems = []
    checked = 0
    for path in PAGE_PATHS:
        url = path.format(**ids)
        if not open_page(page, live_server.url + url):
            continue
        checked += 1
        where = f"{url} [{language}, {size}]"
        problems += layout_problems(page, where, wide=size == "wide")
        if (language, size) in AXE_RUNS:
            problems += axe_problems(page, where)
    assert checked >= 45
    assert not problems, "\n".join(problems)
