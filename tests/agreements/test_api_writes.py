"""Writing through the API: 401 anonymous, 404 invisible, 403 forbidden, 422 invalid, never 500; and
the action-item list with its filters."""

import json
from datetime import UTC, datetime

import pytest

from dari.accounts.models import AuditEntry
from dari.agreements.models import ActionItem, Agreement, AgreementParty, ProgressNote

from ..factories import ActionItemFactory, AgreementFactory, OrganizationFactory
from ..helpers import count_queries
from .conftest import PERSONAS

pytestmark = pytest.mark.django_db


def send(client, method, url, body=None):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def statuses(allowed_personas, success):
    """The expected status per persona: success, 403 for signed-in others, 401 for anonymous."""
    return [
        (persona, success if persona in allowed_personas else (401 if persona == "anonymous" else 403))
        for persona in PERSONAS
    ]


def written():
    return AuditEntry.objects.filter(action__startswith="agreements.").count()


@pytest.mark.parametrize(("persona", "status"), statuses({"staff"}, 201))
def test_post_agreement(world, client_of, persona, status):
    body = {
        "key": "new",
        "title_en": "New",
        "signed_at": "2024-01-17T10:30",
        "signed_time_zone": "America/Los_Angeles",
    }

    response = send(client_of(persona), "post", "/api/v1/agreements", body)

    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["signed_at"] == "2024-01-17T10:30:00-08:00"
        assert Agreement.objects.get(key="new").signed_at == datetime(2024, 1, 17, 18, 30, tzinfo=UTC)
    else:
        assert not Agreement.objects.filter(key="new").exists()
        assert written() == 0


@pytest.mark.parametrize(("persona", "status"), statuses({"admin", "staff"}, 200))
def test_patch_agreement(world, client_of, persona, status):
    response = send(
        client_of(persona), "patch", f"/api/v1/agreements/{world.agreement.pk}", {"title_en": "Renamed"}
    )

    assert response.status_code == status, response.content
    world.agreement.refresh_from_db()
    assert world.agreement.title_en == ("Renamed" if status == 200 else "The MOU")


