"""The Ulsan–San Diego scenario: every fact of the report is loaded, once, all or nothing."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from dari.agreements.models import ActionItem, Agreement
from dari.outcomes.models import Outcome, StageChange
from dari.programs.models import Program
from dari.registry.models import Cluster, Organization, OrganizationFact, Person, Source
from dari.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario

REPORT = "report-2024-01-18-ulsan-san-diego-bio-mou"
MOU = "ulsan-san-diego-bio-mou-2024"
PROGRAM = "digital-healthcare-global-support"
SCENARIO_APPS = ("registry", "agreements", "programs", "outcomes", "matching")


def row_counts() -> dict[str, int]:
    """Rows of every scenario model, many-to-many tables included."""
    return {
        model._meta.label: model.objects.count()
        for label in SCENARIO_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def scenario_data() -> dict:
    return yaml.safe_load(DEFAULT_SCENARIO.read_text(encoding="utf-8"))


def write_scenario(tmp_path, data: dict):
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def refuses_and_writes_nothing(path, message: str) -> None:
    """Loading ``path`` raises ScenarioError with ``message`` and leaves the database empty."""
    with pytest.raises(ScenarioError, match=re.escape(message)):
        load_scenario(path)
    assert set(row_counts().values()) == {0}


# --- loading and idempotence -------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_load_writes_every_row_and_a_second_load_changes_nothing():
    first = load_scenario()
    counts_after_first_load = row_counts()

    second = load_scenario()

    assert first == {
        "Source": 4,
        "Sector": 26,
        "Cluster": 2,
        "ClusterStatistic": 3,
        "Organization": 51,
        "Organization.sectors": 47,
        "OrganizationFact": 1,
        "MatchingProfile": 43,
        "Relationship": 33,
        "Person": 7,
        "Affiliation": 7,
        "Agreement": 1,
        "AgreementParty": 4,
        "CooperationArea": 2,
        "ActionItem": 2,
        "Program": 1,
        "ProgramRole": 3,
        "Cohort": 1,  # the program's cohort without a recorded year, its three startups' (no date given)
        "Participant": 3,
        "User": 5,  # the illustrative call's made-up reviewers and applicant
        "Call": 1,  # the illustrative call, with six applications (one a draft) and fifteen reviews
        "Application": 6,
        "Review": 15,
        "Outcome": 6,
        "StageChange": 6,
        "Event": 1,  # the delegation visit, with its one reported moment: the signing
        "EventItem": 1,
    }
    assert second == {}
    assert row_counts() == counts_after_first_load
    assert counts_after_first_load["registry.Organization"] == 51


@pytest.mark.django_db
def test_loading_again_restores_an_edited_fact(scenario):
    Outcome.objects.filter(key="thyroscope-us-vc-investment").update(amount=Decimal("1"))

    assert load_scenario() == {"Outcome": 1}
    assert Outcome.objects.get(key="thyroscope-us-vc-investment").amount == Decimal("10000000")


# --- the agreement -----------------------------------------------------------------------------------
# Each test below reads one part of the report; each loads the scenario afresh and shares no state.


@pytest.mark.django_db
def test_agreement_is_the_mou_signed_at_one_instant_in_both_zones_with_two_areas_and_two_action_items(
    scenario,
):
    agreement = Agreement.objects.get()
    items = ActionItem.objects.filter(agreement=agreement).order_by("key")

    assert (agreement.key, agreement.kind) == (MOU, Agreement.Kind.MOU)
    assert agreement.title_ko == "바이오산업 육성 협력 기반 구축 업무 협약"
    assert agreement.title_en == "MOU on building a cooperation base for fostering the bio industry"
    assert agreement.place_organization.key == "ucsd"
    assert agreement.source.key == REPORT
    assert agreement.signed_time_zone == "America/Los_Angeles"
    assert agreement.signed_at == datetime(2024, 1, 17, 10, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert agreement.signed_at == datetime(2024, 1, 18, 3, 30, tzinfo=ZoneInfo("Asia/Seoul"))
    assert agreement.signed_at == datetime(2024, 1, 17, 18, 30, tzinfo=UTC)
    assert [(area.number, area.title_en) for area in agreement.areas.order_by("number")] == [
        (
            1,
            "Fostering the bio (life-science) industry and building a base for industrial cooperation "
            "in other fields",
        ),
        (2, "Developing digital-health technology and supporting bio startups' global expansion"),
    ]
    assert [
        (item.key, item.owner_party.organization.key, item.stated_by.key, item.status, item.due_at)
        for item in items
    ] == [
        ("run-cooperation-projects-smoothly", "ulsan-city", "kim-doo-gyeom", "open", None),
        ("widen-exchanges-with-san-diego", "ulsan-city", "kim-doo-gyeom", "open", None),
    ]


@pytest.mark.django_db
def test_agreement_has_four_parties_whose_head_and_signatory_differ_except_for_ulsan(scenario):
    parties = Agreement.objects.get(key=MOU).parties.order_by("position")

    assert [(party.organization.key, party.head.key, party.signatory.key) for party in parties] == [
        ("ulsan-city", "kim-doo-gyeom", "kim-doo-gyeom"),
        ("san-diego-city", "todd-gloria", "javier-gomez"),
        ("unist", "lee-yong-hoon", "kwon-soon-yong"),
        ("ucsd", "pradeep-khosla", "elizabeth-simmons"),
    ]
    assert [(party.head_title_en, party.signatory_title_en) for party in parties] == [
        ("Mayor of Ulsan", "Mayor of Ulsan"),
        ("Mayor of San Diego", "Global Director, City of San Diego"),
        ("President", "Head, Industry-Academic Cooperation Foundation"),
        ("Chancellor", "Executive Vice Chancellor"),
    ]
    assert {person.key: (person.name_ko, person.name_en) for person in Person.objects.all()} == {
        "kim-doo-gyeom": ("김두겸", "Kim Doo-gyeom"),
        "todd-gloria": ("토드 글로리아", "Todd Gloria"),
        "lee-yong-hoon": ("이용훈", "Lee Yong-hoon"),
        "pradeep-khosla": ("프라디프 코슬라", "Pradeep Khosla"),
        "kwon-soon-yong": ("권순용", "Kwon Soon-yong"),
        "javier-gomez": ("하비에 고메즈", "Javier Gomez"),
        "elizabeth-simmons": ("엘리자베스 시몬스", "Elizabeth Simmons"),
    }


# --- the clusters and organizations ------------------------------------------------------------------


@pytest.mark.django_db
def test_figures_are_kept_as_reported_approximate_and_with_a_year_only_where_given(scenario):
    statistics = Cluster.objects.get(key="san-diego").statistics.order_by("key")
    nobel = OrganizationFact.objects.get(organization__key="ucsd", key="nobel-laureates")

    assert [
        (stat.key, stat.value, stat.unit, stat.year, stat.is_approximate, stat.source.key)
        for stat in statistics
    ] == [
        ("bio-companies", Decimal("1000"), "companies", None, True, REPORT),
        ("bio-economic-effect", Decimal("27000000000"), "USD", 2020, True, REPORT),
        ("bio-employees", Decimal("730000"), "people", None, True, REPORT),
    ]
    assert Cluster.objects.get(key="ulsan").statistics.count() == 0
    assert (nobel.value, nobel.unit, nobel.year, nobel.is_approximate, nobel.source.key) == (
        Decimal("27"),
        "people",
        None,
        False,
        REPORT,
    )


@pytest.mark.django_db
def test_startups_have_translated_english_names_and_only_thyroscope_a_sourced_description(scenario):
    startups = Organization.objects.filter(kind=Organization.Kind.STARTUP, is_illustrative=False).order_by(
        "key"
    )
    hangzhou = Organization.objects.get(key="hangzhou-health-online-it")
    thyroscope = startups.get(key="thyroscope")

    assert [(org.key, org.name_ko, org.name_en, org.cluster.key) for org in startups] == [
        ("dna-corporation", "㈜디엔에이코퍼레이션", "DNA Corporation Inc.", "ulsan"),
        ("sb-solution", "㈜에스비솔루션", "SB Solution Inc.", "ulsan"),
        ("thyroscope", "㈜타이로스코프", "Thyroscope Inc.", "ulsan"),
    ]
    assert {(org.name_ko_origin, org.name_en_origin) for org in [*startups, hangzhou]} == {
        ("original", "translation")
    }
    assert (hangzhou.name_ko, hangzhou.name_en, hangzhou.city_en) == (
        "건강온라인정보기술유한공사",
        "Health Online Information Technology Co., Ltd.",
        "Hangzhou",
    )
    assert [org.key for org in startups if org.description_en or org.description_ko] == ["thyroscope"]
    assert thyroscope.description_source.key == "asiae-2022-11-09-thyroscope"
    assert thyroscope.description_is_illustrative is False
    assert sorted(thyroscope.sectors.values_list("key", flat=True)) == [
        "digital-health",
        "thyroid",
        "wearables",
    ]


# --- the program -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_program_is_run_by_unist_and_ucsd_and_supported_by_ulsan_city(scenario):
    program = Program.objects.get()

    assert program.key == PROGRAM
    assert program.name_ko == "디지털 헬스케어 글로벌 지원 사업"
    assert program.start_year == 2023
    assert sorted((role.role, role.organization.key) for role in program.roles.all()) == [
        ("operator", "ucsd"),
        ("operator", "unist"),
        ("supporter", "ulsan-city"),
    ]
    assert sorted(program.participants.values_list("organization__key", flat=True)) == [
        "dna-corporation",
        "sb-solution",
        "thyroscope",
    ]


# --- the outcomes ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_six_outcomes_cite_the_report_and_none_has_an_occurrence_date(scenario):
    outcomes = Outcome.objects.order_by("key")
    report = Source.objects.get(key=REPORT)

    assert [
        (outcome.key, outcome.startup.key, outcome.kind, outcome.stage, outcome.market_country)
        for outcome in outcomes
    ] == [
        ("dna-corporation-medical-device-partnerships", "dna-corporation", "partnership", "active", ""),
        ("dna-corporation-us-market-entry", "dna-corporation", "market_entry", "entered", "US"),
        ("sb-solution-hangzhou-provisional-contract", "sb-solution", "contract", "provisional", ""),
        ("sb-solution-us-market-entry", "sb-solution", "market_entry", "entered", "US"),
        ("thyroscope-us-market-entry", "thyroscope", "market_entry", "entered", "US"),
        ("thyroscope-us-vc-investment", "thyroscope", "investment", "in_review", ""),
    ]
    assert {(o.source.key, o.program.key, o.reported_on, o.occurred_on) for o in outcomes} == {
        (REPORT, PROGRAM, date(2024, 1, 18), None)
    }
    assert sorted(
        (change.outcome.key, change.stage, change.recorded_on, change.source.key)
        for change in StageChange.objects.all()
    ) == [(outcome.key, outcome.stage, date(2024, 1, 18), REPORT) for outcome in outcomes]
    assert (report.published_on, report.published_time_zone) == (date(2024, 1, 18), "Asia/Seoul")
    assert report.published_at == datetime(2024, 1, 18, 10, 50, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.mark.django_db
def test_investment_contract_and_partnership_have_the_reported_figures_and_counterparties(scenario):
    investment = Outcome.objects.get(key="thyroscope-us-vc-investment")
    contract = Outcome.objects.get(key="sb-solution-hangzhou-provisional-contract")
    partnership = Outcome.objects.get(key="dna-corporation-medical-device-partnerships")

    assert (investment.amount, investment.currency, investment.quantity) == (Decimal("10000000"), "USD", None)
    assert investment.counterparty is None
    assert (investment.counterparty_description_ko, investment.counterparty_description_en) == (
        "미국 벤처캐피탈(이름 미공개)",
        "A US venture-capital firm (not named)",
    )
    assert (investment.counterparty_kind, investment.counterparty_country) == ("investor", "US")

    assert (contract.quantity, contract.quantity_period, contract.amount, contract.currency) == (
        Decimal("200000"),
        "year",
        None,
        "",
    )
    assert (contract.quantity_unit_ko, contract.quantity_unit_en) == ("대", "units")
    assert contract.counterparty.key == "hangzhou-health-online-it"

    assert partnership.counterparty is None
    assert (partnership.counterparty_description_ko, partnership.counterparty_description_en) == (
        "글로벌 의료장비 기업들(이름 미공개)",
        "Global medical-device companies (not named)",
    )
    assert partnership.counterparty_kind == "corporate"


# --- malformed files: all or nothing -----------------------------------------------------------------


def with_unknown_counterparty(data: dict) -> dict:
    data["outcomes"][-1]["counterparty"] = "no-such-organization"
    return data


def with_invalid_stage_for_kind(data: dict) -> dict:
    investment = next(o for o in data["outcomes"] if o["key"] == "thyroscope-us-vc-investment")
    investment["stage"] = "provisional"  # a contract stage
    return data


def with_owner_that_is_not_a_party(data: dict) -> dict:
    data["agreements"][0]["action_items"][0]["owner"] = "thyroscope"
    return data


def with_bad_zone(data: dict) -> dict:
    data["agreements"][0]["signed_at"] = {"local": "2024-01-17 10:30", "zone": "Mars/Olympus_Mons"}
    return data


@pytest.mark.django_db(transaction=True)
def test_an_invalid_stage_late_in_the_file_commits_nothing(tmp_path):
    # A real transaction, not the test's savepoint: none of the valid rows before the bad one is committed.
    path = write_scenario(tmp_path, with_invalid_stage_for_kind(scenario_data()))

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        load_scenario(path)

    assert raised.value.message_dict == {
        "stage": [
            "Stage provisional does not apply to investment; use one of: "
            "sourced, in_review, term_sheet, closed, declined, withdrawn."
        ]
    }
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("break_scenario", "message"),
    [
        (with_unknown_counterparty, "Organization with key 'no-such-organization' does not exist"),
        (with_owner_that_is_not_a_party, "owner 'thyroscope' is not a party"),
        (with_bad_zone, "zone: IANA}, got {'local': '2024-01-17 10:30', 'zone': 'Mars/Olympus_Mons'}"),
    ],
    ids=["unknown-key", "owner-not-a-party", "unknown-zone"],
)
def test_a_bad_record_late_in_the_file_raises_scenario_error_and_leaves_the_database_empty(
    tmp_path, break_scenario, message
):
    refuses_and_writes_nothing(write_scenario(tmp_path, break_scenario(scenario_data())), message)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources:\n  - key: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping of sections"),
    ],
    ids=["bad-yaml", "not-a-mapping"],
)
def test_an_unreadable_file_raises_and_writes_nothing(tmp_path, text, message):
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)

    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_a_bad_file_leaves_a_loaded_scenario_unchanged(scenario, tmp_path):
    counts_before = row_counts()
    path = write_scenario(tmp_path, with_invalid_stage_for_kind(scenario_data()))

    with pytest.raises(ValidationError):
        load_scenario(path)

    assert row_counts() == counts_before
    assert Outcome.objects.get(key="thyroscope-us-vc-investment").stage == "in_review"
