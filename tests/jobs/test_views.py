"""Job pages: the list, a job with its htmx-polled progress, the demo job, and who may see what."""

import pytest
from django.test import Client

from dari.jobs.models import Job

from ..pages import get_page, page_queries

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_starting_the_registry_check_runs_it_and_shows_its_result(
    owner, organizations, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("dari.registry.jobs.REGISTRY_CHECK_PAUSE_SECONDS", 0)
    client = signed_in(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organizations/check/")

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.state, job.started_by, job.percent) == (Job.State.SUCCEEDED, owner, 100)
    html = get_page(client, f"/jobs/{job.pk}/", language="en")
    assert 'value="100"' in html and "100%" in html
    assert "You can see 5 organizations, 5 of them public." in html
    assert "hx-get" not in html  # finished: the bar stops polling


def test_a_running_job_polls_its_progress_partial(owner_job, owner):
    owner_job.state = Job.State.RUNNING
    owner_job.progress_done, owner_job.progress_total = 1, 4
    owner_job.message = "Counting organizations"
    owner_job.save()
    client = signed_in(owner)

    partial = get_page(client, f"/jobs/{owner_job.pk}/progress/", language="en")

    assert f'hx-get="/jobs/{owner_job.pk}/progress/"' in partial
    assert 'hx-trigger="every 1s"' in partial
    assert '<progress max="100" value="25">' in partial
    assert "1 of 4 steps" in partial and "Counting organizations" in partial
    assert "<html" not in partial


def test_a_failed_job_shows_its_error(owner_job, owner):
    owner_job.state = Job.State.FAILED
    owner_job.error = "ValueError: The number of batches must be at least 1."
    owner_job.save()

    html = get_page(signed_in(owner), f"/jobs/{owner_job.pk}/", language="en")

    assert "The job failed with this error:" in html
    assert "ValueError: The number of batches must be at least 1." in html


def test_a_result_with_a_url_links_to_it(owner_job, owner):
    owner_job.kind = "reports.export"  # no template of its own: the generic list of values
    owner_job.state = Job.State.SUCCEEDED
    owner_job.result = {"url": "/organizations/", "rows": 12}
    owner_job.save()

    html = get_page(signed_in(owner), f"/jobs/{owner_job.pk}/", language="en")

    assert '<a href="/organizations/">Open the result</a>' in html
    assert "<dt>rows</dt><dd>12</dd>" in html


def test_the_list_shows_ones_own_jobs_newest_first(owner, outsider, staff):
    first = Job.objects.create(kind="jobs.registry_check", started_by=owner)
    second = Job.objects.create(kind="jobs.registry_check", started_by=owner)
    others = Job.objects.create(kind="jobs.registry_check", started_by=outsider)

    owner_page = get_page(signed_in(owner), "/jobs/", language="en")
    staff_page = get_page(signed_in(staff), "/jobs/", language="en")

    assert owner_page.index(f"/jobs/{second.pk}/") < owner_page.index(f"/jobs/{first.pk}/")
    assert f"/jobs/{others.pk}/" not in owner_page
    assert all(f"/jobs/{job.pk}/" in staff_page for job in (first, second, others))


def test_the_list_is_paginated(owner):
    Job.objects.bulk_create([Job(kind="jobs.registry_check", started_by=owner) for _ in range(25)])

    html = get_page(signed_in(owner), "/jobs/?page=2", language="en")

    assert "Page 2 of 2" in html


@pytest.mark.parametrize("path", ["/jobs/{pk}/", "/jobs/{pk}/progress/"])
def test_someone_elses_job_is_not_found(owner_job, outsider, path):
    response = signed_in(outsider).get(path.format(pk=owner_job.pk))

    assert response.status_code == 404


def test_staff_see_anyones_job(owner_job, staff):
    assert signed_in(staff).get(f"/jobs/{owner_job.pk}/").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(owner_job):
    response = Client().get(f"/jobs/{owner_job.pk}/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_starting_a_job_needs_post(owner):
    assert signed_in(owner).get("/organizations/check/").status_code == 405
    assert not Job.objects.exists()


def test_the_list_runs_as_many_queries_for_30_jobs_as_for_3(owner, outsider):
    client = signed_in(owner)
    Job.objects.bulk_create([Job(kind="jobs.registry_check", started_by=owner) for _ in range(3)])
    three = page_queries(client, "/jobs/")
    Job.objects.bulk_create([Job(kind="jobs.registry_check", started_by=owner) for _ in range(27)])

    thirty = page_queries(client, "/jobs/")

    assert thirty == three


def test_the_page_loads_htmx_from_dari_itself(owner):
    html = get_page(signed_in(owner), "/jobs/", language="en")

    assert '<script src="/static/dari/vendor/htmx.min.js" defer></script>' in html
    assert Client().get("/static/dari/vendor/htmx.min.js").status_code == 200
