"""``/api/v1/jobs``: the jobs the caller may see (their own; staff: all), newest first."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from dari.core.api import Pagination, absolute_url

from .models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    progress_done: int
    progress_total: int | None
    percent: int | None
    message: str
    result: dict
    error: str
    started_by: str | None
    object_type: str | None
    object_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    time_zone: str = "UTC"
    web_url: str

    @staticmethod
    def resolve_started_by(obj: Job):
        return obj.started_by.get_username() if obj.started_by else None

    @staticmethod
    def resolve_object_type(obj: Job):
        if obj.object_type_id is None:
            return None
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_id(obj.object_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    @staticmethod
    def resolve_web_url(obj: Job, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


def visible_jobs(request):
    return Job.objects.visible_to(request.user).select_related("started_by")


@router.get("", response=list[JobOut], summary="List jobs")
@paginate(Pagination)
def list_jobs(request):
    """Jobs the caller started (all jobs for staff), newest first. Anonymous callers get none."""
    return visible_jobs(request)


@router.get("/{job_id}", response=JobOut, summary="Get a job")
def get_job(request, job_id: int):
    return get_object_or_404(visible_jobs(request), pk=job_id)
