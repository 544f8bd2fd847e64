"""A user's notifications and preferences are in their data export and go with their account."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.services import delete_account, export_personal_data
from dari.notifications.models import Notification, NotificationPreference
from dari.notifications.services import set_preference

from .conftest import REMINDER, make_notifications

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_users_notifications_and_preferences_only(english, outsider):
    make_notifications(english, 1)
    make_notifications(outsider, 2)
    set_preference(Actor(english), english, REMINDER, by_email=False)

    data = export_personal_data(english)["notifications"]

    assert [(n["title_ko"], n["title_en"], n["read_at"]) for n in data["notifications"]] == [
        ("작업 완료 0", "Job finished 0", None)
    ]
    assert data["preferences"] == [{"kind": REMINDER, "by_email": False, "in_app": True}]


def test_deleting_the_account_erases_them(english, outsider):
    make_notifications(english, 2)
    make_notifications(outsider, 1)
    set_preference(Actor(english), english, REMINDER, by_email=False)

    delete_account(Actor(english), english)

    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["outsider"]
    assert not NotificationPreference.objects.filter(user=english).exists()
