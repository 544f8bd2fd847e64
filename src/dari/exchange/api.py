"""``/api/v1/imports`` and ``/api/v1/exports``: the same imports and exports as the pages.

An import through the API runs at once, in the request (a script waits for its answer), or with
``background=true`` as the Import page runs it: a check job, then, once confirmed, an import job,
each with its progress (``/api/v1/jobs``). A file with bad rows answers 422 with one error per
problem, at ``["body", "file", <row>, <column>]``, and changes nothing. An outcomes export takes the
outcome list's filters.
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from dari.accounts.audit import Actor
from dari.core.api import InputSchema, absolute_url, errors, signed_in
from dari.outcomes.api import OutcomeFilters

from . import services
from .exporting import export_file, export_name
from .files import template_file, template_name
from .importing import IMPORTERS, run_import
from .models import ImportRun
from .tables import TableError, read_table
from .views import download

imports_router = Router(tags=["imports and exports"])
exports_router = Router(tags=["imports and exports"])

Format = Literal["csv", "xlsx"]


class ProblemOut(Schema):
    row: int
    column: str
    message: str


class ReportOut(Schema):
    kind: str
    dry_run: bool
    rows: int
    created: int
    changed: int
    unchanged: int
    encoding: str
    problems: list[ProblemOut]


class ImportOptions(InputSchema):
    dry_run: bool = False
    background: bool = Field(
        False,
        description="Check and import as jobs with progress, as the Import page does: answers 202 with "
        "the run; its check job checks every row; then POST .../runs/{run_id}/confirm imports them",
    )


class ImportRunOut(Schema):
    id: int
    kind: str
    state: str
    check_job: int | None = Field(None, description="The dry run's job (GET /api/v1/jobs/{id})")
    import_job: int | None = Field(None, description="The import's job, once confirmed")
    report: dict = Field(description="The last report (rows, created, changed, problems...)")
    created_at: datetime
    web_url: str

    @staticmethod
    def resolve_check_job(obj: ImportRun):
        return obj.check_job_id

    @staticmethod
    def resolve_import_job(obj: ImportRun):
        return obj.import_job_id

    @staticmethod
    def resolve_web_url(obj: ImportRun, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class FileOptions(InputSchema):
    format: Format = "csv"


class ExportOptions(FileOptions, OutcomeFilters):
    """The format; ``program`` for participants and outcomes; the outcome list's other filters
    (``GET /api/v1/outcomes``) for outcomes only."""

    program: str = ""


#: The filters an outcomes export takes beyond ``program`` (refused for another kind).
OUTCOME_ONLY = tuple(name for name in OutcomeFilters.model_fields if name != "program")


def importer_of(kind: str):
    """The importer of ``kind`` (organizations, people, participants, outcomes); 404 for another."""
    if kind not in IMPORTERS:
        raise Http404(f"No kind {kind!r}: one of {', '.join(IMPORTERS)}")
    return IMPORTERS[kind]


def bad_rows(report) -> JsonResponse:
    detail = [
        {"loc": ["body", "file", problem.row, problem.column], "msg": problem.message, "type": "bad_row"}
        for problem in report.problems
    ]
    return JsonResponse({"detail": detail}, status=422)


def import_operation(kind: str):
    """``POST /api/v1/imports/<kind>``: one operation per kind, so that its path names no object."""

    def import_file(request, options: Query[ImportOptions], file: File[UploadedFile]):
        importer = IMPORTERS[kind]
        if not importer.may_import(request.user):
            raise HttpError(403, _("You may not import %(kind)s.") % {"kind": kind})
        if options.background:
            if options.dry_run:
                raise ValidationError(
                    {"dry_run": _("A run in the background is always checked first: leave dry_run out.")}
                )
            return Status(202, services.start_import(Actor.from_request(request), kind, file))
        try:
            table = read_table(file.read(), file.name or "")
        except TableError as error:
            return JsonResponse(
                {"detail": [{"loc": ["body", "file"], "msg": str(error), "type": "unreadable"}]}, status=422
            )
        report = run_import(Actor.from_request(request), importer, table, dry_run=options.dry_run)
        if report.problems:
            return bad_rows(report)
        return report

    import_file.__name__ = f"import_{kind}"
    import_file.__doc__ = (
        f"Check every row of a CSV or XLSX file of {kind} and, unless ``dry_run``, import them all in "
        "one transaction. Staff import every kind; program managers participants and outcomes of their "
        "programs. A bad row answers 422 (``loc``: body, file, its row, its column) and nothing is "
        "imported; the same file again changes nothing (``unchanged``). With ``background``, the file "
        "is kept and checked by a job (202 with the run): follow it at ``GET /api/v1/imports/runs/{id}``, "
        "then confirm the import, which runs as a job too."
    )
    imports_router.post(
        f"/{kind}",
        response={200: ReportOut, 202: ImportRunOut, **errors(401, 403, 409, 422)},
        auth=signed_in,
        summary=f"Import {kind} from a CSV or XLSX file, all rows or none",
    )(import_file)


for _kind in IMPORTERS:
    import_operation(_kind)


def visible_run(request, run_id: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.visible_to(request.user), pk=run_id)


@imports_router.get(
    "/runs/{run_id}",
    response={200: ImportRunOut, **errors(401, 404)},
    auth=signed_in,
    summary="An import run: its state and its report",
)
def get_import_run(request, run_id: int):
    """A run started with ``background``, or on the Import page: ``checking``, ``checked`` (its report
    lists every bad row), ``importing``, ``imported`` or ``failed``. Its starter's; staff see all."""
    return visible_run(request, run_id)


