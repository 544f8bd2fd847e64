"""A mail server that is down: the notice is in the bell at once, the e-mail waits in the outbox and
leaves when the server is back, once, and the change that sent the notice does not fail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from dari.notifications.models import Notification, OutgoingEmail
from dari.notifications.services import notify, retry_delay, send_waiting_emails

from .conftest import REMINDER

pytestmark = pytest.mark.django_db


def test_a_notice_reaches_the_bell_and_its_email_waits_while_the_mail_server_is_down(
    english, item, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = notify(english, REMINDER, subject_object=item)

    assert Notification.objects.filter(recipient=english, kind=REMINDER).count() == 1
    waiting = OutgoingEmail.objects.get()
    assert delivery.emailed and waiting.sent_at is None and waiting.attempts == 1
    assert waiting.last_error == "ConnectionRefusedError" and waiting.to == [english.email]

    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # back
    assert send_waiting_emails(timezone.now()) == "0 e-mail(s) sent, 1 waiting"  # its delay runs
    later = timezone.now() + retry_delay(1)
    assert send_waiting_emails(later) == "1 e-mail(s) sent, 0 waiting"
    assert send_waiting_emails(later + timedelta(hours=3)) == "0 e-mail(s) sent, 0 waiting"

    assert [message.subject for message in mail.outbox] == [waiting.subject]
    assert mail.outbox[0].to == [english.email] and "List-Unsubscribe" in mail.outbox[0].extra_headers
    waiting.refresh_from_db()
    assert waiting.sent_at is not None and waiting.attempts == 2


def test_retries_wait_longer_each_time_and_stop_after_the_last_attempt(
    english, item, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(english, REMINDER, subject_object=item)
    now = timezone.now()
    for _attempt in range(OutgoingEmail.MAX_ATTEMPTS + 2):
        now += timedelta(hours=3)
        send_waiting_emails(now)

    email = OutgoingEmail.objects.get()
    assert email.attempts == OutgoingEmail.MAX_ATTEMPTS and email.sent_at is None
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4, 8, 9)] == [1, 2, 4, 8, 120, 120]
    assert mail.outbox == []


def test_an_email_that_left_at_once_is_not_sent_again(english, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(english, REMINDER, subject_object=item)

    assert send_waiting_emails(timezone.now() + timedelta(hours=3)) == "0 e-mail(s) sent, 0 waiting"
    assert len(mail.outbox) == 1 and OutgoingEmail.objects.get().attempts == 1
