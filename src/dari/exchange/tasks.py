"""The jobs of the Import page: check a file (the dry run), then import it. Each runs in the
language of the person who started it, so the row report reads in theirs."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from dari.accounts.audit import Actor
from dari.core.services import Conflict
from dari.files.storage import path_of
from dari.jobs.progress import job_progress

from .importing import IMPORTERS, Problem, Report, run_import
from .models import ImportRun
from .progress import ImportProgress
from .tables import TableError, read_table

IMPORT_CHECK = "exchange.import_check"
IMPORT_WRITE = "exchange.import"


def run_of(run_id: int) -> tuple[ImportRun, object]:
    run = ImportRun.objects.select_related("file", "started_by").get(pk=run_id)
    return run, path_of(run.file.relative_path).read_bytes()


def import_file(run: ImportRun, data: bytes, *, dry_run: bool, job) -> Report:
    try:
        table = read_table(data, run.file.original_filename)
    except TableError as error:
        return Report(kind=run.kind, dry_run=dry_run, problems=[Problem(1, "", str(error))])
    progress = ImportProgress(job, len(table.rows), dry_run=dry_run)
    try:
        return run_import(
            Actor(run.started_by), IMPORTERS[run.kind], table, dry_run=dry_run, progress=progress
        )
    finally:
        progress.close()


@contextmanager
def failed_on_error(run: ImportRun):
    """A job that fails (a row changed since the check, the right to import withdrawn, a worker
    stopped) leaves its run failed with the reason, not checking or importing for ever."""
    try:
        yield
    except BaseException as error:
        run.state = ImportRun.State.FAILED
        run.report = {
            **run.report,
            "error": str(error) if isinstance(error, Conflict | PermissionDenied) else "",
        }
        run.save(update_fields=["report", "state"])
        raise


@task()
def check_import(job_id: int, run_id: int) -> None:
    """The dry run: every row checked, nothing changed; the report is kept on the run."""
    with job_progress(job_id) as progress:
        if progress is None:
            return
        run, data = run_of(run_id)
        with translation.override(run.language), failed_on_error(run):
            report = import_file(run, data, dry_run=True, job=progress.job)
            run.report = report.as_dict()
            run.state = ImportRun.State.CHECKED
            run.save(update_fields=["report", "state"])
            progress.set_result({"url": run.get_absolute_url(), "summary": report.summary()})


@task()
def apply_import(job_id: int, run_id: int) -> None:
    """The import: all rows or none. A row changed since the check fails it (check again)."""
    with job_progress(job_id) as progress:
        if progress is None:
            return
        run, data = run_of(run_id)
        with translation.override(run.language), failed_on_error(run):
            report = import_file(run, data, dry_run=False, job=progress.job)
            run.report = report.as_dict()
            run.state = ImportRun.State.IMPORTED if report.ok else ImportRun.State.FAILED
            run.save(update_fields=["report", "state"])
            progress.set_result(
                {
                    "url": run.get_absolute_url(),
                    "summary": report.summary() if report.ok else _("Nothing was imported."),
                }
            )
