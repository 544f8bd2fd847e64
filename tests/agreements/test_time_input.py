"""Times given to agreements and action items, through the API and the pages: within 1900-01-01 ..
2200-12-31, in a canonical IANA zone, and a local time that the zone skips or has twice is refused
with a field error rather than shifted. An aware time (with its UTC offset) is taken as is."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from dari.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

SIGNED = datetime(2024, 1, 17, 18, 30, tzinfo=UTC)  # the factory's signing, 10:30 PST
DUE = datetime(2024, 6, 30, 15, 0, tzinfo=UTC)  # the world's item


def patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def field_error(response, field: str) -> str:
    assert response.status_code == 422, response.content
    errors = response.json()["detail"]
    assert [error["loc"] for error in errors] == [["body", "payload", field]], errors
    return errors[0]["msg"]


def changes_written() -> int:
    return AuditEntry.objects.filter(action__startswith="agreements.").count()


OUT_OF_RANGE = [
    # Fine to convert, but no zone east of UTC can show it.
    ("9999-12-31T23:00:00", "UTC", "9999-12-31 23:00"),
    # Converting would overflow: year 10000 in UTC, year 0 in UTC.
    ("9999-12-31T23:00:00", "America/Los_Angeles", "9999-12-31 23:00"),
    ("0001-01-01T00:00:00", "Asia/Seoul", "0001-01-01 00:00"),
    ("0001-01-01T00:00:00", "America/Los_Angeles", "0001-01-01 00:00"),
    ("9999-12-31T23:00:00+09:00", "Asia/Seoul", "9999-12-31 23:00+09:00"),
    # Just outside the range, by the instant.
    ("1899-12-31T23:59:00", "UTC", "1899-12-31 23:59"),
    ("2201-01-01T00:00:00", "UTC", "2201-01-01 00:00"),
    ("2200-12-31T20:00:00", "America/Los_Angeles", "2200-12-31 20:00"),
]


@pytest.mark.parametrize(("signed_at", "zone", "shown"), OUT_OF_RANGE)
def test_a_signing_time_out_of_range_is_422_and_changes_nothing(world, client_of, signed_at, zone, shown):
    response = patch(
        client_of("staff"),
        f"/api/v1/agreements/{world.agreement.pk}",
        {"signed_at": signed_at, "signed_time_zone": zone},
    )

    assert field_error(response, "signed_at") == (
        f"{shown} is out of range: give a date from 1900-01-01 to 2200-12-31."
    )
    world.agreement.refresh_from_db()
    assert (world.agreement.signed_at, world.agreement.signed_time_zone) == (SIGNED, "America/Los_Angeles")
    assert changes_written() == 0


@pytest.mark.parametrize(
    ("due_at", "zone"),
    [
        ("9999-12-31T23:00:00", "UTC"),
        ("0001-01-01T00:00:00", "UTC"),
        ("9999-12-31T23:00:00", "Pacific/Honolulu"),
    ],
)
def test_a_due_time_out_of_range_is_422_on_create_and_on_change(world, client_of, due_at, zone):
    client = client_of("admin")
    body = {"due_at": due_at, "due_time_zone": zone}

    created = client.post(
        f"/api/v1/agreements/{world.agreement.pk}/action-items",
        data=json.dumps({"title_en": "Visit", **body}),
        content_type="application/json",
    )
    changed = patch(client, f"/api/v1/action-items/{world.item.pk}", body)

    assert "is out of range" in field_error(created, "due_at")
    assert "is out of range" in field_error(changed, "due_at")
    assert world.agreement.action_items.count() == 1
    world.item.refresh_from_db()
    assert world.item.due_at == DUE
    assert changes_written() == 0


def test_the_edges_of_the_range_are_accepted(world, client_of):
    client = client_of("staff")
    url = f"/api/v1/agreements/{world.agreement.pk}"

    first = patch(client, url, {"signed_at": "1900-01-01T00:00:00", "signed_time_zone": "UTC"})
    last = patch(client, url, {"signed_at": "2200-12-31T23:59:00", "signed_time_zone": "UTC"})

    assert (first.status_code, first.json()["signed_at"]) == (200, "1900-01-01T00:00:00Z")
    assert (last.status_code, last.json()["signed_at"]) == (200, "2200-12-31T23:59:00Z")


def test_a_local_time_the_clocks_skip_is_refused_not_shifted(world, client_of):
    response = patch(
        client_of("staff"),
        f"/api/v1/agreements/{world.agreement.pk}",
        {"signed_at": "2024-03-10T02:30:00", "signed_time_zone": "America/Los_Angeles"},
    )

    assert field_error(response, "signed_at") == (
        "2024-03-10 02:30 does not exist in America/Los_Angeles: the clocks jumped from 02:00 to 03:00. "
        "Give a time before 02:00 or from 03:00."
    )
    world.agreement.refresh_from_db()
    assert world.agreement.signed_at == SIGNED


def test_a_local_time_that_happens_twice_is_refused_until_its_offset_says_which(world, client_of):
    client = client_of("staff")
    url = f"/api/v1/agreements/{world.agreement.pk}"

    ambiguous = patch(
        client, url, {"signed_at": "2024-11-03T01:30:00", "signed_time_zone": "America/Los_Angeles"}
    )
    second = patch(
        client, url, {"signed_at": "2024-11-03T01:30:00-08:00", "signed_time_zone": "America/Los_Angeles"}
    )

    assert field_error(ambiguous, "signed_at") == (
        "2024-11-03 01:30 happens twice in America/Los_Angeles, as the clocks were turned back: "
        "first at 01:30 PDT, then at 01:30 PST. Say which: give the time with its UTC offset "
        "(2024-11-03T01:30:00-07:00 or 2024-11-03T01:30:00-08:00), or give it in UTC "
        "(2024-11-03 08:30 UTC or 2024-11-03 09:30 UTC)."
    )
    assert (second.status_code, second.json()["signed_at"]) == (200, "2024-11-03T01:30:00-08:00")
    world.agreement.refresh_from_db()
    assert world.agreement.signed_at == datetime(2024, 11, 3, 9, 30, tzinfo=UTC)


def test_a_due_time_the_clocks_skip_is_refused(world, client_of):
    response = patch(
        client_of("member"),
        f"/api/v1/action-items/{world.item.pk}",
        {"due_at": "2024-03-31T02:30:00", "due_time_zone": "Europe/Berlin"},
    )

    assert "does not exist in Europe/Berlin: the clocks jumped from 02:00 to 03:00" in field_error(
        response, "due_at"
    )
    world.item.refresh_from_db()
    assert (world.item.due_at, world.item.due_time_zone) == (DUE, "America/Los_Angeles")


@pytest.mark.parametrize(
    "zone", ["localtime", "Factory", "posix/Asia/Seoul", "right/Asia/Seoul", "US/Pacific"]
)
def test_only_canonical_zones_are_accepted(world, client_of, zone):
    response = patch(
        client_of("staff"),
        f"/api/v1/agreements/{world.agreement.pk}",
        {"signed_at": "2024-01-17T10:30:00", "signed_time_zone": zone},
    )

    assert field_error(response, "signed_time_zone") == (
        f"“{zone}” is not a time zone. Enter an IANA zone such as Asia/Seoul or America/Los_Angeles."
    )
    world.agreement.refresh_from_db()
    assert world.agreement.signed_time_zone == "America/Los_Angeles"


# --- pages ---------------------------------------------------------------------------------------------


def edit_agreement(client, agreement, signed_at: str, zone: str):
    client.cookies["django_language"] = "en"
    return client.post(
        f"/agreements/{agreement.pk}/edit/",
        {
            "key": agreement.key,
            "kind": agreement.kind,
            "title_en": agreement.title_en,
            "signed_at": signed_at,
            "signed_time_zone": zone,
            "is_public": "on",
        },
    )


@pytest.mark.parametrize(
    ("signed_at", "zone", "message"),
    [
        (
            "9999-12-31T23:00",
            "UTC",
            "9999-12-31 23:00 is out of range: give a date from 1900-01-01 to 2200-12-31.",
        ),
        ("0001-01-01T00:00", "Asia/Seoul", "0001-01-01 00:00 is out of range"),
        ("2024-03-10T02:30", "America/Los_Angeles", "the clocks jumped from 02:00 to 03:00"),
        ("2024-11-03T01:30", "America/Los_Angeles", "happens twice in America/Los_Angeles"),
    ],
)
def test_the_agreement_form_shows_the_error_at_the_field(world, api_client, signed_at, zone, message):
    response = edit_agreement(api_client(world.users["staff"]), world.agreement, signed_at, zone)

    assert response.status_code == 400
    field = response.context["form"]["signed_at"]
    assert any(message in error for error in field.errors), field.errors
    world.agreement.refresh_from_db()
    assert world.agreement.signed_at == SIGNED


def test_the_form_offers_only_canonical_zones(world, api_client):
    response = edit_agreement(
        api_client(world.users["staff"]), world.agreement, "2024-01-17T10:30", "localtime"
    )

    zones = [
        value
        for _group, choices in response.context["form"].fields["signed_time_zone"].choices
        if isinstance(choices, list)
        for value, _label in choices
    ]
    assert response.context["form"].errors["signed_time_zone"]
    assert {"Asia/Seoul", "America/Los_Angeles", "UTC"} <= set(zones)
    assert not {"localtime", "Factory", "US/Pacific"} & set(zones)
    assert not [zone for zone in zones if zone.startswith(("posix/", "right/"))]


def test_the_action_item_form_shows_the_error_at_the_field(world, api_client):
    client = api_client(world.users["admin"])
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/agreements/action-items/{world.item.pk}/edit/",
        {"title_en": "Send the roster", "due_at": "0001-01-01T00:00", "due_time_zone": "America/Los_Angeles"},
    )

    assert response.status_code == 400
    assert response.context["form"]["due_at"].errors == [
        "0001-01-01 00:00 is out of range: give a date from 1900-01-01 to 2200-12-31."
    ]
    world.item.refresh_from_db()
    assert world.item.due_at == DUE


# --- the reminders' command ----------------------------------------------------------------------------


@pytest.mark.parametrize("now", ["9999-12-31T23:30", "0001-01-01T00:00+09:00", "2201-01-01T00:00"])
def test_reminders_refuse_a_now_out_of_range(world, now):
    with pytest.raises(CommandError, match="--now: .* is out of range"):
        call_command("send_action_item_reminders", "--now", now)


def test_reminders_refuse_a_window_past_the_calendar(world):
    with pytest.raises(CommandError, match="--days reaches past the year 9999"):
        call_command("send_action_item_reminders", "--days", "3000000")
