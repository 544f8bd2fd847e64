"""An event's programme: the demo's delegation visit holds its one reported moment, the signing at
UC San Diego, pointing at the stored agreement; organizers add and remove moments on the page and
through the API, at a local time in the event's zone; an agreement is named only to those who may
see it."""

from datetime import UTC, datetime

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.agreements.models import Agreement
from dari.partnering.models import Event, EventItem
from dari.partnering.services import add_event_item
from dari.scenario.loader import load_scenario

from ..factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

VISIT = "ulsan-delegation-us-visit-2024-01"
MOU = "ulsan-san-diego-bio-mou-2024"


def test_the_demo_visit_holds_the_signing_at_uc_san_diego_pointing_at_the_agreement(client):
    load_scenario()
    event = Event.objects.get(key=VISIT)
    (item,) = event.items.all()

    assert (event.kind, event.status, event.time_zone) == ("delegation", "closed", "America/Los_Angeles")
    assert item.agreement == Agreement.objects.get(key=MOU)
    assert item.starts_at == item.agreement.signed_at == datetime(2024, 1, 17, 18, 30, tzinfo=UTC)
    assert not event.meetings.exists() and not event.delegates.exists()

    page = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Programme" in page and "UC San Diego, San Diego, California, USA" in page
    assert "10:30 PST" in page and "03:30 KST" in page
    assert item.agreement.get_absolute_url() in page
    listed = client.get(f"/api/v1/events/{event.pk}/items").json()
    assert listed["count"] == 1
    assert listed["items"][0]["starts_at"] == "2024-01-17T10:30:00-08:00"
    assert listed["items"][0]["agreement_id"] == item.agreement_id
    assert listed["items"][0]["source_key"] == "report-2024-01-18-ulsan-san-diego-bio-mou"
    # Loading again changes nothing.
    assert "EventItem" not in load_scenario() and "Event" not in load_scenario()


@pytest.fixture
def visit(db):
    load_scenario()
    event = Event.objects.get(key=VISIT)
    organizer = UserFactory(username="organizer")
    grant_membership(Actor.system(), organizer, Role.EVENT_ORGANIZER, event)
    return event, organizer


def test_an_organizer_adds_a_moment_at_a_local_time_on_the_page_and_removes_it(visit, client):
    event, organizer = visit
    client.force_login(organizer)

    answer = client.post(
        f"/events/{event.pk}/items/",
        {"starts_at": "2024-01-18T09:00", "title_en": "Visit to a Torrey Pines lab", "place_en": "La Jolla"},
    )

    assert answer.status_code == 302
    added = event.items.get(title_en="Visit to a Torrey Pines lab")
    assert added.starts_at == datetime(2024, 1, 18, 17, 0, tzinfo=UTC)  # 09:00 PST
    assert AuditEntry.objects.filter(action="partnering.event_item.created").count() == 1
    refused = client.post(
        f"/events/{event.pk}/items/", {"starts_at": "2024-01-18T09:00"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400 and "Give a title in Korean or in English." in refused.content.decode()

    assert client.post(f"/events/{event.pk}/items/{added.pk}/remove/").status_code == 302
    assert not event.items.filter(pk=added.pk).exists()


def test_the_api_reads_a_local_time_in_the_events_zone_and_refuses_one_the_clocks_skip(visit, api_client):
    event, organizer = visit
    client = api_client(organizer)

    added = client.post(
        f"/api/v1/events/{event.pk}/items",
        {"starts_at": "2024-03-10T09:00", "title_en": "Follow-up call"},
        content_type="application/json",
    )
    skipped = client.post(
        f"/api/v1/events/{event.pk}/items",
        {"starts_at": "2024-03-10T02:30", "title_en": "Never"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert added.status_code == 201
    assert added.json()["starts_at"] == "2024-03-10T09:00:00-07:00"  # PDT from that day
    assert skipped.status_code == 422
    assert skipped.json()["detail"][0]["loc"][-1] == "starts_at"
    assert "does not exist in America/Los_Angeles" in skipped.json()["detail"][0]["msg"]
    outsider = api_client(UserFactory())
    forbidden = outsider.post(
        f"/api/v1/events/{event.pk}/items",
        {"starts_at": "2024-01-18T09:00", "title_en": "Mine"},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    assert event.items.count() == 2


def test_a_private_agreement_is_neither_linked_nor_named_to_those_who_may_not_see_it(visit, api_client):
    event, organizer = visit
    private = Agreement.objects.create(key="private-mou", kind="mou", title_en="Private MOU", is_public=False)
    add_event_item(
        Actor.system(),
        event,
        {"starts_at": datetime(2024, 1, 18, 9), "title_en": "Talks", "agreement": private},
    )
    outsider = api_client(UserFactory())

    items = outsider.get(f"/api/v1/events/{event.pk}/items").json()["items"]
    page = outsider.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert [item["agreement_id"] for item in items] == [items[0]["agreement_id"], None]
    assert "Private MOU" not in page and private.get_absolute_url() not in page
    # Nor may an organizer who cannot see it link it.
    linked = api_client(organizer).post(
        f"/api/v1/events/{event.pk}/items",
        {"starts_at": "2024-01-18T10:00", "title_en": "More talks", "agreement_id": private.pk},
        content_type="application/json",
    )
    assert linked.status_code == 422 and linked.json()["detail"][0]["loc"][-1] == "agreement_id"
    assert EventItem.objects.filter(title_en="More talks").count() == 0
