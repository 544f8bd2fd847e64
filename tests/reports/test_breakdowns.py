"""KPI breakdowns (dari.reports.kpis.breakdown, GET /api/v1/kpis/breakdown): the same figures per
program, cohort, cluster, cooperation area, counterparty country, year and quarter of report. Every
figure links to the outcome list showing exactly the outcomes it counts; hidden amounts stay out of
every group's totals; the number of queries does not grow with the outcomes."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dari.agreements.models import CooperationArea
from dari.outcomes.models import Outcome
from dari.programs.models import Program
from dari.registry.models import Organization
from dari.reports.kpis import BREAKDOWNS, Filters, breakdown
from tests.factories import OrganizationFactory, OutcomeFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

PROGRAM = "digital-healthcare-global-support"


def add_outcomes():
    """Outcomes spread over programs, cohorts, areas, countries and quarters, beside the seed's."""
    program = Program.objects.get(key=PROGRAM)
    area = CooperationArea.objects.first()
    startup = OrganizationFactory(is_public=True, key="cohort-startup")
    ParticipantFactory(program=program, organization=startup, since=date(2025, 3, 1))
    common = {"startup": startup, "counterparty_description_en": "A fund"}
    investment = {**common, "kind": "investment", "program": program}
    # (stage, amount, currency, counterparty's country, cooperation area, reported on)
    for stage, amount, currency, country, served, reported in (
        ("closed", "2000000", "USD", "US", area, date(2025, 5, 20)),
        ("in_review", "3000000000", "KRW", "KR", None, date(2025, 11, 2)),
    ):
        OutcomeFactory(
            **investment,
            stage=stage,
            amount=Decimal(amount),
            currency=currency,
            counterparty_country=country,
            cooperation_area=served,
            reported_on=reported,
        )
    OutcomeFactory(**common, kind="partnership", stage="active", reported_on=date(2024, 2, 1))
    # Made up for the demo: counted only with ``illustrative``, like the dashboard's counts.
    OutcomeFactory(
        startup=OrganizationFactory(is_public=True, is_illustrative=True), reported_on=date(2025, 1, 5)
    )


def listed(client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200, link
    return response.context["page"].paginator.count


@pytest.mark.parametrize("by", list(BREAKDOWNS))
def test_every_figure_of_a_breakdown_lists_exactly_the_outcomes_it_counts(client, scenario, by):
    add_outcomes()
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    client.cookies["django_language"] = "en"

    for illustrative in (False, True):
        groups = breakdown(staff, by, Filters(include_illustrative=illustrative))
        assert groups  # there are outcomes to group
        for group in groups:
            for figure in group.figures:
                assert listed(client, figure.link) == figure.count, (by, group.key, figure.key, figure.link)


def test_a_breakdown_adds_up_to_the_figures_without_one(client, scenario, superuser):
    add_outcomes()
    client.force_login(superuser)
    totals = {item["key"]: item["count"] for item in client.get("/api/v1/kpis").json()["items"]}

    for by in BREAKDOWNS:
        body = client.get(f"/api/v1/kpis/breakdown?by={by}").json()
        assert body["by"] == by and body["count"] == len(body["items"])
        for key in totals.keys() - {"startups_supported"}:
            summed = sum(
                figure["count"]
                for group in body["items"]
                for figure in group["figures"]
                if figure["key"] == key
            )
            assert summed == totals[key], (by, key)


def test_groups_are_named_and_keyed_by_the_list_filters(client, scenario, superuser):
    add_outcomes()
    client.force_login(superuser)
    client.cookies["django_language"] = "en"

    def groups(by: str) -> dict:
        return {
            item["key"]: item["label"]
            for item in client.get(f"/api/v1/kpis/breakdown?by={by}").json()["items"]
        }

    quarters = groups("quarter")
    assert list(quarters) == sorted(quarters)  # in time order
    assert {"2024-Q1": "2024 Q1", "2025-Q2": "2025 Q2", "2025-Q4": "2025 Q4"}.items() <= quarters.items()
    assert "2025" in groups("year") and "2024" in groups("year")
    assert list(groups("country"))[-1] == "none"
    assert groups("country")["US"] == "United States of America"
    assert groups("cohort")["2025"] == "2025"
    assert groups("program")[PROGRAM]
    assert groups("program")["none"] == "No program"
    area = CooperationArea.objects.first()
    assert groups("area")[str(area.pk)] == str(area)


def test_a_quarters_outcomes_are_those_reported_in_it(client, scenario, superuser):
    add_outcomes()
    client.force_login(superuser)

    body = client.get("/api/v1/kpis/breakdown?by=quarter&year=2025").json()
    quarters = {group["key"]: {f["key"]: f["count"] for f in group["figures"]} for group in body["items"]}

    assert set(quarters) == {"2025-Q2", "2025-Q4"}
    assert quarters["2025-Q2"]["investment_closed"] == 1
    assert quarters["2025-Q4"]["investment_in_review"] == 1
    closed = next(f for f in body["items"][0]["figures"] if f["key"] == "investment_closed")
    query = urlsplit(closed["outcomes_url"]).query
    assert "year=2025" in query and "quarter=2" in query and "stage=closed" in query


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "staff"])
def test_a_hidden_amount_is_left_out_of_its_group_and_counted(client, scenario, persona):
    add_outcomes()
    if persona != "anonymous":
        client.force_login(UserFactory(is_staff=persona == "staff"))

    body = client.get(f"/api/v1/kpis/breakdown?by=program&program={PROGRAM}").json()
    (group,) = body["items"]
    review = next(f for f in group["figures"] if f["key"] == "investment_in_review")

    # Thyroscope's US$10M and the KRW 3,000,000,000 round, both under review (hidden from outsiders).
    assert review["count"] == 2
    if persona == "staff":
        assert {m["currency"]: Decimal(m["amount"]) for m in review["amounts"]} == {
            "KRW": Decimal("3000000000"),
            "USD": Decimal("10000000"),
        }
        assert review["amounts_left_out"] == 0
    else:
        assert (review["amounts"], review["amounts_left_out"]) == ([], 2)


