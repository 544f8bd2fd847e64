"""Storing uploads and generated files: limits, sniffed types, names, storage, audit."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.files import storage
from dari.files.checks import files_dir_outside_static
from dari.files.models import StoredFile
from dari.files.services import sanitize_filename, store_generated, store_upload

from .conftest import EXE_BYTES, PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def stored_paths() -> list[Path]:
    return sorted(path for path in Path(settings.FILES_DIR).rglob("*") if path.is_file())


def test_upload_is_stored_by_random_name_with_its_sniffed_type_size_and_hash(member, startup):
    upload = SimpleUploadedFile("사업계획서.pdf", PDF_BYTES, content_type="application/octet-stream")

    stored = store_upload(Actor(member, "10.0.0.1"), upload, startup, "document")

    assert stored.original_filename == "사업계획서.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF_BYTES)
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert stored.owner == startup
    assert stored.uploaded_by == member
    assert len(stored.storage_name) == 64 and "사업" not in stored.storage_name
    assert stored_paths() == [Path(settings.FILES_DIR) / stored.relative_path]
    assert storage.path_of(stored.relative_path).read_bytes() == PDF_BYTES
    entry = AuditEntry.objects.get(action="files.file.uploaded")
    assert (entry.actor, entry.object_id, entry.ip_address) == (member, stored.pk, "10.0.0.1")
    assert entry.changes["sha256"] == [None, stored.sha256]


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(member, startup, settings):
    settings.MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (1024 * 1024))

    with pytest.raises(ValidationError) as refused:
        store_upload(Actor(member), upload, startup, "document")

    assert refused.value.code == "too_large"
    assert StoredFile.objects.count() == 0 and stored_paths() == []


def test_an_executable_named_pdf_is_refused_by_its_content(member, startup):
    upload = SimpleUploadedFile("invoice.pdf", EXE_BYTES, content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        store_upload(Actor(member), upload, startup, "document")

    assert refused.value.code == "refused_type"
    assert StoredFile.objects.count() == 0 and stored_paths() == []


def test_html_named_txt_is_refused(member, startup):
    upload = SimpleUploadedFile("notes.txt", b"<html><body onload='steal()'>hi</body></html>")

    with pytest.raises(ValidationError) as refused:
        store_upload(Actor(member), upload, startup, "document")

    assert refused.value.code == "refused_type"


def test_a_png_named_pdf_is_refused_as_a_mismatch(member, startup):
    with pytest.raises(ValidationError) as refused:
        store_upload(Actor(member), SimpleUploadedFile("report.pdf", PNG_BYTES), startup, "document")

    assert refused.value.code == "type_mismatch"
    assert StoredFile.objects.count() == 0


def test_a_name_without_extension_gets_the_sniffed_one(member, startup):
    stored = store_upload(Actor(member), SimpleUploadedFile("scan", PNG_BYTES), startup, "evidence")

    assert (stored.original_filename, stored.content_type) == ("scan.png", "image/png")


def test_an_empty_file_is_refused(member, startup):
    with pytest.raises(ValidationError):
        store_upload(Actor(member), SimpleUploadedFile("empty.txt", b""), startup, "document")


def test_only_those_who_may_change_the_owner_may_upload(outsider, startup):
    with pytest.raises(PermissionDenied):
        store_upload(Actor(outsider), SimpleUploadedFile("a.txt", b"text"), startup, "document")

    assert StoredFile.objects.count() == 0 and stored_paths() == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\kim\\보고서.PDF", "보고서.pdf"),
        ("\u1100\u1161\u11a8.txt", "\uac01.txt"),  # decomposed Hangul (macOS) becomes composed
        ("  .hidden\x00name\n.csv ", "hiddenname.csv"),
        ("", "file"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_filenames_are_sanitized(given, expected):
    assert sanitize_filename(given) == expected


def test_generated_files_keep_the_given_type(staff, startup):
    stored = store_generated(
        Actor(staff), b"\x00binary report", "kpi 2024.xlsx", "application/x-test", startup, "report"
    )

    assert (stored.original_filename, stored.content_type, stored.purpose) == (
        "kpi 2024.xlsx",
        "application/x-test",
        "report",
    )
    assert AuditEntry.objects.filter(action="files.file.generated", object_id=stored.pk).count() == 1


def test_files_are_stored_outside_every_static_directory(member, startup, client):
    stored = store_upload(Actor(member), SimpleUploadedFile("a.txt", b"secret"), startup, "document")

    assert files_dir_outside_static() == []
    assert finders.find(stored.relative_path) is None
    assert client.get(f"/static/{stored.relative_path}").status_code == 404
    assert client.get(f"/static/files/{stored.relative_path}").status_code == 404


def test_the_system_check_refuses_a_files_dir_inside_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.FILES_DIR = tmp_path / "static" / "uploads"

    assert [error.id for error in files_dir_outside_static()] == ["files.E001"]


def test_a_full_disk_refuses_the_upload_clearly_and_keeps_no_part_of_it(member, startup, monkeypatch):
    real_open = open

    class FullDisk:
        """The file opens, takes its first bytes, then the disk is full."""

        def __init__(self, handle):
            self.handle, self.written = handle, 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            if self.written:
                raise OSError(28, "No space left on device")
            self.written = self.handle.write(data[:10])

        def __getattr__(self, name):
            return getattr(self.handle, name)

    monkeypatch.setattr(storage, "open", lambda *args: FullDisk(real_open(*args)), raising=False)
    upload = SimpleUploadedFile("plan.pdf", PDF_BYTES)
    upload.chunks = lambda: iter([PDF_BYTES[:100], PDF_BYTES[100:]])

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        store_upload(Actor(member), upload, startup, "document")

    assert refused.value.code == "storage_full" and "no room" in refused.value.messages[0]
    assert StoredFile.objects.count() == 0 and stored_paths() == []
    assert not AuditEntry.objects.filter(action="files.file.uploaded").exists()
