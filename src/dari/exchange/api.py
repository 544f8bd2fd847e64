"""``/api/v1/imports`` and ``/api/v1/exports``: the same imports and exports as the pages.

An import through the API runs at once, in the request (a script waits for its answer); the Import
page runs it as a job with progress. An outcomes export takes the outcome list's filters. A file with bad rows answers 422 with one error per problem,
at ``["body", "file", <row>, <column>]``, and changes nothing.
"""

from typing import Literal

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from dari.accounts.audit import Actor
from dari.core.api import InputSchema, errors, signed_in
from dari.outcomes.api import OutcomeFilters

from .exporting import export_file, export_name
from .files import template_file, template_name
from .importing import IMPORTERS, run_import
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
        "imported; the same file again changes nothing (``unchanged``)."
    )
    imports_router.post(
        f"/{kind}",
        response={200: ReportOut, **errors(401, 403, 409, 422)},
        auth=signed_in,
        summary=f"Import {kind} from a CSV or XLSX file, all rows or none",
    )(import_file)


for _kind in IMPORTERS:
    import_operation(_kind)


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
