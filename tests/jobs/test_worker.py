"""A real ``dari db_worker`` process runs jobs from the database queue, end to end.

The worker is a separate process, so it must reach the test's database: on PostgreSQL that is the
test database itself; on SQLite (whose test database lives in memory) the test switches to a
migrated file database of its own for its duration.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client

from dari.accounts.audit import Actor
from dari.jobs.models import Job
from dari.jobs.services import start_job
from dari.registry.jobs import REGISTRY_CHECK, check_registry

from ..factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@contextmanager
def database_for_a_worker(directory: Path):
    """The URL at which another process reaches the database this test uses."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(settings["USER"] or "")
        if settings["PASSWORD"]:
            credentials += ":" + quote(settings["PASSWORD"])
        host = f"{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}"
        yield f"postgres://{credentials}@{host}/{settings['NAME']}"
        return
    original, in_memory = settings["NAME"], connection.connection
    path = directory / "worker.sqlite3"
    # Set the in-memory database aside rather than closing it: closing would destroy it.
    connection.connection = None
    settings["NAME"] = str(path)
    ContentType.objects.clear_cache()
    try:
        call_command("migrate", interactive=False, verbosity=0)
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings["NAME"] = original
        connection.connection = in_memory
        ContentType.objects.clear_cache()


def run_worker(database_url: str) -> None:
    """``dari db_worker --batch``: run every queued task, then exit."""
    environment = {**os.environ, "DARI_DATABASE_URL": database_url}
    environment.pop("DARI_TASKS_BACKEND", None)
    finished = subprocess.run(
        [sys.executable, "-m", "dari", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        env=environment,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_a_worker_process_runs_queued_jobs_to_their_end(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with database_for_a_worker(tmp_path) as database_url:
        owner = UserFactory(username="owner")
        for number in range(7):
            OrganizationFactory(key=f"startup-{number}", kind="startup", is_public=True)
        succeeding = start_job(Actor(owner), REGISTRY_CHECK, check_registry, 3)
        failing = start_job(Actor(owner), REGISTRY_CHECK, check_registry, 0)
        assert set(Job.objects.values_list("state", flat=True)) == {Job.State.QUEUED}

        run_worker(database_url)

        succeeding.refresh_from_db()
        failing.refresh_from_db()
        assert (succeeding.state, succeeding.progress_done, succeeding.progress_total) == ("succeeded", 3, 3)
        assert succeeding.result == {"organizations": 7, "public": 7, "by_kind": {"startup": 7}}
        assert succeeding.started_at <= succeeding.finished_at
        assert (failing.state, failing.error) == (
            "failed",
            "ValueError: The number of batches must be at least 1.",
        )
        from django_tasks_db.models import DBTaskResult

        statuses = dict(DBTaskResult.objects.values_list("id", "status"))
        assert {str(key): value for key, value in statuses.items()} == {
            succeeding.task_result_id: "SUCCESSFUL",
            failing.task_result_id: "FAILED",
        }

        client = Client()
        client.force_login(owner)
        client.cookies["django_language"] = "en"
        done = client.get(f"/jobs/{succeeding.pk}/").content.decode()
        failed = client.get(f"/jobs/{failing.pk}/").content.decode()
        assert '<progress max="100" value="100">' in done and "You can see 7 organizations" in done
        assert "ValueError: The number of batches must be at least 1." in failed

        # Delivered again (a retry, a second worker), a finished job's task does nothing.
        check_registry.using(backend="default").enqueue(succeeding.pk, 1)
        run_worker(database_url)
        assert Job.objects.get(pk=succeeding.pk).progress_total == 3
