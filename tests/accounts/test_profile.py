"""The profile page: language (which also switches the page language), time zone, own roles."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role

from ..factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    user = UserFactory(username="person", language="ko", time_zone="Asia/Seoul")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_changing_language_and_zone_saves_and_switches_the_language_cookie(client, user):
    response = client.post("/accounts/profile/", {"language": "en", "time_zone": "America/Los_Angeles"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("en", "America/Los_Angeles")
    [entry] = AuditEntry.objects.filter(action="accounts.user.profile_changed")
    assert entry.changes == {"language": ["ko", "en"], "time_zone": ["Asia/Seoul", "America/Los_Angeles"]}


def test_a_time_zone_that_is_not_iana_is_refused(client, user):
    response = client.post("/accounts/profile/", {"language": "en", "time_zone": "Korea Standard Time"})

    assert response.status_code == 400
    assert "“Korea Standard Time” is not a time zone." in response.content.decode()
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("ko", "Asia/Seoul")
    assert not AuditEntry.objects.filter(action="accounts.user.profile_changed").exists()


def test_the_profile_lists_the_users_roles(client, user):
    from dari.accounts.services import grant_membership

    grant_membership(Actor.system(), user, Role.ORGANIZATION_ADMIN, OrganizationFactory(name_en="Ulsan Bio"))

    page = client.get("/accounts/profile/").content.decode()

    assert "organization administrator — Ulsan Bio" in page
    assert "Invite someone" in page
