"""Background work of partnering: an event's schedule generated as a job with progress."""

from django_tasks import task

from dari.accounts.audit import Actor
from dari.jobs.progress import job_progress

from .models import Event
from .services.schedules import generate_schedule


@task()
def generate_event_schedule(job_id: int, event_id: int) -> None:
    """Generate the event's schedule as the job's starter (``services.generate_schedule``); the
    result holds its counts and a link to the event. A refusal (the validator's, a permission
    withdrawn) fails the job with its reason, and nothing is saved."""
    with job_progress(job_id) as progress:
        if progress is None:
            return  # already run (a second delivery): nothing to do
        progress.total(3)
        event = Event.objects.get(pk=event_id)
        summary = generate_schedule(
            Actor(progress.job.started_by), event, on_step=lambda message: progress.advance(message=message)
        )
        progress.set_result({"url": event.get_absolute_url(), **summary})
