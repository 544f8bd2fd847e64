"""The bell, the list behind it, marking as read, and the preferences page."""

import pytest

from dari.notifications.models import Notification, NotificationPreference

from ..pages import get_page, page_queries
from .conftest import JOB_FINISHED, REMINDER, make_notifications

pytestmark = pytest.mark.django_db


def test_the_bell_counts_only_the_users_unread_notifications(client, english, outsider):
    make_notifications(english, 2)
    make_notifications(english, 1, read_at="2024-01-01T00:00Z")
    make_notifications(outsider, 5)
    client.force_login(english)

    page = get_page(client, "/", language="en")

    assert 'aria-label="Notifications: 2 unread"' in page
    assert '<span class="count-badge bell-count">2</span>' in page


def test_anonymous_visitors_see_no_bell(client, db):
    assert "bell-count" not in get_page(client, "/", language="en")
    assert 'class="bell"' not in get_page(client, "/", language="en")


def test_the_list_shows_the_users_notifications_newest_first_in_the_viewers_language(
    client, english, outsider
):
    make_notifications(english, 3)
    make_notifications(outsider, 1)
    client.force_login(english)

    english_page = get_page(client, "/notifications/", language="en")
    korean_page = get_page(client, "/notifications/", language="ko")

    assert (
        english_page.index("Job finished 2")
        < english_page.index("Job finished 1")
        < english_page.index("Job finished 0")
    )
    assert "작업 완료 2" in korean_page and "Job finished 2" not in korean_page
    assert english_page.count('class="notification unread"') == 3


def test_marking_one_read_and_then_all(client, english):
    first, second, third = make_notifications(english, 3)
    client.force_login(english)

    response = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/?page=1"})

    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    assert list(Notification.objects.unread().order_by("pk")) == [second, third]
    assert client.post("/notifications/read-all/").status_code == 302
    assert Notification.objects.unread().count() == 0


def test_the_next_parameter_may_not_lead_off_the_site(client, english):
    [notification] = make_notifications(english, 1)
    client.force_login(english)

    response = client.post(f"/notifications/{notification.pk}/read/", {"next": "https://evil.example/"})

    assert response["Location"] == "/notifications/"


def test_another_users_notification_is_404_and_stays_unread(client, english, outsider):
    [theirs] = make_notifications(outsider, 1)
    client.force_login(english)

    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    client.post("/notifications/read-all/")

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_runs_as_many_queries_for_30_notifications_as_for_3(client, english):
    client.force_login(english)
    make_notifications(english, 3)
    queries_for_3 = page_queries(client, "/notifications/")
    make_notifications(english, 27)

    assert page_queries(client, "/notifications/") == queries_for_3


def test_the_preferences_page_saves_each_kind_and_channel(client, english):
    client.force_login(english)
    page = get_page(client, "/notifications/preferences/", language="en")
    assert "Action items of my organization due soon or overdue" in page

    response = client.post(
        "/notifications/preferences/", {f"{JOB_FINISHED}:app": "on", f"{REMINDER}:email": "on"}
    )

    assert response.status_code == 302
    saved = {
        row.kind: (row.by_email, row.in_app) for row in NotificationPreference.objects.filter(user=english)
    }
    assert saved[REMINDER] == (True, False)
    assert saved[JOB_FINISHED] == (False, True)


def test_the_profile_links_to_the_notification_settings(client, english):
    client.force_login(english)

    assert 'href="/notifications/preferences/"' in get_page(client, "/accounts/profile/", language="en")


def test_unticking_every_box_turns_everything_off(client, english):
    client.force_login(english)

    assert client.post("/notifications/preferences/", {}).status_code == 302

    assert set(NotificationPreference.objects.filter(user=english).values_list("by_email", "in_app")) == {
        (False, False)
    }
