"""The outcomes API: /api/v1/outcomes, its filters and who sees which outcome."""

import pytest

from dari.outcomes.models import Outcome
from dari.registry.models import Organization
from tests.factories import (
    OrganizationFactory,
    OutcomeFactory,
    ProgramFactory,
    SectorFactory,
    SourceFactory,
)
from tests.helpers import count_queries, get_json, listed_keys

REPORT = "report-2024-01-18-ulsan-san-diego-bio-mou"
ALL_OUTCOMES = [
    "dna-corporation-medical-device-partnerships",
    "dna-corporation-us-market-entry",
    "sb-solution-hangzhou-provisional-contract",
    "sb-solution-us-market-entry",
    "thyroscope-us-market-entry",
    "thyroscope-us-vc-investment",
]


@pytest.mark.django_db
def test_outcome_list_holds_the_six_reported_outcomes_with_figures_as_decimal_strings(
    scenario, client, superuser
):
    investment = Outcome.objects.get(key="thyroscope-us-vc-investment")
    hangzhou = Organization.objects.get(key="hangzhou-health-online-it")
    client.force_login(superuser)

    page = get_json(client, "/api/v1/outcomes")
    body = get_json(client, f"/api/v1/outcomes/{investment.pk}")

    by_key = {item["key"]: item for item in page["items"]}
    assert page["count"] == 6
    assert sorted((item["key"], item["kind"], item["stage"]) for item in page["items"]) == [
        ("dna-corporation-medical-device-partnerships", "partnership", "active"),
        ("dna-corporation-us-market-entry", "market_entry", "entered"),
        ("sb-solution-hangzhou-provisional-contract", "contract", "provisional"),
        ("sb-solution-us-market-entry", "market_entry", "entered"),
        ("thyroscope-us-market-entry", "market_entry", "entered"),
        ("thyroscope-us-vc-investment", "investment", "in_review"),
    ]
    assert {(item["reported_on"], item["occurred_on"], item["source"]["key"]) for item in page["items"]} == {
        ("2024-01-18", None, REPORT)
    }
    assert body == by_key["thyroscope-us-vc-investment"]
    assert (body["id"], body["web_url"]) == (investment.pk, f"http://testserver/outcomes/{investment.pk}/")
    assert (body["amount"], body["currency"], body["quantity"]) == ("10000000.00", "USD", None)
    assert (body["amount_disclosure"], body["redacted_fields"]) == ("auto", [])
    assert body["counterparty"] is None
    assert body["counterparty_description_en"] == "A US venture-capital firm (not named)"
    assert (body["counterparty_kind"], body["counterparty_country"]) == ("investor", "US")
    assert (body["startup"]["key"], body["program"]["key"]) == (
        "thyroscope",
        "digital-healthcare-global-support",
    )

    contract = by_key["sb-solution-hangzhou-provisional-contract"]
    assert (contract["quantity"], contract["quantity_unit_en"], contract["quantity_period"]) == (
        "200000.00",
        "units",
        "year",
    )
    assert (contract["amount"], contract["currency"]) == (None, "")
    assert contract["counterparty"] == {
        "id": hangzhou.pk,
        "key": "hangzhou-health-online-it",
        "name_ko": "건강온라인정보기술유한공사",
        "name_en": "Health Online Information Technology Co., Ltd.",
    }


@pytest.mark.django_db
def test_outcome_list_pages_with_limit_and_offset(client):
    OutcomeFactory.create_batch(6)
    all_keys = listed_keys(client, "/api/v1/outcomes")

    page = get_json(client, "/api/v1/outcomes?limit=2&offset=3")

    assert page["count"] == 6
    assert [item["key"] for item in page["items"]] == all_keys[3:5]


