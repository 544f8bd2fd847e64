"""Personal data (PIPA, GDPR): a user downloads everything Dari holds about them, and deletes their
account; the records they touched keep their history, without what identified them."""

import json

import pytest
from django.test import Client
from django.utils import translation

from dari.accounts.audit import Actor
from dari.accounts.models import ApiToken, AuditEntry, Invitation, Membership, RegistrationRequest, Role, User
from dari.accounts.services import (
    create_api_token,
    delete_account,
    export_personal_data,
    grant_membership,
    invite,
)
from dari.registry.services import update_person

from ..factories import TEST_PASSWORD, AffiliationFactory, OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """``ana`` administers ``Ulsan Bio``, invited ``new@dari.invalid``, holds a token, was invited
    herself, is linked to her registry entry and edited it from 203.0.113.7; ``bob`` is someone else."""
    organization = OrganizationFactory(name_en="Ulsan Bio")
    staff = UserFactory(username="staff", is_staff=True)
    ana = UserFactory(username="ana", email="ana@dari.invalid", first_name="Ana", last_name="Kim")
    bob = UserFactory(username="bob", email="bob@dari.invalid")
    grant_membership(Actor(staff), ana, Role.ORGANIZATION_ADMIN, organization)
    received = invite(Actor(staff), "ana@dari.invalid", Role.ORGANIZATION_MEMBER, organization)
    sent = invite(Actor(ana), "new@dari.invalid", Role.ORGANIZATION_MEMBER, organization)
    token, key = create_api_token(Actor(ana), ana, "kpi export")
    create_api_token(Actor(bob), bob, "bob script")
    person = PersonFactory(name_en="Ana Kim", name_ko="김아나", is_public=False, user=ana)
    AffiliationFactory(person=person, organization=organization, title_ko="대표", title_en="CEO")
    update_person(Actor(ana, "203.0.113.7"), person, {"email": "ana@ulsan-bio.example"})
    return {
        "organization": organization,
        "staff": staff,
        "ana": ana,
        "bob": bob,
        "received": received,
        "sent": sent,
        "token": token,
        "key": key,
        "person": person,
    }


def test_the_export_holds_everything_about_the_user_and_nothing_else(world):
    ana = world["ana"]

    with translation.override("en"):
        data = export_personal_data(ana)

    assert set(data) == {
        "format",
        "exported_at",
        "account",
        "memberships",
        "invitations_sent",
        "invitations_received",
        "registration_requests",
        "api_tokens",
        "audit_entries",
        "registry_person",
        "notifications",
    }
    assert data["account"] == {
        "id": ana.pk,
        "username": "ana",
        "email": "ana@dari.invalid",
        "email_verified_at": None,
        "first_name": "Ana",
        "last_name": "Kim",
        "language": "ko",
        "time_zone": "Asia/Seoul",
        "is_active": True,
        "is_staff": False,
        "is_superuser": False,
        "date_joined": ana.date_joined.isoformat(),
        "last_login": None,
    }
    assert [(row["role"], row["scope"]) for row in data["memberships"]] == [
        ("organization_admin", "Ulsan Bio")
    ]
    assert [(row["email"], row["status"]) for row in data["invitations_sent"]] == [
        ("new@dari.invalid", "pending")
    ]
    assert [(row["role"], row["invited_by"]) for row in data["invitations_received"]] == [
        ("organization_member", "staff")
    ]
    assert data["registration_requests"] == []
    [token] = data["api_tokens"]
    assert token == {
        "name": "kpi export",
        "prefix": world["token"].prefix,
        "created_at": world["token"].created_at.isoformat(),
        "last_used_at": None,
        "expires_at": None,
        "revoked_at": None,
    }
    assert [(row["action"], row["object"], row["ip_address"]) for row in data["audit_entries"]] == [
        ("accounts.invitation.created", str(world["sent"]), None),
        ("accounts.api_token.created", f"ana – kpi export ({world['token'].prefix}…)", None),
        ("registry.person.changed", "김아나", "203.0.113.7"),
    ]
    assert data["registry_person"] == {
        "id": world["person"].pk,
        "key": world["person"].key,
        "name_ko": "김아나",
        "name_en": "Ana Kim",
        "email": "ana@ulsan-bio.example",
        "is_public": False,
        "public_listing_basis": "",
        "listing_consent_at": None,
        "affiliations": [
            {
                "organization": "Ulsan Bio",
                "title_ko": "대표",
                "title_en": "CEO",
                "started_on": None,
                "ended_on": None,
            }
        ],
    }


def test_the_export_holds_no_secret_and_no_one_elses_data(world):
    text = json.dumps(export_personal_data(world["ana"]))

    assert world["ana"].password not in text
    assert world["token"].key_hash not in text
    assert world["key"] not in text
    for other in ApiToken.objects.exclude(user=world["ana"]):
        assert other.prefix not in text
    assert "bob" not in text
    assert world["received"].token_hash not in text and world["sent"].token_hash not in text


def test_the_profile_download_is_a_json_attachment(client, world):
    client.force_login(world["ana"])

    response = client.get("/accounts/profile/data.json")

    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="dari-personal-data-{world["ana"].pk}.json"'
    )
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["account"]["username"] == "ana"
    assert "Download my data" in client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_scripts_read_the_same_data_with_a_token(world):
    response = Client().get("/api/v1/me/data", HTTP_AUTHORIZATION=f"Bearer {world['key']}")

    assert response.status_code == 200
    data = response.json()
    assert data["account"]["username"] == "ana"
    assert data["registry_person"]["name_en"] == "Ana Kim"


