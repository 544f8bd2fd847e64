"""``/api/v1/jobs``: one's own jobs (staff: all), newest first; someone else's job is 404."""

import pytest
from django.test import Client

from dari.jobs.models import Job

from ..helpers import count_queries, get_json

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_job_in_the_api(owner_job, owner):
    owner_job.state = Job.State.RUNNING
    owner_job.progress_done, owner_job.progress_total = 3, 4
    owner_job.save()

    data = get_json(signed_in(owner), f"/api/v1/jobs/{owner_job.pk}", HTTP_ACCEPT_LANGUAGE="en")

    assert data["id"] == owner_job.pk
    assert (data["kind"], data["kind_label"], data["state"]) == (
        "jobs.registry_check",
        "Check the registry",
        "running",
    )
    assert (data["progress_done"], data["progress_total"], data["percent"]) == (3, 4, 75)
    assert (data["started_by"], data["object_type"], data["time_zone"]) == ("owner", None, "UTC")
    assert data["web_url"] == f"http://testserver/jobs/{owner_job.pk}/"


def test_the_list_holds_only_ones_own_jobs_newest_first(owner, outsider, staff):
    older = Job.objects.create(kind="jobs.registry_check", started_by=owner)
    newer = Job.objects.create(kind="jobs.registry_check", started_by=owner)
    Job.objects.create(kind="jobs.registry_check", started_by=outsider)

    mine = get_json(signed_in(owner), "/api/v1/jobs")
    everyone = get_json(signed_in(staff), "/api/v1/jobs")
    nobody = get_json(Client(), "/api/v1/jobs")

    assert ([item["id"] for item in mine["items"]], mine["count"]) == ([newer.pk, older.pk], 2)
    assert everyone["count"] == 3
    assert nobody == {"items": [], "count": 0}


def test_someone_elses_job_is_not_found(owner_job, outsider):
    get_json(signed_in(outsider), f"/api/v1/jobs/{owner_job.pk}", status=404)
    get_json(Client(), f"/api/v1/jobs/{owner_job.pk}", status=404)


def test_the_list_runs_as_many_queries_for_30_jobs_as_for_3(owner):
    client = signed_in(owner)
    Job.objects.bulk_create([Job(kind="jobs.registry_check", started_by=owner) for _ in range(3)])
    three = count_queries(client, "/api/v1/jobs")
    Job.objects.bulk_create([Job(kind="jobs.registry_check", started_by=owner) for _ in range(27)])

    assert count_queries(client, "/api/v1/jobs") == three
