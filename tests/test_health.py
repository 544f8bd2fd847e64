"""``/healthz``: database reachable, the job queue's heartbeat, the periodic runner, the index's age."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import OperationalError
from django.test import Client

from dari import health
from dari.jobs.models import Job, PeriodicRun
from dari.matching.models import IndexSnapshot

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_an_empty_installation_is_healthy_with_nothing_to_report():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "jobs": {"heartbeat_age_seconds": None, "oldest_queued_age_seconds": None},
        "periodic": {"last_run_age_seconds": None},
        "search_index": {"version": None, "age_seconds": None},
        "backups": {"newest_age_seconds": None},
    }


def test_it_reports_the_ages_of_the_newest_heartbeat_the_oldest_queued_job_the_runner_and_the_index(
    settings,
):
    Job.objects.create(kind="jobs.a", state="running", progress_updated_at=NOW - timedelta(seconds=30))
    Job.objects.create(kind="jobs.b", state="succeeded", finished_at=NOW - timedelta(seconds=90))
    queued = Job.objects.create(kind="jobs.c")
    Job.objects.filter(pk=queued.pk).update(created_at=NOW - timedelta(minutes=4))
    PeriodicRun.objects.create(name="a", last_started_at=NOW - timedelta(minutes=2))
    PeriodicRun.objects.create(name="b", last_started_at=NOW - timedelta(hours=1))
    for version, age in ((1, timedelta(days=1)), (2, timedelta(minutes=10))):
        snapshot = IndexSnapshot.objects.create(
            version=version, engine_version="e", document_count=1, fingerprint="f", data=b""
        )
        IndexSnapshot.objects.filter(pk=snapshot.pk).update(built_at=NOW - age)
    settings.BACKUP_DIR.mkdir()
    for name in ("dari-backup-20260301T000000Z.tar.gz", "dari-backup-20260302T060000Z.tar.gz", "mine.tar.gz"):
        (settings.BACKUP_DIR / name).write_bytes(b"")

    assert health.measure(NOW) == {
        "status": "ok",
        "database": "ok",
        "jobs": {"heartbeat_age_seconds": 30, "oldest_queued_age_seconds": 240},
        "periodic": {"last_run_age_seconds": 120},
        "search_index": {"version": 2, "age_seconds": 600},
        "backups": {"newest_age_seconds": 6 * 3600},
    }


def test_it_holds_no_personal_data(member_user):
    Job.objects.create(kind="jobs.a", started_by=member_user, message="secret", error="secret")

    body = Client().get("/healthz").content.decode()

    assert member_user.username not in body
    assert member_user.email not in body
    assert "secret" not in body


def test_an_unreachable_database_answers_503(monkeypatch):
    def database_away(now):
        raise OperationalError("connection to server at 10.0.0.5, port 5432 failed")

    monkeypatch.setattr(health, "measure", database_away)

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert "10.0.0.5" not in response.content.decode()


def test_it_only_answers_reads():
    assert Client().post("/healthz").status_code == 405