def test_a_private_program_is_counted_without_its_name(client, scenario):
    program = Program.objects.create(key="quiet-program", name_en="Quiet program", is_public=False)
    OutcomeFactory(program=program, reported_on=date(2025, 1, 5))

    body = client.get("/api/v1/kpis/breakdown?by=program").json()

    assert "quiet-program" not in str(body) and "Quiet program" not in str(body)
    hidden = body["items"][-1]
    assert hidden["key"] == ""
    assert [f["outcomes_url"] for f in hidden["figures"]] == [""] * len(hidden["figures"])
    assert sum(f["count"] for f in hidden["figures"]) == 1


def test_a_breakdown_takes_the_same_queries_for_more_outcomes(client, scenario, superuser):
    client.force_login(superuser)

    def queries(by: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/kpis/breakdown?by={by}").status_code == 200
        return len(captured)

    add_outcomes()
    before = {by: queries(by) for by in BREAKDOWNS}
    areas = list(CooperationArea.objects.all())
    for year in range(2015, 2023):
        OutcomeFactory(
            kind="contract",
            stage="signed",
            counterparty_country="CN",
            counterparty_description_en="A buyer",
            cooperation_area=areas[year % len(areas)],
            program=Program.objects.create(key=f"program-{year}"),
            reported_on=date(year, 6, 1),
        )

    assert {by: queries(by) for by in BREAKDOWNS} == before


def test_bad_breakdowns_and_filters_are_refused(client, scenario):
    assert client.get("/api/v1/kpis/breakdown").status_code == 422
    assert client.get("/api/v1/kpis/breakdown?by=colour").status_code == 422
    assert client.get("/api/v1/kpis/breakdown?by=year&area=first").status_code == 422
    assert client.get("/api/v1/kpis?quarter=5").status_code == 422
    assert client.get("/api/v1/outcomes?cohort=soon").status_code == 422
    # The outcome list's page ignores a filter it does not understand, and says so.
    client.cookies["django_language"] = "en"
    response = client.get("/outcomes/?area=first")
    assert response.status_code == 200 and "were not understood" in response.content.decode()


def test_the_outcome_list_leaves_out_illustrative_organizations_unless_asked(client, scenario):
    made_up = OutcomeFactory(startup=OrganizationFactory(is_public=True, is_illustrative=True))

    assert made_up not in client.get("/outcomes/").context["page"].object_list
    assert made_up in client.get("/outcomes/?illustrative=on").context["page"].object_list
    assert Outcome.objects.filter(startup__is_illustrative=False).count() == listed(client, "/outcomes/")
    assert Organization.objects.filter(is_illustrative=True).exists()


def test_the_outcome_list_names_the_filters_a_figure_linked_with(client, scenario):
    program = Program.objects.get(key=PROGRAM)
    area = CooperationArea.objects.first()
    client.cookies["django_language"] = "en"

    html = client.get(f"/outcomes/?program={PROGRAM}&area={area.pk}&country=US&cohort=none").content.decode()

    assert "Also filtered by" in html
    for shown in (program.name_en, str(area.number), "United States of America", "Cohort none"):
        assert shown in html
    # The filters travel on when the visible ones change.
    assert f'<input type="hidden" name="program" value="{PROGRAM}">' in html


def test_a_private_program_is_not_named_by_its_key(client, scenario):
    Program.objects.create(key="quiet-program", name_en="Quiet program", is_public=False)
    client.cookies["django_language"] = "en"

    html = client.get("/outcomes/?program=quiet-program").content.decode()

    assert "Quiet program" not in html and "Program quiet-program" in html
