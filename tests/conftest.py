"""Fixtures shared by every test: the scenario, the personas, and clients acting as them.

Personas (the permission rules are written against them):
- ``anonymous``: not signed in;
- ``member``: ``member_user``, an active account with no staff rights;
- ``staff``: ``staff_user``, ``is_staff``;
- ``superuser``: the demo superuser (``demo`` / the demo password), as ``dari demo`` creates it.
"""

import os

import pytest
from django.test import Client

from dari.accounts.services import ensure_demo_superuser

from .factories import UserFactory
from .helpers import DEMO_PASSWORD, DEMO_USERNAME, free_port
from .scenario_snapshot import scenario_in_test_database, take_snapshot

PERSONAS = ("anonymous", "member", "staff", "superuser")
PERSONA_FIXTURES = {"member": "member_user", "staff": "staff_user", "superuser": "superuser"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher costs ~0.1 s per check, and every Basic-auth request checks a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    # Tasks run in the test's own thread when their transaction commits; the one test that runs a real
    # worker (tests/jobs/test_worker.py) switches back to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def no_api_rate_limits(settings):
    # The suite calls the API far faster than any person; tests/core/test_ratelimit.py sets limits.
    settings.API_RATE_LIMIT_PER_TOKEN = 0
    settings.API_RATE_LIMIT_PER_ADDRESS = 0


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    """Every test stores files in its own directory, never in ``var/files``."""
    settings.FILES_DIR = tmp_path / "dari-files"
    return settings.FILES_DIR


def pytest_configure(config):
    # The `dari` processes tests start (servers, workers, periodic runners) make no scheduled backups
    # either; a test that wants them sets DARI_BACKUP_EVERY_HOURS in the process's environment.
    os.environ["DARI_BACKUP_EVERY_HOURS"] = "0"


@pytest.fixture(autouse=True)
def no_scheduled_backups(settings, tmp_path):
    """The periodic runner's backups are off in tests (tests/test_backup.py turns them on), and would
    be written in the test's own directory."""
    settings.BACKUP_EVERY_HOURS = 0
    settings.BACKUP_DIR = tmp_path / "dari-backups"


@pytest.fixture(autouse=True)
def fresh_search_index():
    """Each test's database holds its own search index snapshots (versions restart at 1 after a
    rollback), so no process copy of an earlier test's index may be reused."""
    from dari.matching.engine import forget_loaded

    forget_loaded()
    yield
    forget_loaded()


@pytest.fixture(scope="session")
def scenario_snapshot(django_db_setup, django_db_blocker):
    """The rows the scenario writes, loaded once per test process (tests/scenario_snapshot.py)."""
    with django_db_blocker.unblock():
        return take_snapshot()


@pytest.fixture
def scenario(scenario_snapshot, db):
    """The Ulsan–San Diego scenario, in the test database; returns the loader's counts."""
    return scenario_in_test_database(scenario_snapshot)


@pytest.fixture
def mail_server_down(settings):
    """SMTP to a loopback port nothing listens on: every send is refused (ConnectionRefusedError).
    Set ``EMAIL_BACKEND`` back to locmem on the returned settings for the server to be back."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    return settings


@pytest.fixture
def member_user(db):
    return UserFactory(username="member")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", is_staff=True)


@pytest.fixture
def superuser(db):
    """The demo superuser; its credentials are ``DEMO_USERNAME`` / ``DEMO_PASSWORD``."""
    return ensure_demo_superuser(DEMO_USERNAME, DEMO_PASSWORD)


@pytest.fixture
def api_client(db):
    """``api_client(user=None)``: a test client signed in as ``user`` (by session), or anonymous."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def client_as(request, api_client):
    """``client_as("member")``: a client acting as one of ``PERSONAS``."""

    def make(persona: str) -> Client:
        if persona == "anonymous":
            return api_client()
        return api_client(request.getfixturevalue(PERSONA_FIXTURES[persona]))

    return make
