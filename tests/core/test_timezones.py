"""Times are shown in their own zone first, then in the partnership's zones and the viewer's zone;
zones are the canonical IANA names; dates lie from 1900 to 2200; a local time is read in its zone and
refused when the zone skips it or has it twice."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dari.core.schemas import in_own_zone
from dari.core.time import (
    canonical_zones,
    format_in_zone,
    format_moment,
    to_utc,
    validate_in_range,
    validate_zone,
    zone_choices,
    zones_to_show,
)

PARTNERSHIP = ["Asia/Seoul", "America/Los_Angeles"]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


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


# --- which zones -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Europe/Amsterdam", "Europe/Kyiv", "Asia/Kolkata", "Pacific/Kiritimati"])
def test_validate_zone_accepts_each_place_s_own_name(name):
    validate_zone(name)


@pytest.mark.parametrize(
    "name",
    [
        "localtime",  # the server's own setting, not a place
        "Factory",
        "posix/Asia/Seoul",
        "right/Asia/Seoul",  # leap-second copies
        "US/Pacific",  # backward-compatible aliases: one name per place
        "Asia/Calcutta",
        "ROK",
        "EST5EDT",
        "Etc/GMT+9",
    ],
)
def test_validate_zone_refuses_aliases_copies_and_the_server_s_setting(name):
    with pytest.raises(ValidationError) as refused:
        validate_zone(name)

    assert refused.value.messages == [
        f"“{name}” is not a time zone. Enter an IANA zone such as Asia/Seoul or America/Los_Angeles."
    ]


def test_zone_choices_are_the_zones_accepted():
    names = [name for name, _label in zone_choices()]

    assert names == sorted(canonical_zones())
    assert {"Asia/Seoul", "America/Los_Angeles", "UTC"} <= set(names)
    assert not {"localtime", "Factory", "US/Pacific"} & set(names)


# --- the range ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        date(1900, 1, 1),
        date(2200, 12, 31),
        datetime(1900, 1, 1, tzinfo=UTC),
        datetime(2200, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(1900, 1, 1, 9, 0, tzinfo=ZoneInfo("Asia/Seoul")),
        datetime(2200, 12, 31, 23, 59),
        None,
    ],
)
def test_the_range_holds_1900_to_2200(value):
    validate_in_range(value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(1899, 12, 31), "1899-12-31"),
        (date(2201, 1, 1), "2201-01-01"),
        (date.min, "0001-01-01"),
        (date.max, "9999-12-31"),
        (datetime(1899, 12, 31, 23, 59, tzinfo=UTC), "1899-12-31 23:59+00:00"),
        (datetime(2201, 1, 1, tzinfo=UTC), "2201-01-01 00:00+00:00"),
        (datetime(9999, 12, 31, 23, 0, tzinfo=ZoneInfo("Asia/Seoul")), "9999-12-31 23:00+09:00"),
        (datetime(1, 1, 1), "0001-01-01 00:00"),
    ],
)
def test_dates_and_times_outside_the_range_are_refused(value, shown):
    with pytest.raises(ValidationError) as refused:
        validate_in_range(value)

    assert refused.value.messages == [f"{shown} is out of range: give a date from 1900-01-01 to 2200-12-31."]


# --- reading a local time ----------------------------------------------------------------------------


def read(moment, zone="America/Los_Angeles"):
    return to_utc(moment, zone, "signed_at", "signed_time_zone")


def refusal(moment, zone="America/Los_Angeles") -> dict:
    with pytest.raises(ValidationError) as refused:
        read(moment, zone)
    return refused.value.message_dict


def test_a_local_time_is_read_in_its_zone():
    assert read(datetime(2024, 1, 17, 10, 30)) == datetime(2024, 1, 17, 18, 30, tzinfo=UTC)
    assert read(datetime(2024, 7, 1, 9, 0), "Asia/Seoul") == datetime(2024, 7, 1, 0, 0, tzinfo=UTC)
    assert read(None) is None


def test_an_aware_time_is_taken_as_is_whatever_the_zone():
    moment = datetime(2024, 11, 3, 1, 30, tzinfo=timezone(timedelta(hours=-7)))

    assert read(moment, "Asia/Seoul") == datetime(2024, 11, 3, 8, 30, tzinfo=UTC)


def test_a_skipped_local_time_names_the_jump():
    assert refusal(datetime(2024, 3, 10, 2, 30)) == {
        "signed_at": [
            "2024-03-10 02:30 does not exist in America/Los_Angeles: the clocks jumped from 02:00 to 03:00. "
            "Give a time before 02:00 or from 03:00."
        ]
    }


def test_a_skipped_day_names_the_dates():
    # Samoa moved west of the date line: 2011-12-30 never happened in Apia.
    assert refusal(datetime(2011, 12, 30, 12, 0), "Pacific/Apia") == {
        "signed_at": [
            "2011-12-30 12:00 does not exist in Pacific/Apia: the clocks jumped from 2011-12-30 00:00 to "
            "2011-12-31 00:00. Give a time before 2011-12-30 00:00 or from 2011-12-31 00:00."
        ]
    }


def test_a_repeated_local_time_names_both_instants_and_how_to_pick():
    assert refusal(datetime(2024, 10, 27, 2, 30), "Europe/Berlin") == {
        "signed_at": [
            "2024-10-27 02:30 happens twice in Europe/Berlin, as the clocks were turned back: first at "
            "02:30 CEST, then at 02:30 CET. Say which: give the time with its UTC offset "
            "(2024-10-27T02:30:00+02:00 or 2024-10-27T02:30:00+01:00), or give it in UTC "
            "(2024-10-27 00:30 UTC or 2024-10-27 01:30 UTC)."
        ]
    }


@pytest.mark.parametrize(
    ("moment", "zone"),
    [
        (datetime(9999, 12, 31, 23, 0), "America/Los_Angeles"),  # year 10000 in UTC
        (datetime(1, 1, 1, 0, 0), "Asia/Seoul"),  # year 0 in UTC
        (datetime(1, 1, 1, 0, 0, tzinfo=ZoneInfo("Asia/Seoul")), "UTC"),
        (datetime(1900, 1, 1, 0, 0), "Asia/Seoul"),  # inside by the wall clock, 1899 in UTC
    ],
)
def test_a_time_out_of_range_is_refused_before_it_can_overflow(moment, zone):
    assert list(refusal(moment, zone)) == ["signed_at"]


@pytest.mark.parametrize(("zone", "field"), [("", "signed_time_zone"), ("localtime", "signed_time_zone")])
def test_the_zone_is_required_and_checked(zone, field):
    assert list(refusal(datetime(2024, 1, 17, 10, 30), zone)) == [field]


# --- showing a time no zone can show -----------------------------------------------------------------

LAST = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
FIRST = datetime(1, 1, 1, 0, 0, tzinfo=UTC)


def test_a_stored_time_a_zone_cannot_show_is_shown_in_utc():
    assert format_in_zone(LAST, "Asia/Seoul") == "9999-12-31 23:00 UTC"
    assert format_in_zone(FIRST, "America/Los_Angeles") == "0001-01-01 00:00 UTC"
    assert format_in_zone(FIRST, "Asia/Seoul") == "0001-01-01 08:27 LMT"  # local mean time, before zones


def test_the_utc_rendering_is_shown_once():
    assert format_moment(LAST, "Asia/Seoul", PARTNERSHIP, viewer_zone="Pacific/Kiritimati") == (
        "9999-12-31 23:00 UTC",
        ["9999-12-31 15:00 PST"],
    )


def test_the_api_gives_a_time_its_zone_cannot_show_in_utc():
    assert in_own_zone(LAST, "Asia/Seoul").isoformat() == "9999-12-31T23:00:00+00:00"
    assert in_own_zone(FIRST, "America/Los_Angeles").isoformat() == "0001-01-01T00:00:00+00:00"
