"""Starting jobs. ``start_job`` is the one way to run a background task that users follow."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from dari.accounts.audit import Actor, log_action

from .models import Job
from .notices import notify_job_finished
from .progress import describe

logger = logging.getLogger(__name__)


def start_job(actor: Actor, kind: str, task, *args, about: models.Model | None = None) -> Job:
    """Record a queued job and enqueue ``task(job.pk, *args)`` once the current transaction commits.

    ``task`` is a ``django_tasks`` task whose first parameter is the job id and whose body runs in
    ``job_progress``; ``args`` are JSON values (ids, never objects: the task reads fresh rows).
    ``about`` is the object the job works on, if any. Enqueuing after commit means the worker never
    looks for a job (or the rows it reads) that is not yet visible, nor runs one that was rolled back.
    Audited as ``jobs.job.started``.
    """
    for argument in args:
        if isinstance(argument, models.Model):
            raise TypeError(f"pass {argument!r} to a task as its id, not as an object")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            started_by=actor.user,
            object_type=ContentType.objects.get_for_model(about) if about is not None else None,
            object_id=about.pk if about is not None else None,
        )
        log_action(actor, "jobs.job.started", job, {"kind": [None, kind]})
        transaction.on_commit(partial(enqueue, job.pk, task, args))
    return job


def enqueue(job_id: int, task, args: tuple) -> None:
    try:
        result = task.enqueue(job_id, *args)
    except Exception as error:
        # The request has committed already: record the failure where the user will look for it.
        logger.exception("Could not enqueue job %s", job_id)
        Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.FAILED, error=describe(error), finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(task_result_id=str(result.id))


# Data, not UI text: the error is stored once and read by whoever opens the job, in either language.
STALE_ERROR = (
    "작업자가 {minutes}분 넘게 진행 상황을 알리지 않아 작업을 실패로 처리했습니다. 작업자가 중단된 것으로 "
    "보입니다. 작업을 다시 시작하세요.\n"
    "The worker reported no progress for more than {minutes} minutes, so the job was marked failed: its "
    "worker has most likely stopped. Start the job again."
)


def fail_stale_jobs(now: datetime, minutes: int | None = None) -> list[int]:
    """Mark failed every running job whose last sign of life is older than ``minutes``
    (``settings.JOB_STALE_MINUTES``); return their ids.

    A worker killed mid-task (out of memory, a deploy) leaves its job "running" with nobody to finish
    it. The sign of life is the last progress update, else the start. Each job is failed with a
    conditional UPDATE, so a job that moves meanwhile keeps running; its starter is notified.
    """
    minutes = minutes or settings.JOB_STALE_MINUTES
    cutoff = now - timedelta(minutes=minutes)

    def stale():
        return Job.objects.alias(
            last_sign_of_life=Coalesce("progress_updated_at", "started_at", "created_at")
        ).filter(state=Job.State.RUNNING, last_sign_of_life__lt=cutoff)

    failed = []
    for job_id in stale().order_by("pk").values_list("pk", flat=True):
        updated = (
            stale()
            .filter(pk=job_id)
            .update(state=Job.State.FAILED, error=STALE_ERROR.format(minutes=minutes), finished_at=now)
        )
        if updated:
            logger.warning("Job %s had no progress for %s minutes: marked failed", job_id, minutes)
            notify_job_finished(job_id)
            failed.append(job_id)
    return failed
