"""``dari run_periodic``: each periodic task runs at most once per interval, however often it is called."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.jobs.models import PeriodicRun
from dari.jobs.periodic import PeriodicTask, run_due

from ..factories import ActionItemFactory, AgreementPartyFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 6, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def item_due_soon(db):
    owner = OrganizationFactory(key="owner")
    party = AgreementPartyFactory(organization=owner, position=1)
    member = UserFactory(username="owner-member")
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, owner)
    return ActionItemFactory(
        agreement=party.agreement,
        key="due-soon",
        owner_party=party,
        due_at=NOW + timedelta(days=2),
        due_time_zone="UTC",
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """``run(now)``: the reminders' line of ``dari run_periodic``'s output; mails leave at each commit."""

    def run(now: datetime) -> str:
        from io import StringIO

        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic", "--now", now.isoformat(), stdout=out)
        [line] = [line for line in out.getvalue().splitlines(keepends=True) if line.startswith("action-item")]
        return line

    return run


def test_the_reminders_run_once_per_hour_however_often_called(item_due_soon, run):
    assert run(NOW) == "action-item-reminders: 1 reminder(s) sent\n"
    assert run(NOW + timedelta(minutes=1)) == "action-item-reminders: not due\n"
    assert run(NOW + timedelta(minutes=59)) == "action-item-reminders: not due\n"

    record = PeriodicRun.objects.get(name="action-item-reminders")
    assert (record.last_started_at, record.last_succeeded, record.last_summary) == (
        NOW,
        True,
        "1 reminder(s) sent",
    )
    assert len(mail.outbox) == 1


def test_after_the_interval_they_run_again_and_send_nothing_twice_a_day(item_due_soon, run):
    run(NOW)

    assert run(NOW + timedelta(hours=1)) == "action-item-reminders: 0 reminder(s) sent\n"
    assert len(mail.outbox) == 1


def test_a_failing_task_is_recorded_and_does_not_stop_the_others(settings):
    tasks = (
        PeriodicTask("broken", timedelta(minutes=5), "tests.jobs.test_periodic.fail"),
        PeriodicTask("fine", timedelta(minutes=5), "tests.jobs.test_periodic.say_done"),
    )

    outcomes = run_due(NOW, tasks)

    assert [(outcome.name, outcome.ran, outcome.succeeded) for outcome in outcomes] == [
        ("broken", True, False),
        ("fine", True, True),
    ]
    broken = PeriodicRun.objects.get(name="broken")
    assert (broken.last_succeeded, broken.last_error) == (False, "RuntimeError: SMTP server unreachable")
    assert PeriodicRun.objects.get(name="fine").last_summary == "done at 2024-06-25T09:00:00+00:00"


def fail(now: datetime) -> str:
    raise RuntimeError("SMTP server unreachable")


def say_done(now: datetime) -> str:
    return f"done at {now.isoformat()}"


def test_the_reminders_command_still_works_on_its_own(item_due_soon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_action_item_reminders", "--now", NOW.isoformat())

    assert len(mail.outbox) == 1
