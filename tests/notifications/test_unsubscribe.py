"""The unsubscribe link of a non-essential e-mail: works without signing in, for one kind only; a
tampered link is refused with a page in both languages; mail clients may use RFC 8058's one-click POST."""

from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.test import Client

from dari.notifications.models import NotificationPreference
from dari.notifications.services import notify, preferences_of, unsubscribe_token

from ..accounts.mailbox import only_link
from .conftest import JOB_FINISHED, REMINDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder_mail(english, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(english, REMINDER, subject_object=item)
    [message] = mail.outbox
    return message


def choices(user) -> dict:
    return {p.kind.key: (p.by_email, p.in_app) for p in preferences_of(user)}


def test_the_email_carries_the_link_and_the_one_click_headers(reminder_mail):
    path = only_link(reminder_mail, "/notifications/unsubscribe/")

    assert reminder_mail.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{path}>"
    assert reminder_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/preferences/" in reminder_mail.body


def test_opening_the_link_asks_first_and_confirming_turns_off_that_kinds_email_only(english, reminder_mail):
    path = only_link(reminder_mail, "/notifications/unsubscribe/")
    client = Client()
    client.cookies["django_language"] = "en"

    page = client.get(path)

    assert page.status_code == 200
    assert "Stop the “Action items of my organization due soon or overdue” e-mails?" in page.content.decode()
    assert choices(english)[REMINDER] == (True, True)

    done = client.post(path)

    assert done.status_code == 200
    assert choices(english)[REMINDER] == (False, True)
    assert choices(english)[JOB_FINISHED] == (True, True)


def test_the_one_click_post_needs_no_session_and_no_csrf_token(english, reminder_mail):
    path = urlsplit(reminder_mail.extra_headers["List-Unsubscribe"].strip("<>")).path
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert choices(english)[REMINDER] == (False, True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_refused_in_both_languages_and_changes_nothing(english, method):
    token = unsubscribe_token(english, REMINDER)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = getattr(Client(), method)(f"/notifications/unsubscribe/{tampered}/")

    assert response.status_code == 400
    text = response.content.decode()
    assert "이 수신 거부 링크는 유효하지 않습니다." in text
    assert "This unsubscribe link is not valid." in text
    assert NotificationPreference.objects.count() == 0


def test_a_token_signed_for_something_else_or_naming_an_essential_kind_is_refused(english, essential_kind):
    unsalted = signing.dumps({"user": english.pk, "kind": REMINDER})
    essential = unsubscribe_token(english, essential_kind)

    for token in (unsalted, essential):
        assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 400
    assert NotificationPreference.objects.count() == 0


def test_the_next_reminder_after_unsubscribing_comes_only_to_the_bell(
    english, item, reminder_mail, django_capture_on_commit_callbacks
):
    Client().post(only_link(reminder_mail, "/notifications/unsubscribe/"))

    with django_capture_on_commit_callbacks(execute=True):
        delivery = notify(english, REMINDER, subject_object=item)

    assert len(mail.outbox) == 1
    assert delivery.notification is not None
