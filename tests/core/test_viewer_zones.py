"""The one rule for the viewer's zone (``dari.core.time.viewer_zones``): the user's own zone, else
the partnership's zones (Seoul and San Diego), never UTC; and each place that shows a time by it."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import override_settings

from dari.core.time import format_for, viewer_zones

from ..factories import UserFactory

# 2024-01-17 18:30 UTC = 10:30 PST in San Diego = 2024-01-18 03:30 KST in Ulsan = 13:30 EST in New York.
SIGNING = datetime(2024, 1, 17, 18, 30, tzinfo=UTC)


def user(time_zone: str):
    return UserFactory.build(time_zone=time_zone)


def test_a_user_reads_times_in_their_own_zone():
    assert viewer_zones(user("America/New_York")) == ["America/New_York"]


@pytest.mark.parametrize("viewer", [AnonymousUser(), None, user("")], ids=["visitor", "nobody", "no zone"])
def test_without_a_zone_of_their_own_a_viewer_reads_the_partnerships_zones(viewer):
    assert viewer_zones(viewer) == ["Asia/Seoul", "America/Los_Angeles"]


@override_settings(PARTNERSHIP_TIME_ZONES=["Europe/Amsterdam", "Asia/Tokyo"])
def test_the_partnerships_zones_are_a_setting():
    assert viewer_zones(AnonymousUser()) == ["Europe/Amsterdam", "Asia/Tokyo"]


def test_a_time_with_its_own_zone_is_shown_there_first_then_the_partnerships_then_the_viewers():
    assert format_for(SIGNING, user("America/New_York"), "America/Los_Angeles") == (
        "2024-01-17 10:30 PST",
        ["2024-01-18 03:30 KST", "2024-01-17 13:30 EST"],
    )


def test_a_time_without_a_zone_is_shown_in_the_viewers_zone_first():
    assert format_for(SIGNING, user("America/New_York")) == (
        "2024-01-17 13:30 EST",
        ["2024-01-18 03:30 KST", "2024-01-17 10:30 PST"],
    )
    assert format_for(SIGNING, AnonymousUser()) == ("2024-01-18 03:30 KST", ["2024-01-17 10:30 PST"])


def test_an_email_shows_the_times_own_zone_and_the_recipients_only():
    assert format_for(SIGNING, user("America/New_York"), "America/Los_Angeles", partnership=False) == (
        "2024-01-17 10:30 PST",
        ["2024-01-17 13:30 EST"],
    )
    assert format_for(SIGNING, user(""), "America/Los_Angeles", partnership=False) == (
        "2024-01-17 10:30 PST",
        ["2024-01-18 03:30 KST"],
    )


def render(source: str, **context) -> str:
    return Template(source).render(Context({"value": SIGNING, **context}))


def test_the_page_tag_shows_a_time_without_a_zone_in_the_viewers_zone_first():
    page = "{% load dari %}{% moment value %}"

    assert render(page, user=user("America/New_York")) == (
        f'<time datetime="{SIGNING.isoformat()}" title="America/New_York">2024-01-17 13:30 EST</time>'
        ' <span class="other-zones">(<span class="zone-time">2024-01-18 03:30 KST</span>, '
        '<span class="zone-time">2024-01-17 10:30 PST</span>)</span>'
    )
    assert ">2024-01-18 03:30 KST</time>" in render(page, user=AnonymousUser())
    assert "UTC" not in render(page, user=AnonymousUser())


def test_the_page_tag_keeps_a_times_own_zone_first():
    page = '{% load dari %}{% moment value "America/Los_Angeles" %}'

    assert ">2024-01-17 10:30 PST</time>" in render(page, user=user("Asia/Seoul"))


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("", "2024-01-18 03:30 KST (2024-01-17 10:30 PST)"),
        ("America/Los_Angeles", "2024-01-17 10:30 PST (2024-01-18 03:30 KST)"),
        ("UTC", "2024-01-17 18:30 UTC (2024-01-18 03:30 KST, 2024-01-17 10:30 PST)"),
    ],
)
def test_the_email_tag_shows_a_recipient_without_a_zone_seoul_and_san_diego_times(zone, expected):
    email = "{% load notifications %}{% in_zones value zone %}"

    assert render(email, recipient=user(""), zone=zone) == expected
