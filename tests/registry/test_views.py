import pytest

from dari.registry.models import Organization

from ..factories import OrganizationFactory, SectorFactory
from ..pages import get_page, page_queries

pytestmark = pytest.mark.django_db


def test_organization_list_searches_in_korean_and_english(client, scenario):
    html = get_page(client, "/organizations/?q=타이로", "ko")
    assert "㈜타이로스코프" in html
    assert "㈜에스비솔루션" not in html

    html = get_page(client, "/organizations/?q=thyroscope", "en")
    assert "Thyroscope Inc." in html
    assert "SB Solution Inc." not in html


def test_organization_list_filters_by_kind_cluster_and_sector(client, scenario):
    html = get_page(client, "/organizations/?kind=startup&cluster=ulsan", "en")
    assert "Thyroscope Inc." in html and "SB Solution Inc." in html and "DNA Corporation Inc." in html
    assert "UC San Diego" not in html

    html = get_page(client, "/organizations/?sector=digital-health", "en")
    assert "Thyroscope Inc." in html
    assert "SB Solution Inc." not in html


def test_organization_list_ignores_a_bad_filter_and_says_so(client, scenario):
    html = get_page(client, "/organizations/?kind=spaceship", "en")

    assert "Some filters were not understood and were ignored" in html
    # The whole list, in name order: the first page holds the City of San Diego, not Thyroscope.
    assert "City of San Diego" in html and "No organizations match." not in html


def test_organization_list_paginates(client):
    for number in range(45):
        OrganizationFactory(name_en=f"Company {number:02d}")

    first = get_page(client, "/organizations/", "en")
    third = get_page(client, "/organizations/?page=3", "en")
    beyond = get_page(client, "/organizations/?page=99", "en")

    assert "Page 1 of 3" in first and "45 results" in first
    assert "Page 3 of 3" in third
    assert "Page 3 of 3" in beyond


def test_organization_list_query_count_does_not_grow_with_rows(client):
    sector = SectorFactory()
    for _ in range(3):
        OrganizationFactory(sectors=[sector])
    few = page_queries(client, "/organizations/")
    for _ in range(27):
        OrganizationFactory(sectors=[sector])

    assert page_queries(client, "/organizations/") == few


def test_startup_page_shows_its_outcome_timeline_in_both_languages(client, scenario, staff_user):
    thyroscope = Organization.objects.get(key="thyroscope")

    korean = get_page(client, thyroscope.get_absolute_url(), "ko")
    assert "성과 타임라인" in korean
    # The investment is in review: its amount, and the counterparty's description with it, are hidden.
    assert "미국 벤처캐피탈(이름 미공개)" not in korean and "협상 중이라 비공개" in korean
    assert "금액 비공개" in korean
    assert "USD 10,000,000" not in korean
    assert "심사 중" in korean
    assert "(번역)" in korean  # the English name is Dari's translation

    client.force_login(staff_user)
    english = get_page(client, thyroscope.get_absolute_url(), "en")
    assert "Outcome timeline" in english
    assert "A US venture-capital firm (not named)" in english
    assert "USD 10,000,000" in english
    assert "in review" in english
    assert "Digital Healthcare Global Support Program" in english


def test_contract_counterparty_page_lists_the_outcome_it_is_party_to(client, scenario):
    hangzhou = Organization.objects.get(key="hangzhou-health-online-it")

    html = get_page(client, hangzhou.get_absolute_url(), "en")

    assert "Outcomes as counterparty" in html
    assert "200,000 units a year" in html


def test_university_page_shows_its_sourced_fact(client, scenario):
    ucsd = Organization.objects.get(key="ucsd")

    assert "27명" in get_page(client, ucsd.get_absolute_url(), "ko")
    assert "27 people" in get_page(client, ucsd.get_absolute_url(), "en")


def test_missing_name_falls_back_visibly_to_the_other_language(client):
    organization = OrganizationFactory(name_ko="", name_en="Only English Bio")

    html = get_page(client, organization.get_absolute_url(), "ko")

    assert 'class="lang-fallback"' in html
    assert "Only English Bio" in html


def test_private_organization_is_hidden_from_anonymous_and_members(client, member_user, staff_user):
    hidden = OrganizationFactory(name_en="Hidden Ventures", is_public=False)

    assert "Hidden Ventures" not in get_page(client, "/organizations/", "en")
    get_page(client, hidden.get_absolute_url(), status=404)
    client.force_login(member_user)
    get_page(client, hidden.get_absolute_url(), status=404)
    client.force_login(staff_user)
    assert "Hidden Ventures" in get_page(client, hidden.get_absolute_url(), "en")


def test_cluster_page_shows_statistics_as_reported(client, scenario):
    from dari.registry.models import Cluster

    san_diego = Cluster.objects.get(key="san-diego")

    korean = get_page(client, san_diego.get_absolute_url(), "ko")
    assert "약 1,000개 기업" in korean
    assert "약 730,000명" in korean
    assert "약 270억 달러" in korean
    assert "2020" in korean

    english = get_page(client, san_diego.get_absolute_url(), "en")
    assert "about 1,000 companies" in english
    assert "approximate, as reported" in english


def test_person_page_lists_affiliations(client, scenario):
    from dari.registry.models import Person

    gomez = Person.objects.get(key="javier-gomez")

    html = get_page(client, gomez.get_absolute_url(), "en")

    assert "Global Director" in html
    assert "City of San Diego" in html
