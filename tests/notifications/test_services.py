"""``notify``: one notice, in the recipient's language and zones, through the channels they chose."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.notifications.models import Notification, NotificationPreference
from dari.notifications.services import notify, preferences_of, set_preference

from .conftest import JOB_FINISHED, REMINDER

pytestmark = pytest.mark.django_db


def send(user, item, capture, kind=REMINDER, **context):
    with capture(execute=True):
        return notify(user, kind, subject_object=item, context=context)


def test_a_korean_user_gets_a_korean_email_and_the_bell_keeps_both_languages(
    korean, item, django_capture_on_commit_callbacks
):
    delivery = send(korean, item, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == ["korean@dari.invalid"]
    assert message.subject == "기한 임박 후속 조치: 명단 보내기"
    assert "업무 협약" in message.body and "기관 A" in message.body
    notification = delivery.notification
    assert (notification.title_ko, notification.title_en) == (
        "기한 임박 후속 조치: 명단 보내기",
        "Action item due soon: Send the roster",
    )
    assert "Agreement: The MOU" in notification.body_en and "업무 협약" in notification.body_ko
    assert notification.link == item.get_absolute_url()
    assert f"http://127.0.0.1:8000{item.get_absolute_url()}" in message.body


def test_times_show_in_the_items_zone_then_the_recipients(
    korean, english, item, django_capture_on_commit_callbacks
):
    send(korean, item, django_capture_on_commit_callbacks)
    send(english, item, django_capture_on_commit_callbacks)

    korean_mail, english_mail = mail.outbox
    assert "2024-06-30 08:00 PDT (2024-07-01 00:00 KST)" in korean_mail.body
    assert "Due: 2024-06-30 08:00 PDT (2024-06-30 11:00 EDT)" in english_mail.body
    assert english_mail.subject == "Action item due soon: Send the roster"
    # The bell's copy is rendered for its recipient: the Korean user's notice shows Seoul time.
    assert "(2024-07-01 00:00 KST)" in Notification.objects.get(recipient=korean).body_en


def test_turning_the_app_off_keeps_the_email_and_turning_email_off_keeps_the_bell(
    korean, english, item, django_capture_on_commit_callbacks
):
    set_preference(Actor(korean), korean, REMINDER, in_app=False)
    set_preference(Actor(english), english, REMINDER, by_email=False)

    to_korean = send(korean, item, django_capture_on_commit_callbacks)
    to_english = send(english, item, django_capture_on_commit_callbacks)

    assert (to_korean.notification, to_korean.emailed) == (None, True)
    assert to_english.emailed is False and to_english.notification is not None
    assert [message.to for message in mail.outbox] == [["korean@dari.invalid"]]
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["english"]


def test_both_channels_off_sends_nothing(english, item, django_capture_on_commit_callbacks):
    set_preference(Actor(english), english, REMINDER, by_email=False, in_app=False)

    delivery = send(english, item, django_capture_on_commit_callbacks)

    assert (delivery.notification, delivery.emailed) == (None, False)
    assert mail.outbox == [] and Notification.objects.count() == 0


def test_preferences_are_per_kind(english, item, django_capture_on_commit_callbacks):
    set_preference(Actor(english), english, JOB_FINISHED, by_email=False, in_app=False)

    send(english, item, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_an_essential_kind_ignores_the_preferences_and_has_no_unsubscribe_link(
    english, item, essential_kind, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=english, kind=essential_kind, by_email=False, in_app=False)

    delivery = send(english, item, django_capture_on_commit_callbacks, kind=essential_kind)

    [message] = mail.outbox
    assert delivery.notification is not None
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/notifications/unsubscribe/" not in message.body
    with pytest.raises(ValidationError):
        set_preference(Actor(english), english, essential_kind, by_email=False)
    assert essential_kind not in [preference.kind.key for preference in preferences_of(english)]


def test_a_rolled_back_transaction_mails_nobody(english, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(english, REMINDER, subject_object=item)
            raise RuntimeError("the change that caused the notice failed")

    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_the_email_waits_for_the_commit(english, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(english, REMINDER, subject_object=item)
        assert mail.outbox == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_user_without_an_email_address_gets_only_the_bell(
    english, item, django_capture_on_commit_callbacks
):
    english.email = ""
    english.save()

    delivery = send(english, item, django_capture_on_commit_callbacks)

    assert delivery.notification is not None and delivery.emailed is False
    assert mail.outbox == []


def test_an_unknown_kind_is_refused_loudly(english, item):
    with pytest.raises(LookupError):
        notify(english, "agreements.typo", subject_object=item)


def test_only_the_user_changes_their_preferences_and_it_is_audited(english, outsider):
    with pytest.raises(PermissionDenied):
        set_preference(Actor(outsider), english, REMINDER, by_email=False)
    assert NotificationPreference.objects.count() == 0

    set_preference(Actor(english, "10.0.0.1"), english, REMINDER, by_email=False)

    entry = AuditEntry.objects.get(action="notifications.preference.changed")
    assert (entry.actor, entry.changes) == (english, {"kind": [None, REMINDER], "by_email": [True, False]})
    [reminder] = [p for p in preferences_of(english) if p.kind.key == REMINDER]
    assert (reminder.by_email, reminder.in_app) == (False, True)


def test_an_unknown_kind_cannot_be_turned_off(english):
    with pytest.raises(ValidationError):
        set_preference(Actor(english), english, "nothing.here", by_email=False)
