"""An import's progress is visible to others while the all-or-nothing import is still running.

The test reads the job's row through a second database connection (what the progress page's
request would use) each time the import reports progress, and records what it sees together with
whether that connection sees any imported row yet.
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from dari.accounts.audit import Actor
from dari.exchange import progress as progress_module
from dari.exchange.importing import IMPORTERS, run_import
from dari.exchange.tables import read_table
from dari.jobs.models import Job
from dari.registry.models import Organization
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 2500


class Observed(progress_module.ImportProgress):
    """The job's progress as another connection reads it after each report."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = connections.create_connection(DEFAULT_DB_ALIAS)
        self.seen: list[tuple[str, int, int, int]] = []

    def __call__(self, done, total, message, phase="check"):
        super().__call__(done, total, message, phase)
        if phase == "writing" and connection.vendor == "sqlite":
            return  # SQLite: the import holds the only write lock; the job row waits (see progress.py)
        table = connection.ops.quote_name(Job._meta.db_table)
        organizations = connection.ops.quote_name(Organization._meta.db_table)
        with self.reader.cursor() as cursor:
            cursor.execute(f"SELECT progress_done, progress_total FROM {table} WHERE id = %s", [self.job.pk])
            job_done, job_total = cursor.fetchone()
            cursor.execute(f"SELECT COUNT(*) FROM {organizations}")
            (imported,) = cursor.fetchone()
        self.seen.append((phase, job_done, job_total, imported))

    def close(self):
        super().close()
        self.reader.close()


def test_progress_is_visible_while_the_import_runs():
    user = UserFactory(username="importer", is_staff=True)
    job = Job.objects.create(kind="exchange.import", started_by=user, state=Job.State.RUNNING)
    lines = ["key,kind,name_en"] + [f"org-{number},startup,Organization {number}" for number in range(ROWS)]
    table = read_table("\n".join(lines).encode(), "organizations.csv")
    observed = Observed(job, ROWS, dry_run=False)

    try:
        report = run_import(Actor(user), IMPORTERS["organizations"], table, dry_run=False, progress=observed)
    finally:
        observed.close()

    assert report.ok and report.created == ROWS
    checking = [
        (done, total) for phase, done, total, imported in observed.seen if phase == "check" and not imported
    ]
    assert (1000, 2 * ROWS) in checking and (2000, 2 * ROWS) in checking
    writing = [(done, imported) for phase, done, _total, imported in observed.seen if phase == "writing"]
    if connection.vendor == "postgresql":
        # Written by the import's own transaction, read by another connection before it commits.
        assert writing and all(imported == 0 and ROWS < done <= 2 * ROWS for done, imported in writing)
    assert observed.seen[-1][1:] == (2 * ROWS, 2 * ROWS, ROWS)
    job.refresh_from_db()
    assert job.progress_done == job.progress_total == 2 * ROWS
