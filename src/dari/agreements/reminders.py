"""Reminders about action items that fall due soon or are overdue.

``items_needing_reminders`` holds the selection rule; ``send_reminders`` e-mails each member of the
owner party's organization once per item per day (their local date), in their language, with the due
time in the item's zone and in theirs.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from dari.accounts.access import ORGANIZATION_ROLES
from dari.accounts.models import Membership
from dari.core.bilingual import localized
from dari.core.timezones import format_in_zone, in_zone
from dari.registry.models import Organization

from .models import ActionItem, ReminderSent


def items_needing_reminders(now: datetime, days: int) -> list[ActionItem]:
    """Open or in-progress items with an owner, due before ``now`` + ``days`` (overdue ones too)."""
    return list(
        ActionItem.objects.due_within(now, days)
        .filter(owner_party__isnull=False)
        .select_related("agreement", "owner_party__organization")
        .order_by("due_at", "pk")
    )


def members_by_organization(organization_ids) -> dict[int, list]:
    """Active users with an e-mail address who are members or administrators, per organization."""
    memberships = (
        Membership.objects.filter(
            role__in=ORGANIZATION_ROLES,
            scope_type=ContentType.objects.get_for_model(Organization),
            scope_id__in=organization_ids,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    members: dict[int, list] = {}
    for membership in memberships:
        users = members.setdefault(membership.scope_id, [])
        if membership.user not in users:
            users.append(membership.user)
    return members


@dataclass(frozen=True)
class Reminder:
    item: ActionItem
    user: object


def render_reminder(item: ActionItem, user, now: datetime) -> tuple[str, str]:
    """Subject and body in ``user``'s language."""
    with translation.override(user.language or "ko"):
        context = {
            "item": item,
            "title": localized(item, "title").text or item.key,
            "agreement_title": localized(item.agreement, "title").text or item.agreement.key,
            "owner": localized(item.owner_party.organization, "name").text,
            "due_in_item_zone": format_in_zone(item.due_at, item.due_time_zone),
            "due_in_user_zone": format_in_zone(item.due_at, user.time_zone)
            if user.time_zone and user.time_zone != item.due_time_zone
            else "",
            "is_overdue": item.is_overdue_at(now),
        }
        subject = render_to_string("agreements/email/reminder_subject.txt", context).strip()
        body = render_to_string("agreements/email/reminder_body.txt", context)
    return subject, body


def send_reminders(now: datetime, days: int) -> list[Reminder]:
    """E-mail every reminder not yet sent today; return those sent."""
    items = items_needing_reminders(now, days)
    members = members_by_organization({item.owner_party.organization_id for item in items})
    already = set(
        ReminderSent.objects.filter(action_item__in=items).values_list("action_item_id", "user_id", "sent_on")
    )
    sent = []
    for item in items:
        for user in members.get(item.owner_party.organization_id, []):
            sent_on = in_zone(now, user.time_zone or "UTC").date()
            if (item.pk, user.pk, sent_on) in already:
                continue
            subject, body = render_reminder(item, user, now)
            send_mail(subject, body, None, [user.email])
            # Recorded after sending: a crash in between resends once rather than never.
            ReminderSent.objects.create(action_item=item, user=user, sent_on=sent_on)
            sent.append(Reminder(item, user))
    return sent
