"""The Import page (upload, the dry run's report, confirm), the API, and who may use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.exchange.models import ImportRun
from dari.jobs.models import Job
from dari.registry.models import Organization
from tests.factories import ClusterFactory, ParticipantFactory, ProgramFactory, UserFactory

from .helpers import csv_bytes

pytestmark = pytest.mark.django_db

GOOD = "key,kind,name_ko,name_en,cluster\nthyroscope,startup,㈜타이로스코프,Thyroscope,ulsan\n"
BAD = GOOD + "broken,spaceship,,,\n"


@pytest.fixture
def users(db):
    ClusterFactory(key="ulsan")
    program = ProgramFactory(key="p")
    ParticipantFactory(program=program)
    users = {name: UserFactory(username=name) for name in ("member", "manager")}
    users["staff"] = UserFactory(username="staff-user", is_staff=True)
    grant_membership(Actor.system(), users["manager"], Role.PROGRAM_MANAGER, program)
    return users


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def imported() -> bool:
    return Organization.objects.filter(key="thyroscope").exists()


def upload(client, kind: str, data: bytes, name: str = "organizations.csv"):
    return client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_upload_check_report_then_confirm(users, django_capture_on_commit_callbacks):
    client = client_for(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "organizations", csv_bytes(GOOD, "cp949"))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    assert run.state == "checked" and run.report["created"] == 1 and run.check_job.state == "succeeded"
    page = client.get(f"/imports/{run.pk}/")
    assert "1 to add" in page.content.decode() and not imported()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/{run.pk}/confirm/")
    run.refresh_from_db()
    assert response.status_code == 302 and run.state == "imported"
    assert Organization.objects.get(key="thyroscope").name_ko == "㈜타이로스코프"
    assert (
        run.import_job.state == "succeeded" and run.import_job.progress_done == run.import_job.progress_total
    )


def test_the_report_lists_each_bad_row_and_offers_no_import(users, django_capture_on_commit_callbacks):
    client = client_for(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "organizations", csv_bytes(BAD))
    run = ImportRun.objects.get()
    page = client.get(f"/imports/{run.pk}/").content.decode()

    assert "spaceship is not one of" in page and "Row 3, <code>kind</code>" in page
    assert "/confirm/" not in page
    assert client.post(f"/imports/{run.pk}/confirm/").status_code == 302
    run.refresh_from_db()
    assert run.state == "checked" and not imported()


def test_the_report_reads_in_the_language_of_the_one_who_uploaded(users, django_capture_on_commit_callbacks):
    client = client_for(users["staff"])
    client.cookies["django_language"] = "ko"
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "organizations", csv_bytes("key,kind,name_en\nx,startup,\n"))
    run = ImportRun.objects.get()
    assert run.language == "ko"
    assert run.report["problems"][0]["message"] == "한국어나 영어로 이름을 입력하세요."


def test_who_may_open_the_import_page(users):
    assert Client().get("/imports/").status_code == 302
    assert client_for(users["member"]).get("/imports/").status_code == 403
    manager_page = client_for(users["manager"]).get("/imports/")
    assert manager_page.status_code == 200
    kinds = [choice[0] for choice in manager_page.context["form"].fields["kind"].choices]
    assert kinds == ["participants", "outcomes"]
    response = upload(client_for(users["manager"]), "organizations", csv_bytes(GOOD))
    assert response.status_code == 400 and ImportRun.objects.count() == 0


def test_another_user_cannot_see_or_confirm_a_run(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(users["staff"]), "organizations", csv_bytes(GOOD))
    run = ImportRun.objects.get()
    manager = client_for(users["manager"])
    assert manager.get(f"/imports/{run.pk}/").status_code == 404
    assert manager.post(f"/imports/{run.pk}/confirm/").status_code == 404
    assert not imported()


def test_the_api_imports_all_or_nothing_with_a_row_report(users):
    client = client_for(users["staff"])
    bad = client.post("/api/v1/imports/organizations", {"file": SimpleUploadedFile("o.csv", csv_bytes(BAD))})
    assert bad.status_code == 422
    first = bad.json()["detail"][0]
    assert first["loc"] == ["body", "file", 3, "kind"] and first["type"] == "bad_row"
    assert first["msg"].startswith("spaceship is not one of")
    dry = client.post(
        "/api/v1/imports/organizations?dry_run=true", {"file": SimpleUploadedFile("o.csv", csv_bytes(GOOD))}
    )
    assert dry.status_code == 200 and dry.json()["created"] == 1 and not imported()
    done = client.post(
        "/api/v1/imports/organizations", {"file": SimpleUploadedFile("o.csv", csv_bytes(GOOD))}
    )
    assert done.status_code == 200 and imported()
    again = client.post(
        "/api/v1/imports/organizations", {"file": SimpleUploadedFile("o.csv", csv_bytes(GOOD))}
    )
    assert again.json()["unchanged"] == 1


def test_the_api_refuses_those_who_may_not_import(users):
    response = client_for(users["member"]).post(
        "/api/v1/imports/outcomes", {"file": SimpleUploadedFile("o.csv", csv_bytes(GOOD))}
    )
    assert response.status_code == 403
    response = client_for(users["manager"]).post(
        "/api/v1/imports/organizations", {"file": SimpleUploadedFile("o.csv", csv_bytes(GOOD))}
    )
    assert response.status_code == 403 and not imported()


def test_templates_and_exports_through_the_api(users):
    client = client_for(users["member"])
    template = client.get("/api/v1/imports/templates/people?format=csv")
    assert template.status_code == 200 and template.content.decode("utf-8-sig").startswith(
        "key,name_ko,name_en"
    )
    export = client.get("/api/v1/exports/organizations?format=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert Client().get("/api/v1/exports/organizations").status_code == 401


def test_the_lists_link_their_exports(users):
    page = client_for(users["staff"]).get("/organizations/").content.decode()
    assert 'href="/exports/organizations.csv"' in page and 'href="/exports/people.xlsx"' in page
    assert 'href="/imports/"' in page
    member_page = client_for(users["member"]).get("/outcomes/").content.decode()
    assert 'href="/exports/outcomes.csv"' in member_page and 'href="/imports/"' not in member_page
    assert Job.objects.count() == 0


def test_the_import_checks_every_row_again_and_fails_on_what_changed_since_the_dry_run(
    users, django_capture_on_commit_callbacks
):
    from dari.registry.models import Cluster

    client = client_for(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "organizations", csv_bytes(GOOD))
    run = ImportRun.objects.get()
    Cluster.objects.filter(key="ulsan").delete()  # meanwhile, the file's cluster goes

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{run.pk}/confirm/")
    run.refresh_from_db()

    assert run.state == "failed" and not imported()
    assert [(problem["row"], problem["column"]) for problem in run.report["problems"]] == [(2, "cluster")]
    assert "No cluster has the key ulsan." in client.get(f"/imports/{run.pk}/").content.decode()


def test_an_api_import_in_the_background_is_checked_then_confirmed_as_jobs(
    users, django_capture_on_commit_callbacks
):
    client = client_for(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/imports/organizations?background=true",
            {"file": SimpleUploadedFile("o.csv", csv_bytes(GOOD))},
        )
    assert started.status_code == 202, started.content
    run_id = started.json()["id"]
    run = client.get(f"/api/v1/imports/runs/{run_id}").json()
    assert run["state"] == "checked" and run["report"]["created"] == 1 and not imported()
    job = client.get(f"/api/v1/jobs/{run['check_job']}").json()
    assert job["state"] == "succeeded" and job["percent"] == 100
    assert client_for(users["manager"]).get(f"/api/v1/imports/runs/{run_id}").status_code == 404
    assert client_for(users["manager"]).post(f"/api/v1/imports/runs/{run_id}/confirm").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/api/v1/imports/runs/{run_id}/confirm")
    assert confirmed.status_code == 202 and confirmed.json()["import_job"]
    assert client.get(f"/api/v1/imports/runs/{run_id}").json()["state"] == "imported" and imported()
    again = client.post(f"/api/v1/imports/runs/{run_id}/confirm")
    assert again.status_code == 422 and not Organization.objects.filter(key="broken").exists()


def test_a_bad_file_in_the_background_is_reported_and_cannot_be_confirmed(
    users, django_capture_on_commit_callbacks
):
    client = client_for(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        run_id = client.post(
            "/api/v1/imports/organizations?background=true",
            {"file": SimpleUploadedFile("o.csv", csv_bytes(BAD))},
        ).json()["id"]
    report = client.get(f"/api/v1/imports/runs/{run_id}").json()["report"]
    assert [(problem["row"], problem["column"]) for problem in report["problems"]][0] == (3, "kind")
    refused = client.post(f"/api/v1/imports/runs/{run_id}/confirm")
    assert refused.status_code == 422 and not imported()
    both = client.post(
        "/api/v1/imports/organizations?background=true&dry_run=true",
        {"file": SimpleUploadedFile("o.csv", csv_bytes(GOOD))},
    )
    assert both.status_code == 422 and both.json()["detail"][0]["loc"][-1] == "dry_run"
    text = client.post(
        "/api/v1/imports/organizations?background=true", {"file": SimpleUploadedFile("o.txt", b"x")}
    )
    assert text.status_code == 422 and ImportRun.objects.count() == 1
