"""``start_job`` and ``job_progress``: enqueued after commit, with ids; progress, result, error;
idempotence."""

import pytest
from django.core import mail
from django.db import transaction

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.jobs.kinds import kind_label
from dari.jobs.models import Job
from dari.jobs.progress import job_progress
from dari.jobs.services import enqueue, start_job
from dari.notifications.models import OutgoingEmail
from dari.registry.jobs import REGISTRY_CHECK, check_registry, start_registry_check

pytestmark = pytest.mark.django_db


def test_a_registry_check_counts_the_organizations_its_starter_may_see(
    owner, organizations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(Actor(owner), REGISTRY_CHECK, check_registry, 2)

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (2, 2, 100)
    # The private startup is not the owner's: it is not counted.
    assert job.result == {"organizations": 5, "public": 5, "by_kind": {"investor": 2, "startup": 3}}
    assert job.message == "Done"
    assert job.error == ""
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert job.task_result_id != ""
    assert job.started_by == owner


def test_starting_a_job_is_audited(owner):
    job = start_job(Actor(owner), REGISTRY_CHECK, check_registry)

    entry = AuditEntry.objects.get(action="jobs.job.started")
    assert (entry.actor, entry.object_id, entry.changes) == (owner, job.pk, {"kind": [None, REGISTRY_CHECK]})


def test_the_task_is_enqueued_only_after_the_transaction_commits(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            job = start_job(Actor(owner), REGISTRY_CHECK, check_registry)
            assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
        assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED  # committed, not yet run

    # The job's own callback (the enqueue), then the one its run adds: sending the "job finished"
    # e-mail, which waits in the outbox until then.
    enqueue_job, send_notice = callbacks
    assert enqueue_job.func is enqueue and callable(send_notice)
    (email,) = OutgoingEmail.objects.all()
    assert email.to == ["owner@dari.invalid"] and email.sent_at is not None
    assert [message.to for message in mail.outbox] == [["owner@dari.invalid"]]
    assert Job.objects.get(pk=job.pk).state == Job.State.SUCCEEDED


def test_a_rolled_back_start_enqueues_nothing(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            start_job(Actor(owner), REGISTRY_CHECK, check_registry)
            transaction.set_rollback(True)

    assert callbacks == []
    assert not Job.objects.exists()


def test_tasks_take_ids_not_objects(owner, organizations):
    with pytest.raises(TypeError, match="as its id"):
        start_job(Actor(owner), REGISTRY_CHECK, check_registry, organizations)

    assert not Job.objects.exists()


def test_a_failing_task_marks_its_job_failed_with_the_error(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(Actor(owner), REGISTRY_CHECK, check_registry, 0)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "ValueError: The number of batches must be at least 1."
    assert job.percent is None
    assert job.finished_at is not None


def test_running_the_task_again_for_a_finished_job_does_nothing(owner, organizations):
    job = Job.objects.create(kind=REGISTRY_CHECK, started_by=owner)
    check_registry.call(job.pk, 5)
    job.refresh_from_db()
    finished = (job.state, job.progress_done, job.finished_at, job.result)

    check_registry.call(job.pk, 1)

    job.refresh_from_db()
    assert (job.state, job.progress_done, job.finished_at, job.result) == finished


def test_a_failed_job_is_not_run_again_either(owner):
    job = Job.objects.create(kind=REGISTRY_CHECK, started_by=owner, state=Job.State.FAILED, error="Boom")

    check_registry.call(job.pk, 5)

    job.refresh_from_db()
    assert (job.state, job.error, job.started_at) == (Job.State.FAILED, "Boom", None)


def test_job_progress_claims_a_queued_job_once(owner):
    job = Job.objects.create(kind="tests.twice", started_by=owner)

    with job_progress(job.pk) as first:
        with job_progress(job.pk) as second:
            assert second is None
        first.total(4)
        first.advance(message="Half way")
        first.advance()
        assert Job.objects.get(pk=job.pk).percent == 50
        first.set_result({"url": "/files/1/", "rows": 4})

    job.refresh_from_db()
    assert (job.state, job.message, job.result_url) == (Job.State.SUCCEEDED, "Half way", "/files/1/")


def test_registry_check_needs_a_signed_in_user():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        start_registry_check(Actor.system())


def test_kind_labels_fall_back_to_the_dotted_name():
    from django.utils import translation

    with translation.override("en"):
        assert kind_label(REGISTRY_CHECK) == "Check the registry"
    with translation.override("ko"):
        assert kind_label(REGISTRY_CHECK) == "등록부 점검"
    assert kind_label("reports.unknown") == "reports.unknown"