@imports_router.post(
    "/runs/{run_id}/confirm",
    response={202: ImportRunOut, **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="Import a checked run, all rows or none, as a job",
)
def confirm_import_run(request, run_id: int):
    """Only a run checked without problems that changes something; the import runs as a job (its
    progress at ``GET /api/v1/jobs/{import_job}``) and the run ends ``imported`` or ``failed``."""
    return Status(202, services.confirm_import(Actor.from_request(request), visible_run(request, run_id)))


@imports_router.get(
    "/templates/{kind}",
    response={200: None, **errors(401, 404)},
    auth=signed_in,
    summary="The empty template of a kind (CSV or XLSX)",
)
def import_template(request, kind: str, options: Query[FileOptions]):
    """One header row with the columns an import of ``kind`` reads."""
    importer_of(kind)
    return download(template_file(kind, options.format), template_name(kind, options.format), options.format)


@exports_router.get(
    "/{kind}",
    response={200: None, **errors(401, 404, 422)},
    auth=signed_in,
    summary="Export the rows of a kind the caller may see (CSV or XLSX)",
)
def export(request, kind: str, options: Query[ExportOptions]):
    """The rows of ``kind`` the caller may see, in the columns its import reads: hidden amounts and
    their values blank, private organizations left out, formula-looking text neutralised. Outcomes
    take the outcome list's filters and export exactly what ``GET /api/v1/outcomes`` lists with them;
    participants and outcomes ``program``."""
    importer_of(kind)
    chosen = options.dict(include=set(OUTCOME_ONLY), exclude_defaults=True)
    narrow = None
    if kind == "outcomes":
        filters = {name: value for name, value in options.dict().items() if name in OUTCOME_ONLY}
        text = filters.pop("q")

        def narrow(outcomes):
            return outcomes.filtered(**filters, program=options.program or None, text=text)

    elif chosen:
        detail = [
            {
                "loc": ["query", name],
                "msg": _("Only an outcomes export takes this filter."),
                "type": "value_error",
            }
            for name in chosen
        ]
        return JsonResponse({"detail": detail}, status=422)
    data = export_file(request.user, kind, options.format, program=options.program, narrow=narrow)
    return download(data, export_name(kind, options.format), options.format)
