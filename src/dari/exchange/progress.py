"""An import's progress, visible while its all-or-nothing write is still running.

The job's progress row cannot be written inside the import's transaction: nobody would see it
before the commit. While no transaction is open (the check of every row), progress is written as
any job's is. Inside the write transaction it goes through a second database connection of its own,
which commits at once: on PostgreSQL the progress page sees it while the import still holds its row
locks. SQLite has one writer at a time and the import holds the write lock, so there the write phase
is announced before it starts and counted when it ends.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from dari.jobs.models import Job


class ImportProgress:
    """The engine's ``progress(done, total, message, phase)`` for an import of ``rows`` rows,
    written to the job's row: a dry run is one pass over the rows; an import two, the check and the
    write (its ``done`` counted over the rows it writes)."""

    def __init__(self, job: Job, rows: int, *, dry_run: bool):
        self.job = job
        self.rows = rows
        self.steps = rows if dry_run else 2 * rows
        self.side = None

    def __call__(self, done: int, total: int, message: str, phase: str = "check") -> None:
        if phase != "check":
            done = self.rows + (done * self.rows // total if total else self.rows)
        self.write(done, message, writing=phase == "writing")

    def write(self, done: int, message: str, *, writing: bool) -> None:
        values = {
            "progress_done": max(0, done),
            "progress_total": self.steps,
            "message": str(message)[:500],
            "progress_updated_at": timezone.now(),
        }
        if not writing:
            Job.objects.filter(pk=self.job.pk).update(**values)
        elif connection.vendor != "sqlite":
            self._write_outside(values)
        # SQLite inside the write transaction: nothing can be written until it commits.

    def _write_outside(self, values: dict) -> None:
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = connection.ops.quote_name(Job._meta.db_table)
        columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
        with self.side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*values.values(), self.job.pk])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None