MARKET_ENTRIES = [
    "dna-corporation-us-market-entry",
    "sb-solution-us-market-entry",
    "thyroscope-us-market-entry",
]
THYROSCOPE_OUTCOMES = ["thyroscope-us-market-entry", "thyroscope-us-vc-investment"]
# query string -> keys of the scenario outcomes it finds
OUTCOME_FILTERS = {
    "kind=market_entry": MARKET_ENTRIES,
    "kind=investment": ["thyroscope-us-vc-investment"],
    "kind=regulatory": [],
    "stage=provisional": ["sb-solution-hangzhou-provisional-contract"],
    "kind=market_entry&stage=entered": MARKET_ENTRIES,
    "kind=investment&stage=entered": [],
    "program=digital-healthcare-global-support": ALL_OUTCOMES,
    "program=no-such-program": [],
    "cluster=ulsan": ALL_OUTCOMES,
    "cluster=san-diego": [],
    "sector=digital-health": THYROSCOPE_OUTCOMES,
    "sector=bio": THYROSCOPE_OUTCOMES,
    "sector=semiconductors": [],
    "q=타이로": THYROSCOPE_OUTCOMES,
    "q=Thyroscope": THYROSCOPE_OUTCOMES,
    "q=venture-capital": ["thyroscope-us-vc-investment"],
    "q=벤처캐피탈": ["thyroscope-us-vc-investment"],
    "q=Hangzhou": ["sb-solution-hangzhou-provisional-contract"],
    "q=의료장비": ["dna-corporation-medical-device-partnerships"],
    "q=Boston": [],
    "q=타이로&kind=investment&sector=digital-health": ["thyroscope-us-vc-investment"],
}


@pytest.mark.django_db
def test_outcome_filters(scenario, client):
    sb_solution = Organization.objects.get(key="sb-solution")
    filters = {
        **OUTCOME_FILTERS,
        f"startup={sb_solution.pk}": [
            "sb-solution-hangzhou-provisional-contract",
            "sb-solution-us-market-entry",
        ],
        f"startup={sb_solution.pk}&kind=contract": ["sb-solution-hangzhou-provisional-contract"],
    }

    found = {query: sorted(listed_keys(client, f"/api/v1/outcomes?{query}")) for query in filters}

    assert found == filters


@pytest.mark.django_db
def test_sector_filter_includes_startups_tagged_only_with_a_sub_sector(client):
    digital_health = SectorFactory(key="digital-health")
    thyroid = SectorFactory(key="thyroid", parent=digital_health)
    OutcomeFactory(key="thyroid-entry", startup=OrganizationFactory(sectors=[thyroid]))
    OutcomeFactory(key="untagged-entry")

    assert listed_keys(client, "/api/v1/outcomes?sector=digital-health") == ["thyroid-entry"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["startup=abc", "startup=1.5", "limit=abc", "limit=0", "offset=-1"])
def test_bad_filter_type_is_422_not_500(client, query):
    response = client.get(f"/api/v1/outcomes?{query}")

    assert response.status_code == 422


@pytest.mark.django_db
def test_bad_filter_type_names_the_parameter(client):
    body = get_json(client, "/api/v1/outcomes?startup=abc", status=422)

    assert [error["loc"] for error in body["detail"]] == [["query", "startup"]]


@pytest.mark.django_db
def test_unknown_outcome_is_404(client):
    assert client.get("/api/v1/outcomes/999999").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/outcomes", "/api/v1/outcomes?sector=digital-health&q=Entry"])
def test_outcome_list_runs_the_same_queries_for_3_or_30_outcomes(client, url):
    digital_health = SectorFactory(key="digital-health")

    def outcome_with_everything():
        OutcomeFactory(
            startup=OrganizationFactory(sectors=[digital_health]),
            counterparty=OrganizationFactory(kind=Organization.Kind.INVESTOR),
            program=ProgramFactory(),
            source=SourceFactory(),
        )

    for _ in range(3):
        outcome_with_everything()
    queries_for_3 = count_queries(client, url)
    for _ in range(27):
        outcome_with_everything()

    assert count_queries(client, url) == queries_for_3


@pytest.mark.django_db
def test_outcome_list_runs_three_queries(client):
    OutcomeFactory.create_batch(3)

    # The count, the page of outcomes, and the investors of its rounds.
    assert count_queries(client, "/api/v1/outcomes") == 3


# --- visibility --------------------------------------------------------------------------------------

