"""API tokens: keys that scripts send as ``Authorization: Bearer <key>``."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from dari.core.services import require

from ..access import access_for
from ..audit import Actor, log_action
from ..keys import hash_secret, new_secret
from ..models import ApiToken, User

KEY_PREFIX = "dari_"
SHOWN_PREFIX_LENGTH = 12


@transaction.atomic
def create_api_token(actor: Actor, user: User, name: str, expires_at: datetime | None = None):
    """Create a token for ``user`` (only the user themselves may). Returns ``(token, key)``: the key
    is shown to the user once and stored only as a hash. Audited."""
    require(actor.user is not None and actor.user.pk == user.pk, "You may only create tokens for yourself.")
    key = KEY_PREFIX + new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:SHOWN_PREFIX_LENGTH],
        key_hash=hash_secret(key),
        expires_at=expires_at,
    )
    log_action(
        actor,
        "accounts.api_token.created",
        token,
        {"name": name, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return token, key


@transaction.atomic
def revoke_api_token(actor: Actor, token: ApiToken) -> None:
    """Revoke ``token`` at once; its owner and staff may. Idempotent. Audited."""
    require(
        actor.user is not None and (actor.user.pk == token.user_id or access_for(actor.user).sees_everything),
        "You may not revoke this token.",
    )
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_action(
        actor, "accounts.api_token.revoked", token, {"revoked_at": [None, token.revoked_at.isoformat()]}
    )


def user_for_key(key: str) -> User | None:
    """The active owner of the usable token ``key``, or None. Records when the token was last used,
    at most once a minute, so a busy script does not turn every read into a write."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not token.is_usable:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