def test_anonymous_callers_get_the_sign_in_page_or_401(client, world):
    page = client.get("/accounts/profile/data.json")

    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=/accounts/profile/data.json"
    assert client.get("/api/v1/me/data").status_code == 401


def delete_form(client, username="ana", password=TEST_PASSWORD):
    client.cookies["django_language"] = "en"
    return client.post("/accounts/profile/delete/", {"username": username, "password": password})


def test_deleting_the_account_anonymizes_it_and_keeps_the_history(client, world):
    ana, person = world["ana"], world["person"]
    client.force_login(ana)
    entries_before = AuditEntry.objects.count()

    response = delete_form(client)

    assert response.status_code == 302 and response["Location"] == "/"
    ana.refresh_from_db()
    assert (ana.username, ana.email, ana.first_name, ana.last_name) == (f"deleted-{ana.pk}", "", "", "")
    assert not ana.is_active and not ana.has_usable_password()
    assert (ana.language, ana.time_zone) == ("ko", "Asia/Seoul")
    assert not ApiToken.objects.filter(user=ana).exists()
    assert not Membership.objects.filter(user=ana).exists()
    assert not Invitation.objects.filter(pk=world["received"].pk).exists()
    assert Invitation.objects.get(pk=world["sent"].pk).revoked_at is not None
    # Every earlier entry stays, still linked to its object and to the (anonymized) actor.
    assert AuditEntry.objects.count() == entries_before + 1
    change = AuditEntry.objects.get(action="registry.person.changed")
    assert (change.actor_id, change.actor_label, change.ip_address) == (ana.pk, "deleted user", None)
    assert (change.object_id, change.changes) == (person.pk, {"email": ["", "ana@ulsan-bio.example"]})
    deleted = AuditEntry.objects.get(action="accounts.user.deleted")
    assert (deleted.actor_label, deleted.object_label, deleted.ip_address) == (
        "deleted user",
        f"deleted-{ana.pk}",
        None,
    )
    assert deleted.changes == {
        "deleted": {
            "api_tokens": 1,
            "memberships": 1,
            "registration_requests": 0,
            "invitations_received": 1,
            "invitations_withdrawn": 1,
        }
    }
    text = json.dumps(list(AuditEntry.objects.values("actor_label", "object_label", "changes")))
    assert "ana@dari.invalid" not in text
    assert '"ana"' not in text and '"ana –' not in text
    person.refresh_from_db()
    assert person.user_id is None
    # Signed out, and no way back in.
    assert client.get("/accounts/profile/").status_code == 302
    visitor = Client()
    sign_in = visitor.post("/accounts/login/", {"username": "ana", "password": TEST_PASSWORD})
    assert sign_in.status_code == 200 and "_auth_user_id" not in visitor.session
    assert Client().get("/api/v1/me/data", HTTP_AUTHORIZATION=f"Bearer {world['key']}").status_code == 401


def test_the_deleted_users_other_data_and_other_users_stay(client, world):
    client.force_login(world["ana"])

    delete_form(client)

    bob = User.objects.get(username="bob")
    assert bob.is_active and ApiToken.objects.filter(user=bob).count() == 1
    assert Membership.objects.filter(user=world["staff"]).count() == 0
    assert AuditEntry.objects.filter(actor=world["staff"], actor_label="staff").count() == 2


def database_state():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (User, ApiToken, Membership, Invitation, RegistrationRequest, AuditEntry)
    }


@pytest.mark.parametrize(
    "username, password, error",
    [
        ("Ana", TEST_PASSWORD, "Type your username exactly as shown."),
        ("ana", "wrong password", "The password is not correct."),
        ("", "", "This field is required."),
    ],
)
def test_a_wrong_confirmation_changes_nothing(client, world, username, password, error):
    client.force_login(world["ana"])
    before = database_state()

    response = delete_form(client, username, password)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert database_state() == before


def test_the_last_active_superuser_cannot_delete_themselves(client, superuser):
    client.force_login(superuser)
    client.cookies["django_language"] = "en"
    before = database_state()

    response = client.post("/accounts/profile/delete/", {"username": "demo", "password": "dari-demo-2024"})

    assert response.status_code == 400
    assert "This is the last active superuser account." in response.content.decode()
    assert database_state() == before


def test_a_superuser_may_delete_themselves_when_another_remains(superuser):
    UserFactory(username="root2", is_superuser=True, is_staff=True)

    delete_account(Actor(superuser), superuser)

    superuser.refresh_from_db()
    assert (superuser.is_active, superuser.is_superuser) == (False, False)


def test_staff_delete_an_account_from_the_admin(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "delete_accounts", "_selected_action": [world["bob"].pk]},
    )

    assert response.status_code == 302
    bob = User.objects.get(pk=world["bob"].pk)
    assert (bob.username, bob.is_active) == (f"deleted-{bob.pk}", False)
    entry = AuditEntry.objects.get(action="accounts.user.deleted")
    assert (entry.actor_id, entry.actor_label) == (superuser.pk, "demo")


def test_a_user_may_not_delete_someone_else(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        delete_account(Actor(world["bob"]), world["ana"])

    assert User.objects.get(pk=world["ana"].pk).is_active


def test_deleting_withdraws_a_consent_to_be_listed(world):
    from dari.registry.services import record_listing_consent

    record_listing_consent(Actor(world["ana"]), world["person"])

    delete_account(Actor(world["ana"]), world["ana"])

    world["person"].refresh_from_db()
    assert (world["person"].is_public, world["person"].public_listing_basis) == (False, "")
    assert world["person"].listing_consent_at is None
