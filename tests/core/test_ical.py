"""The iCalendar feed: what a calendar app parses back is the same instants, in the right zone on both
sides of a daylight-saving change, with the zone's VTIMEZONE inside the file."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from dari.core.ical import Entry, feed

LA = ZoneInfo("America/Los_Angeles")
SEOUL = ZoneInfo("Asia/Seoul")


def entry(uid: str, start: datetime, minutes: int = 30, **values) -> Entry:
    return Entry(
        uid=uid,
        start=start,
        end=start + timedelta(minutes=minutes),
        zone="America/Los_Angeles",
        summary=values.pop("summary", f"Meeting {uid}"),
        **values,
    )


def parsed(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(calendar: Calendar) -> dict:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_instants_round_trip_across_both_daylight_saving_changes():
    # 2024-03-10 and 2024-11-03: San Diego moves to and from daylight saving time; Seoul does not.
    moments = {
        "before-spring": datetime(2024, 3, 9, 10, 0, tzinfo=LA),  # PST, Seoul 17 hours ahead
        "after-spring": datetime(2024, 3, 11, 10, 0, tzinfo=LA),  # PDT, Seoul 16 hours ahead
        "before-fall": datetime(2024, 11, 2, 10, 0, tzinfo=LA),  # PDT
        "after-fall": datetime(2024, 11, 4, 10, 0, tzinfo=LA),  # PST
        "signing": datetime(2024, 1, 17, 10, 30, tzinfo=LA),  # the MOU, 10:30 PST
    }
    data = feed("Delegate agenda", [entry(uid, moment) for uid, moment in moments.items()])
    found = events(parsed(data))

    for uid, moment in moments.items():
        start = found[uid].decoded("dtstart")
        assert start == moment and start.astimezone(UTC) == moment.astimezone(UTC), uid
        assert found[uid]["dtstart"].params["TZID"] == "America/Los_Angeles"
        assert found[uid].decoded("dtend") - start == timedelta(minutes=30)
    seoul_hours = {uid: found[uid].decoded("dtstart").astimezone(SEOUL).hour for uid in moments}
    assert seoul_hours == {
        "before-spring": 3,
        "after-spring": 2,
        "before-fall": 2,
        "after-fall": 3,
        "signing": 3,
    }
    assert datetime(2024, 1, 17, 10, 30, tzinfo=LA).astimezone(UTC) == datetime(
        2024, 1, 17, 18, 30, tzinfo=UTC
    )


def test_the_file_carries_the_zone_with_its_transitions():
    data = feed("Agenda", [entry("a", datetime(2024, 3, 9, 10, tzinfo=LA))])
    calendar = parsed(data)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/Los_Angeles"
    names = {str(part["tzname"]) for part in zone.walk() if part.name in ("STANDARD", "DAYLIGHT")}
    assert names == {"PST", "PDT"}
    # The zone in the file alone (what an app without the IANA database reads) gives the offsets.
    offsets = {
        str(part["tzname"]): part["tzoffsetto"].td
        for part in zone.walk()
        if part.name in ("STANDARD", "DAYLIGHT")
    }
    assert offsets == {"PST": timedelta(hours=-8), "PDT": timedelta(hours=-7)}
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"PRODID:-//Dari//" in data


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_stays_cancelled():
    before = events(parsed(feed("A", [entry("m1", datetime(2024, 1, 17, 9, tzinfo=LA))])))
    after = events(
        parsed(
            feed(
                "A",
                [
                    entry("m1", datetime(2024, 1, 17, 11, tzinfo=LA), sequence=1),
                    entry("m2", datetime(2024, 1, 17, 13, tzinfo=LA), cancelled=True),
                ],
            )
        )
    )
    assert set(before) == {"m1"} and set(after) == {"m1", "m2"}
    assert after["m1"].decoded("dtstart").hour == 11 and after["m1"]["sequence"] == 1
    assert str(after["m1"]["status"]) == "CONFIRMED" and str(after["m2"]["status"]) == "CANCELLED"


def test_bilingual_text_and_separators_survive():
    summary = "울산 대표단 × UC San Diego; 협약식, 10:30"
    data = feed(
        "대표단 일정",
        [
            entry(
                "k",
                datetime(2024, 1, 17, 10, 30, tzinfo=LA),
                summary=summary,
                description="줄 하나\n줄 둘, with a comma; and a semicolon",
                location="UC San Diego, Room 1",
            )
        ],
    )
    calendar = parsed(data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == summary
    assert str(event["description"]) == "줄 하나\n줄 둘, with a comma; and a semicolon"
    assert str(event["location"]) == "UC San Diego, Room 1"
    assert str(calendar["x-wr-calname"]) == "대표단 일정"
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded lines (RFC 5545 3.1)


def test_an_empty_feed_is_a_valid_calendar():
    calendar = parsed(feed("Nothing yet", []))
    assert calendar.walk("VEVENT") == [] and str(calendar["version"]) == "2.0"


@pytest.mark.parametrize(
    "start, end, zone",
    [
        (datetime(2024, 1, 17, 10), datetime(2024, 1, 17, 11), "America/Los_Angeles"),  # naive
        (datetime(2024, 1, 17, 10, tzinfo=LA), datetime(2024, 1, 17, 10, tzinfo=LA), "America/Los_Angeles"),
        (datetime(2024, 1, 17, 10, tzinfo=LA), datetime(2024, 1, 17, 11, tzinfo=LA), "Mars/Olympus"),
    ],
)
def test_bad_entries_are_refused(start, end, zone):
    with pytest.raises((ValueError, KeyError)):  # KeyError: ZoneInfoNotFoundError
        Entry(uid="x", start=start, end=end, zone=zone, summary="x")
