"""``/api/v1/files``: a file's metadata with its download link, and uploading an organization's
documents (multipart form: ``organization_id`` and ``file``)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from dari.accounts.audit import Actor
from dari.core.api import WRITE_ERRORS, absolute_url, errors, signed_in

from . import services
from .models import Purpose, StoredFile
from .permissions import can_view_file, shown_filename

router = Router(tags=["files"])


class FileOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    purpose: str
    owner_type: str
    owner_id: int
    uploaded_at: datetime
    time_zone: str
    download_url: str
    web_url: str

    @staticmethod
    def resolve_filename(stored_file, context):
        return shown_filename(context["request"].user, stored_file)

    @staticmethod
    def resolve_owner_type(stored_file):
        return f"{stored_file.owner_type.app_label}.{stored_file.owner_type.model}"

    @staticmethod
    def resolve_uploaded_at(stored_file):
        return stored_file.created_at

    @staticmethod
    def resolve_time_zone(stored_file):
        return "UTC"

    @staticmethod
    def resolve_download_url(stored_file, context):
        return absolute_url(context, stored_file.get_absolute_url())

    @staticmethod
    def resolve_web_url(stored_file, context):
        return absolute_url(context, stored_file.get_absolute_url())


@router.get("/{file_id}", response={200: FileOut, **errors(404)}, summary="One file's metadata")
def get_file(request, file_id: int):
    """Staff, the uploader, and whoever may see the object the file belongs to; 404 for anyone else."""
    stored_file = get_object_or_404(StoredFile.objects.select_related("owner_type"), pk=file_id)
    if not can_view_file(request.user, stored_file):
        raise Http404
    return stored_file


@router.post(
    "",
    response={201: FileOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Upload an organization's document",
)
def upload_file(request, organization_id: Form[int], file: File[UploadedFile]):
    """The organization's members and staff. The type is read from the content (PDF, PNG, JPEG, XLSX,
    CSV, text); at most ``DARI_MAX_UPLOAD_MB``."""
    organization = get_object_or_404(
        services.visible_owners("registry.organization", request.user), pk=organization_id
    )
    try:
        stored_file = services.store_upload(Actor.from_request(request), file, organization, Purpose.DOCUMENT)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return Status(201, stored_file)
