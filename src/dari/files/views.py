"""Downloads (after a permission check, or through a signed link) and the organization upload form."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dari.accounts.audit import Actor

from . import services, storage
from .links import LinkExpired, read_token
from .models import Purpose, StoredFile
from .permissions import can_view_file, shown_filename

logger = logging.getLogger(__name__)


def file_response(stored_file: StoredFile, filename: str | None = None) -> FileResponse:
    """The file as an attachment (named ``filename``, else its original name) that no browser
    renders or caches for others."""
    try:
        handle = open(storage.path_of(stored_file.relative_path), "rb")  # FileResponse closes it
    except FileNotFoundError:
        logger.error("Stored file %s (%s) is missing from the files directory", stored_file.pk, stored_file)
        raise Http404("File missing") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename or stored_file.original_filename,
        content_type=stored_file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def download(request, pk: int):
    """Staff, the uploader, and whoever may see the file's owner; anyone else gets 404."""
    stored_file = get_object_or_404(StoredFile.objects.select_related("owner_type"), pk=pk)
    if not can_view_file(request.user, stored_file):
        raise Http404("No such file")
    return file_response(stored_file, shown_filename(request.user, stored_file))


@require_GET
def signed_download(request, token: str):
    try:
        target = read_token(token)
    except signing.BadSignature:
        raise Http404("No such link") from None
    except LinkExpired:
        return HttpResponse(_("This download link has expired."), status=410, content_type="text/plain")
    stored_file = get_object_or_404(StoredFile, pk=target.file_id)
    return file_response(stored_file)


@login_required
@require_POST
def organization_upload(request, pk: int):
    """Add a document to an organization the user may change; back to its page with the outcome."""
    organization = get_object_or_404(services.visible_owners("registry.organization", request.user), pk=pk)
    uploaded = request.FILES.get("file")
    try:
        if uploaded is None:
            if not services.can_upload(request.user, organization):
                raise PermissionDenied
            raise ValidationError(_("Choose a file to upload."))
        stored_file = services.store_upload(
            Actor.from_request(request), uploaded, organization, Purpose.DOCUMENT
        )
    except PermissionDenied:
        raise PermissionDenied(_("You may not add files here.")) from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Uploaded %(name)s.") % {"name": stored_file.original_filename})
    return redirect(organization.get_absolute_url() + "#documents")
