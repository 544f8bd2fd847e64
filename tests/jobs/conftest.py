"""Jobs belong to whoever started them: ``owner`` started ``owner_job``, ``outsider`` did not;
staff see all."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.jobs.models import Job

from ..factories import OrganizationFactory, UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def staff(db):
    user = UserFactory(username="staff-member")
    grant_membership(Actor.system(), user, Role.STAFF)
    return user


@pytest.fixture
def organizations(db):
    """Five public organizations (three startups, two investors) and one private startup."""
    for number in range(3):
        OrganizationFactory(key=f"startup-{number}", kind="startup", is_public=True)
    for number in range(2):
        OrganizationFactory(key=f"investor-{number}", kind="investor", is_public=True)
    return OrganizationFactory(key="stealth", kind="startup", is_public=False)


@pytest.fixture
def owner_job(owner):
    return Job.objects.create(kind="jobs.registry_check", started_by=owner)
