"""Background work of the agreements app, run by the task worker as jobs with progress."""

from django.urls import reverse
from django.utils.translation import gettext_noop
from django_tasks import task

from dari.accounts.audit import Actor
from dari.core.documents import RENDER_STEPS
from dari.files.services import store_generated
from dari.jobs.progress import job_progress

from .documents import agreement_pdf
from .models import Agreement

AGREEMENT_PDF = "agreements.agreement_pdf"


@task()
def render_agreement_pdf(job_id: int, agreement_id: int, language: str) -> None:
    """Render the agreement as its starter may see it, store the PDF as a protected report file
    (served to the starter and staff only) and put its download link in the job's result."""
    with job_progress(job_id) as progress:
        if progress is None:
            return  # already run (a second delivery): nothing to do
        user = progress.job.started_by
        progress.total(1 + RENDER_STEPS + 1)
        agreement = Agreement.objects.visible_to(user).get(pk=agreement_id)
        progress.advance(message=gettext_noop("Gathering the agreement"))
        data = agreement_pdf(
            user, agreement_id, language, on_step=lambda message: progress.advance(message=message)
        )
        name = f"{agreement.key}-{language}.pdf"
        stored = store_generated(Actor(user), data, name, "application/pdf", agreement, "report")
        url = reverse("files:download", args=[stored.pk])
        progress.set_result({"file_id": stored.pk, "url": url, "name": name})
        progress.advance(message=gettext_noop("Done"))
