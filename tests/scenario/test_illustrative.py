"""The scenario's illustrative partners: made up, marked as such, and never tied to a real organization.

The demo needs a few dozen partners so that matchmaking and search have something to rank. They are
written as illustrative organizations (``demo-`` keys, ``is_illustrative``), and the loader enforces
the provenance rule: a tie or a matching profile that touches a real organization must cite a source,
a made-up one may not.
"""

import csv
import re
from collections import Counter
from datetime import date

import pytest
from django.conf import settings
from django.db.models import Q

from dari.matching.models import MatchingProfile
from dari.registry.models import Organization, Relationship, Sector
from dari.scenario.loader import load_scenario

from .test_loader import REPORT, refuses_and_writes_nothing, scenario_data, write_scenario

pytestmark = pytest.mark.django_db

PARTNER_KINDS = ("investor", "corporate", "hospital", "distributor")


def illustrative():
    return Organization.objects.filter(is_illustrative=True)


# --- what the scenario holds -------------------------------------------------------------------------


def test_illustrative_organizations_are_exactly_the_demo_keys_and_cite_no_source(scenario):
    demo_keys = set(Organization.objects.filter(key__startswith="demo-").values_list("key", flat=True))

    assert set(illustrative().values_list("key", flat=True)) == demo_keys
    assert len(demo_keys) == 43
    assert illustrative().filter(description_is_illustrative=False).count() == 0
    assert illustrative().filter(Q(source__isnull=False) | Q(description_source__isnull=False)).count() == 0
    # The report's eight organizations stay real, with their source.
    real = Organization.objects.filter(is_illustrative=False)
    assert real.count() == 8
    assert set(real.values_list("source__key", flat=True)) == {REPORT}


def test_illustrative_organizations_per_cluster_and_kind_are_as_written(scenario):
    counts = Counter(illustrative().values_list("cluster__key", "kind"))

    assert counts == {
        ("san-diego", "investor"): 8,
        ("san-diego", "corporate"): 5,
        ("san-diego", "hospital"): 4,
        ("san-diego", "distributor"): 3,
        ("san-diego", "startup"): 5,
        ("ulsan", "investor"): 4,
        ("ulsan", "corporate"): 3,
        ("ulsan", "hospital"): 3,
        ("ulsan", "distributor"): 2,
        ("ulsan", "startup"): 6,
    }
    assert set(illustrative().filter(cluster__key="ulsan").values_list("country", "city_en")) == {
        ("KR", "Ulsan")
    }
    assert set(illustrative().filter(cluster__key="san-diego").values_list("country", "city_en")) == {
        ("US", "San Diego")
    }


def test_relationships_join_illustrative_organizations_only_and_investments_are_dated_2021_to_2024(
    scenario,
):
    relationships = Relationship.objects.select_related("subject", "object")
    investments = [r for r in relationships if r.kind == Relationship.Kind.INVESTS_IN]

    assert Counter(relationships.values_list("kind", flat=True)) == {
        "invests_in": 25,
        "partners_with": 6,
        "supplies": 2,
    }
    assert all(r.subject.is_illustrative and r.object.is_illustrative for r in relationships)
    assert relationships.filter(source__isnull=False).count() == 0
    assert {(r.subject.kind, r.object.kind) for r in investments} == {("investor", "startup")}
    assert all(date(2021, 1, 1) <= r.started_on <= date(2024, 12, 31) for r in investments)
    assert {r.note_en for r in investments} == {"Pre-seed", "Seed", "Series A", "Series B"}
    # Every illustrative investor has a revealed history.
    assert set(illustrative().filter(kind="investor").values_list("key", flat=True)) == {
        r.subject.key for r in investments
    }


def test_no_real_organization_has_a_made_up_relationship_or_matching_profile(scenario):
    real = Organization.objects.filter(is_illustrative=False)

    # A real organization's tie would need a cited source; the scenario has none to cite yet.
    assert (
        Relationship.objects.filter(Q(subject__in=real) | Q(object__in=real), source__isnull=True).count()
        == 0
    )
    # A matching profile has no source field, so a real organization gets none from the scenario:
    # Thyroscope's stage, needs or amounts are not public.
    assert MatchingProfile.objects.filter(organization__in=real).count() == 0


