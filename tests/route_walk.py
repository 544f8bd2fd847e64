"""Walk every page and API route of the permission matrix (``test_permission_matrix``) as one persona
and hand back what each answer says, for tests that look for text a persona must not be shown.

The routes come from the matrix's rows, so a route added to the matrix is walked here too. Each
request runs in a savepoint that is rolled back, as the matrix does, so writes leave nothing behind.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.test import Client

from .test_permission_matrix import API, PAGES, Row, request

LANGUAGES = ("ko", "en")


@dataclass(frozen=True)
class Answer:
    where: str
    status: int
    text: str


def matrix_rows(*, reads_only: bool = False) -> list[tuple[Row, bool]]:
    """Every row of the matrix, each with whether it is an API row."""
    rows = [(row, False) for rows in PAGES.values() for row in rows]
    rows += [(row, True) for rows in API.values() for row in rows]
    return [(row, is_api) for row, is_api in rows if not reads_only or row.method == "GET"]


def readable(response) -> str:
    """The body as text: a PDF's text, JSON re-encoded without ``\\u`` escapes, so that Korean text
    can be searched."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(content)
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            pass
    return content.decode("utf-8", errors="replace")


def pdf_text(content: bytes) -> str:
    """The text of a PDF (poppler's ``pdftotext``, which the PDF reports need anyway)."""
    extracted = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return extracted.stdout.decode("utf-8", errors="replace")


def walk(
    user, id_sets: list[dict], *, reads_only: bool = False, extra_paths: tuple[str, ...] = ()
) -> Iterator[Answer]:
    """Answer every matrix row (and each of ``extra_paths``, read) for ``user`` (None: anonymous),
    pages in Korean and English, once per set of ids; a row whose path comes out the same for a
    later set of ids is not requested again."""
    client = Client()
    if user is not None:
        client.force_login(user)
    signed_in = dict(client.cookies.items())
    seen: set[tuple[str, str, str]] = set()
    rows = matrix_rows(reads_only=reads_only)
    rows += [(Row("GET", path, ()), path.startswith("/api/")) for path in extra_paths]
    for ids in id_sets:
        for row, is_api in rows:
            path = row.path.format(**ids)
            for language in ("en",) if is_api else LANGUAGES:
                if (row.method, path, language) in seen:
                    continue
                seen.add((row.method, path, language))
                client.cookies["django_language"] = language
                with transaction.atomic():
                    response = request(client, row, ids)
                    transaction.set_rollback(True)
                if row.method != "GET":  # e.g. signing out: the rollback restored the session, not the cookie
                    for name, morsel in signed_in.items():
                        client.cookies[name] = morsel.value
                yield Answer(f"{row.method} {path} [{language}]", response.status_code, readable(response))
