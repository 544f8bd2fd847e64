"""Times are shown in their own zone first, then in the partnership's zones and the viewer's zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from dari.core.schemas import in_own_zone
from dari.core.timezones import format_in_zone, format_moment, validate_zone, zones_to_show

PARTNERSHIP = ["Asia/Seoul", "America/Los_Angeles"]
SIGNING = datetime(2024, 1, 17, 10, 30, tzinfo=ZoneInfo("America/Los_Angeles"))


def test_signing_is_shown_in_san_diego_time_then_korea_time():
    assert format_moment(SIGNING, "America/Los_Angeles", PARTNERSHIP) == (
        "2024-01-17 10:30 PST",
        ["2024-01-18 03:30 KST"],
    )


def test_the_same_instant_stored_in_utc_reads_the_same():
    assert format_moment(datetime(2024, 1, 17, 18, 30, tzinfo=UTC), "America/Los_Angeles", PARTNERSHIP) == (
        "2024-01-17 10:30 PST",
        ["2024-01-18 03:30 KST"],
    )


def test_a_seoul_event_is_shown_in_seoul_time_first():
    assert format_moment(SIGNING, "Asia/Seoul", PARTNERSHIP) == (
        "2024-01-18 03:30 KST",
        ["2024-01-17 10:30 PST"],
    )


def test_viewer_zone_adds_a_third_rendering_when_it_differs():
    assert format_moment(SIGNING, "America/Los_Angeles", PARTNERSHIP, viewer_zone="Europe/Berlin") == (
        "2024-01-17 10:30 PST",
        ["2024-01-18 03:30 KST", "2024-01-17 19:30 CET"],
    )


@pytest.mark.parametrize("viewer_zone", ["Asia/Seoul", "America/Los_Angeles", None, ""])
def test_viewer_zone_already_shown_adds_nothing(viewer_zone):
    assert format_moment(SIGNING, "America/Los_Angeles", PARTNERSHIP, viewer_zone=viewer_zone) == (
        "2024-01-17 10:30 PST",
        ["2024-01-18 03:30 KST"],
    )


def test_viewer_zone_with_the_same_wall_clock_text_is_shown_once():
    # Vancouver shares Los Angeles' offset and abbreviation: a second "10:30 PST" would only confuse.
    assert format_moment(SIGNING, "America/Los_Angeles", PARTNERSHIP, viewer_zone="America/Vancouver") == (
        "2024-01-17 10:30 PST",
        ["2024-01-18 03:30 KST"],
    )


def test_summer_time_uses_the_daylight_abbreviation():
    moment = datetime(2024, 7, 1, 9, 0, tzinfo=ZoneInfo("America/Los_Angeles"))

    assert format_moment(moment, "America/Los_Angeles", PARTNERSHIP) == (
        "2024-07-01 09:00 PDT",
        ["2024-07-02 01:00 KST"],
    )


def test_format_in_zone_is_24_hour_with_abbreviation():
    moment = datetime(2024, 1, 17, 23, 5, tzinfo=UTC)

    assert format_in_zone(moment, "America/Los_Angeles") == "2024-01-17 15:05 PST"


def test_zones_to_show_puts_the_own_zone_first_without_repeats():
    assert zones_to_show("America/Los_Angeles", PARTNERSHIP, "Asia/Seoul") == [
        "America/Los_Angeles",
        "Asia/Seoul",
    ]
    assert zones_to_show("Europe/Berlin", PARTNERSHIP, "UTC") == [
        "Europe/Berlin",
        "Asia/Seoul",
        "America/Los_Angeles",
        "UTC",
    ]


@pytest.mark.parametrize("name", ["Asia/Seoul", "America/Los_Angeles", "UTC"])
def test_validate_zone_accepts_iana_zones(name):
    validate_zone(name)


@pytest.mark.parametrize("name", ["KST", "Mars/Olympus_Mons", "", "../etc/passwd"])
def test_validate_zone_rejects_anything_else(name):
    with pytest.raises(ValidationError):
        validate_zone(name)


def test_in_own_zone_keeps_the_instant_and_changes_the_offset():
    moment = in_own_zone(datetime(2024, 1, 17, 18, 30, tzinfo=UTC), "America/Los_Angeles")

    assert moment.isoformat() == "2024-01-17T10:30:00-08:00"
    assert in_own_zone(None, "Asia/Seoul") is None
