"""A user's own settings: language, time zone, and the proof that their e-mail address is theirs."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dari.core.services import Fields, require

from .. import audit
from ..audit import Actor, log_action
from ..mail import absolute, send_bilingual_mail
from ..models import User

PROFILE = Fields(creatable=("language", "time_zone"))
VERIFICATION_SALT = "dari.accounts.verify-email"


@transaction.atomic
def update_profile(actor: Actor, user: User, values: dict) -> User:
    """Change ``user``'s ``language`` and ``time_zone`` (validated as an IANA zone); the user
    themself only. Audit: accounts.user.profile_changed when something changed. Raises
    ``PermissionDenied`` or ``ValidationError``."""
    require(actor.user is not None and actor.user.pk == user.pk, "You may only change your own settings.")
    return audit.update(actor, user, values, PROFILE, "accounts.user.profile_changed")


def verification_token(user: User) -> str:
    """A signed, timestamped token naming the user and the address; changing the address voids it."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFICATION_SALT)


def send_verification_email(user: User) -> None:
    """E-mail ``user`` a link that verifies their address, kept in the outbox with the current
    transaction and sent after it commits (retried while the mail server is away)."""
    if not user.email:
        return
    context = {
        "user": user,
        "verify_url": absolute(reverse("accounts:verify-email", args=[verification_token(user)])),
        "max_age_days": settings.EMAIL_VERIFICATION_MAX_AGE.days,
    }
    send_bilingual_mail([user.email], "verify_email", context, recipient=user, holds_secret=True)


@transaction.atomic
def verify_email(token: str) -> User:
    """Mark the address named by ``token`` verified; idempotent. Raises ``ValidationError`` for a
    forged, expired or outdated token (the address changed since it was sent)."""
    try:
        payload = signing.loads(
            token, salt=VERIFICATION_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired as error:
        raise ValidationError(_("This verification link has expired."), code="expired") from error
    except signing.BadSignature as error:
        raise ValidationError(_("This verification link is not valid."), code="invalid") from error
    user = User.objects.select_for_update().filter(pk=payload.get("user"), is_active=True).first()
    if user is None or user.email != payload.get("email"):
        raise ValidationError(_("This verification link is not valid."), code="invalid")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        log_action(Actor(user), "accounts.user.email_verified", user, {"email": user.email})
    return user
