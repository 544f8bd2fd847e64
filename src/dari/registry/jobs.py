"""The registry's background job: the demonstration "check the registry" that anyone signed in may
start from /jobs/ to watch a progress bar move. Registered with the jobs app in ``RegistryConfig.ready``."""

import time
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_noop
from django_tasks import task

from dari.accounts.audit import Actor
from dari.jobs.models import Job
from dari.jobs.progress import job_progress
from dari.jobs.services import start_job

from .models import Organization

# The key stays what it was when the jobs app held this job, so that jobs already stored keep their name.
REGISTRY_CHECK = "jobs.registry_check"

# A few seconds of batches, so that anyone can watch the progress bar move.
REGISTRY_CHECK_BATCHES = 10
REGISTRY_CHECK_PAUSE_SECONDS = 0.4


@task()
def check_registry(job_id: int, batches: int = 10, pause_seconds: float = 0.0) -> None:
    """Count the organizations the job's starter may see, by kind, in ``batches`` steps."""
    with job_progress(job_id) as progress:
        if progress is None:
            return  # already run (a second delivery): nothing to do
        if batches < 1:
            raise ValueError("The number of batches must be at least 1.")
        ids = list(
            Organization.objects.visible_to(progress.job.started_by)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        size = max(1, -(-len(ids) // batches))
        chunks = [ids[start : start + size] for start in range(0, len(ids), size)] or [[]]
        progress.total(len(chunks))
        kinds: Counter = Counter()
        public = 0
        for chunk in chunks:
            for kind, is_public in Organization.objects.filter(pk__in=chunk).values_list("kind", "is_public"):
                kinds[kind] += 1
                public += is_public
            time.sleep(pause_seconds)
            # A fixed English msgid: the page shows it in the viewer's language.
            progress.advance(message=gettext_noop("Counting organizations"))
        progress.set_result(
            {"organizations": len(ids), "public": public, "by_kind": dict(sorted(kinds.items()))}
        )
        progress.advance(0, message=gettext_noop("Done"))


def start_registry_check(actor: Actor) -> Job:
    """Count the organizations ``actor`` may see, in batches (the demo job anyone signed in may start)."""
    if actor.user is None or not actor.user.is_authenticated:
        raise PermissionDenied
    return start_job(
        actor, REGISTRY_CHECK, check_registry, REGISTRY_CHECK_BATCHES, REGISTRY_CHECK_PAUSE_SECONDS
    )
