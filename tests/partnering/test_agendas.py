"""Agendas: each delegate's meetings in the event's zone and their own side by side, the next one
first, once the schedule is published; the organizers' meetings by location; the API's agenda and
meetings. Nobody sees another organization's meetings."""

from datetime import UTC, datetime

import pytest

from dari.accounts.audit import Actor
from dari.partnering import event_views
from dari.partnering.models import Event, Meeting
from dari.partnering.services import generate_schedule, set_availability

from ..factories import UserFactory
from ..route_walk import pdf_text
from .test_event_requests import world  # noqa: F401
from .test_schedules import LIMIT, scheduling  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def published(scheduling):  # noqa: F811
    """The startup meets the fund in the first slot (09:00 PDT on 2024-03-10, the day the US
    changes to daylight saving time) and the corporate in the second; the schedule is published."""
    event, delegates, slots = scheduling["event"], scheduling["delegates"], scheduling["slots"]
    staff = Actor(scheduling["users"]["staff"])
    set_availability(staff, delegates["fund"], [slots[0].pk])
    set_availability(staff, delegates["corp"], [slots[1].pk])
    generate_schedule(staff, event, time_limit=LIMIT)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    event.refresh_from_db()
    return scheduling


def test_a_delegates_agenda_shows_each_meeting_in_both_zones_the_next_first(published, client, monkeypatch):
    event, users = published["event"], published["users"]
    client.force_login(users["startup"])
    # Between the two meetings: the corporate's is next.
    monkeypatch.setattr(event_views.timezone, "now", lambda: datetime(2024, 3, 10, 16, 40, tzinfo=UTC))

    page = client.get(f"/events/{event.pk}/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    to_fund = Meeting.objects.get(request=published["to_fund"])
    to_corp = Meeting.objects.get(request=published["to_corp"])
    # 09:00 in San Diego (PDT, since 02:00 that day) is 01:00 the next day in Seoul (KST).
    assert "<strong>09:00 PDT</strong>–09:30 <small>2024-03-10</small>" in page
    assert "<strong>01:00 KST</strong>–01:30 <small>2024-03-11</small>" in page
    assert (
        page.index("Next meeting") < page.index(f'id="meeting-{to_corp.pk}"') < page.index("All my meetings")
    )
    assert page.count(f'id="meeting-{to_fund.pk}"') == 1 and page.count(f'id="meeting-{to_corp.pk}"') == 2
    assert 'class="agenda-item next"' in page


def test_the_agenda_waits_for_publication_and_shows_a_cancellation(published, client):
    event, users = published["event"], published["users"]
    client.force_login(users["fund"])
    Event.objects.filter(pk=event.pk).update(status=Event.Status.SCHEDULING)
    page = client.get(f"/events/{event.pk}/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The schedule is not published yet." in page and "agenda-item" not in page

    Meeting.objects.filter(request=published["to_fund"]).update(state=Meeting.State.CANCELLED)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    page = client.get(f"/events/{event.pk}/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="agenda-item cancelled"' in page and "Startup" in page
    assert client.get(f"/events/{event.pk}/agenda/", HTTP_ACCEPT_LANGUAGE="ko").status_code == 200


def test_nobody_sees_another_organizations_meetings(published, client, api_client):
    event, users = published["event"], published["users"]
    to_fund = Meeting.objects.get(request=published["to_fund"])
    to_corp = Meeting.objects.get(request=published["to_corp"])

    seen = {
        name: [
            item["id"]
            for item in api_client(users[name]).get(f"/api/v1/events/{event.pk}/meetings").json()["items"]
        ]
        for name in ("startup", "fund", "fund-b", "corp", "fund2", "staff")
    }
    assert seen == {
        "startup": [to_fund.pk, to_corp.pk],
        "fund": [to_fund.pk],
        "fund-b": [to_fund.pk],
        "corp": [to_corp.pk],
        "fund2": [],
        "staff": [to_fund.pk, to_corp.pk],
    }
    client.force_login(users["corp"])
    page = client.get(f"/events/{event.pk}/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="meeting-{to_corp.pk}"' in page and f'id="meeting-{to_fund.pk}"' not in page
    assert client.get(f"/events/{event.pk}/rooms/").status_code == 403
    # The fund's second member is no delegate of the meeting: it is not on their agenda.
    assert api_client(users["fund-b"]).get(f"/api/v1/events/{event.pk}/agenda").json()["count"] == 0
    outsider = UserFactory()
    # The event is public: anyone sees it, and none of its meetings.
    assert api_client(outsider).get(f"/api/v1/events/{event.pk}/meetings").json() == {"items": [], "count": 0}


def test_the_api_agenda_gives_instants_with_the_events_offset(published, api_client):
    event, users = published["event"], published["users"]
    to_fund = Meeting.objects.get(request=published["to_fund"])

    listed = api_client(users["fund"]).get(f"/api/v1/events/{event.pk}/agenda").json()

    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["id"], item["state"], item["sequence"]) == (to_fund.pk, "scheduled", 0)
    assert (item["starts_at"], item["ends_at"], item["time_zone"]) == (
        "2024-03-10T09:00:00-07:00",
        "2024-03-10T09:30:00-07:00",
        "America/Los_Angeles",
    )
    assert item["web_url"].endswith(f"/events/{event.pk}/agenda/")
    assert item["delegate_ids"] == sorted(
        [published["delegates"]["startup"].pk, published["delegates"]["fund"].pk]
    )


def test_the_organizers_see_the_meetings_by_location(published, client, api_client):
    event, staff = published["event"], published["users"]["staff"]
    table = published["table"]
    client.force_login(staff)

    page = client.get(f"/events/{event.pk}/rooms/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'id="location-{table.pk}"' in page and "Table 1" in page
    assert page.index("Startup ↔ Fund") < page.index("Startup ↔ Corp")
    assert "09:00 PDT" in page and "01:00 KST" in page
    found = api_client(staff).get(f"/api/v1/events/{event.pk}/meetings?location_id={table.pk}").json()
    assert found["count"] == 2
    detail = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/events/{event.pk}/rooms/" in detail and "2 meetings scheduled." in detail


def test_a_delegates_printed_agenda_holds_their_meetings_in_both_zones_and_in_their_language(
    published, client
):
    event, users = published["event"], published["users"]
    client.force_login(users["fund"])

    english = client.get(f"/events/{event.pk}/agenda/pdf/?lang=en")
    korean = client.get(f"/events/{event.pk}/agenda/pdf/?lang=ko")

    assert english["Content-Type"] == "application/pdf"
    assert english["Content-Disposition"] == f'inline; filename="agenda-{event.pk}-en.pdf"'
    text = pdf_text(english.content)
    assert "My agenda" in text and "Startup" in text and "Table 1" in text
    assert "09:00 PDT" in text and "01:00 KST" in text and "2024-03-11" in text
    # The fund meets only the startup: the corporate's meeting is not on its agenda.
    assert "Corp" not in text
    korean_text = pdf_text(korean.content)
    assert "내 일정" in korean_text and "장소" in korean_text and "09:00 PDT" in korean_text
    page = client.get(f"/events/{event.pk}/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/events/{event.pk}/agenda/pdf/" in page


def test_the_rooms_print_a_page_per_location_for_the_organizers_only(published, client):
    event, users = published["event"], published["users"]
    Meeting.objects.filter(request=published["to_corp"]).update(state=Meeting.State.CANCELLED)
    client.force_login(users["staff"])

    printed = client.get(f"/events/{event.pk}/rooms/pdf/?lang=en")

    text = pdf_text(printed.content)
    assert "Table 1" in text and "Startup ↔ Fund" in text and "Startup ↔ Corp" in text
    assert "cancelled" in text
    client.force_login(users["startup"])
    assert client.get(f"/events/{event.pk}/rooms/pdf/").status_code == 403