VISIBILITY = [("anonymous", False), ("member", False), ("staff", True), ("superuser", True)]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "sees_private"), VISIBILITY)
def test_private_outcome_is_listed_and_shown_to_staff_only(client_as, persona, sees_private):
    OutcomeFactory(key="public-outcome")
    private = OutcomeFactory(key="private-outcome", is_public=False)
    client = client_as(persona)

    listed = sorted(listed_keys(client, "/api/v1/outcomes"))
    detail = client.get(f"/api/v1/outcomes/{private.pk}")

    if sees_private:
        assert listed == ["private-outcome", "public-outcome"]
        assert detail.status_code == 200
    else:
        assert listed == ["public-outcome"]
        assert detail.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "sees_private"), VISIBILITY)
def test_public_outcome_of_a_private_startup_is_shown_to_staff_only(client_as, persona, sees_private):
    OutcomeFactory(key="public-outcome")
    hidden = OutcomeFactory(key="outcome-of-private-startup", startup=OrganizationFactory(is_public=False))
    client = client_as(persona)

    listed = sorted(listed_keys(client, "/api/v1/outcomes"))
    detail = client.get(f"/api/v1/outcomes/{hidden.pk}")

    if sees_private:
        assert listed == ["outcome-of-private-startup", "public-outcome"]
        assert detail.status_code == 200
    else:
        assert listed == ["public-outcome"]
        assert detail.status_code == 404


@pytest.mark.django_db
def test_scenario_outcome_made_private_disappears_for_anonymous_and_members(scenario, client_as):
    Outcome.objects.filter(key="thyroscope-us-vc-investment").update(is_public=False)
    Organization.objects.filter(key="dna-corporation").update(is_public=False)

    visible_to_public = [
        "sb-solution-hangzhou-provisional-contract",
        "sb-solution-us-market-entry",
        "thyroscope-us-market-entry",
    ]
    for persona in ("anonymous", "member"):
        assert sorted(listed_keys(client_as(persona), "/api/v1/outcomes")) == visible_to_public
    assert sorted(listed_keys(client_as("staff"), "/api/v1/outcomes")) == ALL_OUTCOMES


@pytest.mark.django_db
def test_anonymous_list_shows_all_six_public_outcomes_but_no_amount_under_negotiation(scenario, client):
    page = get_json(client, "/api/v1/outcomes")

    by_key = {item["key"]: item for item in page["items"]}
    investment = by_key["thyroscope-us-vc-investment"]
    assert page["count"] == 6
    assert (investment["amount"], investment["currency"]) == (None, "")
    # The texts that could repeat the amount are redacted too: the summary says what may be said.
    assert investment["redacted_fields"] == [
        "amount",
        "counterparty_description_en",
        "counterparty_description_ko",
        "currency",
        "krw_rate",
        "krw_value",
        "rate_on",
        "summary_en",
        "summary_ko",
        "title_en",
        "title_ko",
        "usd_rate",
        "usd_value",
    ]
    # The amount in other words is hidden with it.
    assert [investment[name] for name in ("usd_value", "krw_value", "usd_rate", "krw_rate", "rate_on")] == [
        None
    ] * 5
    assert investment["rate_pending"] is None
    assert (investment["summary_en"], investment["summary_ko"]) == (
        "An investment from a US venture-capital firm is under review (amount confidential).",
        "미국 벤처캐피탈로부터 투자 심사 중(금액 비공개).",
    )
    assert investment["title_en"] == "US venture-capital investment under review"
    assert investment["counterparty_description_en"] == ""
    assert [item["amount"] for item in page["items"]] == [None] * 6
    for spelling in ("10000000", "10 million", "1,000만"):
        assert spelling not in str(page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stage", "disclosure", "anonymous_sees_amount"),
    [
        ("in_review", "auto", False),
        ("closed", "auto", True),
        ("in_review", "public", True),
        ("closed", "confidential", False),
    ],
)
def test_amount_disclosure_rule(client, stage, disclosure, anonymous_sees_amount):
    outcome = OutcomeFactory(
        kind="investment", stage=stage, amount="500000", currency="USD", amount_disclosure=disclosure
    )

    body = get_json(client, f"/api/v1/outcomes/{outcome.pk}")

    assert (body["amount"] == "500000.00") is anonymous_sees_amount
