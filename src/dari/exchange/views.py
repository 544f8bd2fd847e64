"""The Import page (upload, the dry run's report, confirm), templates and exports to download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.audit import Actor
from dari.core.forms import add_service_errors, form_status
from dari.outcomes.forms import OutcomeFilterForm

from . import services
from .exporting import export_file, export_name
from .files import template_file, template_name
from .forms import KIND_LABELS, ImportForm
from .importing import IMPORTERS, Report
from .models import ImportRun
from .tables import CONTENT_TYPES, FORMATS


def download(data: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def kinds_or_403(request) -> list[str]:
    kinds = services.importable_kinds(request.user)
    if not kinds:
        raise PermissionDenied(_("You may not import data."))
    return kinds


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    kinds = kinds_or_403(request)
    sent = request.method == "POST"
    form = ImportForm(request.POST if sent else None, request.FILES if sent else None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_import(
                Actor.from_request(request), form.cleaned_data["kind"], form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(run)
    context = {
        "form": form,
        "kinds": [
            {"kind": kind, "label": KIND_LABELS[kind], "columns": IMPORTERS[kind].columns} for kind in kinds
        ],
        "runs": ImportRun.objects.visible_to(request.user).filter(started_by=request.user)[:10],
    }
    return render(request, "exchange/import.html", context, status=form_status(form))


def visible_run(request, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.visible_to(request.user).select_related("file"), pk=pk)


@login_required
def import_detail(request, pk: int):
    run = visible_run(request, pk)
    report = Report.from_dict(run.report) if run.report.get("kind") else None
    context = {
        "run": run,
        "label": KIND_LABELS.get(run.kind, run.kind),
        "report": report,
        "job": run.import_job or run.check_job,
        "may_confirm": (
            report is not None
            and run.state == ImportRun.State.CHECKED
            and report.ok
            and (report.created or report.changed)
            and services.may_confirm(request.user, run)
        ),
    }
    return render(request, "exchange/import_detail.html", context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    run = visible_run(request, pk)
    try:
        services.confirm_import(Actor.from_request(request), run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import has started; this page shows its progress."))
    return redirect(run)


def checked_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


@login_required
def template_download(request, kind: str, fmt: str):
    if kind not in IMPORTERS:
        raise Http404
    return download(template_file(kind, checked_format(fmt)), template_name(kind, fmt), fmt)


@login_required
def export_download(request, kind: str, fmt: str):
    """The ``kind`` rows the viewer may see, as they may see them (``exporting``)."""
    if kind not in IMPORTERS:
        raise Http404
    narrow = None
    if kind == "outcomes":
        # Exactly what the outcome list shows with the same query (its filters, illustrative
        # organizations left out unless asked); a filter it cannot read is refused, not dropped.
        form = OutcomeFilterForm(request.GET, user=request.user)
        if not form.is_valid():
            return HttpResponseBadRequest(
                "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()),
                content_type="text/plain; charset=utf-8",
            )
        narrow = form.filter
    data = export_file(
        request.user,
        kind,
        checked_format(fmt),
        program=request.GET.get("program", "").strip(),
        narrow=narrow,
    )
    return download(data, export_name(kind, fmt), fmt)
