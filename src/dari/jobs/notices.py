"""Telling a job's starter that it finished or failed (the ``jobs.finished`` notification kind)."""

import logging

from dari.notifications.services import notify

from .models import Job

logger = logging.getLogger(__name__)

JOB_FINISHED = "jobs.finished"


def notify_job_finished(job_id: int) -> None:
    """Notify the starter of a finished job (none for the system's jobs).

    Best effort: the job's own state is already recorded, and a notice that cannot be sent (the mail
    server is down) must not turn a finished job into a failed task.
    """
    job = Job.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None or job.started_by is None or not job.is_finished:
        return
    try:
        notify(job.started_by, JOB_FINISHED, subject_object=job)
    except Exception:
        logger.exception("Could not notify the starter of job %s", job_id)
