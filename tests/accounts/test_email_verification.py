"""E-mail verification: a signed link sent on registration; unverified users see a banner."""

from datetime import timedelta

import pytest
from django.core import mail, signing

from dari.accounts.models import User
from dari.accounts.services.profile import VERIFICATION_SALT

from ..factories import UserFactory
from .mailbox import only_link

pytestmark = pytest.mark.django_db

PASSWORD = "kelp-forest-nineteen"
BANNER = "Please verify your e-mail address"


@pytest.fixture
def registered(client, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/register/",
            {
                "username": "founder",
                "email": "founder@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "language": "en",
                "time_zone": "Asia/Seoul",
                "kind": "new_organization",
                "name_en": "BioLab",
            },
        )
    return User.objects.get(username="founder")


def test_registration_sends_a_link_that_verifies_the_address(client, registered):
    [message] = mail.outbox
    link = only_link(message, "/accounts/verify-email/")
    assert message.to == ["founder@example.com"]
    assert "Verify your e-mail address for Dari" in message.subject
    assert BANNER in client.get("/accounts/profile/").content.decode()

    response = client.get(link)

    assert response.status_code == 200
    assert "Thank you: founder@example.com is verified." in response.content.decode()
    registered.refresh_from_db()
    assert registered.email_verified_at is not None
    assert BANNER not in client.get("/accounts/profile/").content.decode()


def test_a_tampered_or_outdated_link_verifies_nothing(client, registered):
    link = only_link(mail.outbox[0], "/accounts/verify-email/")
    User.objects.filter(pk=registered.pk).update(email="changed@example.com")
    forged = signing.dumps({"user": registered.pk, "email": "changed@example.com"}, salt="another-salt")

    outdated = client.get(link)
    tampered = client.get(f"/accounts/verify-email/{forged}/")

    assert (outdated.status_code, tampered.status_code) == (400, 400)
    assert "This verification link is not valid." in outdated.content.decode()
    registered.refresh_from_db()
    assert registered.email_verified_at is None


def test_an_expired_link_is_refused(client, registered, settings):
    token = signing.dumps({"user": registered.pk, "email": registered.email}, salt=VERIFICATION_SALT)
    settings.EMAIL_VERIFICATION_MAX_AGE = timedelta(seconds=-1)

    response = client.get(f"/accounts/verify-email/{token}/")

    assert response.status_code == 400
    assert "This verification link has expired." in response.content.decode()


def test_an_unverified_user_signs_in_and_can_ask_for_a_new_link(client, django_capture_on_commit_callbacks):
    UserFactory(username="unverified", email="unverified@example.com")
    client.cookies["django_language"] = "en"

    signed_in = client.post(
        "/accounts/login/", {"username": "unverified", "password": "correct horse battery staple"}
    )
    home = client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post("/accounts/verify-email/send/")

    assert signed_in.status_code == 302
    assert BANNER in home.content.decode()
    assert resent.status_code == 302
    [message] = mail.outbox
    assert message.to == ["unverified@example.com"]
