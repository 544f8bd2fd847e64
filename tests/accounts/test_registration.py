"""Self-registration: a new startup or a claim on an existing organization, decided by staff (and,
for a claim, by the organization's administrators)."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Membership, RegistrationRequest, Role, User
from dari.accounts.services import approve_registration, grant_membership, reject_registration
from dari.registry.models import Organization

from ..factories import OrganizationFactory, UserFactory
from .mailbox import sent_to

pytestmark = pytest.mark.django_db

PASSWORD = "kelp-forest-nineteen"


def account(username, **extra):
    return {
        "username": username,
        "email": f"{username}@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "en",
        "time_zone": "America/Los_Angeles",
        **extra,
    }


def register(client, data, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/register/", data)
    assert response.status_code == 302, response.content.decode()
    return RegistrationRequest.objects.get(user__username=data["username"])


def decide(client, registration, decision, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/accounts/registrations/{registration.pk}/{decision}/", data)


def test_a_new_startup_is_created_private_on_approval(client, staff_user, django_capture_on_commit_callbacks):
    new_startup = {
        "kind": "new_organization",
        "name_ko": "바이오랩",
        "name_en": "BioLab",
        "website": "https://biolab.example",
    }
    registration = register(client, account("founder", **new_startup), django_capture_on_commit_callbacks)
    founder = registration.user
    assert (registration.status, registration.organization_id) == ("pending", None)
    assert not Organization.objects.filter(name_en="BioLab").exists()
    assert client.get("/accounts/profile/").status_code == 200  # signed in at once

    staff_client = client.__class__()
    staff_client.force_login(staff_user)
    staff_client.cookies["django_language"] = "en"
    listed = staff_client.get("/accounts/registrations/").content.decode()
    response = decide(staff_client, registration, "approve", django_capture_on_commit_callbacks)

    assert "BioLab" in listed
    assert response.status_code == 302
    organization = Organization.objects.get(name_en="BioLab")
    assert (organization.key, organization.kind, organization.is_public, organization.website) == (
        "biolab",
        "startup",
        False,
        "https://biolab.example",
    )
    assert list(Membership.objects.filter(user=founder).values_list("role", "scope_id")) == [
        (Role.ORGANIZATION_ADMIN, organization.pk)
    ]
    registration.refresh_from_db()
    assert (registration.status, registration.organization_id, registration.decided_by) == (
        "approved",
        organization.pk,
        staff_user,
    )
    assert set(AuditEntry.objects.filter(actor=staff_user).values_list("action", flat=True)) == {
        "registry.organization.created",
        "accounts.membership.granted",
        "accounts.registration.approved",
    }
    [notice] = [message for message in sent_to("founder@example.com") if "approved" in message.subject]
    assert "Your request for BioLab is approved." in notice.body


def test_an_approved_startup_is_created_by_the_registrys_service(
    client, staff_user, django_capture_on_commit_callbacks
):
    """The registry's create_organization makes the startup: its own audit entry, with its fields."""
    registration = register(
        client,
        account("maker", kind="new_organization", name_ko="메이커바이오", name_en="Maker Bio"),
        django_capture_on_commit_callbacks,
    )

    approve_registration(Actor(staff_user), registration)

    organization = Organization.objects.get(name_en="Maker Bio")
    registration.refresh_from_db()
    assert registration.organization == organization
    assert list(organization.registration_requests.all()) == [registration]
    [created] = AuditEntry.objects.filter(action="registry.organization.created", object_id=organization.pk)
    assert (created.actor, created.object_type.model) == (staff_user, "organization")
    assert created.changes == {
        "key": [None, "maker-bio"],
        "kind": [None, "startup"],
        "name_ko": [None, "메이커바이오"],
        "name_ko_origin": [None, "original"],
        "name_en": [None, "Maker Bio"],
        "name_en_origin": [None, "original"],
        "is_public": [None, False],
    }


def test_a_merge_carries_registration_requests_to_the_organization_kept(
    client, staff_user, django_capture_on_commit_callbacks
):
    from dari.registry.services import merge_organizations

    keep, duplicate = OrganizationFactory(key="keep"), OrganizationFactory(key="duplicate")
    registration = register(
        client, account("merged", kind="claim", organization=duplicate.pk), django_capture_on_commit_callbacks
    )

    merge_organizations(Actor(staff_user), keep, duplicate)

    registration.refresh_from_db()
    assert registration.organization == keep


