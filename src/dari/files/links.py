"""Signed, expiring download links for e-mails: whoever holds the link may download the file until
it expires, without signing in.

The token carries the file id and the expiry, signed with the secret key (``TimestampSigner``, salt
``dari.files.download``). A tampered token reads as unknown (404); an expired one as gone (410).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "dari.files.download"
DEFAULT_VALIDITY = timedelta(days=7)


class LinkExpired(Exception):
    pass


@dataclass(frozen=True)
class LinkTarget:
    file_id: int
    expires_at: int  # Unix time


def signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def signed_file_token(
    stored_file, expires_in: timedelta = DEFAULT_VALIDITY, *, now: float | None = None
) -> str:
    issued = time.time() if now is None else now
    return signer().sign_object({"file": stored_file.pk, "expires": int(issued + expires_in.total_seconds())})


def signed_file_url(
    stored_file, expires_in: timedelta = DEFAULT_VALIDITY, *, now: float | None = None
) -> str:
    """An absolute link (``DARI_SITE_URL``) that serves ``stored_file`` without sign-in until it expires."""
    token = signed_file_token(stored_file, expires_in, now=now)
    return settings.SITE_URL + reverse("files:signed-download", args=[token])


def read_token(token: str, *, now: float | None = None) -> LinkTarget:
    """The file a token points to. ``signing.BadSignature`` when tampered, ``LinkExpired`` when late."""
    payload = signer().unsign_object(token)
    if not isinstance(payload, dict) or not isinstance(payload.get("file"), int):
        raise signing.BadSignature("Malformed file link")
    target = LinkTarget(payload["file"], int(payload.get("expires", 0)))
    if (time.time() if now is None else now) > target.expires_at:
        raise LinkExpired(target.file_id)
    return target
