"""The issue's acceptance checks, on the demo scenario (real records plus illustrative partners)."""

import pytest
from django.utils import translation

from dari.matching import engine
from dari.registry.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(scenario, superuser):
    engine.refresh_index()
    return superuser


def only_in(organization, language: str) -> bool:
    other = "description_ko" if language == "en" else "description_en"
    return not getattr(organization, other)


def test_korean_thyroid_query_puts_english_thyroid_profiles_in_the_top_five(demo):
    top = [result.obj for result in engine.search(demo, "갑상선")[:5]]
    english_thyroid = [
        organization
        for organization in top
        if isinstance(organization, Organization)
        and only_in(organization, "en")
        and "thyroid" in organization.description_en.lower()
    ]
    assert english_thyroid, [organization.name_en for organization in top]


def test_english_glucose_query_puts_korean_glucose_profiles_in_the_top_five(demo):
    top = [result.obj for result in engine.search(demo, "glucose")[:5]]
    korean_glucose = [
        organization
        for organization in top
        if isinstance(organization, Organization)
        and only_in(organization, "ko")
        and "혈당" in organization.description_ko
    ]
    assert korean_glucose, [organization.name_ko for organization in top]


def test_thyroscope_gets_fitting_partners_with_reasons_in_both_languages(demo):
    thyroscope = Organization.objects.get(key="thyroscope")
    with translation.override("en"):
        suggestions = engine.suggestions(demo, thyroscope, k=10)
    assert len(suggestions) == 10
    for suggestion in suggestions:
        assert suggestion.organization.kind in ("investor", "corporate", "hospital", "distributor")
        assert suggestion.reasons and all(reason.en and reason.ko for reason in suggestion.reasons)
    top_five = suggestions[:5]

    def about(organization) -> str:
        profile = getattr(organization, "matching_profile", None)
        thesis = f"{profile.thesis_en} {profile.thesis_ko}" if profile else ""
        return f"{organization.description_en} {organization.description_ko} {thesis}".lower()

    fitting = [
        s
        for s in top_five
        if any(word in about(s.organization) for word in ("thyroid", "갑상선", "endocrin"))
    ]
    assert len(fitting) >= 2, [s.organization.name_en for s in top_five]
    assert not any(
        "oncology" in about(s.organization) and "thyroid" not in about(s.organization) for s in top_five
    )


# --- issue 15: names, places and the relevance floor ------------------------------------------------


def names(results) -> list[str]:
    return [getattr(result.obj, "key", "") or result.obj.name_en for result in results]


@pytest.mark.parametrize("query", ["유니스트", "UNIST", "울산과학기술원"])
def test_unist_is_found_by_its_other_names(demo, query):
    assert names(engine.search(demo, query))[:1] == ["unist"], names(engine.search(demo, query))


@pytest.mark.parametrize("query", ["Hangzhou", "항저우"])
def test_the_hangzhou_company_is_found_by_its_city_in_either_language(demo, query):
    found = names(engine.search(demo, query))
    assert found[:1] == ["hangzhou-health-online-it"], found


def test_no_result_is_listed_below_the_relevance_floor(demo):
    absolute, relative = engine.search_engine().RELEVANCE_FLOOR
    assert absolute > 0 and relative > 0
    for query in ["갑상선", "thyroid", "Hangzhou", "유니스트", "vaccine", "반도체", "zzzq"]:
        results = engine.search(demo, query)
        if results:
            best = results[0].score
            assert all(result.score >= max(absolute, relative * best) for result in results), query
            assert all(result.score > 0 for result in results), query


def test_after_an_exact_name_the_unrelated_rest_is_not_listed(demo):
    assert names(engine.search(demo, "유니스트")) == ["unist"]
    assert names(engine.search(demo, "Hangzhou")) == ["hangzhou-health-online-it"]
