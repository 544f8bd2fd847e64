"""Every stored date and time lies from 1900-01-01 to 2200-12-31, in every app; and the ones stored
before that was checked (or written straight into the database) never break a page, an API answer, a
PDF or the reminders: a time that a zone cannot show is shown in UTC instead.

For the second, the world is the permission matrix's. Its agreement's signing and its action item's
due time are set to the extremes Python can hold: 9999-12-31 23:00 UTC (already year 10000 in Seoul)
and 0001-01-01 00:00 UTC (still year 0 in Los Angeles); dates get the extremes too. Every GET row of
the matrix is then requested as every persona, whose own zones add a third rendering.
"""

import json
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client

from dari.accounts.models import User
from dari.agreements.models import ActionItem, Agreement, ProgressNote
from dari.core.time import validate_in_range
from dari.notifications.models import Notification
from dari.outcomes.models import Outcome
from dari.programs.models import Program
from dari.registry.models import Affiliation, Person, Relationship

from . import test_permission_matrix as matrix

pytestmark = pytest.mark.django_db

world = matrix.world  # the permission matrix's world, as a fixture here too

LAST = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
FIRST = datetime(1, 1, 1, 0, 0, tzinfo=UTC)


def client_of(user=None, language: str = "en", **options) -> Client:
    """A test client reading pages in ``language``, signed in as ``user`` (anonymous without one)."""
    client = Client(**options)
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def date_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("dari."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add):
                yield f"{model._meta.label}.{field.name}", field


@pytest.mark.parametrize(
    ("name", "field"), list(date_fields()), ids=lambda value: value if isinstance(value, str) else ""
)
def test_every_date_field_is_bounded(name, field):
    assert validate_in_range in field.validators


def test_an_affiliation_out_of_range_is_422_through_the_api(world):
    ids, users = world

    response = client_of(users["staff"]).patch(
        f"/api/v1/affiliations/{ids['affiliation']}",
        data=json.dumps({"started_on": "0001-01-01"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert (
        "0001-01-01 is out of range: give a date from 1900-01-01 to 2200-12-31." in response.content.decode()
    )
    assert Affiliation.objects.get(pk=ids["affiliation"]).started_on is None


def test_a_relationship_out_of_range_is_a_form_error(world):
    ids, users = world

    response = client_of(users["staff"]).post(
        f"/organizations/{ids['startup']}/relationships/new/",
        {"direction": "outgoing", "kind": "supplies", "other": ids["third"], "started_on": "9999-12-31"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["started_on"] == [
        "9999-12-31 is out of range: give a date from 1900-01-01 to 2200-12-31."
    ]
    assert not Relationship.objects.filter(kind="supplies").exists()


ROWS = [row for rows in [*matrix.PAGES.values(), *matrix.API.values()] for row in rows]
GET_PATHS = sorted({row.path for row in ROWS if row.method == "GET"})


@pytest.fixture(
    params=[
        pytest.param((LAST, "Asia/Seoul", FIRST, "America/Los_Angeles"), id="signed-9999-due-0001"),
        pytest.param((FIRST, "America/Los_Angeles", LAST, "Asia/Seoul"), id="signed-0001-due-9999"),
    ]
)
def extreme_world(world, request):
    ids, users = world
    signed_at, signed_zone, due_at, due_zone = request.param
    Agreement.objects.filter(pk=ids["agreement"]).update(signed_at=signed_at, signed_time_zone=signed_zone)
    ActionItem.objects.filter(pk=ids["item"]).update(due_at=due_at, due_time_zone=due_zone)
    ProgressNote.objects.create(
        action_item_id=ids["item"], text_en="Sent.", author=users["member"], written_at=signed_at
    )
    Outcome.objects.filter(pk=ids["outcome"]).update(reported_on=date.max, occurred_on=date.min)
    Program.objects.filter(pk=ids["program"]).update(started_on=date.min, ended_on=date.max)
    Affiliation.objects.filter(pk=ids["affiliation"]).update(started_on=date.min, ended_on=date.max)
    Person.objects.filter(pk=ids["person"]).update(listing_consent_at=due_at)
    User.objects.filter(pk=users["member"].pk).update(time_zone="America/Los_Angeles")
    User.objects.filter(pk=users["manager"].pk).update(time_zone="Pacific/Kiritimati")
    User.objects.filter(pk=users["staff"].pk).update(time_zone="Pacific/Pago_Pago")
    for user in users.values():
        user.refresh_from_db()
    return ids, users


def test_every_page_and_api_answer_renders(extreme_world):
    ids, users = extreme_world
    failures = []
    for persona in matrix.PERSONAS:
        client = client_of(users.get(persona), raise_request_exception=False)
        for path in GET_PATHS:
            response = client.get(matrix.fill(path, ids))
            if response.status_code >= 500:
                failures.append(f"GET {path} as {persona}: {response.status_code}")

    assert failures == []


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_time_no_zone_can_show_is_shown_in_utc(extreme_world, language):
    ids, users = extreme_world
    client = client_of(users["staff"], language)

    page = client.get(f"/agreements/{ids['agreement']}/").content.decode()
    detail = client.get(f"/api/v1/agreements/{ids['agreement']}").json()
    item = client.get(f"/api/v1/action-items/{ids['item']}").json()

    shown = {detail["signed_at"], item["due_at"]}
    assert shown == {"9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z"}
    assert "9999-12-31 23:00 UTC" in page
    assert "0001-01-01 00:00 UTC" in page


def test_reminders_about_extreme_due_times_are_sent(extreme_world):
    ids, users = extreme_world
    # The item due in year 1 is overdue today; the one due in 9999 falls in a window ending after it.
    call_command("send_action_item_reminders")
    call_command("send_action_item_reminders", "--now", "2200-12-31T23:30", "--days", "2848526")

    bodies = set(
        Notification.objects.filter(recipient=users["member"], kind="agreements.action_item_due").values_list(
            "body_en", flat=True
        )
    )
    due = ActionItem.objects.get(pk=ids["item"]).due_at
    shown_in_utc = {LAST: "Due: 9999-12-31 23:00 UTC", FIRST: "Due: 0001-01-01 00:00 UTC"}[due]
    assert bodies and all(shown_in_utc in body for body in bodies)
