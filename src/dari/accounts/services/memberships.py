"""Memberships: who may grant which role where, granting and revoking."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from dari.core.services import require

from ..access import access_for, forget_access
from ..audit import Actor, log_action
from ..models import ROLE_SCOPES, Membership, Role, User


@transaction.atomic
def ensure_demo_superuser(username: str, password: str) -> User:
    """Create the demo superuser, or reset its password and rights; idempotent."""
    user, _created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@dari.invalid"}
    )
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    # Its placeholder address can receive nothing; without this the demo would nag to verify it.
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
    if not user.check_password(password):
        user.set_password(password)
    user.save()
    return user


def can_grant(user, role: str, scope) -> bool:
    """Staff grant any role; an organization's administrators grant its member and admin roles;
    a program's managers grant its manager and reviewer roles; a partnering event's organizers
    grant its organizer and delegate roles."""
    access = access_for(user)
    if access.sees_everything:
        return True
    if role in (Role.ORGANIZATION_MEMBER, Role.ORGANIZATION_ADMIN):
        return scope is not None and scope.pk in access.administered_organization_ids
    if role in (Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER):
        return scope is not None and scope.pk in access.managed_program_ids
    if role in (Role.EVENT_ORGANIZER, Role.EVENT_DELEGATE):
        return scope is not None and scope.pk in access.organized_event_ids
    return False


def scope_parts(role: str, scope) -> tuple[ContentType | None, int | None]:
    expected = ROLE_SCOPES.get(role, "unknown")
    if expected == "unknown":
        raise ValidationError({"role": f"Unknown role {role!r}"})
    if expected is None:
        if scope is not None:
            raise ValidationError({"scope": f"The role {role} holds everywhere; give no scope"})
        return None, None
    # The scope's own model says what it is: accounts looks no later app's model up.
    if not isinstance(scope, models.Model) or scope._meta.label_lower != expected:
        raise ValidationError({"scope": f"The role {role} needs a scope of type {expected}"})
    return ContentType.objects.get_for_model(scope), scope.pk


@transaction.atomic
def grant_membership(actor: Actor, user: User, role: str, scope=None) -> Membership:
    """Give ``user`` the ``role`` in ``scope``; idempotent. Raises PermissionDenied or ValidationError."""
    # Dari itself (Actor.system(): the demo, imports) grants freely; an anonymous actor grants nothing.
    require(actor.is_system or can_grant(actor.user, role, scope), "You may not grant this role here.")
    scope_type, scope_id = scope_parts(role, scope)
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, scope_type=scope_type, scope_id=scope_id, defaults={"granted_by": actor.user}
    )
    if created:
        log_action(
            actor,
            "accounts.membership.granted",
            membership,
            {"user": user.pk, "role": role, "scope": scope_id},
        )
    forget_access(user)
    return membership


@transaction.atomic
def revoke_membership(actor: Actor, membership: Membership) -> None:
    require(
        actor.is_system or can_grant(actor.user, membership.role, membership.scope),
        "You may not revoke this role here.",
    )
    log_action(
        actor,
        "accounts.membership.revoked",
        membership,
        {"user": membership.user_id, "role": membership.role, "scope": membership.scope_id},
    )
    membership.delete()
    forget_access(membership.user)
