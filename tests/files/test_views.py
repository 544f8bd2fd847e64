"""Downloads: who may fetch a file, the headers that keep it an attachment, and signed links."""

import base64
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dari.accounts.audit import Actor
from dari.files.links import read_token, signed_file_token, signed_file_url
from dari.files.models import StoredFile
from dari.files.services import store_generated, store_upload

from ..factories import OrganizationFactory
from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(member, startup):
    upload = SimpleUploadedFile("울산 협약서.pdf", PDF_BYTES)
    return store_upload(Actor(member), upload, startup, "document")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_members_and_staff_download_outsiders_and_anonymous_get_404(document, member, staff, outsider):
    assert client_for(member).get(f"/files/{document.pk}/").status_code == 200
    assert client_for(staff).get(f"/files/{document.pk}/").status_code == 200
    assert client_for(outsider).get(f"/files/{document.pk}/").status_code == 404
    assert client_for().get(f"/files/{document.pk}/").status_code == 404


def test_the_uploader_keeps_access_after_leaving_the_organization(document, member):
    member.memberships.all().delete()

    assert client_for(member).get(f"/files/{document.pk}/").status_code == 200


def test_a_public_profile_does_not_make_its_documents_public(outsider, staff):
    public = OrganizationFactory(is_public=True)
    stored = store_generated(Actor(staff), b"Annual report", "report.txt", "text/plain", public, "report")

    assert client_for(outsider).get(public.get_absolute_url()).status_code == 200
    assert client_for(outsider).get(f"/files/{stored.pk}/").status_code == 404
    assert Client().get(f"/files/{stored.pk}/").status_code == 404


def test_download_headers_keep_the_file_an_attachment_with_its_korean_name(document, member):
    response = client_for(member).get(f"/files/{document.pk}/")

    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('울산 협약서.pdf')}"
    assert response["Content-Length"] == str(len(PDF_BYTES))


def test_a_file_missing_on_disk_is_404_not_500(document, staff, files_dir):
    (files_dir / document.relative_path).unlink()

    assert client_for(staff).get(f"/files/{document.pk}/").status_code == 404


def test_a_signed_link_serves_the_file_without_sign_in(document):
    url = signed_file_url(document)

    assert url.startswith("http://127.0.0.1:8000/files/signed/")
    response = client_for().get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_tampered_link_is_404(document):
    token = signed_file_token(document)
    _payload, timestamp, signature = token.split(":")
    other_file = base64.urlsafe_b64encode(b'{"file":999,"expires":9999999999}').decode().rstrip("=")
    forged = f"{other_file}:{timestamp}:{signature}"

    assert client_for().get(f"/files/signed/{token[:-2]}xx/").status_code == 404
    assert client_for().get(f"/files/signed/{forged}/").status_code == 404
    assert client_for().get("/files/signed/not-a-token/").status_code == 404


def test_an_expired_link_is_410(document):
    eight_days_ago = time.time() - timedelta(days=8).total_seconds()
    token = signed_file_token(document, timedelta(days=7), now=eight_days_ago)

    response = client_for().get(f"/files/signed/{token}/")

    assert response.status_code == 410


def test_a_link_expires_exactly_after_its_validity(document):
    issued = 1_700_000_000
    token = signed_file_token(document, timedelta(hours=1), now=issued)

    assert read_token(token, now=issued + 3600).file_id == document.pk
    with pytest.raises(Exception, match=str(document.pk)):
        read_token(token, now=issued + 3601)


def test_members_upload_from_the_organization_page(member, startup):
    client = client_for(member)
    page = client.get(f"/organizations/{startup.pk}/")
    assert 'id="documents"' in page.content.decode()

    response = client.post(
        f"/files/organizations/{startup.pk}/upload/",
        {"file": SimpleUploadedFile("계획.txt", "계획".encode())},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{startup.pk}/#documents"
    stored = StoredFile.objects.get()
    assert (stored.original_filename, stored.uploaded_by) == ("계획.txt", member)
    assert "계획.txt" in client.get(f"/organizations/{startup.pk}/").content.decode()


def test_a_refused_upload_shows_why_and_stores_nothing(member, startup):
    client = client_for(member)
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/files/organizations/{startup.pk}/upload/",
        {"file": SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>")},
        follow=True,
    )

    assert "Files of this kind are not accepted" in response.content.decode()
    assert StoredFile.objects.count() == 0


def test_outsiders_see_no_documents_panel_on_a_public_organization_without_documents(outsider):
    public = OrganizationFactory(is_public=True)

    assert 'id="documents"' not in client_for(outsider).get(f"/organizations/{public.pk}/").content.decode()
