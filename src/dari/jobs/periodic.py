"""Periodic work: ``dari run_periodic`` runs each task below that is due.

Each task records its last start in ``PeriodicRun``; a run is claimed with one conditional UPDATE
("started before now − interval, or never"), so cron every minute, the demo's loop, and two hosts at
once still run each task at most once per interval. The tasks themselves are idempotent as well
(reminders are sent once per item, member and day), so a crash between claim and finish is harmless.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.module_loading import import_string

from .models import PeriodicRun
from .progress import describe

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    every: timedelta
    # Dotted path of a function ``(now) -> str`` returning a one-line summary; a path rather than the
    # function, so that this platform app does not import the domain apps at start-up.
    function: str


def send_action_item_reminders(now: datetime) -> str:
    from dari.agreements.reminders import send_reminders

    return f"{len(send_reminders(now, days=7))} reminder(s) sent"


def fail_stale_jobs(now: datetime) -> str:
    from .services import fail_stale_jobs

    return f"{len(fail_stale_jobs(now))} stale job(s) marked failed"


PERIODIC_TASKS = (
    # Hourly, although each member gets at most one reminder a day: their day starts at their own
    # midnight, which falls on a different hour in Seoul and in San Diego.
    PeriodicTask(
        "action-item-reminders", timedelta(hours=1), "dari.jobs.periodic.send_action_item_reminders"
    ),
    # Often enough that a dead job is not shown as running for long past DARI_JOB_STALE_MINUTES.
    PeriodicTask("stale-jobs", timedelta(minutes=5), "dari.jobs.periodic.fail_stale_jobs"),
    # Registry edits from any app reach search and suggestions within a minute (only what changed
    # is encoded again; nothing is done when nothing changed).
    PeriodicTask("matching-index", timedelta(minutes=1), "dari.matching.tasks.refresh_periodically"),
)


@dataclass(frozen=True)
class Outcome:
    name: str
    ran: bool
    succeeded: bool | None = None
    summary: str = ""


def claim(periodic: PeriodicTask, now: datetime) -> bool:
    """Mark ``periodic`` started at ``now`` if it is due; True if this caller won the claim."""
    PeriodicRun.objects.get_or_create(name=periodic.name)
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - periodic.every)
    return PeriodicRun.objects.filter(due, name=periodic.name).update(last_started_at=now) == 1


def run_due(now: datetime, tasks=PERIODIC_TASKS) -> list[Outcome]:
    """Run every task of ``tasks`` that is due at ``now``; a failing task does not stop the others."""
    outcomes = []
    for periodic in tasks:
        if not claim(periodic, now):
            outcomes.append(Outcome(periodic.name, ran=False))
            continue
        try:
            summary = import_string(periodic.function)(now)
        except Exception as error:
            logger.exception("Periodic task %s failed", periodic.name)
            PeriodicRun.objects.filter(name=periodic.name).update(
                last_finished_at=now, last_succeeded=False, last_error=describe(error), last_summary=""
            )
            outcomes.append(Outcome(periodic.name, ran=True, succeeded=False, summary=describe(error)))
            continue
        PeriodicRun.objects.filter(name=periodic.name).update(
            last_finished_at=now, last_succeeded=True, last_error="", last_summary=str(summary)[:500]
        )
        outcomes.append(Outcome(periodic.name, ran=True, succeeded=True, summary=str(summary)))
    return outcomes
