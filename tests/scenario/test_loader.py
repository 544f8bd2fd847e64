"""The Ulsan–San Diego scenario: every fact of the report is loaded, once, all or nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.apps import apps
from django.core.exceptions import ValidationError

from dari.agreements.models import ActionItem, Agreement
from dari.outcomes.models import Outcome, StageChange
from dari.programs.models import Program
from dari.registry.models import Cluster, Organization, OrganizationFact, Person, Source
from dari.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario

REPORT = "report-2024-01-18-ulsan-san-diego-bio-mou"
MOU = "ulsan-san-diego-bio-mou-2024"
PROGRAM = "digital-healthcare-global-support"
SCENARIO_APPS = ("registry", "agreements", "programs", "outcomes")


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


# --- loading and idempotence -------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_load_reports_every_row_it_wrote():
    assert load_scenario() == {
        "Source": 4,
        "Sector": 8,
        "Cluster": 2,
        "ClusterStatistic": 3,
        "Organization": 8,
        "Organization.sectors": 4,
        "OrganizationFact": 1,
        "Person": 7,
        "Affiliation": 7,
        "Agreement": 1,
        "AgreementParty": 4,
        "CooperationArea": 2,
        "ActionItem": 2,
        "Program": 1,
        "ProgramRole": 3,
        "Participant": 3,
        "Outcome": 6,
        "StageChange": 6,
    }


@pytest.mark.django_db
def test_loading_twice_changes_nothing(scenario):
    counts_after_first_load = row_counts()

    assert load_scenario() == {}
    assert row_counts() == counts_after_first_load


@pytest.mark.django_db
def test_loading_again_restores_an_edited_fact(scenario):
    Outcome.objects.filter(key="thyroscope-us-vc-investment").update(amount=Decimal("1"))

    assert load_scenario() == {"Outcome": 1}
    assert Outcome.objects.get(key="thyroscope-us-vc-investment").amount == Decimal("10000000")


# --- the agreement -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agreement_is_the_mou_with_its_titles(scenario):
    agreement = Agreement.objects.get()

    assert agreement.key == MOU
    assert agreement.kind == Agreement.Kind.MOU
    assert agreement.title_ko == "바이오산업 육성 협력 기반 구축 업무 협약"
    assert agreement.title_en == "MOU on building a cooperation base for fostering the bio industry"
    assert agreement.place_organization.key == "ucsd"
    assert agreement.source.key == REPORT


@pytest.mark.django_db
def test_agreement_signed_at_is_the_same_instant_in_both_zones(scenario):
    agreement = Agreement.objects.get(key=MOU)

    assert agreement.signed_time_zone == "America/Los_Angeles"
    assert agreement.signed_at == datetime(2024, 1, 17, 10, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert agreement.signed_at == datetime(2024, 1, 18, 3, 30, tzinfo=ZoneInfo("Asia/Seoul"))
    assert agreement.signed_at == datetime(2024, 1, 17, 18, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_agreement_has_four_parties_with_heads_and_signatories(scenario):
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


@pytest.mark.django_db
def test_people_have_their_korean_and_english_names(scenario):
    names = {person.key: (person.name_ko, person.name_en) for person in Person.objects.all()}

    assert names == {
        "kim-doo-gyeom": ("김두겸", "Kim Doo-gyeom"),
        "todd-gloria": ("토드 글로리아", "Todd Gloria"),
        "lee-yong-hoon": ("이용훈", "Lee Yong-hoon"),
        "pradeep-khosla": ("프라디프 코슬라", "Pradeep Khosla"),
        "kwon-soon-yong": ("권순용", "Kwon Soon-yong"),
        "javier-gomez": ("하비에 고메즈", "Javier Gomez"),
        "elizabeth-simmons": ("엘리자베스 시몬스", "Elizabeth Simmons"),
    }


@pytest.mark.django_db
def test_agreement_has_two_cooperation_areas(scenario):
    areas = Agreement.objects.get(key=MOU).areas.order_by("number")

    assert [(area.number, area.title_en) for area in areas] == [
        (1, "Fostering the bio (life-science) industry and building a base for industrial cooperation in other fields"),
        (2, "Developing digital-health technology and supporting bio startups' global expansion"),
    ]


@pytest.mark.django_db
def test_both_action_items_are_owned_by_ulsan_city_and_stated_by_its_mayor(scenario):
    items = ActionItem.objects.filter(agreement__key=MOU).order_by("key")

    assert [
        (item.key, item.owner_party.organization.key, item.stated_by.key, item.status, item.due_at)
        for item in items
    ] == [
        ("run-cooperation-projects-smoothly", "ulsan-city", "kim-doo-gyeom", "open", None),
        ("widen-exchanges-with-san-diego", "ulsan-city", "kim-doo-gyeom", "open", None),
    ]


# --- the clusters and organizations ------------------------------------------------------------------


@pytest.mark.django_db
def test_san_diego_statistics_are_approximate_and_only_the_economic_effect_has_a_year(scenario):
    statistics = Cluster.objects.get(key="san-diego").statistics.order_by("key")

    assert [
        (statistic.key, statistic.value, statistic.unit, statistic.year, statistic.is_approximate, statistic.source.key)
        for statistic in statistics
    ] == [
        ("bio-companies", Decimal("1000"), "companies", None, True, REPORT),
        ("bio-economic-effect", Decimal("27000000000"), "USD", 2020, True, REPORT),
        ("bio-employees", Decimal("730000"), "people", None, True, REPORT),
    ]


@pytest.mark.django_db
def test_ulsan_has_no_statistics(scenario):
    assert Cluster.objects.get(key="ulsan").statistics.count() == 0


@pytest.mark.django_db
def test_ucsd_has_27_nobel_laureates_as_an_exact_sourced_fact(scenario):
    fact = OrganizationFact.objects.get(organization__key="ucsd", key="nobel-laureates")

    assert (fact.value, fact.unit, fact.year, fact.is_approximate, fact.source.key) == (
        Decimal("27"), "people", None, False, REPORT,
    )


@pytest.mark.django_db
def test_english_names_of_the_startups_and_the_hangzhou_company_are_translations(scenario):
    translated = {"thyroscope", "sb-solution", "dna-corporation", "hangzhou-health-online-it"}
    organizations = Organization.objects.filter(key__in=translated)

    assert {(org.key, org.name_ko_origin, org.name_en_origin) for org in organizations} == {
        (key, "original", "translation") for key in translated
    }


@pytest.mark.django_db
def test_startups_are_ulsan_startups_and_only_thyroscope_has_a_description(scenario):
    startups = Organization.objects.filter(kind=Organization.Kind.STARTUP).order_by("key")

    assert [(org.key, org.name_ko, org.cluster.key, bool(org.description_en)) for org in startups] == [
        ("dna-corporation", "㈜디엔에이코퍼레이션", "ulsan", False),
        ("sb-solution", "㈜에스비솔루션", "ulsan", False),
        ("thyroscope", "㈜타이로스코프", "ulsan", True),
    ]
    thyroscope = startups.get(key="thyroscope")
    assert thyroscope.description_source.key == "asiae-2022-11-09-thyroscope"
    assert thyroscope.description_is_illustrative is False
    assert sorted(thyroscope.sectors.values_list("key", flat=True)) == ["digital-health", "thyroid", "wearables"]


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
        "dna-corporation", "sb-solution", "thyroscope",
    ]


# --- the outcomes ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_six_outcomes_with_their_kinds_and_stages(scenario):
    outcomes = Outcome.objects.order_by("key")

    assert [(outcome.key, outcome.startup.key, outcome.kind, outcome.stage) for outcome in outcomes] == [
        ("dna-corporation-medical-device-partnerships", "dna-corporation", "partnership", "active"),
        ("dna-corporation-us-market-entry", "dna-corporation", "market_entry", "entered"),
        ("sb-solution-hangzhou-provisional-contract", "sb-solution", "contract", "provisional"),
        ("sb-solution-us-market-entry", "sb-solution", "market_entry", "entered"),
        ("thyroscope-us-market-entry", "thyroscope", "market_entry", "entered"),
        ("thyroscope-us-vc-investment", "thyroscope", "investment", "in_review"),
    ]


@pytest.mark.django_db
def test_thyroscope_investment_is_usd_10_million_from_an_unnamed_us_vc(scenario):
    outcome = Outcome.objects.get(key="thyroscope-us-vc-investment")

    assert (outcome.amount, outcome.currency) == (Decimal("10000000"), "USD")
    assert outcome.counterparty is None
    assert outcome.counterparty_description_ko == "미국 벤처캐피탈(이름 미공개)"
    assert outcome.counterparty_description_en == "A US venture-capital firm (not named)"
    assert (outcome.counterparty_kind, outcome.counterparty_country) == ("investor", "US")


@pytest.mark.django_db
def test_sb_solution_contract_is_200000_units_a_year_with_the_hangzhou_company(scenario):
    outcome = Outcome.objects.get(key="sb-solution-hangzhou-provisional-contract")

    assert outcome.quantity == Decimal("200000")
    assert (outcome.quantity_unit_ko, outcome.quantity_unit_en, outcome.quantity_period) == ("대", "units", "year")
    assert outcome.counterparty.key == "hangzhou-health-online-it"
    assert outcome.counterparty.name_ko == "건강온라인정보기술유한공사"
    assert outcome.counterparty.city_en == "Hangzhou"
    assert (outcome.amount, outcome.currency) == (None, "")


@pytest.mark.django_db
def test_dna_corporation_partnerships_are_with_unnamed_medical_device_companies(scenario):
    outcome = Outcome.objects.get(key="dna-corporation-medical-device-partnerships")

    assert outcome.counterparty is None
    assert outcome.counterparty_description_ko == "글로벌 의료장비 기업들(이름 미공개)"
    assert outcome.counterparty_description_en == "Global medical-device companies (not named)"
    assert outcome.counterparty_kind == "corporate"


@pytest.mark.django_db
def test_market_entries_are_into_the_us(scenario):
    entries = Outcome.objects.filter(kind="market_entry")

    assert sorted((outcome.startup.key, outcome.market_country) for outcome in entries) == [
        ("dna-corporation", "US"), ("sb-solution", "US"), ("thyroscope", "US"),
    ]


@pytest.mark.django_db
def test_every_outcome_cites_the_report_and_none_has_an_occurrence_date(scenario):
    outcomes = Outcome.objects.all()

    assert {(o.source.key, o.program.key, o.reported_on, o.occurred_on) for o in outcomes} == {
        (REPORT, PROGRAM, date(2024, 1, 18), None)
    }


@pytest.mark.django_db
def test_every_outcome_has_one_stage_change_recorded_on_the_report_date(scenario):
    changes = StageChange.objects.all()

    assert sorted((change.outcome.key, change.stage, change.recorded_on) for change in changes) == sorted(
        (outcome.key, outcome.stage, date(2024, 1, 18)) for outcome in Outcome.objects.all()
    )
    assert {change.source.key for change in changes} == {REPORT}


@pytest.mark.django_db
def test_report_source_records_its_publication_time_in_seoul(scenario):
    source = Source.objects.get(key=REPORT)

    assert source.published_on == date(2024, 1, 18)
    assert source.published_time_zone == "Asia/Seoul"
    assert source.published_at == datetime(2024, 1, 18, 10, 50, tzinfo=ZoneInfo("Asia/Seoul"))


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
@pytest.mark.parametrize(
    ("break_scenario", "error", "message"),
    [
        (with_unknown_counterparty, ScenarioError, "Organization with key 'no-such-organization' does not exist"),
        (with_invalid_stage_for_kind, ValidationError, "Stage provisional does not apply to investment"),
        (with_owner_that_is_not_a_party, ScenarioError, "owner 'thyroscope' is not a party"),
        (with_bad_zone, ScenarioError, "Mars/Olympus_Mons"),
    ],
    ids=["unknown-key", "invalid-stage", "owner-not-a-party", "unknown-zone"],
)
def test_a_bad_record_late_in_the_file_leaves_the_database_empty(tmp_path, break_scenario, error, message):
    path = write_scenario(tmp_path, break_scenario(scenario_data()))

    with pytest.raises(error, match=message):
        load_scenario(path)

    assert set(row_counts().values()) == {0}


@pytest.mark.django_db(transaction=True)
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
