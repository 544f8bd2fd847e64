"""Several processes, one PostgreSQL database: the way Dari grows past one machine (docs/deploy.md).

Separate ``dari`` processes, as separate hosts would be, against the test's PostgreSQL database:
two workers run each queued task once; two periodic runners started together send a reminder
once; a worker killed mid-task leaves its job to the stale-job clean-up, which fails it with a
message saying so; a search-index refresh made by one process reaches a web process (``dari serve``)
that had loaded the older index, without a restart. On SQLite (one machine by design) these are skipped.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.agreements.models import ReminderSent
from dari.jobs.models import Job
from dari.jobs.services import STALE_ERROR, fail_stale_jobs, start_job
from dari.notifications.models import Notification
from dari.registry.jobs import REGISTRY_CHECK, check_registry

from ..factories import ActionItemFactory, AgreementPartyFactory, OrganizationFactory, UserFactory
from ..helpers import free_port, wait_until_answering
from .test_worker import database_for_a_worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several processes need PostgreSQL"),
]


def dari(database_url: str, *arguments: str) -> subprocess.Popen:
    environment = {**os.environ, "DARI_DATABASE_URL": database_url}
    environment.pop("DARI_TASKS_BACKEND", None)
    return subprocess.Popen(
        [sys.executable, "-m", "dari", *arguments],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output
    return output


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_two_workers_run_each_task_once(database_tasks, tmp_path):
    from django_tasks_db.models import DBTaskResult

    with database_for_a_worker(tmp_path) as database_url:
        owner = UserFactory(username="owner")
        OrganizationFactory(key="startup", kind="startup", is_public=True)
        jobs = [start_job(Actor(owner), REGISTRY_CHECK, check_registry, 2) for _ in range(12)]

        worker_arguments = ("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        workers = [dari(database_url, *worker_arguments, "--worker-id", f"w{n}") for n in (1, 2)]
        for worker in workers:
            finish(worker)

        assert {job.pk: Job.objects.get(pk=job.pk).state for job in jobs} == {
            job.pk: "succeeded" for job in jobs
        }
        results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
        assert len(results) == 12
        # Each task was claimed by exactly one worker, once.
        assert all(status == "SUCCESSFUL" and len(worker_ids) == 1 for status, worker_ids in results)


def test_two_periodic_runners_started_together_send_a_reminder_once(tmp_path):
    with database_for_a_worker(tmp_path) as database_url:
        owner = OrganizationFactory(key="owner")
        party = AgreementPartyFactory(organization=owner, position=1)
        member = UserFactory(username="owner-member")
        grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, owner)
        now = timezone.now().replace(microsecond=0)
        ActionItemFactory(
            agreement=party.agreement,
            key="due-soon",
            owner_party=party,
            due_at=now + timedelta(days=2),
            due_time_zone="UTC",
        )

        runners = [dari(database_url, "run_periodic", "--now", now.isoformat()) for _ in range(2)]
        outputs = [finish(runner) for runner in runners]

        reminder_lines = sorted(
            line for output in outputs for line in output.splitlines() if line.startswith("action-item")
        )
        assert reminder_lines == [
            "action-item-reminders: 1 reminder(s) sent",
            "action-item-reminders: not due",
        ]
        assert ReminderSent.objects.count() == 1
        assert Notification.objects.filter(recipient=member).count() == 1


def test_a_worker_killed_mid_task_leaves_a_job_failed_with_a_clear_message(database_tasks, tmp_path):
    with database_for_a_worker(tmp_path) as database_url:
        owner = UserFactory(username="owner")
        for number in range(3):
            OrganizationFactory(key=f"startup-{number}", kind="startup", is_public=True)
        # Three steps of 20 s each: the worker is surely inside the task when it is killed.
        job = start_job(Actor(owner), REGISTRY_CHECK, check_registry, 3, 20.0)
        worker = dari(database_url, "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2")
        try:
            deadline = time.monotonic() + 60
            while Job.objects.get(pk=job.pk).state == "queued" and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.communicate(timeout=30)
        job.refresh_from_db()
        # Nobody is left to finish it: it would show as running forever without the clean-up.
        assert job.state == "running"

        failed = fail_stale_jobs(timezone.now() + timedelta(minutes=31), minutes=30)

        job.refresh_from_db()
        assert failed == [job.pk]
        assert (job.state, job.error) == ("failed", STALE_ERROR.format(minutes=30))


def searched(port: int, query: str) -> list[str]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search?q={query}", timeout=60) as answer:
        return [item["name_en"] for item in json.load(answer)["items"]]


def test_an_index_refresh_made_by_one_process_reaches_a_running_web_process(tmp_path):
    from dari.matching import engine

    with database_for_a_worker(tmp_path) as database_url:
        OrganizationFactory(
            key="alpha",
            kind="startup",
            is_public=True,
            name_en="Alpha Thyroid Imaging",
            description_en="Thyroid ultrasound imaging.",
        )
        engine.refresh_index()
        port = free_port()
        web = dari(database_url, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2")
        try:
            wait_until_answering(f"http://127.0.0.1:{port}/healthz")
            assert "Alpha Thyroid Imaging" in searched(port, "Alpha")
            assert "Bravo Cardiac Monitors" not in searched(port, "Bravo")

            # Another process (a worker, the periodic runner) indexes a new organization ...
            OrganizationFactory(
                key="bravo",
                kind="startup",
                is_public=True,
                name_en="Bravo Cardiac Monitors",
                description_en="Wearable cardiac monitors.",
            )
            finish(
                dari(database_url, "shell", "-c", "from dari.matching import engine; engine.refresh_index()")
            )

            # ... and the web process that had loaded the older index finds it, without a restart.
            assert "Bravo Cardiac Monitors" in searched(port, "Bravo")
        finally:
            web.send_signal(signal.SIGTERM)
            web.communicate(timeout=60)
