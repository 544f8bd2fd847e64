"""``/api/v1/notifications``: the caller's own notifications and preferences, nobody else's."""

import json

import pytest

from dari.notifications.models import Notification, NotificationPreference

from ..helpers import count_queries, get_json
from .conftest import JOB_FINISHED, REMINDER, make_notifications

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications"


def put_json(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def test_anonymous_callers_get_401(client, db):
    assert client.get(URL).status_code == 401
    assert client.post(f"{URL}/read-all").status_code == 401
    assert client.get(f"{URL}/preferences").status_code == 401


def test_the_list_is_the_callers_own_newest_first_with_both_languages(api_client, english, outsider):
    first, _second = make_notifications(english, 2)
    make_notifications(outsider, 3)
    Notification.objects.filter(pk=first.pk).update(read_at="2024-01-01T00:00Z")

    data = get_json(api_client(english), URL)
    unread = get_json(api_client(english), f"{URL}?unread=true")

    assert data["count"] == 2
    assert [item["title_en"] for item in data["items"]] == ["Job finished 1", "Job finished 0"]
    assert data["items"][0]["title_ko"] == "작업 완료 1"
    assert data["items"][0]["web_url"] == "http://testserver/jobs/"
    assert data["items"][1]["is_read"] is True
    assert [item["title_en"] for item in unread["items"]] == ["Job finished 1"]


def test_the_list_runs_as_many_queries_for_30_as_for_3(api_client, english):
    client = api_client(english)
    make_notifications(english, 3)
    queries_for_3 = count_queries(client, URL)
    make_notifications(english, 27)

    assert count_queries(client, URL) == queries_for_3


def test_marking_read(api_client, english, outsider):
    mine, other_of_mine = make_notifications(english, 2)
    [theirs] = make_notifications(outsider, 1)
    client = api_client(english)

    response = client.post(f"{URL}/{mine.pk}/read")
    denied = client.post(f"{URL}/{theirs.pk}/read")

    assert response.status_code == 200 and response.json()["is_read"] is True
    assert denied.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(f"{URL}/read-all").json() == {"marked": 1}
    assert Notification.objects.unread().get() == theirs


def test_preferences_read_and_change(api_client, english):
    client = api_client(english)

    response = put_json(
        client, f"{URL}/preferences", {"preferences": [{"kind": REMINDER, "by_email": False}]}
    )

    assert response.status_code == 200
    by_kind = {row["kind"]: row for row in response.json()}
    assert (by_kind[REMINDER]["by_email"], by_kind[REMINDER]["in_app"]) == (False, True)
    assert (by_kind[JOB_FINISHED]["by_email"], by_kind[JOB_FINISHED]["in_app"]) == (True, True)
    assert get_json(client, f"{URL}/preferences") == response.json()


def test_an_unknown_kind_refuses_the_whole_change(api_client, english):
    response = put_json(
        api_client(english),
        f"{URL}/preferences",
        {"preferences": [{"kind": REMINDER, "by_email": False}, {"kind": "no.such", "in_app": False}]},
    )

    assert response.status_code == 422
    assert NotificationPreference.objects.count() == 0
