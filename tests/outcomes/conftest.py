"""What the outcome tests share: a private startup in a program, a public one, an investor, and the
users around them (``world``), and an investment's values (``investment``)."""

from datetime import date

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from tests.factories import OrganizationFactory, ParticipantFactory, ProgramFactory, UserFactory


@pytest.fixture
def world():
    startup = OrganizationFactory(key="s", kind="startup", is_public=False, name_en="Stealth Bio")
    other = OrganizationFactory(key="other", kind="startup", is_public=True, name_en="Other Med")
    fund = OrganizationFactory(key="fund", kind="investor", is_public=True, name_en="Pacific Fund")
    program = ProgramFactory(key="p", is_public=True)
    ParticipantFactory(program=program, organization=startup)
    users = {
        "outsider": UserFactory(username="outsider"),
        "member": UserFactory(username="member"),
        "manager": UserFactory(username="manager"),
        "staff": UserFactory(username="staff-user"),
    }
    system = Actor.system()
    grant_membership(system, users["member"], Role.ORGANIZATION_MEMBER, startup)
    grant_membership(system, users["manager"], Role.PROGRAM_MANAGER, program)
    grant_membership(system, users["staff"], Role.STAFF)
    return {"startup": startup, "other": other, "fund": fund, "program": program, **users}


def investment(world, **values):
    return {
        "kind": "investment",
        "stage": "in_review",
        "startup": world["startup"],
        "program": world["program"],
        "counterparty": world["fund"],
        "title_en": "Series A from Pacific Fund",
        "title_ko": "퍼시픽 펀드 시리즈 A",
        "amount": "10000000",
        "currency": "USD",
        "reported_on": date(2024, 1, 18),
        **values,
    }
