"""Follow-through pages: edit forms (who may open and post them), the board and the cross-agreement
list (query counts that do not grow with rows), overdue highlighting, confidential progress notes."""

from datetime import UTC, datetime

import pytest

from dari.agreements.models import ActionItem, ProgressNote

from ..factories import ActionItemFactory
from ..pages import page_queries

pytestmark = pytest.mark.django_db


def edit_urls(world):
    a, item = world.agreement.pk, world.item.pk
    return {
        "agreement": (f"/agreements/{a}/edit/", {"admin", "staff"}),
        "parties": (f"/agreements/{a}/parties/", {"admin", "staff"}),
        "new area": (f"/agreements/{a}/areas/new/", {"admin", "staff"}),
        "area": (f"/agreements/{a}/areas/{world.area.pk}/edit/", {"admin", "staff"}),
        "new item": (f"/agreements/{a}/action-items/new/", {"admin", "staff"}),
        "item": (f"/agreements/action-items/{item}/edit/", {"member", "admin", "staff"}),
        "new agreement": ("/agreements/new/", {"staff"}),
    }


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member", "admin", "other_member", "staff"])
def test_who_may_open_the_edit_forms(world, client_of, persona):
    client = client_of(persona)

    for name, (url, allowed) in edit_urls(world).items():
        response = client.get(url)
        expected = 302 if persona == "anonymous" else (200 if persona in allowed else 403)
        assert (name, response.status_code) == (name, expected)


def test_an_action_item_due_in_los_angeles_is_shown_in_kst_too(world, client_of):
    client = client_of("admin")
    body = {
        "title_en": "Host a delegation",
        "owner_party": world.party_a.pk,
        "due_at": "2024-09-01T17:00",
        "due_time_zone": "America/Los_Angeles",
    }

    response = client.post(f"/agreements/{world.agreement.pk}/action-items/new/", body)

    item = ActionItem.objects.get(key="host-a-delegation")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.due_at == datetime(2024, 9, 2, 0, 0, tzinfo=UTC)
    html = client.get(item.get_absolute_url()).content.decode()
    assert "2024-09-01 17:00 PDT" in html and "2024-09-02 09:00 KST" in html
    edit = client.get(f"/agreements/action-items/{item.pk}/edit/").content.decode()
    assert 'value="2024-09-01T17:00"' in edit and "2024-09-02 09:00 KST" in edit


def test_an_unknown_zone_in_the_form_is_an_error_not_a_crash(world, client_of):
    response = client_of("staff").post(
        f"/agreements/action-items/{world.item.pk}/edit/",
        {"due_at": "2024-09-01T17:00", "due_time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 400
    assert "“Mars/Olympus” is not a time zone" in response.content.decode()


def test_status_and_notes_through_the_action_item_page(world, client_of):
    client = client_of("member")
    url = world.item.get_absolute_url()

    assert client.post(f"{url}status/", {"status": "in_progress"}).status_code == 302
    assert client.post(f"{url}notes/", {"text_en": "Roster drafted"}).status_code == 302
    assert client.post(f"{url}status/", {"status": "open"}).status_code == 400

    world.item.refresh_from_db()
    assert world.item.status == "in_progress"
    html = client.get(url).content.decode()
    assert "Roster drafted" in html
    assert "agreements.action_item.status_changed" in html  # the change history


def test_an_outsider_may_not_post_notes_or_change_status(world, client_of):
    client = client_of("outsider")
    url = world.item.get_absolute_url()

    assert client.post(f"{url}notes/", {"text_en": "Hi"}).status_code == 403
    assert client.post(f"{url}status/", {"status": "in_progress"}).status_code == 403

    world.item.refresh_from_db()
    assert (world.item.status, ProgressNote.objects.count()) == ("open", 0)


@pytest.mark.parametrize(
    ("persona", "sees"), [("anonymous", False), ("outsider", False), ("other_member", True)]
)
def test_progress_notes_are_hidden_from_outsiders_on_pages(world, client_of, persona, sees):
    ProgressNote.objects.create(
        action_item=world.item, written_at=datetime(2024, 6, 1, tzinfo=UTC), text_en="Secret"
    )
    client = client_of(persona)

    for url in (world.item.get_absolute_url(), world.agreement.get_absolute_url()):
        assert ("Secret" in client.get(url).content.decode()) is sees


def test_board_has_a_column_per_status_and_highlights_overdue_items(world, client_of):
    ActionItemFactory(
        agreement=world.agreement, title_en="Finished", status="done", owner_party=world.party_b
    )

    html = client_of("anonymous").get(f"/agreements/{world.agreement.pk}/board/").content.decode()

    for column in ("Open", "In progress", "Done", "Dropped"):
        assert column.lower() in html.lower()
    assert 'class="card action-item overdue"' in html
    assert "2024-06-30 08:00 PDT" in html and "2024-07-01 00:00 KST" in html
    assert html.index("Send the roster") < html.index("status-column-in_progress") < html.index("Finished")


def test_cross_agreement_list_filters_and_hides_invisible_agreements(world, client_of):
    ActionItemFactory(key="secret", title_en="Secret item", agreement__is_public=False)
    ActionItemFactory(
        title_en="Later item", due_at=datetime(2999, 1, 1, tzinfo=UTC), due_time_zone="Asia/Seoul"
    )
    ActionItemFactory(agreement=world.agreement, title_en="Item of B", owner_party=world.party_b)
    client = client_of("anonymous")

    everything = client.get("/agreements/action-items/").content.decode()
    overdue = client.get("/agreements/action-items/overdue/").content.decode()
    filtered = client.get("/agreements/action-items/?overdue=on").content.decode()
    by_owner = client.get(f"/agreements/action-items/?owner={world.organization_b.pk}").content.decode()

    assert "Send the roster" in everything and "Later item" in everything and "Secret item" not in everything
    assert "Send the roster" in overdue and "Later item" not in overdue
    assert "Send the roster" in filtered and "Later item" not in filtered
    assert "Item of B" in by_owner and "Send the roster" not in by_owner


@pytest.mark.parametrize("url", ["board", "list", "overdue"])
def test_query_counts_do_not_grow_with_items(world, client_of, url):
    client = client_of("member")
    path = {
        "board": f"/agreements/{world.agreement.pk}/board/",
        "list": "/agreements/action-items/",
        "overdue": "/agreements/action-items/overdue/",
    }[url]
    past = datetime(2024, 1, 1, tzinfo=UTC)
    for _ in range(2):
        ActionItemFactory(
            agreement=world.agreement, owner_party=world.party_b, due_at=past, due_time_zone="UTC"
        )
    few = page_queries(client, path)
    for _ in range(27):
        ActionItemFactory(
            agreement=world.agreement, owner_party=world.party_a, due_at=past, due_time_zone="UTC"
        )

    assert page_queries(client, path) == few


def test_agreement_page_shows_its_change_history(world, client_of):
    client = client_of("staff")
    client.post(
        f"/agreements/{world.agreement.pk}/edit/",
        {"key": "mou", "kind": "mou", "title_en": "Renamed MOU", "signed_time_zone": "", "is_public": "on"},
    )

    html = client.get(world.agreement.get_absolute_url()).content.decode()

    assert "Renamed MOU" in html and "agreements.agreement.changed" in html
