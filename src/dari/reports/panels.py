from django.db.models import Max
from django.utils import timezone, translation

from dari.core.panels import Panel, program_panels
from dari.outcomes.models import Outcome

from .charts import program_charts
from .forms import ProgramReportForm, TargetForm
from .targets import can_set_targets, progress


@program_panels.register(order=5)
def targets_of_program(request, program):
    """The program's yearly targets with the progress its figures made, and, for those who may set
    them, the form to add or change one."""
    may_set = can_set_targets(request.user, program)
    rows = progress(request.user, program)
    if not rows and not may_set:
        return None
    return Panel(
        "reports/_targets_panel.html",
        {
            "program": program,
            "rows": rows,
            "form": TargetForm() if may_set else None,
            "this_year": timezone.localdate().year,
        },
    )


@program_panels.register(order=6)
def program_reports(request, program):
    """The form that makes the program's report (PDF or XLSX, Korean or English) as a job."""
    if not request.user.is_authenticated:
        return None
    language = translation.get_language() or "ko"
    form = ProgramReportForm(language=language[:2])
    # The period offered first: the year of the program's latest outcome the viewer may see.
    latest = Outcome.objects.visible_to(request.user).filter(program=program).aggregate(Max("reported_on"))
    if latest["reported_on__max"]:
        form.fields["period"].initial = str(latest["reported_on__max"].year)
    return Panel("reports/_report_panel.html", {"program": program, "form": form})


@program_panels.register(order=20)
def charts_of_program(request, program):
    """The program's KPI charts, under its outcomes (whose table tells the same without script)."""
    charts = program_charts(request.user, program.key)
    return Panel("reports/_program_charts.html", {"charts": charts}) if charts else None
