"""The dashboard and the organization list count the reported partnership first: the organizations the
demo made up are left out until the viewer includes them, and the number of each is shown."""

import pytest
from django.test import Client

from dari.registry.models import Organization

from ..factories import OrganizationFactory
from ..pages import get_page

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_the_reported_partnership_unless_asked_to_include_the_illustrative(
    client, scenario
):
    reported = Organization.objects.filter(is_illustrative=False).count()
    illustrative = Organization.objects.filter(is_illustrative=True).count()
    assert (reported, illustrative) == (8, 43)

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["organization_count"] == 8
    assert dict((value, count) for _label, count, value in response.context["kind_counts"])["startup"] == 3
    html = response.content.decode()
    assert "Counting the reported partnership: 8 organizations." in html
    assert 'href="?illustrative=on">Include 43 illustrative organizations</a>' in html

    korean = get_page(client, "/", "ko")
    assert "실제 협력 기관만 셉니다: 8곳." in korean and "예시 기관 43곳 포함하기" in korean

    client.cookies.pop("django_language")
    response = client.get("/?illustrative=on", HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["organization_count"] == 51
    html = response.content.decode()
    assert "Counting 8 organizations of the reported partnership" in html
    assert "and 43 illustrative organizations made up for the demo." in html
    assert "Count the reported partnership only" in html


def test_the_organization_list_shows_the_reported_partnership_first_with_a_switch(client, scenario):
    html = get_page(client, "/organizations/", "en")
    assert "UNIST" in html or "Ulsan National Institute of Science and Technology" in html
    assert "UC San Diego" in html and "Thyroscope Inc." in html
    assert 'class="tag illustrative"' not in html
    assert "The reported partnership: 8 organizations." in html
    assert "Include 43 illustrative organizations" in html

    html = get_page(client, "/organizations/?illustrative=on", "en")
    assert 'class="tag illustrative"' in html
    assert "51 results" in html
    assert "Show the reported partnership only" in html


def test_organizations_sort_by_the_name_in_the_page_language():
    OrganizationFactory(name_ko="다온바이오", name_en="Alpha Daon")
    OrganizationFactory(name_ko="㈜나래", name_en="Zeta Narae")
    OrganizationFactory(name_ko="가람", name_en="Mid Garam")
    OrganizationFactory(name_ko="", name_en="Beta Only English")
    client = Client()

    korean = get_page(client, "/organizations/", "ko")
    order = [korean.index(name) for name in ["가람", "㈜나래", "다온바이오"]]
    assert order == sorted(order)  # 가나다 order, ㈜ left out of the sort key

    english = get_page(client, "/organizations/", "en")
    order = [english.index(name) for name in ["Alpha Daon", "Beta Only English", "Mid Garam", "Zeta Narae"]]
    assert order == sorted(order)


def test_korean_order_puts_a_name_without_korean_by_its_english_name():
    garam = OrganizationFactory(name_ko="가람", name_en="Garam")
    english_only = OrganizationFactory(name_ko="", name_en="Bioworks")
    narae = OrganizationFactory(name_ko="나래", name_en="Narae")

    korean = list(Organization.objects.in_name_order("ko"))
    english = list(Organization.objects.in_name_order("en"))

    assert korean.index(garam) < korean.index(narae)
    assert english_only in korean
    assert english == [english_only, garam, narae]