def test_unknown_time_zone_is_422_and_changes_nothing(world, client_of):
    url = f"/api/v1/agreements/{world.agreement.pk}"

    response = send(
        client_of("staff"),
        "patch",
        url,
        {"signed_at": "2024-01-01T10:00", "signed_time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "signed_time_zone"]
    world.agreement.refresh_from_db()
    assert world.agreement.signed_time_zone == "America/Los_Angeles"
    assert written() == 0


def test_invisible_agreement_is_404_for_a_signed_in_outsider_and_401_for_anonymous(world, client_of):
    private = AgreementFactory(is_public=False)

    assert (
        send(
            client_of("outsider"), "patch", f"/api/v1/agreements/{private.pk}", {"title_en": "x"}
        ).status_code
        == 404
    )
    assert (
        send(
            client_of("anonymous"), "patch", f"/api/v1/agreements/{private.pk}", {"title_en": "x"}
        ).status_code
        == 401
    )


@pytest.mark.parametrize(("persona", "status"), statuses({"admin", "staff"}, 201))
def test_post_and_delete_party(world, client_of, persona, status):
    organization = OrganizationFactory(key="org-c")
    client = client_of(persona)

    response = send(
        client, "post", f"/api/v1/agreements/{world.agreement.pk}/parties", {"organization": organization.pk}
    )

    assert response.status_code == status, response.content
    if status == 201:
        party_id = response.json()["id"]
        assert response.json()["organization"]["key"] == "org-c"
        deleted = client.delete(f"/api/v1/agreements/{world.agreement.pk}/parties/{party_id}")
        assert deleted.status_code == 204
        assert not AgreementParty.objects.filter(pk=party_id).exists()
    else:
        assert AgreementParty.objects.filter(agreement=world.agreement).count() == 2
        deleted = client.delete(f"/api/v1/agreements/{world.agreement.pk}/parties/{world.party_b.pk}")
        assert deleted.status_code == status
        assert AgreementParty.objects.filter(pk=world.party_b.pk).exists()


def test_unknown_organization_for_a_party_is_422(world, client_of):
    url = f"/api/v1/agreements/{world.agreement.pk}/parties"

    assert send(client_of("staff"), "post", url, {"organization": 999999}).status_code == 422


@pytest.mark.parametrize(("persona", "status"), statuses({"admin", "staff"}, 201))
def test_post_area(world, client_of, persona, status):
    response = send(
        client_of(persona), "post", f"/api/v1/agreements/{world.agreement.pk}/areas", {"title_en": "Pilots"}
    )

    assert response.status_code == status, response.content
    assert world.agreement.areas.count() == (2 if status == 201 else 1)


@pytest.mark.parametrize(("persona", "status"), statuses({"admin", "staff"}, 201))
def test_post_action_item_due_in_los_angeles(world, client_of, persona, status):
    body = {
        "title_en": "Host a delegation",
        "owner": world.organization_b.pk,
        "area_number": 1,
        "due_at": "2024-09-01T17:00",
        "due_time_zone": "America/Los_Angeles",
    }

    response = send(client_of(persona), "post", f"/api/v1/agreements/{world.agreement.pk}/action-items", body)

    assert response.status_code == status, response.content
    if status == 201:
        item = response.json()
        assert (item["key"], item["owner"]["key"], item["area_number"]) == ("host-a-delegation", "org-b", 1)
        assert (item["due_at"], item["due_time_zone"]) == ("2024-09-01T17:00:00-07:00", "America/Los_Angeles")
    else:
        assert ActionItem.objects.count() == 1


def test_an_owner_that_is_not_a_party_is_422(world, client_of):
    body = {"title_en": "X", "owner": OrganizationFactory().pk}
    url = f"/api/v1/agreements/{world.agreement.pk}/action-items"

    assert send(client_of("staff"), "post", url, body).status_code == 422


@pytest.mark.parametrize(("persona", "status"), statuses({"member", "admin", "staff"}, 200))
def test_patch_action_item_status_and_due_time(world, client_of, persona, status):
    body = {"status": "in_progress", "due_at": "2024-07-01T09:00", "due_time_zone": "Asia/Seoul"}

    response = send(client_of(persona), "patch", f"/api/v1/action-items/{world.item.pk}", body)

    assert response.status_code == status, response.content
    world.item.refresh_from_db()
    if status == 200:
        assert (world.item.status, world.item.due_at) == (
            "in_progress",
            datetime(2024, 7, 1, 0, 0, tzinfo=UTC),
        )
        assert response.json()["due_at"] == "2024-07-01T09:00:00+09:00"
    else:
        assert (world.item.status, world.item.due_at) == ("open", datetime(2024, 6, 30, 15, 0, tzinfo=UTC))
        assert written() == 0


def test_a_forbidden_transition_is_422_and_rolls_back_the_other_changes(world, client_of):
    body = {"title_en": "Changed", "status": "done"}

    response = send(client_of("member"), "patch", f"/api/v1/action-items/{world.item.pk}", body)

    assert response.status_code == 422
    world.item.refresh_from_db()
    assert (world.item.title_en, world.item.status) == ("Send the roster", "open")
    assert written() == 0


@pytest.mark.parametrize(("persona", "status"), statuses({"member", "admin", "staff"}, 201))
def test_post_progress_note(world, client_of, persona, status):
    response = send(
        client_of(persona), "post", f"/api/v1/action-items/{world.item.pk}/notes", {"text_en": "Drafted"}
    )

    assert response.status_code == status, response.content
    assert ProgressNote.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("persona", "sees_notes"),
    [("anonymous", False), ("outsider", False), ("member", True), ("other_member", True), ("staff", True)],
)
def test_progress_notes_are_shown_to_party_members_and_staff_only(world, client_of, persona, sees_notes):
    ProgressNote.objects.create(
        action_item=world.item, written_at=datetime(2024, 6, 1, tzinfo=UTC), text_en="Secret"
    )
    client = client_of(persona)

    listed = client.get("/api/v1/action-items").json()["items"][0]
    detail = client.get(f"/api/v1/action-items/{world.item.pk}").json()
    agreement = client.get(f"/api/v1/agreements/{world.agreement.pk}").json()["action_items"][0]

    expected = ["Secret"] if sees_notes else []
    for shown in (listed, detail, agreement):
        assert [note["text_en"] for note in shown["progress_notes"]] == expected


def test_action_item_list_filters(world, client_of):
    now = datetime.now(UTC)
    ActionItemFactory(
        agreement=world.agreement,
        key="late",
        owner_party=world.party_b,
        due_at=datetime(2000, 1, 1, tzinfo=UTC),
        due_time_zone="Asia/Seoul",
    )
    ActionItemFactory(
        agreement=world.agreement,
        key="done",
        owner_party=world.party_b,
        status="done",
        due_at=datetime(2000, 1, 1, tzinfo=UTC),
        due_time_zone="Asia/Seoul",
    )
    ActionItemFactory(key="elsewhere", due_at=now.replace(year=now.year + 1), due_time_zone="Asia/Seoul")
    ActionItemFactory(key="hidden", agreement__is_public=False)
    client = client_of("anonymous")

    def keys(query=""):
        body = client.get(f"/api/v1/action-items{query}").json()
        return sorted(item["key"] for item in body["items"]), body["count"]

    assert keys() == (["done", "elsewhere", "item", "late"], 4)
    assert keys("?status=done") == (["done"], 1)
    assert keys(f"?owner={world.organization_b.pk}") == (["done", "late"], 2)
    assert keys("?overdue=true") == (["item", "late"], 2)
    assert keys(f"?agreement={world.agreement.pk}&limit=2") == (["done", "late"], 3)  # earliest due first
    assert client.get("/api/v1/action-items?status=finished").status_code == 422


def test_action_item_list_query_count_does_not_grow_with_rows(world, client_of):
    client = client_of("member")
    for _ in range(2):
        ActionItemFactory(agreement=world.agreement, owner_party=world.party_a)
    few = count_queries(client, "/api/v1/action-items")
    for _ in range(27):
        ActionItemFactory(agreement=world.agreement, owner_party=world.party_b)

    assert count_queries(client, "/api/v1/action-items") == few
