import pytest

from dari.outcomes.models import Outcome

from ..factories import OutcomeFactory
from ..pages import get_page, page_queries

pytestmark = pytest.mark.django_db


def test_outcome_list_shows_the_six_scenario_outcomes_with_their_figures(client, scenario, superuser):
    anonymous = get_page(client, "/outcomes/", "en")
    client.force_login(superuser)
    html = get_page(client, "/outcomes/", "en")

    assert "6 results" in anonymous
    assert "USD 10,000,000" not in anonymous and "confidential" in anonymous
    assert "6 results" in html
    assert "USD 10,000,000" in html
    assert "200,000 units a year" in html
    assert "Health Online Information Technology Co., Ltd." in html
    assert html.count("Entry into the US market") == 3


def test_a_confidential_amount_is_not_repeated_by_the_summary(client, scenario, superuser):
    """Thyroscope's investment is in review: visitors read the public summary, insiders the figure."""
    outcome = Outcome.objects.get(key="thyroscope-us-vc-investment")

    english = get_page(client, outcome.get_absolute_url(), "en")
    korean = get_page(client, outcome.get_absolute_url(), "ko")
    client.force_login(superuser)
    insider = get_page(client, outcome.get_absolute_url(), "en")

    assert "An investment from a US venture-capital firm is under review (amount confidential)." in english
    assert "미국 벤처캐피탈로부터 투자 심사 중(금액 비공개)." in korean
    assert "10 million" not in english and "1,000만" not in korean
    assert "confidential while under negotiation" in english  # the amount, and the unnamed counterparty
    assert "A US$10 million investment from a US venture-capital firm is under review." in insider
    assert "USD 10,000,000" in insider


def test_an_amount_the_source_does_not_give_is_not_reported_rather_than_confidential(client, scenario):
    """SB Solution's provisional contract has no amount: nothing is hidden, so nothing says confidential."""
    outcome = Outcome.objects.get(key="sb-solution-hangzhou-provisional-contract")

    detail = get_page(client, outcome.get_absolute_url(), "en")
    startup = get_page(client, outcome.startup.get_absolute_url(), "en")

    assert "not reported" in detail and "confidential" not in detail
    assert "200,000 units a year" in detail
    assert "amount confidential" not in startup


def test_outcome_list_filters_by_kind_and_stage(client, scenario):
    html = get_page(client, "/outcomes/?kind=investment&stage=in_review", "ko")

    assert "1건" in html
    assert "미국 벤처캐피탈 투자 심사" in html


def test_outcome_detail_says_when_the_date_is_unknown(client, scenario):
    outcome = Outcome.objects.get(key="thyroscope-us-vc-investment")

    english = get_page(client, outcome.get_absolute_url(), "en")
    korean = get_page(client, outcome.get_absolute_url(), "ko")

    assert "not given by the source" in english
    assert "출처에 나오지 않음" in korean
    assert "2024-01-18" in english


def test_private_outcome_is_hidden_from_anonymous(client, staff_user):
    outcome = OutcomeFactory(title_en="Confidential deal", is_public=False)

    assert "Confidential deal" not in get_page(client, "/outcomes/", "en")
    get_page(client, outcome.get_absolute_url(), status=404)
    client.force_login(staff_user)
    assert "Confidential deal" in get_page(client, "/outcomes/", "en")


def test_outcome_list_query_count_does_not_grow_with_rows(client):
    for _ in range(3):
        OutcomeFactory()
    few = page_queries(client, "/outcomes/")
    for _ in range(27):
        OutcomeFactory()

    assert page_queries(client, "/outcomes/") == few


def test_latest_for_listing_are_the_newest_the_viewer_may_see(django_assert_num_queries):
    """The dashboard's and a program page's latest outcomes: picked by id inside the one query (and
    the rounds' investors prefetched), newest reported first and the newer row first on a day, of
    those the viewer may see only."""
    from datetime import date

    from django.contrib.auth.models import AnonymousUser

    old = OutcomeFactory(reported_on=date(2023, 1, 1))
    first, second = (OutcomeFactory(reported_on=date(2024, 5, 1)) for _ in range(2))
    OutcomeFactory(reported_on=date(2024, 6, 1), is_public=False)
    OutcomeFactory(reported_on=date(2022, 1, 1))
    anonymous = AnonymousUser()

    with django_assert_num_queries(2):
        latest = list(Outcome.objects.visible_to(anonymous).latest_for_listing(anonymous, 3))

    assert latest == [second, first, old]
    assert [outcome.amount_hidden for outcome in latest] == [False] * 3
