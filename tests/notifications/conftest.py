"""A small world for notifications: an action item due soon, owned by organization A; a Korean and an
English member of A (``korean`` in Seoul, ``english`` in New York), and an ``outsider``.

The notices used are the real kinds ``agreements.action_item_due`` (the action-item reminder) and
``jobs.finished``; ``essential_kind`` registers an essential kind with the reminder's templates.
"""

from datetime import UTC, datetime

import pytest

from dari.notifications.kinds import register_kind, unregister_kind
from dari.notifications.models import Notification

from ..factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    OrganizationFactory,
    UserFactory,
)

REMINDER = "agreements.action_item_due"
JOB_FINISHED = "jobs.finished"
ESSENTIAL = "accounts.test_security"
# Due 2024-06-30 15:00 UTC = 08:00 PDT = 2024-07-01 00:00 KST = 11:00 EDT.
DUE = datetime(2024, 6, 30, 15, 0, tzinfo=UTC)


@pytest.fixture
def item(db):
    organization = OrganizationFactory(key="org-a", name_en="Org A", name_ko="기관 A")
    agreement = AgreementFactory(key="mou", title_en="The MOU", title_ko="업무 협약")
    party = AgreementPartyFactory(agreement=agreement, organization=organization, position=1)
    return ActionItemFactory(
        agreement=agreement,
        key="roster",
        title_en="Send the roster",
        title_ko="명단 보내기",
        owner_party=party,
        due_at=DUE,
        due_time_zone="America/Los_Angeles",
    )


@pytest.fixture
def korean(db):
    return UserFactory(username="korean", language="ko", time_zone="Asia/Seoul")


@pytest.fixture
def english(db):
    return UserFactory(username="english", language="en", time_zone="America/New_York")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", language="en")


@pytest.fixture
def essential_kind():
    register_kind(
        ESSENTIAL, "Account security", essential=True, templates="agreements/notifications/action_item_due"
    )
    yield ESSENTIAL
    unregister_kind(ESSENTIAL)


def make_notifications(user, count: int, **fields) -> list[Notification]:
    return [
        Notification.objects.create(
            recipient=user,
            kind=JOB_FINISHED,
            title_ko=f"작업 완료 {number}",
            title_en=f"Job finished {number}",
            body_en=f"Body {number}",
            link="/jobs/",
            **fields,
        )
        for number in range(count)
    ]
