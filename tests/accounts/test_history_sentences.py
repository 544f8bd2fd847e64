"""A history entry reads as a sentence in the UI language, with its time in the viewer's zone first:
"Organization changed: description (Korean)" / "기관 정보 변경: 설명(한국어)", never the dotted key."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from dari.accounts.audit import Actor, log_action
from dari.accounts.history import history_for
from dari.accounts.models import AuditEntry
from dari.registry import services as registry

from ..factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

# 2024-03-01 01:30 UTC = 10:30 KST in Ulsan = 2024-02-29 17:30 PST in San Diego = 20:30 EST in New York.
CHANGED_AT = datetime(2024, 3, 1, 1, 30, tzinfo=UTC)


@pytest.fixture
def organization(staff_user):
    organization = OrganizationFactory(key="helix", name_en="Helix Bio", is_public=True)
    registry.update_organization(Actor(staff_user), organization, {"description_ko": "바이오 기업"})
    AuditEntry.objects.filter(action="registry.organization.changed").update(created_at=CHANGED_AT)
    return organization


def summaries(user, obj, language: str) -> list[str]:
    with translation.override(language):
        return [item.summary for item in history_for(user, obj)]


def test_a_change_names_what_changed_in_english(organization):
    assert summaries(AnonymousUser(), organization, "en") == ["Organization changed: description (Korean)"]


def test_a_change_names_what_changed_in_korean(organization):
    assert summaries(AnonymousUser(), organization, "ko") == ["기관 정보 변경: 설명(한국어)"]


def test_several_fields_are_named_in_order(staff_user):
    organization = OrganizationFactory(key="twice")
    registry.update_organization(
        Actor(staff_user),
        organization,
        {"description_en": "A bio company", "website": "https://twice.example"},
    )

    assert summaries(staff_user, organization, "en") == [
        "Organization changed: description (English), website"
    ]


def test_an_action_without_a_verb_reads_as_a_change_recorded_not_as_its_key(staff_user):
    organization = OrganizationFactory(key="quiet")
    log_action(Actor(staff_user), "registry.organization.audited_by_robot", organization, {})

    assert summaries(staff_user, organization, "en") == ["Change recorded"]


def test_the_page_shows_the_sentence_and_the_time_in_the_viewers_zone_first(client, organization):
    viewer = UserFactory(username="new-yorker", time_zone="America/New_York")
    client.force_login(viewer)
    client.cookies["django_language"] = "en"

    page = client.get(f"/organizations/{organization.pk}/").content.decode()

    # The dotted key is only the entry's data-action, for scripts; people read the sentence.
    assert '<li data-action="registry.organization.changed">' in page
    assert "<strong>Organization changed: description (Korean)</strong>" in page
    assert ">2024-02-29 20:30 EST</time>" in page
    assert "2024-03-01 10:30 KST" in page and "2024-02-29 17:30 PST" in page


def test_a_visitor_reads_the_time_in_seoul_first(client, organization):
    client.cookies["django_language"] = "en"

    page = client.get(f"/organizations/{organization.pk}/").content.decode()

    assert ">2024-03-01 10:30 KST</time>" in page
    assert "UTC" not in page.split("Change history")[1]


def test_the_api_gives_the_sentence_beside_the_action(client, organization):
    response = client.get(f"/api/v1/organizations/{organization.pk}/history", HTTP_ACCEPT_LANGUAGE="en")

    [entry] = response.json()["items"]
    assert (entry["action"], entry["summary"]) == (
        "registry.organization.changed",
        "Organization changed: description (Korean)",
    )
