"""The use cases of the Import page: upload a file to be checked, then confirm its import."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from dari.accounts.access import access_for
from dari.accounts.audit import Actor
from dari.core.services import require
from dari.files.services import store_upload
from dari.jobs.services import start_job

from .importing import IMPORTERS
from .models import ImportRun
from .tasks import IMPORT_CHECK, IMPORT_WRITE, apply_import, check_import


def importable_kinds(user) -> list[str]:
    """The kinds ``user`` may import: staff all; program managers participants and outcomes."""
    return [kind for kind, importer in IMPORTERS.items() if importer.may_import(user)]


@transaction.atomic
def start_import(actor: Actor, kind: str, uploaded_file) -> ImportRun:
    """Keep ``uploaded_file`` (a protected file of the new run) and start checking it: the dry run,
    a job whose page shows its progress, then every bad row. Raises ``PermissionDenied`` unless the
    actor may import ``kind``; ``ValidationError`` for a file that is not CSV or XLSX.
    Audit: files.file.uploaded, jobs.job.started."""
    require(kind in importable_kinds(actor.user), _("You may not import %(kind)s.") % {"kind": kind})
    if not uploaded_file.name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": _("Upload a CSV or XLSX file.")})
    run = ImportRun.objects.create(
        kind=kind, started_by=actor.user, language=translation.get_language() or "en"
    )
    try:
        run.file = store_upload(actor, uploaded_file, run, "document")
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    run.check_job = start_job(actor, IMPORT_CHECK, check_import, run.pk, about=run)
    run.save(update_fields=["file", "check_job"])
    return run


def may_confirm(user, run: ImportRun) -> bool:
    """Its starter (still allowed to import the kind) and staff."""
    access = access_for(user)
    return access.sees_everything or (
        run.started_by_id == getattr(user, "pk", None) and run.kind in importable_kinds(user)
    )


@transaction.atomic
def confirm_import(actor: Actor, run: ImportRun) -> ImportRun:
    """Import a checked file, all rows or none, as a job (its progress shows while it runs). Only a
    run whose check found no bad row and something to change. Audit: jobs.job.started; then each
    imported change its own entry."""
    require(may_confirm(actor.user, run), _("You may not import this file."))
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    report = run.report or {}
    if run.state != ImportRun.State.CHECKED or not report.get("ok"):
        raise ValidationError(_("Only a file checked without problems can be imported."))
    if not (report.get("created") or report.get("changed")):
        raise ValidationError(_("The file changes nothing: there is nothing to import."))
    run.state = ImportRun.State.IMPORTING
    run.import_job = start_job(actor, IMPORT_WRITE, apply_import, run.pk, about=run)
    run.save(update_fields=["state", "import_job"])
    return run
