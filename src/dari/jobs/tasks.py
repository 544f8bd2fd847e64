"""Dari's own tasks. Each takes its job's id first and runs inside ``job_progress``."""

import time
from collections import Counter

from django.utils.translation import gettext_noop
from django_tasks import task

from dari.registry.models import Organization

from .progress import job_progress


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
