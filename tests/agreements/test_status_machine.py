"""An action item's state machine, every (from, to) pair: the allowed moves succeed with their one
audit entry, the others are refused (422 through the API) and change nothing."""

import json

import pytest
from django.core.exceptions import ValidationError

from dari.accounts.models import AuditEntry
from dari.agreements import services
from dari.agreements.models import ActionItem
from dari.agreements.services import ITEM_STATUS

from .conftest import actor_of

ALLOWED = {("open", "in_progress"), ("open", "dropped"), ("in_progress", "done"), ("in_progress", "dropped")}
PAIRS = ITEM_STATUS.pairs()


def test_the_table_is_the_one_the_issue_describes():
    assert {pair for pair in PAIRS if ITEM_STATUS.allows(*pair)} == ALLOWED
    assert len(PAIRS) == 12
    assert [state for state in ITEM_STATUS.values if ITEM_STATUS.is_final(state)] == ["done", "dropped"]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_every_pair_through_the_service(world, old, new):
    ActionItem.objects.filter(pk=world.item.pk).update(status=old)
    world.item.refresh_from_db()
    AuditEntry.objects.all().delete()

    if (old, new) in ALLOWED:
        services.change_action_item_status(actor_of(world, "member"), world.item, new)
    else:
        with pytest.raises(ValidationError) as refused:
            services.change_action_item_status(actor_of(world, "member"), world.item, new)
        assert list(refused.value.message_dict) == ["status"]

    world.item.refresh_from_db()
    entries = list(AuditEntry.objects.values_list("action", "changes"))
    if (old, new) in ALLOWED:
        assert world.item.status == new
        assert entries == [("agreements.action_item.status_changed", {"status": [old, new]})]
    else:
        assert (world.item.status, entries) == (old, [])


@pytest.mark.parametrize(("old", "new"), sorted(set(PAIRS) - ALLOWED))
def test_a_refused_move_is_422_through_the_api(world, client_of, old, new):
    ActionItem.objects.filter(pk=world.item.pk).update(status=old)

    response = client_of("member").patch(
        f"/api/v1/action-items/{world.item.pk}", json.dumps({"status": new}), content_type="application/json"
    )

    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "status"]
    world.item.refresh_from_db()
    assert world.item.status == old
