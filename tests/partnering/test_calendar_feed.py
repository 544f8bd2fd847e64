"""The personal calendar feed: a secret URL shown once, its hash stored, rotated (the old URL then
404s); the .ics round-trips through icalendar's parser with the right instants; a moved meeting keeps
its UID with a higher SEQUENCE, a cancelled one stays as CANCELLED; it holds only the person's own
meetings."""

import re

import icalendar
import pytest

from dari.accounts.keys import hash_secret
from dari.partnering.models import CalendarFeed, Meeting

from .test_agendas import published  # noqa: F401
from .test_event_requests import world  # noqa: F401
from .test_schedules import scheduling  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def feed_url(client, user) -> str:
    client.force_login(user)
    page = client.post("/calendar/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "it is shown only once" in page
    return re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page).group(1)


def events_of(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(item["uid"]): item for item in calendar.walk("VEVENT")}


def test_the_feed_round_trips_with_the_right_instants(published, client):  # noqa: F811
    startup = published["users"]["startup"]
    url = feed_url(client, startup)
    client.logout()

    found = events_of(client, url)

    meetings = (
        Meeting.objects.filter(event=published["event"]).select_related("slot").order_by("slot__starts_at")
    )
    assert set(found) == {f"meeting-{meeting.pk}@dari" for meeting in meetings}
    for meeting in meetings:
        item = found[f"meeting-{meeting.pk}@dari"]
        assert item.decoded("dtstart") == meeting.slot.starts_at
        assert item.decoded("dtend") == meeting.slot.ends_at
        assert str(item.decoded("dtstart").tzinfo) == "America/Los_Angeles"
        assert (item["sequence"], str(item["status"])) == (0, "CONFIRMED")
    first = found[f"meeting-{meetings[0].pk}@dari"]
    assert first.decoded("dtstart").isoformat() == "2024-03-10T09:00:00-07:00"
    assert str(first["summary"]) == "Startup – Fund"


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_stays(
    published,  # noqa: F811
    client,
):
    url = feed_url(client, published["users"]["startup"])
    to_fund = Meeting.objects.get(request=published["to_fund"])
    to_corp = Meeting.objects.get(request=published["to_corp"])
    later = published["slots"][3]
    Meeting.objects.filter(pk=to_fund.pk).update(slot=later, sequence=1)
    Meeting.objects.filter(pk=to_corp.pk).update(state=Meeting.State.CANCELLED, sequence=1)

    found = events_of(client, url)

    moved = found[f"meeting-{to_fund.pk}@dari"]
    assert (moved.decoded("dtstart"), moved["sequence"]) == (later.starts_at, 1)
    cancelled = found[f"meeting-{to_corp.pk}@dari"]
    assert (str(cancelled["status"]), cancelled["sequence"]) == ("CANCELLED", 1)


def test_a_rotated_secret_closes_the_old_url_and_only_the_hash_is_kept(published, client):  # noqa: F811
    user = published["users"]["fund"]
    old = feed_url(client, user)
    new = feed_url(client, user)

    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    secret = new.removeprefix("/calendar/").removesuffix(".ics")
    assert CalendarFeed.objects.get(user=user).secret_hash == hash_secret(secret)
    assert client.get("/calendar/not-a-secret.ics").status_code == 404
    page = client.get("/calendar/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert secret not in page and "Make a new address" in page
    assert client.get("/calendar/", HTTP_ACCEPT_LANGUAGE="ko").status_code == 200


def test_the_feed_holds_only_the_persons_own_meetings(published, client):  # noqa: F811
    to_corp = Meeting.objects.get(request=published["to_corp"])
    found = events_of(client, feed_url(client, published["users"]["corp"]))
    assert list(found) == [f"meeting-{to_corp.pk}@dari"]
    assert events_of(client, feed_url(client, published["users"]["fund2"])) == {}
