"""The pages a newcomer sees first, with the Ulsan–San Diego scenario's real names (long Korean
company names, several time zones): the dashboard, an organization, the agreement and search results,
in Korean and English at 390 and 1400 px. They are checked like every page (``test_pages``), also
for overflow at widths in between, and,
with ``DARI_SCREENSHOTS=1``, photographed into docs/screenshots/ for the README:

    DARI_SCREENSHOTS=1 .venv/bin/pytest -m browser tests/browser/test_showcase.py
"""

import os
from pathlib import Path

import pytest
from PIL import Image

from dari.accounts.services import ensure_demo_superuser
from dari.agreements.models import Agreement
from dari.matching import engine
from dari.registry.models import Organization
from dari.scenario.loader import load_scenario

from ..helpers import DEMO_PASSWORD, DEMO_USERNAME
from .pages import SIZES, axe_problems, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# A screenshot shows the top of the page, at most this high (CSS pixels), in at most 256 colours:
# enough to judge the layout, small enough to keep in the repository.
MOST_HEIGHT = {"phone": 1600, "wide": 1300}
# Between the phone and the wide screen (tablets, narrow windows): nothing may stick out either.
MIDDLE_WIDTHS = (641, 800, 1024)


def showcase_paths() -> dict[str, str]:
    thyroscope = Organization.objects.get(key="thyroscope")
    agreement = Agreement.objects.get(key="ulsan-san-diego-bio-mou-2024")
    return {
        "dashboard": "/",
        "organization": thyroscope.get_absolute_url(),
        "agreement": agreement.get_absolute_url(),
        "search": "/search/?q=thyroid",
    }


def save_screenshot(page, name: str, size: str) -> None:
    path = SCREENSHOTS / f"{name}.png"
    height = min(page.evaluate("document.documentElement.scrollHeight"), MOST_HEIGHT[size])
    page.screenshot(
        path=path, full_page=True, clip={"x": 0, "y": 0, "width": SIZES[size]["width"], "height": height}
    )
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_first_pages_with_the_scenario(live_server, signed_in_context, language):
    load_scenario()
    engine.refresh_index()
    demo = ensure_demo_superuser(DEMO_USERNAME, DEMO_PASSWORD)
    photograph = os.environ.get("DARI_SCREENSHOTS") == "1"
    if photograph:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for size in sorted(SIZES):
        page = signed_in_context(demo, language, SIZES[size]).new_page()
        for name, path in showcase_paths().items():
            assert page.goto(live_server.url + path).status == 200, path
            where = f"{path} [{language}, {size}]"
            problems += layout_problems(page, where, wide=size == "wide")
            problems += axe_problems(page, where)
            if photograph:
                save_screenshot(page, f"{name}-{language}-{SIZES[size]['width']}", size)
    for width in MIDDLE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in showcase_paths().values():
            page.goto(live_server.url + path)
            problems += layout_problems(page, f"{path} [{language}, {width} px]", wide=False)
    assert not problems, "\n".join(problems)
