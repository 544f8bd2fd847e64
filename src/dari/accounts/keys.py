"""Random secrets handed out once (invitation links, API keys) and the hashes stored in their place."""

import hashlib
import secrets


def new_secret() -> str:
    """A URL-safe random string carrying 256 bits."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """SHA-256 hex digest. Enough for random 256-bit secrets: there is no dictionary to attack."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