def test_every_illustrative_organization_has_a_matching_profile_fit_for_its_kind(scenario):
    profiles = MatchingProfile.objects.filter(organization__is_illustrative=True).select_related(
        "organization"
    )
    by_kind = {
        kind: [p for p in profiles if p.organization.kind == kind] for kind in (*PARTNER_KINDS, "startup")
    }

    assert profiles.count() == 43
    assert all(p.stage and p.amount_sought_usd and (p.needs_ko or p.needs_en) for p in by_kind["startup"])
    assert all(p.thesis_ko or p.thesis_en for kind in PARTNER_KINDS for p in by_kind[kind])
    assert all(p.check_min_usd and p.check_max_usd and p.stages_of_interest for p in by_kind["investor"])
    assert all(p.regions_of_interest for p in profiles)


def test_some_profiles_are_written_in_one_language_only_so_search_must_cross_languages(scenario):
    def languages(organization):
        profile = organization.matching_profile
        return (
            bool(organization.description_ko or profile.thesis_ko or profile.needs_ko),
            bool(organization.description_en or profile.thesis_en or profile.needs_en),
        )

    organizations = illustrative().select_related("matching_profile")
    korean_only = {o.key for o in organizations if languages(o) == (True, False)}
    english_only = {o.key for o in organizations if languages(o) == (False, True)}

    assert {"demo-hyeoldang-jigi", "demo-ondang"} <= korean_only
    assert all(key.startswith("demo-") for key in korean_only)
    assert illustrative().filter(key__in=korean_only, cluster__key="ulsan").count() == len(korean_only) == 7
    assert illustrative().filter(key__in=english_only, cluster__key="san-diego").count() == len(english_only)
    assert len(english_only) == 10
    # The Korean-only glucose startups say 혈당 and never "glucose"; the English-only thyroid partners
    # say "thyroid" and never 갑상선: only cross-lingual search finds them from the other language.
    for key in ("demo-hyeoldang-jigi", "demo-ondang"):
        assert "혈당" in Organization.objects.get(key=key).description_ko
    for key in ("demo-seawind-endocrine-thyroid-clinics", "demo-kelpwise-diagnostics"):
        assert key in english_only and "thyroid" in Organization.objects.get(key=key).description_en


def test_taxonomy_synonyms_include_the_short_everyday_words_in_both_languages(scenario):
    terms = {term for sector in Sector.objects.filter(key__in=SECTOR_WORDS) for term in sector.all_terms()}
    missing = {word for words in SECTOR_WORDS.values() for word in words} - terms

    assert missing == set()
    assert set(Sector.objects.get(key="diabetes").synonyms_ko) >= {"혈당", "당뇨병"}
    assert Sector.objects.get(key="thyroid-eye-disease").parent.key == "ophthalmology"


SECTOR_WORDS = {
    "diabetes": ["당뇨", "혈당", "diabetes", "glucose", "blood sugar"],
    "thyroid": ["갑상선", "thyroid"],
    "ophthalmology": ["안과", "눈", "eye", "ophthalmology"],
    "medical-imaging-ai": ["영상", "medical imaging"],
    "diagnostics": ["진단", "diagnostics"],
    "clinical-research": ["임상", "clinical trials"],
    "remote-patient-monitoring": ["원격 모니터링", "remote patient monitoring"],
    "oncology": ["암", "cancer"],
}


def normalized_name(name: str) -> str:
    name = re.sub(r"㈜|\(주\)|주식회사|[.,&()'-]", " ", name.lower())
    return " ".join(word for word in name.split() if word not in {"inc", "ltd", "co", "corp", "llc"})


