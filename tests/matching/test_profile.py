"""Matching profiles: edited by the organization's members and staff, validated, audited."""

import pytest

from dari.accounts.models import AuditEntry
from dari.matching.models import MatchingProfile

from ..helpers import get_json

pytestmark = pytest.mark.django_db


def test_a_member_edits_the_profile_on_its_page(world, client):
    client.force_login(world["member"])
    url = f"/organizations/{world['startup'].pk}/matching-profile/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "stage": "series_a",
            "amount_sought_usd": "2500000",
            "needs_ko": "미국 병원 실증 파트너",
            "stages_of_interest": [],
            "regions_of_interest": "San Diego, Boston",
        },
    )
    assert response.status_code == 302
    profile = MatchingProfile.objects.get(organization=world["startup"])
    assert profile.amount_sought_usd == 2_500_000 and profile.regions_of_interest == ["San Diego", "Boston"]
    assert AuditEntry.objects.filter(action="matching.profile.changed").count() == 1


def test_bad_amounts_are_refused_with_a_clear_error(world, client, api_client):
    client.force_login(world["member"])
    url = f"/organizations/{world['startup'].pk}/matching-profile/"
    page = client.post(url, {"check_min_usd": "5", "check_max_usd": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "smaller than the smallest" in page.content.decode()
    api = api_client(world["member"])
    response = api.patch(
        f"/api/v1/organizations/{world['startup'].pk}/matching-profile",
        {"stages_of_interest": ["someday"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert MatchingProfile.objects.get(organization=world["startup"]).stages_of_interest == []


def test_profile_api_round_trip(world, api_client):
    api = api_client(world["member"])
    url = f"/api/v1/organizations/{world['startup'].pk}/matching-profile"
    response = api.patch(
        url, {"needs_en": "A US hospital pilot", "amount_sought_usd": None}, content_type="application/json"
    )
    assert response.status_code == 200
    data = get_json(api, url)
    assert (
        data["needs_en"] == "A US hospital pilot"
        and data["amount_sought_usd"] is None
        and data["stage"] == "series_a"
    )


def test_outsiders_cannot_change_a_profile(world, client, api_client):
    client.force_login(world["outsider"])
    assert client.get(f"/organizations/{world['fund'].pk}/matching-profile/").status_code == 403
    response = api_client(world["outsider"]).patch(
        f"/api/v1/organizations/{world['fund'].pk}/matching-profile",
        {"thesis_en": "Anything"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert MatchingProfile.objects.get(organization=world["fund"]).thesis_en == ""
