"""What a file really is, read from its bytes, never from its name or the browser's claim.

Dari accepts a short allow-list of document types (PDF, PNG, JPEG, XLSX, CSV and plain text) and
recognizes each by its own signature. Anything else is refused; ``puremagic`` names what it is, so
the refusal can say "Windows executable" rather than "unknown". Text is accepted only when it
decodes as UTF-8 (with or without BOM) or CP949 and carries no markup a browser could run: HTML and
SVG are refused as text because they can hold scripts.

No Django imports: this module is tested on bytes alone.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import puremagic

# How much of the file sniffing reads; every signature below sits in the first few bytes, and text
# checks look at this prefix only (a script hidden after 64 KiB of text is still served as an
# attachment with nosniff, so no browser runs it).
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # the first is the one added to a name that has none
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
PNG = FileType("image/png", (".png",), "PNG image")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG image")
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel workbook"
)
CSV = FileType("text/csv", (".csv",), "CSV table")
TEXT = FileType("text/plain", (".txt", ".md", ".text"), "plain text")
ALLOWED = (PDF, PNG, JPEG, XLSX, CSV, TEXT)

# Markup that makes a "text" file something a browser would render and run.
ACTIVE_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"<head")


class RefusedType(ValueError):
    """The content is not one of the allowed types; ``detected`` names what it seems to be."""

    def __init__(self, detected: str):
        super().__init__(detected)
        self.detected = detected


def sniff(head: bytes, *, open_whole=None, filename: str = "") -> FileType:
    """The allowed type of a file whose first bytes are ``head``, or ``RefusedType``.

    ``open_whole`` (a callable returning a binary file object) is needed only to look inside ZIP
    containers (XLSX); ``filename`` only tells CSV from plain text.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        if open_whole is not None and is_xlsx(open_whole):
            return XLSX
        raise RefusedType(describe(head) or "ZIP archive")
    if looks_like_text(head):
        if any(marker in head.lower() for marker in ACTIVE_MARKUP):
            raise RefusedType("HTML, SVG or XML markup")
        if head.startswith(b"#!"):
            raise RefusedType("script")
        return CSV if filename.lower().endswith(".csv") else TEXT
    raise RefusedType(describe(head) or "unknown binary data")


def is_xlsx(open_whole) -> bool:
    """An Office Open XML workbook: a ZIP holding ``[Content_Types].xml`` and ``xl/workbook.xml``,
    and no macros (``.xlsm`` content is refused, whatever its name)."""
    try:
        with open_whole() as handle, zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names and not has_macros


def looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    # The prefix may end inside a multi-byte character: drop up to 3 trailing bytes before deciding.
    for encoding in ("utf-8-sig", "cp949"):
        for cut in range(4):
            try:
                head[: len(head) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
    return False


def describe(head: bytes) -> str:
    """puremagic's best name for ``head`` ("Windows Executable", "ELF executable"), or ""."""
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return ""
    return matches[0].name if matches else ""


def sniff_bytes(data: bytes, filename: str = "") -> FileType:
    return sniff(data[:SNIFF_BYTES], open_whole=lambda: io.BytesIO(data), filename=filename)
