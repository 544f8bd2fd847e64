import re

import pytest

from dari.outcomes.vocabulary import Stage

from ..factories import OrganizationFactory, OutcomeFactory
from ..pages import get_page, page_queries

pytestmark = pytest.mark.django_db


def test_dashboard_in_korean_counts_the_scenario(client, scenario):
    html = get_page(client, "/", "ko")

    assert '<html lang="ko">' in html
    assert "협력 현황" in html
    assert "최근 성과" in html
    assert "약 1,000개 기업" in html
    assert "2024-01-17 10:30 PST" in html


def test_dashboard_in_english(client, scenario):
    html = get_page(client, "/", "en")

    assert '<html lang="en">' in html
    assert "Partnership dashboard" in html
    assert "Latest outcomes" in html
    assert "market entry" in html


def test_dashboard_follows_accept_language_without_a_cookie(client, scenario):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="en">' in response.content.decode()


def test_language_switch_sets_the_cookie_and_returns_to_the_page(client, scenario):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/outcomes/"})

    assert response.status_code == 302
    assert response["Location"] == "/outcomes/"
    assert response.cookies["django_language"].value == "en"


def test_dashboard_query_count_does_not_grow_with_outcomes(client):
    for _ in range(3):
        OutcomeFactory()
    few = page_queries(client, "/")
    for _ in range(27):
        OutcomeFactory()

    assert page_queries(client, "/") == few


def test_dashboard_counts_the_outcomes_from_the_reading_of_its_figures(client):
    """The dashboard's count of outcomes comes from the one reading of its figures, not a query of
    its own: the outcomes no figure counts are in it, the illustrative ones only when asked, the
    private ones not for the public."""
    OutcomeFactory()  # a market entry: counted by a figure
    OutcomeFactory(stage=Stage.PREPARING)  # by none
    OutcomeFactory(is_public=False)
    OutcomeFactory(startup=OrganizationFactory(is_illustrative=True))

    def outcomes_card(url: str) -> str:
        html = get_page(client, url, "en")
        return re.search(r'<span class="figure">(\d+)</span><span class="label">Outcomes</span>', html)[1]

    assert outcomes_card("/") == "2"
    assert outcomes_card("/?illustrative=on") == "3"
