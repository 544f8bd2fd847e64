from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dari.accounts.audit import Actor
from dari.agreements.models import Agreement
from dari.core.forms import saved_or_errors
from dari.core.panels import program_panels
from dari.outcomes.models import Outcome
from dari.programs.models import Program
from dari.programs.views import program_page_context
from dari.registry.models import Cluster, ClusterStatistic, Organization

from .charts import DASHBOARD_BREAKDOWNS, kpi_charts
from .forms import ProgramReportForm, TargetForm
from .kpis import Filters, figures_breakdowns_and_count
from .models import Target
from .program_report import start_program_report
from .targets import can_set_targets, delete_target, set_target


def home(request):
    """The dashboard: what the partnership holds and its latest outcomes, as far as the viewer may see.
    Its counts are the reported partnership's unless ``?illustrative=on`` adds the organizations the
    demo made up (and their outcomes); the number of each is shown either way."""
    user = request.user
    includes_illustrative = request.GET.get("illustrative") == "on"
    # The visible organizations counted by kind and by illustrative or not, in one grouped query.
    counts = {"reported": 0, "illustrative": 0}
    kind_counts = {}
    visible = Organization.objects.visible_to(user).order_by()
    for kind, illustrative, total in visible.values_list("kind", "is_illustrative").annotate(Count("pk")):
        counts["illustrative" if illustrative else "reported"] += total
        if includes_illustrative or not illustrative:
            kind_counts[kind] = kind_counts.get(kind, 0) + total
    outcomes = Outcome.objects.visible_to(user)
    if not includes_illustrative:
        outcomes = outcomes.filter(startup__is_illustrative=False)
    chosen = Filters(include_illustrative=includes_illustrative)
    # The figures, the charts' breakdowns and the count of those same outcomes, read once.
    kpis, found, outcome_count = figures_breakdowns_and_count(user, DASHBOARD_BREAKDOWNS, chosen)
    context = {
        "includes_illustrative": includes_illustrative,
        "counts": counts,
        "organization_count": sum(kind_counts.values()),
        "kind_counts": [
            (label, kind_counts.get(value, 0), value)
            for value, label in Organization.Kind.choices
            if kind_counts.get(value)
        ],
        "agreement_count": Agreement.objects.visible_to(user).count(),
        "program_count": Program.objects.visible_to(user).count(),
        "outcome_count": outcome_count,
        "kpis": kpis,
        "charts": kpi_charts(user, chosen, figures=kpis, found=found),
        "latest_outcomes": outcomes.latest_for_listing(user, 8),
        "agreements": Agreement.objects.visible_to(user).select_related("place_organization")[:5],
        "clusters": Cluster.objects.prefetch_related(
            Prefetch("statistics", queryset=ClusterStatistic.objects.select_related("source"))
        ),
    }
    return render(request, "reports/home.html", context)


@login_required
@require_POST
def target_set(request, pk: int):
    """Add or change one of the program's targets (the form on the program page); on an error the
    program page shows the form again with the messages (400)."""
    program = get_object_or_404(Program.objects.visible_to(request.user), pk=pk)
    if not can_set_targets(request.user, program):
        raise PermissionDenied
    form = TargetForm(request.POST)
    if form.is_valid() and saved_or_errors(
        form, lambda values: set_target(Actor.from_request(request), program, values)
    ):
        messages.success(request, _("Target saved."))
        return redirect(program.get_absolute_url() + "#targets")
    return program_page_with(request, program, "reports/_targets_panel.html", form)


@login_required
@require_POST
def target_delete(request, pk: int):
    target = get_object_or_404(
        Target.objects.filter(program__in=Program.objects.visible_to(request.user)), pk=pk
    )
    if not can_set_targets(request.user, target.program):
        raise PermissionDenied
    delete_target(Actor.from_request(request), target)
    messages.success(request, _("Target removed."))
    return redirect(target.program.get_absolute_url() + "#targets")


@login_required
@require_POST
def program_report_job(request, pk: int):
    """Start making the program's report in the background; the job page shows its progress and,
    when done, the link to the file."""
    program = get_object_or_404(Program.objects.visible_to(request.user), pk=pk)
    form = ProgramReportForm(request.POST)
    if form.is_valid():
        job = saved_or_errors(
            form,
            lambda values: start_program_report(
                Actor.from_request(request), program, values["period"], values["format"], values["language"]
            ),
        )
        if job is not None:
            messages.success(request, _("The report is being made; this page shows its progress."))
            return redirect(job)
    return program_page_with(request, program, "reports/_report_panel.html", form)


def program_page_with(request, program, template: str, form):
    """The program page again, its panel ``template`` showing ``form`` with its errors (400)."""
    panels = program_panels.panels_for(request, program)
    for panel in panels:
        if panel.template == template:
            panel.context["form"] = form
    program = Program.objects.visible_to(request.user).with_roles(request.user).get(pk=program.pk)
    context = program_page_context(request, program, panels)
    return render(request, "programs/program_detail.html", context, status=400)