def test_a_claim_is_approved_by_the_organizations_admin(client, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(key="kr-bio", name_en="KR Bio")
    admin = UserFactory(username="kr-admin")
    grant_membership(Actor.system(), admin, Role.ORGANIZATION_ADMIN, organization)
    registration = register(
        client,
        account("colleague", kind="claim", organization=organization.pk),
        django_capture_on_commit_callbacks,
    )

    admin_client = client.__class__()
    admin_client.force_login(admin)
    response = decide(admin_client, registration, "approve", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert list(Membership.objects.filter(user=registration.user).values_list("role", "scope_id")) == [
        (Role.ORGANIZATION_MEMBER, organization.pk)
    ]


def test_a_rejection_grants_nothing_and_tells_the_requester(
    client, staff_user, django_capture_on_commit_callbacks
):
    registration = register(
        client,
        account("hopeful", kind="new_organization", name_en="Maybe Bio"),
        django_capture_on_commit_callbacks,
    )
    staff_client = client.__class__()
    staff_client.force_login(staff_user)

    decide(
        staff_client, registration, "reject", django_capture_on_commit_callbacks, note="Not a bio company."
    )

    registration.refresh_from_db()
    assert (registration.status, registration.decision_note) == ("rejected", "Not a bio company.")
    assert not Organization.objects.filter(name_en="Maybe Bio").exists()
    assert not Membership.objects.filter(user=registration.user).exists()
    [notice] = [message for message in sent_to("hopeful@example.com") if "not approved" in message.subject]
    assert "Your request for Maybe Bio was not approved." in notice.body
    assert "Not a bio company." in notice.body


def test_outsiders_cannot_decide_and_nothing_changes(client, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(key="kr-bio")
    registration = register(
        client,
        account("claimer", kind="claim", organization=organization.pk),
        django_capture_on_commit_callbacks,
    )
    other_admin = UserFactory(username="other-admin")
    grant_membership(Actor.system(), other_admin, Role.ORGANIZATION_ADMIN, OrganizationFactory(key="other"))
    outsider = UserFactory(username="outsider")
    entries_before = AuditEntry.objects.count()

    other_client = client.__class__()
    other_client.force_login(other_admin)
    by_other_admin = other_client.post(f"/accounts/registrations/{registration.pk}/approve/")
    outsider_client = client.__class__()
    outsider_client.force_login(outsider)
    list_for_outsider = outsider_client.get("/accounts/registrations/")
    with pytest.raises(PermissionDenied):
        approve_registration(Actor(outsider), registration)
    with pytest.raises(PermissionDenied):
        reject_registration(Actor(other_admin), registration)

    assert by_other_admin.status_code == 404
    assert list_for_outsider.status_code == 403
    registration.refresh_from_db()
    assert registration.status == "pending"
    assert not Membership.objects.filter(user=registration.user).exists()
    assert AuditEntry.objects.count() == entries_before


def test_a_decided_request_cannot_be_decided_again(client, staff_user, django_capture_on_commit_callbacks):
    registration = register(
        client,
        account("twice", kind="new_organization", name_en="Twice Bio"),
        django_capture_on_commit_callbacks,
    )
    approve_registration(Actor(staff_user), registration)

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        reject_registration(Actor(staff_user), registration)
    assert Organization.objects.filter(name_en="Twice Bio").count() == 1


def test_the_registration_form_asks_for_what_the_kind_needs(client):
    client.cookies["django_language"] = "en"

    claim = client.post("/accounts/register/", account("no-org", kind="claim"))
    new = client.post("/accounts/register/", account("no-name", kind="new_organization"))

    assert "Choose the organization you belong to." in claim.content.decode()
    assert "Give a name in Korean or in English." in new.content.decode()
    assert not User.objects.filter(username__in=["no-org", "no-name"]).exists()


def test_private_organizations_cannot_be_claimed(client):
    hidden = OrganizationFactory(key="hidden", is_public=False)
    client.cookies["django_language"] = "en"

    response = client.post("/accounts/register/", account("snoop", kind="claim", organization=hidden.pk))

    assert response.status_code == 400
    assert not User.objects.filter(username="snoop").exists()
    assert mail.outbox == []


def test_registration_says_the_same_whether_or_not_an_address_is_in_use(
    django_capture_on_commit_callbacks,
):
    """Security issue 20, item 9: the registration form must not tell who has an account."""
    UserFactory(username="existing", email="taken@example.com")
    claimed = OrganizationFactory()
    answers = []
    for username, email in [("fresh", "fresh@example.com"), ("second", "taken@example.com")]:
        client = Client()
        client.cookies["django_language"] = "en"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/accounts/register/",
                account(username, email=email, kind="claim", organization=claimed.pk),
            )
        page = client.get(response["Location"]).content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        page = page.replace(email, "<email>").replace(username, "<user>")
        answers.append((response.status_code, response["Location"], page))

    assert answers[0] == answers[1]
    assert [message.to for message in mail.outbox] == [["fresh@example.com"], ["taken@example.com"]]
