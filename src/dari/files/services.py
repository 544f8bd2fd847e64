"""Storing files: an upload from a person, or a file Dari generated (a report).

Each call sniffs or trusts the type, writes the bytes under a random name, then records the row and
its audit entry in one transaction. If the transaction fails, the bytes are removed again.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dari.accounts.access import access_for
from dari.accounts.audit import Actor, log_action
from dari.core.services import require

from . import sniffing, storage
from .models import Purpose, StoredFile

# Who may attach files to an object of a given model ("app_label.model"): apps register a predicate
# ``(user, owner) -> bool`` and the objects a user may see (``register_owner``). A model with none
# accepts uploads from staff only.
upload_permissions: dict[str, Callable[[object, object], bool]] = {}
owner_querysets: dict[str, Callable[[object], object]] = {}


def register_owner(label: str, *, may_upload: Callable[[object, object], bool], visible_to) -> None:
    """Let objects of the model ``label`` ("app_label.model") own files: ``may_upload(user, owner)``
    says who adds them, ``visible_to(user)`` the objects a user may reach. The owning app calls it
    from its ``AppConfig.ready``: this platform app knows no domain model."""
    upload_permissions[label] = may_upload
    owner_querysets[label] = visible_to


def visible_owners(label: str, user):
    """The objects of the registered owner model ``label`` that ``user`` may see."""
    try:
        return owner_querysets[label](user)
    except KeyError:
        raise LookupError(f"{label!r} is not a registered file owner (register_owner)") from None


MAX_FILENAME_LENGTH = 200


def type_label(file_type: sniffing.FileType) -> str:
    return {
        sniffing.PDF: _("a PDF document"),
        sniffing.PNG: _("a PNG image"),
        sniffing.JPEG: _("a JPEG image"),
        sniffing.XLSX: _("an Excel workbook"),
        sniffing.CSV: _("a CSV table"),
        sniffing.TEXT: _("plain text"),
    }[file_type]


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def can_upload(user, owner) -> bool:
    if access_for(user).sees_everything:
        return True
    predicate = upload_permissions.get(owner._meta.label_lower)
    return predicate is not None and access_for(user).is_authenticated and predicate(user, owner)


def sanitize_filename(name: str) -> str:
    """A file name safe to show and to put in a header: no directories, no control characters,
    Unicode NFC (macOS sends Korean names decomposed), at most 200 characters, never empty."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    stem, extension = os.path.splitext(name)
    if len(extension) > 10 or not re.fullmatch(r"\.[A-Za-z0-9]*", extension or "."):
        stem, extension = name, ""
    stem = stem[: MAX_FILENAME_LENGTH - len(extension)].strip()
    return f"{stem or 'file'}{extension.lower()}"


def name_for_type(filename: str, file_type: sniffing.FileType) -> str:
    """``filename``, with the type's extension added when it has none; refused when its extension
    says another type (a PNG named ``report.pdf``)."""
    stem, extension = os.path.splitext(filename)
    if not extension:
        return filename + file_type.extensions[0]
    if extension.lower() not in file_type.extensions:
        raise ValidationError(
            _("The file's content is %(kind)s, but its name ends in %(extension)s."),
            code="type_mismatch",
            params={"kind": type_label(file_type), "extension": extension},
        )
    return filename


def sniff_upload(uploaded_file) -> sniffing.FileType:
    uploaded_file.seek(0)
    head = uploaded_file.read(sniffing.SNIFF_BYTES)
    uploaded_file.seek(0)

    def open_whole():
        uploaded_file.seek(0)
        return _Unclosed(uploaded_file)

    try:
        return sniffing.sniff(head, open_whole=open_whole, filename=uploaded_file.name or "")
    except sniffing.RefusedType as refused:
        raise ValidationError(
            _(
                "Files of this kind are not accepted (%(detected)s). "
                "Upload a PDF, PNG, JPEG, Excel (XLSX), CSV or text file."
            ),
            code="refused_type",
            params={"detected": refused.detected},
        ) from refused
    finally:
        uploaded_file.seek(0)


class _Unclosed:
    """The uploaded file as a context manager that does not close it (zipfile closes what it opens)."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self.handle

    def __exit__(self, *exc):
        return False


def store_upload(actor: Actor, uploaded_file, owner, purpose: str) -> StoredFile:
    """Store a file a person uploaded, attached to ``owner`` for ``purpose``.

    Checks that the actor may attach files to ``owner`` (``PermissionDenied``), that the file is not
    empty nor larger than ``DARI_MAX_UPLOAD_MB``, and that its content is an allowed type matching its
    name (``ValidationError``). Records the row and a ``files.file.uploaded`` audit entry.
    """
    require(can_upload(actor.user, owner), _("You may not add files here."))
    if uploaded_file.size > max_upload_bytes():
        raise ValidationError(
            _("The file is larger than %(limit)s MB."),
            code="too_large",
            params={"limit": settings.MAX_UPLOAD_MB},
        )
    if uploaded_file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    file_type = sniff_upload(uploaded_file)
    filename = name_for_type(sanitize_filename(uploaded_file.name), file_type)
    return record(actor, uploaded_file.chunks(), filename, file_type.content_type, owner, purpose, "uploaded")


def store_generated(
    actor: Actor, data: bytes, filename: str, content_type: str, owner, purpose: str
) -> StoredFile:
    """Store a file Dari generated (a report) for ``owner``. The caller vouches for the content and
    its type, and has checked its own permission; records a ``files.file.generated`` audit entry."""
    return record(actor, [data], sanitize_filename(filename), content_type, owner, purpose, "generated")


def record(
    actor: Actor, chunks, filename: str, content_type: str, owner, purpose: str, verb: str
) -> StoredFile:
    if purpose not in Purpose.values:
        raise ValueError(f"Unknown file purpose {purpose!r}")
    if owner.pk is None:
        raise ValueError("Files belong to saved objects")
    try:
        written = storage.write_chunks(chunks)
    except storage.StorageFull as full:
        raise ValidationError(
            _("There is no room to store this file now; nothing of it was kept. Try again later."),
            code="storage_full",
        ) from full
    try:
        with transaction.atomic():
            stored_file = StoredFile.objects.create(
                storage_name=written.storage_name,
                original_filename=filename,
                content_type=content_type,
                size=written.size,
                sha256=written.sha256,
                purpose=purpose,
                owner_type=ContentType.objects.get_for_model(owner, for_concrete_model=False),
                owner_id=owner.pk,
                uploaded_by=actor.user,
            )
            log_action(
                actor,
                f"files.file.{verb}",
                stored_file,
                {
                    "original_filename": [None, filename],
                    "content_type": [None, content_type],
                    "size": [None, written.size],
                    "sha256": [None, written.sha256],
                    "purpose": [None, purpose],
                    "owner": [None, f"{owner._meta.label_lower}:{owner.pk}"],
                },
            )
    except BaseException:
        storage.remove(written.relative_path)
        raise
    return stored_file
