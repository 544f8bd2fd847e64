"""Search across Korean and English, names in either script, scoped to what the user may see."""

import pytest
from django.utils import translation

from dari.matching import engine
from dari.registry.models import Organization

from ..factories import OrganizationFactory
from ..helpers import get_json

pytestmark = pytest.mark.django_db


def keys(results) -> list[str]:
    return [result.obj.key for result in results]


def test_a_korean_query_finds_an_english_profile(world):
    with translation.override("ko"):
        found = keys(engine.search(world["member"], "갑상선"))
    assert "endo-clinic" in found[:5]  # English only: "remote thyroid care programs"
    assert "glandscope" in found[:5]  # the member sees their own private startup


def test_an_english_query_finds_a_korean_profile(world):
    assert keys(engine.search(world["member"], "thyroid"))[:3].count("glandscope") == 1


def test_names_match_in_either_script_and_with_a_typo(world):
    assert keys(engine.search(world["member"], "Glandscpoe"))[0] == "glandscope"
    assert keys(engine.search(world["member"], "퍼시픽 헬스"))[0] == "pacific-health-fund"


def test_results_are_only_what_the_user_may_see(world, django_user_model):
    found = keys(engine.search(world["outsider"], "thyroid"))
    assert "glandscope" not in found and "quiet-partner" not in found
    assert "endo-clinic" in found


def test_unrelated_documents_are_not_listed(world):
    assert "tumor-capital" not in keys(engine.search(world["member"], "갑상선"))


def test_kind_filter(world):
    found = engine.search(world["member"], "thyroid", kind="hospital")
    assert keys(found) == ["endo-clinic"]


def test_search_page_in_both_languages(world, client):
    client.force_login(world["member"])
    page = client.get("/search/?q=갑상선", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "Harbor Endocrine Clinics" in page and "검색" in page
    english = client.get("/search/?q=thyroid", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Matched by" in english


def test_search_page_without_a_query_lists_nothing(world, client):
    page = client.get("/search/").content.decode()
    assert "result" not in page.lower().split("<main")[1].split("</form>")[1]


def test_search_api(world, api_client):
    data = get_json(api_client(world["member"]), "/api/v1/search?q=갑상선&kind=hospital")
    assert data["count"] == 1
    item = data["items"][0]
    assert item["type"] == "organization" and item["kind"] == "hospital"
    assert item["name_en"] == "Harbor Endocrine Clinics" and item["web_url"].endswith(f"/{world['fit'].pk}/")
    assert "semantic" in item["matched"] or "lexical" in item["matched"]


def test_search_api_rejects_an_empty_query(world, api_client):
    assert api_client().get("/api/v1/search?q=").status_code == 422
    assert api_client().get("/api/v1/search?q=" + "x" * 201).status_code == 422


def test_search_api_for_anonymous_callers_shows_public_records_only(world, api_client):
    data = get_json(api_client(), "/api/v1/search?q=thyroid")
    names = {item["name_en"] for item in data["items"]}
    assert (
        "Harbor Endocrine Clinics" in names
        and "Glandscope" not in names
        and "Quiet Thyroid Devices" not in names
    )


def test_staff_find_private_records_too(world, django_user_model):
    staff = django_user_model.objects.create_superuser("boss", "boss@example.org", "x")
    found = keys(engine.search(staff, "thyroid"))
    assert {"glandscope", "quiet-partner", "endo-clinic"} <= set(found)


def test_an_organization_recorded_in_korean_is_found_by_the_name_its_website_gives_it(world):
    OrganizationFactory(
        key="zinc-smelter",
        kind=Organization.Kind.CORPORATE,
        name_ko="고려아연",
        name_en="",
        description_ko="비철금속 제련",
        description_en="",
        website="https://www.koreazinc.co.kr/eng/",
        is_public=True,
    )
    engine.refresh_index()  # as the worker does
    assert keys(engine.search(world["member"], "Korea Zinc")) == ["zinc-smelter"]
