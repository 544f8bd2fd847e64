"""Periodic work: ``dari run_periodic`` runs each task below that is due.

Each task records its last start in ``PeriodicRun``; a run is claimed with one conditional UPDATE
("started before now − interval, or never"), so cron every minute, the demo's loop, and two hosts at
once still run each task at most once per interval. The tasks themselves are idempotent as well
(reminders are sent once per item, member and day), so a crash between claim and finish is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
    # A function ``(now) -> str`` returning a one-line summary, or its dotted path.
    function: Callable[[datetime], str] | str


_registered: dict[str, PeriodicTask] = {}


def register_periodic(name: str, every: timedelta, function: Callable[[datetime], str]) -> PeriodicTask:
    """Run ``function(now)`` every ``every`` from ``dari run_periodic``. Apps call it from their
    ``AppConfig.ready``, as they register notification kinds: this platform app knows none of them."""
    periodic = PeriodicTask(name, every, function)
    _registered[name] = periodic
    return periodic


def periodic_tasks() -> tuple[PeriodicTask, ...]:
    """The registered tasks, in the order of registration (the order of INSTALLED_APPS)."""
    return tuple(_registered.values())


def fail_stale_jobs(now: datetime) -> str:
    from .services import fail_stale_jobs

    return f"{len(fail_stale_jobs(now))} stale job(s) marked failed"


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


def run_due(now: datetime, tasks=None) -> list[Outcome]:
    """Run every task of ``tasks`` (by default the registered ones) that is due at ``now``; a failing
    task does not stop the others."""
    outcomes = []
    for periodic in periodic_tasks() if tasks is None else tasks:
        if not claim(periodic, now):
            outcomes.append(Outcome(periodic.name, ran=False))
            continue
        try:
            function = periodic.function
            summary = (import_string(function) if isinstance(function, str) else function)(now)
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
