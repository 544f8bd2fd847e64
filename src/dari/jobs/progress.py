"""What a task sees of its job: ``with job_progress(job_id) as progress: ...``.

Entering claims the job (queued → running) with one conditional UPDATE, so a task delivered twice, or
re-run after its job finished, finds nothing to claim and gets ``None``: it must then return at once.
Leaving the block normally marks the job succeeded with ``progress.result``; an exception marks it
failed with the error's text and propagates, so the tasks backend records the traceback too.
Each call writes at once (tasks run outside a transaction), so the progress page sees every step,
and stamps ``progress_updated_at``, the sign of life the stale-job clean-up looks for. The starter is
notified when the job ends (``jobs.finished``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from .models import Job
from .notices import notify_job_finished


class Progress:
    def __init__(self, job: Job):
        self.job = job
        self.result: dict = {}

    def total(self, steps: int) -> None:
        """The number of steps the job will take (a bar needs it to show a percentage)."""
        self.job.progress_total = max(0, steps)
        self.job.progress_updated_at = timezone.now()
        self.job.save(update_fields=["progress_total", "progress_updated_at"])

    def advance(self, steps: int = 1, message: str | None = None) -> None:
        """Count ``steps`` more steps as done; ``message`` (if given) replaces the shown message."""
        self.job.progress_done += steps
        self.job.progress_updated_at = timezone.now()
        fields = ["progress_done", "progress_updated_at"]
        if message is not None:
            self.job.message = message[:500]
            fields.append("message")
        self.job.save(update_fields=fields)

    def set_result(self, result: dict) -> None:
        """What the job produced, JSON: e.g. ``{"url": "/files/12/"}`` (shown as a link) or a summary."""
        self.result = result


def describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@contextmanager
def job_progress(job_id: int) -> Iterator[Progress | None]:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, progress_updated_at=now
    )
    if not claimed:
        yield None
        return
    progress = Progress(Job.objects.get(pk=job_id))
    try:
        yield progress
    except BaseException as error:
        # BaseException too: a worker stopped mid-task (SystemExit) leaves a failed job, not a running one.
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, error=describe(error), finished_at=timezone.now()
        )
        notify_job_finished(job_id)
        raise
    Job.objects.filter(pk=job_id).update(
        state=Job.State.SUCCEEDED, result=progress.result, finished_at=timezone.now()
    )
    notify_job_finished(job_id)
