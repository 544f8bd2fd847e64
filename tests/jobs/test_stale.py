"""Stale jobs: a job left running by a dead worker is marked failed after ``DARI_JOB_STALE_MINUTES``
without progress, with a message in both languages, and its starter is told."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from dari.jobs.models import Job
from dari.jobs.services import fail_stale_jobs
from dari.notifications.models import Notification

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 6, 25, 9, 0, tzinfo=UTC)


def running_job(owner, *, started_minutes_ago: int, progress_minutes_ago: int | None = None) -> Job:
    return Job.objects.create(
        kind="jobs.registry_check",
        started_by=owner,
        state=Job.State.RUNNING,
        started_at=NOW - timedelta(minutes=started_minutes_ago),
        progress_updated_at=None
        if progress_minutes_ago is None
        else NOW - timedelta(minutes=progress_minutes_ago),
    )


def test_a_running_job_without_progress_for_longer_than_the_setting_is_failed(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STALE_MINUTES = 30
    dead = running_job(owner, started_minutes_ago=90, progress_minutes_ago=31)
    never_reported = running_job(owner, started_minutes_ago=45)
    slow_but_alive = running_job(owner, started_minutes_ago=90, progress_minutes_ago=29)
    just_started = running_job(owner, started_minutes_ago=5)
    queued = Job.objects.create(kind="jobs.registry_check", started_by=owner)
    Job.objects.filter(pk=queued.pk).update(created_at=NOW - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        failed = fail_stale_jobs(NOW)

    assert failed == [dead.pk, never_reported.pk]
    states = dict(Job.objects.values_list("pk", "state"))
    assert [states[job.pk] for job in (dead, never_reported, slow_but_alive, just_started, queued)] == [
        "failed",
        "failed",
        "running",
        "running",
        "queued",
    ]
    dead.refresh_from_db()
    assert dead.finished_at == NOW
    assert "작업자가 30분 넘게 진행 상황을 알리지 않아 작업을 실패로 처리했습니다." in dead.error
    assert "The worker reported no progress for more than 30 minutes" in dead.error
    # The starter hears of it, under the bell and by e-mail.
    notices = Notification.objects.filter(recipient=owner, kind="jobs.finished").order_by("pk")
    assert [notice.title_en for notice in notices] == [
        f"Job failed: Check the registry #{dead.pk}",
        f"Job failed: Check the registry #{never_reported.pk}",
    ]
    assert "The worker reported no progress" in notices[0].body_en
    assert [message.to for message in mail.outbox] == [["owner@dari.invalid"]] * 2


def test_the_limit_is_the_setting(owner, settings):
    settings.JOB_STALE_MINUTES = 120
    job = running_job(owner, started_minutes_ago=90, progress_minutes_ago=90)

    assert fail_stale_jobs(NOW) == []
    assert fail_stale_jobs(NOW + timedelta(minutes=31)) == [job.pk]


def test_the_clean_up_runs_from_run_periodic_every_five_minutes(owner, django_capture_on_commit_callbacks):
    running_job(owner, started_minutes_ago=60, progress_minutes_ago=60)

    def run(now):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic", "--now", now.isoformat(), stdout=out)
        return [line for line in out.getvalue().splitlines() if line.startswith("stale-jobs")]

    assert run(NOW) == ["stale-jobs: 1 stale job(s) marked failed"]
    assert run(NOW + timedelta(minutes=4)) == ["stale-jobs: not due"]
    assert run(NOW + timedelta(minutes=5)) == ["stale-jobs: 0 stale job(s) marked failed"]


def test_progress_keeps_a_job_alive(owner, django_capture_on_commit_callbacks):
    from dari.jobs.progress import job_progress

    job = Job.objects.create(kind="jobs.registry_check", started_by=owner)
    with job_progress(job.pk) as progress:
        progress.total(2)
        progress.advance()
        job.refresh_from_db()
        assert job.progress_updated_at is not None and job.progress_updated_at >= job.started_at
        assert fail_stale_jobs(job.progress_updated_at + timedelta(minutes=29)) == []


@pytest.mark.parametrize(
    ("value", "outcome"),
    [("", "30"), ("5", "5"), ("0", "must be at least 1"), ("half an hour", "is not an integer")],
)
def test_the_setting_is_parsed_from_the_environment_and_fails_loudly(value, outcome):
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import dari.settings as s; print(s.JOB_STALE_MINUTES)"],
        env={**os.environ, "DARI_JOB_STALE_MINUTES": value},
        capture_output=True,
        text=True,
    )

    assert outcome in (result.stdout if result.returncode == 0 else result.stderr)
