"""Invitations: a manager offers a role in a scope by e-mail; whoever opens the link accepts it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dari.core.services import require

from ..audit import Actor, log_action
from ..keys import hash_secret, new_secret
from ..mail import absolute, send_bilingual_mail
from ..models import Invitation, User
from .memberships import can_grant, grant_membership, scope_parts

# Why a link no longer works, as the acceptance page tells it.
UNUSABLE = {
    Invitation.Status.ACCEPTED: _("This invitation has already been accepted."),
    Invitation.Status.REVOKED: _("This invitation was withdrawn by the person who sent it."),
    Invitation.Status.EXPIRED: _(
        "This invitation has expired. Ask the person who invited you for a new one."
    ),
}


@transaction.atomic
def invite(actor: Actor, email: str, role: str, scope=None) -> Invitation:
    """Invite ``email`` to hold ``role`` in ``scope``.

    Effects: an ``Invitation`` valid for ``settings.INVITATION_VALIDITY``, an audit entry
    ``accounts.invitation.created``, and, once the transaction commits, an e-mail in both languages
    with the acceptance link (the only place the token ever appears).
    Raises ``PermissionDenied`` unless the actor may grant the role there, ``ValidationError`` for a
    role and scope that do not fit.
    """
    require(
        actor.user is not None and can_grant(actor.user, role, scope), "You may not grant this role here."
    )
    scope_type, scope_id = scope_parts(role, scope)
    token = new_secret()
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=User.objects.normalize_email(email),
        role=role,
        scope_type=scope_type,
        scope_id=scope_id,
        token_hash=hash_secret(token),
        invited_by=actor.user,
        created_at=now,
        expires_at=now + settings.INVITATION_VALIDITY,
    )
    log_action(
        actor,
        "accounts.invitation.created",
        invitation,
        {"email": invitation.email, "role": role, "scope": scope_id},
    )
    context = {
        "invitation": invitation,
        "inviter": actor.user,
        "scope_name": str(scope) if scope is not None else "",
        "accept_url": absolute(reverse("accounts:invitation-accept", args=[token])),
    }
    # Kept with the invitation and sent after the commit (dari.accounts.mail). Its text holds the
    # token, so the outbox blanks it once sent; an account already at the address is its recipient,
    # so that erasing that account deletes it too.
    send_bilingual_mail(
        [invitation.email],
        "invitation",
        context,
        recipient=User.objects.filter(email__iexact=invitation.email, is_active=True).order_by("pk").first(),
        holds_secret=True,
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The invitation whose link carries ``token``, whatever its status, or None."""
    return Invitation.objects.filter(token_hash=hash_secret(token)).select_related("invited_by").first()


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User | None = None, *, new_user: dict | None = None):
    """Accept ``invitation`` as the signed-in ``user``, or as a new account built from ``new_user``
    (``username``, ``password``, ``language``, ``time_zone``; its e-mail is the invited address,
    verified by the very fact that the link reached it).

    Effects: the membership, granted in the inviter's name (so an inviter who has since lost the
    right cannot grant it any more); the invitation marked accepted; audit entries for both.
    Raises ``ValidationError`` when the invitation is no longer usable, ``PermissionDenied`` when its
    inviter may no longer grant the role. Returns the user who accepted.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    status = invitation.status
    if status != Invitation.Status.PENDING:
        raise ValidationError(UNUSABLE[status], code=status)
    require(invitation.invited_by is not None, "The account that sent this invitation no longer exists.")
    if user is None:
        user = User(
            username=new_user["username"],
            email=invitation.email,
            language=new_user["language"],
            time_zone=new_user["time_zone"],
            email_verified_at=timezone.now(),
        )
        user.set_password(new_user["password"])
        user.save()
        log_action(Actor(user), "accounts.user.created", user, {"invitation": invitation.pk})
    grant_membership(Actor(invitation.invited_by), user, invitation.role, invitation.scope)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log_action(Actor(user), "accounts.invitation.accepted", invitation, {"accepted_by": user.pk})
    return user


@transaction.atomic
def revoke_invitation(actor: Actor, invitation: Invitation) -> None:
    """Withdraw a pending invitation. Its sender, or anyone who may grant its role there, may."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    allowed = actor.user is not None and (
        invitation.invited_by_id == actor.user.pk or can_grant(actor.user, invitation.role, invitation.scope)
    )
    require(allowed, "You may not withdraw this invitation.")
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be withdrawn."), code="not_pending")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_action(
        actor,
        "accounts.invitation.revoked",
        invitation,
        {"revoked_at": [None, invitation.revoked_at.isoformat()]},
    )
