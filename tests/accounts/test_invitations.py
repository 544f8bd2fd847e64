"""Invitations: a manager invites by e-mail, the invited person accepts once, within 14 days."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Invitation, Membership, Role, User
from dari.accounts.services import grant_membership, invite

from ..factories import TEST_PASSWORD, OrganizationFactory, ProgramFactory, UserFactory
from .mailbox import only_link

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()
NEW_PASSWORD = "kelp-forest-nineteen"


def english(client):
    client.cookies["django_language"] = "en"
    return client


def send_invitation(client, django_capture_on_commit_callbacks, startup, email="new@example.com"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/invitations/new/",
            {
                "email": email,
                "role": Role.ORGANIZATION_MEMBER,
                "scope": f"registry.organization:{startup.pk}",
            },
        )
    assert response.status_code == 302, response.content
    return only_link(mail.outbox[-1], "/accounts/invitations/")


def test_invite_accept_as_new_user_and_sign_in(
    client, org_admin, startup, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    english(client)

    link = send_invitation(client, django_capture_on_commit_callbacks, startup)

    message = mail.outbox[-1]
    assert message.to == ["new@example.com"]
    assert "Invitation to Dari" in message.subject
    assert "org-admin invites you to Dari as organization member of Ulsan Startup." in message.body
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in message.body and invitation.token_hash not in link
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert AuditEntry.objects.filter(action="accounts.invitation.created", actor=org_admin).count() == 1

    visitor = english(client.__class__())
    page = visitor.get(link)
    assert page.status_code == 200
    assert "Create your account for new@example.com." in page.content.decode()
    response = visitor.post(
        link,
        {
            "username": "newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "language": "en",
            "time_zone": "America/Los_Angeles",
        },
    )

    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert (newcomer.email, newcomer.language, newcomer.time_zone) == (
        "new@example.com",
        "en",
        "America/Los_Angeles",
    )
    assert newcomer.email_verified_at is not None
    membership = Membership.objects.get(user=newcomer)
    assert (membership.role, membership.scope, membership.granted_by) == (
        Role.ORGANIZATION_MEMBER,
        startup,
        org_admin,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None
    signed_in = english(client.__class__()).post(
        "/accounts/login/", {"username": "newcomer", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in.wsgi_request.user == newcomer


def test_signed_in_user_accepts_with_one_click(
    client, org_admin, startup, django_capture_on_commit_callbacks
):
    existing = UserFactory(username="existing")
    client.force_login(org_admin)
    link = send_invitation(client, django_capture_on_commit_callbacks, startup, email="existing@dari.invalid")

    client.force_login(existing)
    response = client.post(link)

    assert response.status_code == 302
    assert list(Membership.objects.filter(user=existing).values_list("role", "scope_id")) == [
        (Role.ORGANIZATION_MEMBER, startup.pk)
    ]


def test_a_used_link_cannot_be_used_again(client, org_admin, startup, django_capture_on_commit_callbacks):
    client.force_login(org_admin)
    link = send_invitation(client, django_capture_on_commit_callbacks, startup)
    first = UserFactory(username="first")
    second = UserFactory(username="second")
    client.force_login(first)
    client.post(link)

    client.force_login(second)
    english(client)
    page = client.get(link)
    response = client.post(link)

    assert page.status_code == 410
    assert "This invitation has already been accepted." in page.content.decode()
    assert response.status_code == 410
    assert not Membership.objects.filter(user=second).exists()


def test_an_expired_link_shows_a_clear_error(client, org_admin, startup, django_capture_on_commit_callbacks):
    client.force_login(org_admin)
    link = send_invitation(client, django_capture_on_commit_callbacks, startup)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    visitor = english(client.__class__())

    page = visitor.get(link)
    response = visitor.post(
        link,
        {
            "username": "late",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "language": "en",
            "time_zone": "Asia/Seoul",
        },
    )

    assert page.status_code == 410
    assert "This invitation has expired." in page.content.decode()
    assert response.status_code == 410
    assert not User.objects.filter(username="late").exists()


def test_an_unknown_token_is_not_found(client):
    english(client)

    response = client.get("/accounts/invitations/not-a-real-token/")

    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_a_member_may_not_invite_and_nothing_is_written(client, startup):
    member = UserFactory(username="plain-member")
    grant_membership(SYSTEM, member, Role.ORGANIZATION_MEMBER, startup)
    entries_before = AuditEntry.objects.count()
    client.force_login(member)

    page = client.get("/accounts/invitations/new/")
    response = client.post(
        "/accounts/invitations/new/",
        {
            "email": "x@example.com",
            "role": Role.ORGANIZATION_MEMBER,
            "scope": f"registry.organization:{startup.pk}",
        },
    )
    with pytest.raises(PermissionDenied):
        invite(Actor(member), "x@example.com", Role.ORGANIZATION_MEMBER, startup)

    assert (page.status_code, response.status_code) == (403, 403)
    assert Invitation.objects.count() == 0
    assert AuditEntry.objects.count() == entries_before
    assert mail.outbox == []


def test_an_admin_may_not_invite_to_another_organization_or_as_staff(client, org_admin, startup):
    other = OrganizationFactory(key="other-startup")
    english(client)
    client.force_login(org_admin)

    to_other = client.post(
        "/accounts/invitations/new/",
        {
            "email": "x@example.com",
            "role": Role.ORGANIZATION_MEMBER,
            "scope": f"registry.organization:{other.pk}",
        },
    )
    as_staff = client.post(
        "/accounts/invitations/new/", {"email": "x@example.com", "role": Role.STAFF, "scope": ""}
    )

    assert to_other.status_code == 400 and as_staff.status_code == 400
    assert Invitation.objects.count() == 0
    with pytest.raises(PermissionDenied):
        invite(Actor(org_admin), "x@example.com", Role.STAFF)


def test_the_form_offers_only_scopes_the_manager_may_grant(client, org_admin, startup):
    OrganizationFactory(key="someone-else", name_en="Someone Else")
    program = ProgramFactory(key="the-program", name_en="Bio Accelerator")
    manager = UserFactory(username="manager")
    grant_membership(SYSTEM, manager, Role.PROGRAM_MANAGER, program)
    english(client)

    client.force_login(org_admin)
    admin_page = client.get("/accounts/invitations/new/").content.decode()
    client.force_login(manager)
    manager_page = client.get("/accounts/invitations/new/").content.decode()

    assert "Ulsan Startup" in admin_page and "Someone Else" not in admin_page
    assert "Bio Accelerator" not in admin_page
    assert "Bio Accelerator" in manager_page and "Ulsan Startup" not in manager_page
    assert 'value="program_reviewer"' in manager_page and 'value="organization_member"' not in manager_page


def test_pending_invitations_are_listed_and_can_be_withdrawn(
    client, org_admin, startup, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    english(client)
    link = send_invitation(client, django_capture_on_commit_callbacks, startup, email="later@example.com")
    invitation = Invitation.objects.get()

    listed = client.get("/accounts/invitations/new/").content.decode()
    withdrawn = client.post(f"/accounts/invitations/{invitation.pk}/revoke/")
    afterwards = client.get(link)

    assert "later@example.com" in listed
    assert withdrawn.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert afterwards.status_code == 410
    assert "This invitation was withdrawn" in afterwards.content.decode()
    assert AuditEntry.objects.filter(action="accounts.invitation.revoked").count() == 1


def test_another_admin_cannot_withdraw_someone_elses_invitation(
    client, org_admin, startup, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    send_invitation(client, django_capture_on_commit_callbacks, startup)
    invitation = Invitation.objects.get()
    stranger = UserFactory(username="stranger-admin")
    grant_membership(SYSTEM, stranger, Role.ORGANIZATION_ADMIN, OrganizationFactory(key="elsewhere"))
    client.force_login(stranger)

    response = client.post(f"/accounts/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_inviter_who_lost_the_right_cannot_grant_through_an_old_link(
    client, org_admin, startup, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    link = send_invitation(client, django_capture_on_commit_callbacks, startup)
    Membership.objects.filter(user=org_admin).delete()
    invited = UserFactory(username="invited")
    client.force_login(invited)

    response = client.post(link)

    assert response.status_code == 403
    assert not Membership.objects.filter(user=invited).exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_weak_password_is_refused(client, org_admin, startup, django_capture_on_commit_callbacks):
    client.force_login(org_admin)
    link = send_invitation(client, django_capture_on_commit_callbacks, startup)
    visitor = english(client.__class__())

    response = visitor.post(
        link,
        {
            "username": "weak",
            "password1": "12345678",
            "password2": "12345678",
            "language": "en",
            "time_zone": "Asia/Seoul",
        },
    )

    assert response.status_code == 400
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_the_factory_password_still_signs_in(client, org_admin):
    assert (
        client.post("/accounts/login/", {"username": "org-admin", "password": TEST_PASSWORD}).status_code
        == 302
    )
