"""``/healthz``: what a load balancer asks a web process, in a few cheap queries and no personal data.

503 only when the database cannot be reached: that is the one fault a web process cannot serve
through, and taking it out of the pool is the right answer. A stalled job queue, a stopped periodic
runner, an old search index or an old backup are reported (ages in seconds) for monitoring, with a
200: every web process would report them alike, and a load balancer that removed them all would
serve nobody.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max, Min, Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dari.files.backup import scheduled_archives
from dari.jobs.models import Job, PeriodicRun
from dari.matching.models import IndexSnapshot

logger = logging.getLogger(__name__)


def age_seconds(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def newest(*moments: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def measure(now: datetime) -> dict:
    """The figures of a healthy answer; raises DatabaseError when the database is away."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    jobs = Job.objects.aggregate(
        last_progress=Max("progress_updated_at"),
        last_finished=Max("finished_at"),
        oldest_queued=Min("created_at", filter=Q(state=Job.State.QUEUED)),
    )
    periodic = PeriodicRun.objects.aggregate(last_started=Max("last_started_at"))
    index = IndexSnapshot.objects.order_by("-version").values("version", "built_at").first()
    # The schedule's archives are named by their time (a listing of a few files, no archive opened).
    backups = scheduled_archives(settings.BACKUP_DIR)
    return {
        "status": "ok",
        "database": "ok",
        "jobs": {
            # The newest sign of life of any worker: a step reported or a job finished.
            "heartbeat_age_seconds": age_seconds(newest(jobs["last_progress"], jobs["last_finished"]), now),
            "oldest_queued_age_seconds": age_seconds(jobs["oldest_queued"], now),
        },
        "periodic": {"last_run_age_seconds": age_seconds(periodic["last_started"], now)},
        "search_index": {
            "version": index["version"] if index else None,
            "age_seconds": age_seconds(index["built_at"], now) if index else None,
        },
        "backups": {"newest_age_seconds": age_seconds(backups[-1][0], now) if backups else None},
    }


@never_cache
@require_safe
def healthz(request):
    try:
        return JsonResponse(measure(timezone.now()))
    except DatabaseError as error:
        # The error's class only: its text may name the database host or user.
        logger.warning("/healthz: the database is unreachable (%s)", type(error).__name__)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
