"""Reminders about action items that fall due soon or are overdue.

``items_needing_reminders`` holds the selection rule; ``send_reminders`` notifies each member of the
owner party's organization once per item per day (the date in their zone, ``viewer_zones``) through
``dari.notifications`` (kind ``agreements.action_item_due``: the bell and e-mail, as each member
chose), in their language, with the due time in the item's zone and in theirs (the partnership's
when they have none).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from dari.accounts.queries import members_by_organization
from dari.core.time import in_zone, viewer_zones
from dari.notifications.services import notify

from .models import ActionItem, ReminderSent

ACTION_ITEM_DUE = "agreements.action_item_due"


def items_needing_reminders(now: datetime, days: int) -> list[ActionItem]:
    """Open or in-progress items with an owner, due before ``now`` + ``days`` (overdue ones too)."""
    return list(
        ActionItem.objects.due_within(now, days)
        .filter(owner_party__isnull=False)
        .select_related("agreement", "owner_party__organization")
        .order_by("due_at", "pk")
    )


@dataclass(frozen=True)
class Reminder:
    item: ActionItem
    user: object


def send_reminders(now: datetime, days: int) -> list[Reminder]:
    """Notify (bell and e-mail, as each member chose) every reminder not yet sent today; return those sent.

    Each reminder and its ``ReminderSent`` record commit together; the e-mail leaves after the commit.
    """
    items = items_needing_reminders(now, days)
    members = members_by_organization({item.owner_party.organization_id for item in items})
    already = set(
        ReminderSent.objects.filter(action_item__in=items).values_list("action_item_id", "user_id", "sent_on")
    )
    sent = []
    for item in items:
        for user in members.get(item.owner_party.organization_id, []):
            sent_on = in_zone(now, viewer_zones(user)[0]).date()
            if (item.pk, user.pk, sent_on) in already:
                continue
            with transaction.atomic():
                notify(
                    user,
                    ACTION_ITEM_DUE,
                    subject_object=item,
                    context={"is_overdue": item.is_overdue_at(now)},
                )
                ReminderSent.objects.create(action_item=item, user=user, sent_on=sent_on)
            sent.append(Reminder(item, user))
    return sent


def send_reminders_periodically(now: datetime) -> str:
    """The periodic runner's entry (``dari run_periodic``, hourly): reminders due within 7 days."""
    return f"{len(send_reminders(now, days=7))} reminder(s) sent"
