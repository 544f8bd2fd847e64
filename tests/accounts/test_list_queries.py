"""The managers' lists (invitations, registration requests) run as many queries for 30 rows as for 3."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership, invite, register

from ..factories import OrganizationFactory, UserFactory
from ..pages import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = UserFactory(username="list-staff")
    grant_membership(Actor.system(), staff, Role.STAFF)
    client.force_login(staff)
    return client, staff


def invite_many(staff, count: int, start: int) -> None:
    for number in range(start, start + count):
        organization = OrganizationFactory()
        invite(Actor(staff), f"person{number}@dari.invalid", Role.ORGANIZATION_MEMBER, organization)


def register_many(count: int, start: int) -> None:
    for number in range(start, start + count):
        register(
            username=f"applicant{number}",
            email=f"applicant{number}@dari.invalid",
            password="a-long-unusual-passphrase",
            language="ko",
            time_zone="Asia/Seoul",
            kind="claim",
            organization=OrganizationFactory(),
        )


def test_invitation_list_query_count_does_not_grow(staff_client):
    client, staff = staff_client
    invite_many(staff, 3, 0)
    few = page_queries(client, "/accounts/invitations/new/")
    invite_many(staff, 27, 3)

    assert page_queries(client, "/accounts/invitations/new/") == few


def test_registration_list_query_count_does_not_grow(staff_client):
    client, _staff = staff_client
    register_many(3, 0)
    few = page_queries(client, "/accounts/registrations/")
    register_many(27, 3)

    assert page_queries(client, "/accounts/registrations/") == few
