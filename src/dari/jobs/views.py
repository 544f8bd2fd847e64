"""Job pages: the list of one's jobs (with buttons for the jobs apps let anyone start), a job with
its progress bar (polled by htmx)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from dari.core.pagination import paginate

from .kinds import startable_kinds
from .models import Job


def visible_job(request, pk: int) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("started_by"), pk=pk)


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("started_by")
    context = {"page": paginate(request, jobs), "startable": startable_kinds()}
    return render(request, "jobs/job_list.html", context)


@login_required
def job_detail(request, pk: int):
    return render(request, "jobs/job_detail.html", {"job": visible_job(request, pk)})


@login_required
def job_progress(request, pk: int):
    """The progress partial alone: htmx polls it until the job has finished."""
    return render(request, "jobs/_progress.html", {"job": visible_job(request, pk)})
