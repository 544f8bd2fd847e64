"""``dari send_action_item_reminders``: who gets one, in which language and zones, once a day."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.management import call_command

from dari.accounts.audit import Actor
from dari.accounts.models import Role, User
from dari.accounts.services import grant_membership
from dari.agreements.models import ActionItem, ReminderSent
from dari.agreements.reminders import items_needing_reminders
from dari.notifications.models import Notification
from dari.notifications.services import set_preference

from ..factories import ActionItemFactory, UserFactory

pytestmark = pytest.mark.django_db

# The world's item is due 2024-06-30 15:00 UTC = 08:00 PDT = 2024-07-01 00:00 KST.
NOW = datetime(2024, 6, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command; the e-mails leave when each reminder's transaction commits."""

    def run(now=NOW, days=7):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_action_item_reminders", "--days", str(days), "--now", now.isoformat())

    return run


def test_items_due_within_the_window_or_overdue_need_reminders_but_not_done_or_dropped(world):
    a = world.agreement
    overdue = ActionItemFactory(
        agreement=a,
        key="overdue",
        owner_party=world.party_a,
        due_at=datetime(2024, 6, 1, tzinfo=UTC),
        due_time_zone="UTC",
    )
    ActionItemFactory(
        agreement=a,
        key="far",
        owner_party=world.party_a,
        due_at=datetime(2024, 8, 1, tzinfo=UTC),
        due_time_zone="UTC",
    )
    ActionItemFactory(
        agreement=a,
        key="done",
        owner_party=world.party_a,
        status="done",
        due_at=datetime(2024, 6, 26, tzinfo=UTC),
        due_time_zone="UTC",
    )
    ActionItemFactory(
        agreement=a,
        key="dropped",
        owner_party=world.party_a,
        status="dropped",
        due_at=datetime(2024, 6, 26, tzinfo=UTC),
        due_time_zone="UTC",
    )
    ActionItemFactory(agreement=a, key="undated", owner_party=world.party_a)

    assert [item.key for item in items_needing_reminders(NOW, 7)] == [overdue.key, "item"]
    assert [item.key for item in items_needing_reminders(NOW, 3)] == [overdue.key]


def test_members_and_administrators_of_the_owner_get_one_email_each_in_their_language(world, run):
    world.users["member"].language = "ko"
    world.users["member"].time_zone = "Asia/Seoul"
    world.users["member"].save()
    world.users["admin"].language = "en"
    world.users["admin"].time_zone = "America/New_York"
    world.users["admin"].save()

    run()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["admin-a@dari.invalid", "member-a@dari.invalid"]
    korean = by_recipient["member-a@dari.invalid"]
    assert "명단 보내기" in korean.subject
    assert "후속 조치: 명단 보내기" in korean.body
    assert "업무 협약" in korean.body and "기관 A" in korean.body
    assert "기한: 2024-06-30 08:00 PDT (2024-07-01 00:00 KST)" in korean.body
    english = by_recipient["admin-a@dari.invalid"]
    assert "Action item: Send the roster" in english.body
    assert "Due: 2024-06-30 08:00 PDT (2024-06-30 11:00 EDT)" in english.body
    assert "This action item falls due soon." in english.body


def test_running_twice_the_same_day_sends_once(world, run):
    run()
    run(now=NOW.replace(hour=12))

    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_the_next_day_sends_again(world, run):
    run()
    run(now=NOW.replace(day=26))

    assert len(mail.outbox) == 4


def test_nothing_for_done_or_dropped_items(world, run):
    for status in ("done", "dropped"):
        ActionItem.objects.filter(pk=world.item.pk).update(status=status)
        run()

    assert mail.outbox == []


def test_outsiders_and_other_parties_get_nothing(world, run):
    outsider_admin = UserFactory(username="b-admin")
    grant_membership(Actor.system(), outsider_admin, Role.ORGANIZATION_ADMIN, world.organization_b)

    run()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "admin-a@dari.invalid",
        "member-a@dari.invalid",
    ]


def test_an_overdue_item_says_so(world, run):
    world.users["member"].language = "en"
    world.users["member"].save()

    run(now=datetime(2024, 7, 2, tzinfo=UTC))

    message = next(m for m in mail.outbox if m.to == ["member-a@dari.invalid"])
    assert message.subject == "Overdue action item: Send the roster"
    assert "This action item is overdue." in message.body


def test_reminders_also_appear_in_the_bell_once_per_local_day(world, run):
    run()
    run(now=NOW.replace(hour=12))

    notifications = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.kind, n.link) for n in notifications] == [
        ("admin-a", "agreements.action_item_due", world.item.get_absolute_url()),
        ("member-a", "agreements.action_item_due", world.item.get_absolute_url()),
    ]
    assert notifications[0].title_en == "Action item due soon: Send the roster"

    run(now=NOW.replace(day=26))

    assert Notification.objects.count() == 4


def test_a_member_who_turned_reminder_emails_off_gets_only_the_bell(world, run):
    member = world.users["member"]
    set_preference(Actor(member), member, "agreements.action_item_due", by_email=False)

    run()

    assert [message.to for message in mail.outbox] == [["admin-a@dari.invalid"]]
    assert Notification.objects.filter(recipient=member).count() == 1
    assert ReminderSent.objects.filter(user=member).count() == 1


def test_a_member_without_an_email_address_is_reminded_in_the_bell(world, run):
    User.objects.filter(pk=world.users["member"].pk).update(email="")

    run()

    assert [message.to for message in mail.outbox] == [["admin-a@dari.invalid"]]
    assert Notification.objects.filter(recipient=world.users["member"]).count() == 1


def test_a_member_without_a_zone_reads_seoul_and_san_diego_times_and_is_reminded_once_a_seoul_day(world, run):
    member = world.users["member"]
    member.language, member.time_zone = "en", ""
    member.save()
    # 20:00 UTC on 25 June is already 26 June in Seoul, the first of the partnership's zones.
    evening = datetime(2024, 6, 25, 20, 0, tzinfo=UTC)

    run(now=evening)
    run(now=evening.replace(hour=23))

    [message] = [message for message in mail.outbox if message.to == ["member-a@dari.invalid"]]
    assert "Due: 2024-06-30 08:00 PDT (2024-07-01 00:00 KST)" in message.body
    assert "UTC" not in message.body
    assert list(ReminderSent.objects.filter(user=member).values_list("sent_on", flat=True)) == [
        date(2024, 6, 26)
    ]
