"""Background work of matching: keep the stored search index in step with the registry."""

import logging

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def refresh_matching_index() -> None:
    """Re-index what changed since the newest snapshot (nothing, if nothing did): idempotent."""
    from .engine import refresh_index

    refresh_index()


def schedule_index_refresh() -> None:
    """Refresh the index in the worker once the current transaction commits (a rollback schedules
    nothing). An enqueue failure is logged, not raised: the periodic refresh catches up within a minute."""

    def enqueue():
        try:
            refresh_matching_index.enqueue()
        except Exception:
            logger.exception("Could not enqueue the matching index refresh")

    transaction.on_commit(enqueue)


def refresh_periodically(now) -> str:
    """The periodic runner's entry (``dari run_periodic``): catches registry edits made by any app."""
    from .engine import refresh_index

    snapshot = refresh_index()
    if snapshot is None:
        return "search index up to date"
    return f"search index v{snapshot.version} stored ({snapshot.document_count} documents)"
