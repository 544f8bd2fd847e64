"""Passwords: Argon2 hashing, reset by e-mail, lockout after 5 failed sign-ins (page and API)."""

import pytest
from django.core import mail
from django.test import Client

from dari.accounts.models import User

from ..factories import TEST_PASSWORD, UserFactory
from ..helpers import basic_auth
from .mailbox import only_link

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kelp-forest-nineteen"


def test_new_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

    user = User.objects.create_user("hashed", password=NEW_PASSWORD)

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(NEW_PASSWORD)


def test_argon2_is_the_configured_default():
    # The autouse fixture swaps in MD5 for speed; the project's own list is the settings module's.
    import dari.settings

    assert dari.settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_password_reset_by_email(client):
    UserFactory(username="forgetful", email="forgetful@example.com")
    client.cookies["django_language"] = "en"

    form = client.get("/accounts/password_reset/")
    sent = client.post("/accounts/password_reset/", {"email": "forgetful@example.com"})

    assert form.status_code == 200 and "Reset your password" in form.content.decode()
    assert sent.status_code == 302
    [message] = mail.outbox
    assert message.to == ["forgetful@example.com"]
    assert "Reset your Dari password" in message.subject
    assert "Hello forgetful," in message.body
    link = only_link(message, "/accounts/reset/")
    choose = client.get(link, follow=True)
    assert "Choose a new password" in choose.content.decode()
    saved = client.post(
        choose.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your new password is saved." in saved.content.decode()
    assert User.objects.get(username="forgetful").check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    client.cookies["django_language"] = "en"

    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"}, follow=True)

    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


def sign_in(client, password):
    return client.post("/accounts/login/", {"username": "target", "password": password})


def test_five_failed_sign_ins_lock_the_account_for_this_address(client):
    UserFactory(username="target")
    client.cookies["django_language"] = "en"

    failures = [sign_in(client, "wrong password").status_code for _attempt in range(4)]
    fifth = sign_in(client, "wrong password")
    with_the_right_password = sign_in(client, TEST_PASSWORD)

    assert failures == [200, 200, 200, 200]
    assert fifth.status_code == 429
    assert "Too many attempts" in fifth.content.decode()
    assert with_the_right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_and_address(client):
    UserFactory(username="target")
    for _attempt in range(5):
        sign_in(client, "wrong password")

    from django.test import Client

    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    response = elsewhere.post("/accounts/login/", {"username": "target", "password": TEST_PASSWORD})

    assert response.status_code == 302


def test_failed_api_basic_auth_counts_towards_the_lockout(client):
    UserFactory(username="target")

    failures = [
        client.get("/api/v1/organizations", **basic_auth("target", "wrong password")).status_code
        for _ in range(4)
    ]
    fifth = client.get("/api/v1/organizations", **basic_auth("target", "wrong password"))
    right = client.get("/api/v1/organizations", **basic_auth("target", TEST_PASSWORD))
    page = sign_in(client, TEST_PASSWORD)

    assert failures == [401, 401, 401, 401]
    assert fifth.status_code == 429
    assert fifth.json() == {"detail": "Too many failed sign-ins; try again later"}
    assert right.status_code == 429
    assert page.status_code == 429


def test_a_successful_sign_in_resets_the_count(client):
    UserFactory(username="target")
    for _attempt in range(4):
        sign_in(client, "wrong password")

    assert sign_in(client, TEST_PASSWORD).status_code == 302
    client.logout()
    assert [sign_in(client, "wrong password").status_code for _attempt in range(4)] == [200, 200, 200, 200]


def test_wrong_passwords_when_deleting_the_account_count_towards_the_lockout(client):
    """Security finding 10: whoever holds a session could guess the password on the deletion form
    without limit (400 each time)."""
    target = UserFactory(username="target")
    client.force_login(target)
    client.cookies["django_language"] = "en"

    def delete(password):
        return client.post("/accounts/profile/delete/", {"username": "target", "password": password})

    failures = [delete("wrong password").status_code for _attempt in range(4)]
    fifth = delete("wrong password")
    with_the_right_password = delete(TEST_PASSWORD)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3").post(
        "/accounts/login/", {"username": "target", "password": "wrong password"}
    )

    assert failures == [400, 400, 400, 400]
    assert fifth.status_code == 429
    assert with_the_right_password.status_code == 429
    target.refresh_from_db()
    assert target.is_active and target.username == "target"
    # The same count as sign-in: the page's lockout now holds for the sign-in form too.
    assert sign_in(Client(), TEST_PASSWORD).status_code == 429
    assert elsewhere.status_code == 200
