"""Job pages: the list of one's jobs, a job with its progress bar (polled by htmx), the demo job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dari.accounts.audit import Actor
from dari.core.pagination import paginate

from . import services
from .models import Job


def visible_job(request, pk: int) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("started_by"), pk=pk)


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("started_by")
    return render(request, "jobs/job_list.html", {"page": paginate(request, jobs)})


@login_required
def job_detail(request, pk: int):
    return render(request, "jobs/job_detail.html", {"job": visible_job(request, pk)})


@login_required
def job_progress(request, pk: int):
    """The progress partial alone: htmx polls it until the job has finished."""
    return render(request, "jobs/_progress.html", {"job": visible_job(request, pk)})


@login_required
@require_POST
def start_registry_check(request):
    job = services.start_registry_check(Actor.from_request(request))
    messages.success(request, _("Job started."))
    return redirect(job)
