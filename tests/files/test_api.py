"""``/api/v1/files``: metadata with a download link, and uploads of an organization's documents."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dari.accounts.audit import Actor
from dari.files.models import StoredFile
from dari.files.services import store_generated

from .conftest import EXE_BYTES, PDF_BYTES

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_file_metadata_with_download_url(member, startup):
    stored = store_generated(Actor.system(), b"KPI", "지표.txt", "text/plain", startup, "document")

    body = client_for(member).get(f"/api/v1/files/{stored.pk}").json()

    assert body == {
        "id": stored.pk,
        "filename": "지표.txt",
        "content_type": "text/plain",
        "size": 3,
        "sha256": hashlib.sha256(b"KPI").hexdigest(),
        "purpose": "document",
        "owner_type": "registry.organization",
        "owner_id": startup.pk,
        "uploaded_at": body["uploaded_at"],
        "time_zone": "UTC",
        "download_url": f"http://testserver/files/{stored.pk}/",
        "web_url": f"http://testserver/files/{stored.pk}/",
    }
    assert body["uploaded_at"].endswith("Z") or "+00:00" in body["uploaded_at"]


def test_outsiders_get_404_for_file_metadata(outsider, startup):
    stored = store_generated(Actor.system(), b"KPI", "kpi.txt", "text/plain", startup, "report")

    assert client_for(outsider).get(f"/api/v1/files/{stored.pk}").status_code == 404
    assert client_for().get(f"/api/v1/files/{stored.pk}").status_code == 404


def test_members_upload_a_document(member, startup):
    response = client_for(member).post(
        "/api/v1/files", {"organization_id": startup.pk, "file": SimpleUploadedFile("plan.pdf", PDF_BYTES)}
    )

    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf"
    assert StoredFile.objects.get().owner == startup


def test_an_executable_upload_is_422_with_the_reason(member, startup):
    response = client_for(member).post(
        "/api/v1/files", {"organization_id": startup.pk, "file": SimpleUploadedFile("plan.pdf", EXE_BYTES)}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "file"]
    assert StoredFile.objects.count() == 0


def test_outsiders_cannot_upload_to_an_organization_they_cannot_see(outsider, startup):
    response = client_for(outsider).post(
        "/api/v1/files", {"organization_id": startup.pk, "file": SimpleUploadedFile("a.txt", b"a")}
    )

    assert response.status_code == 404
    assert StoredFile.objects.count() == 0
