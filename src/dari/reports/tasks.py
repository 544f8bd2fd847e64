"""Background work of the reports app: a program report rendered as a job with progress."""

from django.urls import reverse
from django.utils.translation import gettext_noop
from django_tasks import task

from dari.accounts.audit import Actor
from dari.files.services import store_generated
from dari.jobs.progress import job_progress
from dari.programs.models import Program

from .program_report import CONTENT_TYPES, REPORT_STEPS, Period, program_report, render_report, report_name

PROGRAM_REPORT = "reports.program_report"


@task()
def render_program_report(job_id: int, program_id: int, period: str, fmt: str, language: str) -> None:
    """Make the program's report for ``period`` as its starter may see it, store it as a protected
    report file (served to the starter and staff only) and put its download link in the result."""
    with job_progress(job_id) as progress:
        if progress is None:
            return  # already run (a second delivery): nothing to do
        user = progress.job.started_by
        progress.total(1 + REPORT_STEPS + 1)
        program = Program.objects.visible_to(user).get(pk=program_id)
        report = program_report(user, program, Period.parse(period))
        progress.advance(message=gettext_noop("Gathering the figures and outcomes"))
        data = render_report(report, fmt, language, on_step=lambda message: progress.advance(message=message))
        name = report_name(report, fmt, language)
        stored = store_generated(Actor(user), data, name, CONTENT_TYPES[fmt], program, "report")
        progress.set_result(
            {"file_id": stored.pk, "url": reverse("files:download", args=[stored.pk]), "name": name}
        )
        progress.advance(message=gettext_noop("Done"))