def test_no_illustrative_name_is_a_listed_or_crunchbase_company_name(scenario):
    companies = settings.SHARED_DATA_DIR / "crunchbase-2013" / "companies.csv"
    listed = settings.SHARED_DATA_DIR / "krx-listed" / "krx_listed_companies.csv"
    if not (companies.exists() and listed.exists()):
        pytest.skip(f"the shared data is not in {settings.SHARED_DATA_DIR}")
    with companies.open(encoding="utf-8") as file:
        real = {normalized_name(row["name"]) for row in csv.DictReader(file)}
    with listed.open(encoding="utf-8-sig") as file:
        real |= {normalized_name(row["회사명"]) for row in csv.DictReader(file)}

    names = [
        name
        for organization in illustrative()
        for name in (
            organization.name_ko,
            organization.name_en,
            organization.short_name_ko,
            organization.short_name_en,
        )
        if name
    ]

    assert len(real) > 10_000
    assert [name for name in names if normalized_name(name) in real] == []


# --- the loader enforces the rule, all or nothing ----------------------------------------------------


def with_relationship(subject, obj, source=None):
    def change(data):
        record = {"subject": subject, "kind": "invests_in", "object": obj, "started_on": "2023-01-01"}
        if source:
            record["source"] = source
        data["relationships"].append(record)
        return data

    return change


def with_matching_profile(key, source=None):
    def change(data):
        organization = next(o for o in data["organizations"] if o["key"] == key)
        organization["matching"] = {"stage": "series_a", "amount_sought_usd": 10_000_000}
        if source:
            organization["matching"]["source"] = source
        return data

    return change


def with_sourced_illustrative_organization(data):
    next(o for o in data["organizations"] if o["key"] == "demo-ondang")["source"] = REPORT
    return data


@pytest.mark.parametrize(
    ("break_scenario", "message"),
    [
        (
            with_relationship("demo-two-shores-health-fund", "thyroscope"),
            "ties real organization 'thyroscope' to an illustrative one",
        ),
        (
            with_relationship("demo-two-shores-health-fund", "thyroscope", source=REPORT),
            "ties real organization 'thyroscope' to an illustrative one",
        ),
        (
            with_relationship("ulsan-city", "sb-solution"),
            "touches real organization 'ulsan-city' and must cite",
        ),
        (
            with_relationship("demo-iris-canyon-ventures", "demo-ondang", source=REPORT),
            f"is illustrative (made up) and may not cite source '{REPORT}'",
        ),
        (with_matching_profile("thyroscope"), "matching profile of 'thyroscope': touches real organization"),
        (
            with_matching_profile("demo-ondang", source=REPORT),
            "matching profile of 'demo-ondang': is illustrative (made up) and may not cite",
        ),
        (with_sourced_illustrative_organization, "'demo-ondang' is illustrative (made up) and may not cite"),
    ],
    ids=[
        "made-up-investment-in-thyroscope",
        "made-up-investment-in-thyroscope-citing-the-report",
        "real-tie-without-source",
        "illustrative-tie-with-source",
        "thyroscope-profile-without-source",
        "illustrative-profile-with-source",
        "illustrative-organization-with-source",
    ],
)
def test_the_loader_refuses_a_record_that_breaks_the_provenance_rule_and_writes_nothing(
    tmp_path, break_scenario, message
):
    refuses_and_writes_nothing(write_scenario(tmp_path, break_scenario(scenario_data())), message)


def test_a_tie_or_profile_of_a_real_organization_loads_when_it_cites_a_source(tmp_path):
    data = with_matching_profile("thyroscope", source=REPORT)(scenario_data())
    data["relationships"].append(
        {"subject": "unist", "kind": "partners_with", "object": "ucsd", "source": REPORT}
    )

    load_scenario(write_scenario(tmp_path, data))

    tie = Relationship.objects.get(subject__key="unist", object__key="ucsd")
    assert (tie.kind, tie.source.key) == ("partners_with", REPORT)
    assert MatchingProfile.objects.get(organization__key="thyroscope").stage == "series_a"


def test_a_profile_follows_the_file_when_fields_are_removed(scenario, tmp_path):
    data = scenario_data()
    ondang = next(o for o in data["organizations"] if o["key"] == "demo-ondang")
    del ondang["matching"]["needs_ko"]

    assert load_scenario(write_scenario(tmp_path, data)) == {"MatchingProfile": 1}
    assert MatchingProfile.objects.get(organization__key="demo-ondang").needs_ko == ""
