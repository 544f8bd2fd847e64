"""Forms people expect: a form sent empty shows its errors (400) in the page's language; countries are
chosen by name and stored as ISO codes; time zones are grouped by region with the partnership's first;
sectors are found by either language's names and synonyms."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from dari.accounts.forms import ProfileForm
from dari.core.forms import CountryField
from dari.registry.forms import OrganizationForm
from dari.registry.models import Organization

from ..factories import SectorFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(language: str, **user) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(UserFactory(**user))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/organizations/new/",
        "/agreements/new/",
        "/accounts/profile/",
        "/accounts/invitations/new/",
        "/accounts/register/",
    ],
)
def test_an_empty_post_shows_the_errors_with_400_not_the_blank_form(url):
    if url == "/accounts/register/":
        client = Client()
        client.cookies["django_language"] = "en"
    else:
        client = signed_in("en", is_staff=True, is_superuser=True)

    response = client.post(url, {})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_errors_are_in_the_page_language_next_to_their_field():
    client = signed_in("ko", is_staff=True, is_superuser=True)

    html = client.post("/organizations/new/", {}).content.decode()

    assert "필수 항목입니다." in html  # Django's own Korean catalog
    assert "novalidate" in html  # the browser's own bubbles (in its language) do not pre-empt them


def test_a_country_is_chosen_by_its_korean_name_and_stored_as_its_iso_code():
    client = signed_in("ko", is_staff=True, is_superuser=True)
    html = client.get("/organizations/new/").content.decode()
    assert '<option value="US" data-terms="US 미국 United States of America">미국</option>' in html

    response = client.post(
        "/organizations/new/",
        {
            "name_ko": "테스트 바이오",
            "name_ko_origin": "original",
            "name_en_origin": "original",
            "kind": "startup",
            "country": "US",
            "is_public": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    organization = Organization.objects.get(name_ko="테스트 바이오")
    assert organization.country == "US"
    page = client.get(organization.get_absolute_url()).content.decode()
    assert "<dd>미국</dd>" in page


def test_a_country_name_follows_the_language_and_the_list_is_in_its_order():
    field = CountryField()
    with translation.override("ko"):
        assert CountryField().clean("KR") == "KR"
        with pytest.raises(ValidationError):
            CountryField().clean("XX")
        korean = [label for value, label in field.choices if value]
    with translation.override("en"):
        english = [label for value, label in field.choices if value]
    assert "대한민국" in korean and "South Korea" in english
    assert korean == sorted(korean) and korean[0] == "가나"


def test_time_zones_are_grouped_by_region_with_the_partnership_first_and_aliases_are_refused():
    with translation.override("en"):
        field = ProfileForm().fields["time_zone"]
        groups = [str(group) for group, _zones in field.choices]
        html = str(ProfileForm()["time_zone"])
    assert groups[0] == "The partnership's zones"
    assert [zone for zone, _label in field.choices[0][1]] == ["Asia/Seoul", "America/Los_Angeles"]
    assert "Asia" in groups and "Europe" in groups
    assert '<option value="Asia/Seoul">Asia/Seoul (UTC+09:00)</option>' in html
    assert "data-browser-zone=" in html and "data-filterable" in html
    assert html.count('value="Asia/Seoul"') == 1
    with translation.override("en"):
        form = ProfileForm({"language": "en", "time_zone": "US/Pacific"})
        assert not form.is_valid()
        assert "is not a time zone" in str(form.errors["time_zone"])


def test_sectors_are_searchable_by_both_names_and_synonyms():
    SectorFactory(
        key="thyroid", name_ko="갑상선", name_en="thyroid", synonyms_ko=["갑상샘"], synonyms_en=["TED"]
    )

    with translation.override("ko"):
        html = str(OrganizationForm()["sectors"])

    assert 'type="checkbox"' in html and "data-filterable" in html
    assert 'data-terms="갑상선 thyroid 갑상샘 TED"' in html
    assert "갑상선 (thyroid)" in html
    assert "dari/forms.js" in str(OrganizationForm().media)


def test_the_suggestions_filter_chooses_a_country_by_name_and_reads_a_typed_code_in_any_case():
    from dari.matching.forms import SuggestionFilterForm

    subject = Organization(kind="startup")
    with translation.override("ko"):
        html = str(SuggestionFilterForm(subject=subject)["country"])
    assert '<option value="KR" data-terms="KR 대한민국 South Korea">대한민국</option>' in html
    form = SuggestionFilterForm({"country": "kr"}, subject=subject)
    assert form.is_valid() and form.cleaned_data["country"] == "KR"
