"""The KPIs: one module (dari.reports.kpis) behind the dashboard and GET /api/v1/kpis, so both show
the same figures to each persona; a hidden amount is left out of every total and counted as left out;
sums go per currency."""

from datetime import date
from decimal import Decimal

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.outcomes.models import Outcome
from dari.registry.models import Organization
from tests.factories import OrganizationFactory, OutcomeFactory, UserFactory

pytestmark = pytest.mark.django_db


def by_key(items) -> dict:
    return {item["key"]: item for item in items}


def api_figures(client, query: str = "") -> dict:
    response = client.get(f"/api/v1/kpis{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return by_key(body["items"])


@pytest.fixture
def personas(scenario):
    thyroscope = Organization.objects.get(key="thyroscope")
    member = UserFactory(username="thyroscope-member")
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, thyroscope)
    return {
        "anonymous": None,
        "outsider": UserFactory(username="outsider"),
        "member": member,
        "staff": UserFactory(username="staff", is_staff=True),
    }


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member", "staff"])
def test_the_dashboard_and_the_api_show_the_same_figures(client, personas, persona):
    if personas[persona] is not None:
        client.force_login(personas[persona])
    client.cookies["django_language"] = "en"

    api = api_figures(client)
    page = client.get("/").context["kpis"]

    assert [(figure.key, figure.count, figure.amounts, figure.amounts_left_out) for figure in page] == [
        (
            item["key"],
            item["count"],
            {money["currency"]: Decimal(money["amount"]) for money in item["amounts"]},
            item["amounts_left_out"],
        )
        for item in api.values()
    ]
    review = api["investment_in_review"]
    assert review["count"] == 1  # Thyroscope's US$10M under review, reported in the seed
    insider = persona in ("member", "staff")
    assert review["amounts"] == ([{"currency": "USD", "amount": "10000000.00"}] if insider else [])
    assert review["amounts_left_out"] == (0 if insider else 1)
    # In USD and KRW from the values locked when it was recorded, with the day of their rate.
    assert (review["usd_total"], review["krw_total"], review["rates_from"], review["rates_to"]) == (
        ("10000000.00", "13386666670", "2024-01-18", "2024-01-18") if insider else (None, None, None, None)
    )
    html = client.get("/").content.decode()
    assert ("USD 10,000,000" in html) is insider
    assert ("KRW 13,386,666,670" in html) is insider
    assert ("ECB rates of 2024-01-18" in html) is insider
    if not insider:
        assert "1 confidential amount left out" in html
    # SB Solution's provisional contract: units a year, no amount ("not reported" is not "left out").
    contract = api["contracts"]
    assert (contract["count"], contract["amounts"], contract["amounts_left_out"]) == (1, [], 0)
    assert [(Decimal(row["quantity"]), row["period"]) for row in contract["quantities"]] == [
        (Decimal("200000"), "year")
    ]
    assert api["startups_supported"]["count"] == 3


def test_amounts_are_summed_per_currency_never_across(client, scenario, superuser):
    startup = OrganizationFactory(is_public=True)
    for amount, currency in (("1000000", "USD"), ("2500000", "USD"), ("5000000000", "KRW")):
        OutcomeFactory(
            startup=startup,
            kind="investment",
            stage="closed",
            amount=Decimal(amount),
            currency=currency,
            counterparty_description_en="A fund",
            reported_on=date(2025, 3, 1),
        )
    client.force_login(superuser)

    closed = api_figures(client, "?year=2025")["investment_closed"]

    assert closed["count"] == 3
    assert {money["currency"]: Decimal(money["amount"]) for money in closed["amounts"]} == {
        "KRW": Decimal("5000000000"),
        "USD": Decimal("3500000"),
    }
    # One total in USD and one in KRW, each the sum of the values locked with each amount.
    locked = Outcome.objects.filter(startup=startup)
    assert Decimal(closed["usd_total"]) == sum(outcome.usd_value for outcome in locked)
    assert Decimal(closed["krw_total"]) == sum(outcome.krw_value for outcome in locked)
    assert Decimal(closed["krw_total"]) > Decimal("5000000000")
    assert closed["rates_from"] == closed["rates_to"] == "2025-02-28"  # 1 March 2025 was a Saturday


def test_totals_never_reconvert_when_newer_rates_arrive(client, scenario, superuser, monkeypatch):
    from dari.engines.fx import RateTable

    client.force_login(superuser)
    before = api_figures(client)["investment_in_review"]
    other = RateTable([(date(2024, 1, 18), {"USD": Decimal("1"), "KRW": Decimal("1")})])
    monkeypatch.setattr("dari.outcomes.values.rate_table", lambda: other)
    monkeypatch.setattr("dari.core.rates.rate_table", lambda: other)

    assert api_figures(client)["investment_in_review"] == before


def test_an_amount_waiting_for_its_rate_is_counted_but_not_converted(client, scenario, superuser):
    from datetime import timedelta

    from dari.engines.fx import RateTable

    day = RateTable.bundled().last_day + timedelta(days=10)
    OutcomeFactory(
        kind="investment",
        stage="closed",
        amount=Decimal("2000000"),
        currency="USD",
        counterparty_description_en="A fund",
        reported_on=day,
    )
    client.force_login(superuser)

    closed = api_figures(client, f"?year={day.year}")["investment_closed"]

    assert (closed["count"], closed["values_pending"], closed["usd_total"]) == (1, 1, None)
    assert closed["amounts"] == [{"currency": "USD", "amount": "2000000.00"}]


def test_filters_narrow_the_figures_and_bad_ones_are_refused(client, scenario):
    everything = api_figures(client)
    other_year = api_figures(client, "?year=2019")
    program = api_figures(client, "?program=digital-healthcare-global-support")

    assert sum(item["count"] for key, item in everything.items() if key != "startups_supported") > 0
    assert all(item["count"] == 0 for key, item in other_year.items() if key != "startups_supported")
    assert program["investment_in_review"]["count"] == everything["investment_in_review"]["count"]
    assert client.get("/api/v1/kpis?year=3000").status_code == 422
    assert client.get("/api/v1/kpis?year=soon").status_code == 422


def test_each_figure_links_to_its_outcomes(client, scenario):
    market = api_figures(client)["market_entries"]

    assert market["outcomes_url"].endswith("/outcomes/?kind=market_entry&stage=entered")
    listed = client.get("/outcomes/?kind=market_entry&stage=entered").context["page"].paginator.count
    assert listed == market["count"] == Outcome.objects.filter(kind="market_entry", stage="entered").count()
