"""API tokens: created on the profile page and shown once, sent as ``Authorization: Bearer``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dari.accounts.audit import Actor
from dari.accounts.models import ApiToken, AuditEntry
from dari.accounts.services import create_api_token, revoke_api_token

from ..factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def owner():
    return UserFactory(username="scripter", is_staff=True)


def test_a_token_is_created_on_the_profile_page_and_shown_once(client, owner):
    client.force_login(owner)
    client.cookies["django_language"] = "en"

    created = client.post("/accounts/profile/tokens/", {"name": "KPI export", "expires_in_days": "30"})
    profile = client.get("/accounts/profile/").content.decode()

    assert created.status_code == 201
    key = created.context["key"]
    assert key.startswith("dari_") and key in created.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (owner, "KPI export", key[:12])
    assert token.key_hash != key and key not in token.key_hash
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert "KPI export" in profile and key not in profile and token.prefix in profile


def test_the_api_accepts_a_valid_token_as_its_owner(client, owner):
    OrganizationFactory(key="private-startup", is_public=False)
    _token, key = create_api_token(Actor(owner), owner, "script")

    anonymous = client.get("/api/v1/organizations").json()
    as_owner = client.get("/api/v1/organizations", **bearer(key))

    assert as_owner.status_code == 200
    assert "private-startup" not in [item["key"] for item in anonymous["items"]]
    assert "private-startup" in [item["key"] for item in as_owner.json()["items"]]
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("state", ["revoked", "expired", "wrong", "owner inactive"])
def test_an_unusable_token_gets_401_json(client, owner, state):
    token, key = create_api_token(Actor(owner), owner, "script")
    if state == "revoked":
        revoke_api_token(Actor(owner), token)
    elif state == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "wrong":
        key = key[:-4] + "xxxx"
    else:
        type(owner).objects.filter(pk=owner.pk).update(is_active=False)

    response = client.get("/api/v1/organizations", **bearer(key))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid credentials"}
    assert response["WWW-Authenticate"] == 'Bearer realm="Dari API"'


def test_wrong_tokens_never_lock_anyone_out(client, owner):
    _token, key = create_api_token(Actor(owner), owner, "script")

    wrong = [client.get("/api/v1/organizations", **bearer("dari_wrong")).status_code for _ in range(6)]
    right = client.get("/api/v1/organizations", **bearer(key))

    assert wrong == [401] * 6
    assert right.status_code == 200


def test_a_token_is_revoked_from_the_profile_page_by_its_owner_only(client, owner):
    token, key = create_api_token(Actor(owner), owner, "script")
    other = UserFactory(username="other")
    client.force_login(other)

    by_other = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    still_works = client.get("/api/v1/organizations", **bearer(key)).status_code
    client.force_login(owner)
    by_owner = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")

    assert by_other.status_code == 404
    assert still_works == 200
    assert by_owner.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert list(
        AuditEntry.objects.filter(action__startswith="accounts.api_token.").values_list("action", "actor")
    ) == [
        ("accounts.api_token.revoked", owner.pk),
        ("accounts.api_token.created", owner.pk),
    ]


def test_nobody_creates_a_token_for_someone_else(owner):
    from django.core.exceptions import PermissionDenied

    other = UserFactory(username="other")

    with pytest.raises(PermissionDenied):
        create_api_token(Actor(other), owner, "sneaky")
    assert ApiToken.objects.count() == 0
