"""The agreement PDF as a background job: progress to the end, a protected file as the result."""

import pytest
from django.test import Client

from dari.files.models import StoredFile
from dari.jobs.models import Job

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_party_member_makes_the_pdf_in_the_background_and_only_they_download_it(
    world, django_capture_on_commit_callbacks
):
    member = world.users["member"]
    client = Client()
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/agreements/{world.agreement.pk}/pdf/job/", {"lang": "ko"})

    job = Job.objects.get(kind="agreements.agreement_pdf")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.state, job.progress_done, job.progress_total, job.started_by) == ("succeeded", 4, 4, member)
    stored = StoredFile.objects.get(pk=job.result["file_id"])
    assert (stored.purpose, stored.content_type, stored.owner_id) == (
        "report",
        "application/pdf",
        world.agreement.pk,
    )
    download = client.get(job.result["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    job_page = client.get(job.get_absolute_url())
    assert job.result["url"] in job_page.content.decode()

    # Another member of the same party sees the agreement but not the report made for someone else.
    colleague = UserFactory(username="colleague")
    from dari.accounts.audit import Actor
    from dari.accounts.models import Role
    from dari.accounts.services import grant_membership

    grant_membership(Actor.system(), colleague, Role.ORGANIZATION_MEMBER, world.organization_a)
    other = Client()
    other.force_login(colleague)
    assert other.get(world.agreement.get_absolute_url()).status_code == 200
    assert other.get(job.result["url"]).status_code == 404
    assert Client().get(job.result["url"]).status_code == 404


def test_an_outsider_cannot_start_the_pdf_of_an_agreement_they_cannot_see(world):
    world.agreement.is_public = False
    world.agreement.save()
    client = Client()
    client.force_login(world.users["outsider"])

    response = client.post(f"/agreements/{world.agreement.pk}/pdf/job/", {"lang": "en"})

    assert response.status_code == 404
    assert Job.objects.count() == 0


def test_the_finished_job_links_to_its_file_by_name_for_its_owner_only(
    world, django_capture_on_commit_callbacks
):
    member = world.users["member"]
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/agreements/{world.agreement.pk}/pdf/job/", {"lang": "en"})
    job = Job.objects.get(kind="agreements.agreement_pdf")

    html = client.get(job.get_absolute_url()).content.decode()

    name = f"{world.agreement.key}-en.pdf"
    assert job.result["name"] == name
    assert f'<a href="{job.result["url"]}" type="application/pdf" download="{name}">' in html
    assert f"Download the PDF: {name}" in html
    assert "file_id" not in html and "Open the result" not in html
    assert "· Done" not in html  # the state says it: no "done · done"
    stranger = Client()
    stranger.force_login(UserFactory(username="stranger"))
    assert stranger.get(job.get_absolute_url()).status_code == 404
    assert stranger.get(job.result["url"]).status_code == 404
