"""Fixtures shared by the accounts tests: a private startup and its organization admin."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership

from ..factories import OrganizationFactory, UserFactory


@pytest.fixture
def startup():
    return OrganizationFactory(key="ulsan-startup", name_en="Ulsan Startup", is_public=False)


@pytest.fixture
def org_admin(startup):
    admin = UserFactory(username="org-admin", language="en")
    grant_membership(Actor.system(), admin, Role.ORGANIZATION_ADMIN, startup)
    return admin
