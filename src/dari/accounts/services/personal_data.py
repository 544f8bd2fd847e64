"""A user's personal data (Korea's PIPA, the GDPR): the export of everything Dari holds about them,
and the deletion of their account.

Later apps contribute their own part of both through ``dari.core.personal_data`` (the registry adds
the person record linked to the user).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dari.core import personal_data
from dari.core.services import require

from ..access import access_for, forget_access
from ..audit import Actor, log_action
from ..models import ApiToken, AuditEntry, Invitation, Membership, RegistrationRequest, User

EXPORT_FORMAT = "dari.personal-data/1"
DELETED_ACTOR_LABEL = "deleted user"
LAST_SUPERUSER = _(
    "This is the last active superuser account. Make another account a superuser before deleting it."
)


def iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def scope_name(row) -> str | None:
    """The name of a membership's or invitation's scope, or None for a partnership-wide role."""
    if row.scope_type_id is None:
        return None
    scope = row.scope
    return str(scope) if scope is not None else f"{row.scope_type.model} {row.scope_id}"


def invitations_received(user: User):
    """Invitations addressed to the user's e-mail address, or that they accepted."""
    condition = Q(accepted_by=user)
    if user.email:
        condition |= Q(email__iexact=user.email)
    return Invitation.objects.filter(condition)


def export_personal_data(user: User) -> dict:
    """Everything Dari holds about ``user`` as JSON-safe values: the account (never the password
    hash), memberships, invitations sent and received, registration requests, API tokens (never the
    key hash), the audit entries of what they did, and what later apps hold (see
    ``dari.core.personal_data``). Reads only; times as ISO 8601 in UTC."""
    memberships = Membership.objects.filter(user=user).select_related("scope_type").order_by("pk")
    sent = Invitation.objects.filter(invited_by=user).select_related("scope_type").order_by("pk")
    received = invitations_received(user).select_related("scope_type", "invited_by").order_by("pk")
    entries = AuditEntry.objects.filter(actor=user).select_related("object_type").order_by("created_at", "pk")
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": iso(timezone.now()),
        "account": {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "email_verified_at": iso(user.email_verified_at),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "time_zone": user.time_zone,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        },
        "memberships": [
            {"role": row.role, "scope": scope_name(row), "granted_at": iso(row.granted_at)}
            for row in memberships
        ],
        "invitations_sent": [
            {
                "email": row.email,
                "role": row.role,
                "scope": scope_name(row),
                "status": row.status,
                "created_at": iso(row.created_at),
                "expires_at": iso(row.expires_at),
            }
            for row in sent
        ],
        "invitations_received": [
            {
                "email": row.email,
                "role": row.role,
                "scope": scope_name(row),
                "invited_by": row.invited_by.username if row.invited_by else None,
                "status": row.status,
                "created_at": iso(row.created_at),
                "accepted_at": iso(row.accepted_at),
            }
            for row in received
        ],
        "registration_requests": [
            {
                "kind": row.kind,
                "organization_id": row.organization_id,
                "name_ko": row.name_ko,
                "name_en": row.name_en,
                "website": row.website,
                "description_ko": row.description_ko,
                "description_en": row.description_en,
                "message": row.message,
                "status": row.status,
                "created_at": iso(row.created_at),
                "decided_at": iso(row.decided_at),
                "decision_note": row.decision_note,
            }
            for row in RegistrationRequest.objects.filter(user=user).order_by("pk")
        ],
        "api_tokens": [
            {
                "name": row.name,
                "prefix": row.prefix,
                "created_at": iso(row.created_at),
                "last_used_at": iso(row.last_used_at),
                "expires_at": iso(row.expires_at),
                "revoked_at": iso(row.revoked_at),
            }
            for row in ApiToken.objects.filter(user=user).order_by("pk")
        ],
        "audit_entries": [
            {
                "action": row.action,
                "object_type": f"{row.object_type.app_label}.{row.object_type.model}",
                "object": row.object_label,
                "time": iso(row.created_at),
                "ip_address": row.ip_address,
            }
            for row in entries
        ],
    }
    for key, exporter in personal_data.exporters.items():
        data[key] = exporter(user)
    return data


def can_delete_account(user, account: User) -> bool:
    """Users delete their own account; staff delete others' (on a request received by mail), but
    only a superuser may delete a superuser."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk == account.pk:
        return True
    return access_for(user).sees_everything and (user.is_superuser or not account.is_superuser)


def is_last_active_superuser(account: User) -> bool:
    return (
        account.is_superuser
        and account.is_active
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=account.pk).exists()
    )


@transaction.atomic
def delete_account(actor: Actor, user: User) -> User:
    """Erase ``user``'s personal data while keeping the records they touched intact.

    Effects, in one transaction: the account is anonymized (username ``deleted-<id>``, e-mail and
    names blank, an unusable password, inactive, no staff rights; language and time zone kept, they
    identify no one); their API tokens, memberships, pending registration requests and the pending
    invitations addressed to them are deleted; the pending invitations they sent are withdrawn; the
    e-mail address is blanked on the other invitations addressed to them; their audit entries keep
    the action and the object but read "deleted user" and lose the IP address; sign-in attempts
    recorded under their username are deleted; later apps erase their part (the registry unlinks the
    person record and withdraws a consent to be listed); one audit entry ``accounts.user.deleted``
    without personal data. Foreign keys keep pointing at the anonymized row, so histories hold.

    The caller logs the user out when they deleted themselves. Raises ``PermissionDenied``, and
    ``ValidationError`` for the last active superuser.
    """
    require(can_delete_account(actor.user, user), "You may not delete this account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_last_active_superuser(user):
        raise ValidationError(LAST_SUPERUSER, code="last_superuser")
    old_username, old_email = user.username, user.email
    now = timezone.now()

    counts = {
        "api_tokens": ApiToken.objects.filter(user=user).delete()[0],
        "memberships": Membership.objects.filter(user=user).delete()[0],
        "registration_requests": RegistrationRequest.objects.filter(
            user=user, status=RegistrationRequest.Status.PENDING
        ).delete()[0],
    }
    received = invitations_received(user)
    pending = Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
    counts["invitations_received"] = received.filter(pending).delete()[0]
    received.update(email="")
    counts["invitations_withdrawn"] = (
        Invitation.objects.filter(invited_by=user).filter(pending).update(revoked_at=now)
    )

    deleted_username = f"deleted-{user.pk}"
    forget_sign_in_attempts(old_username)

    user.username = deleted_username
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.email_verified_at = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    forget_access(user)

    if actor.user is not None and actor.user.pk == user.pk:
        actor = Actor(user)  # the anonymized row, with no IP address
    for eraser in personal_data.erasers:
        eraser(actor, user)
    log_action(actor, "accounts.user.deleted", user, {"deleted": counts})
    anonymize_audit_entries(user, old_username, old_email)
    return user


def anonymize_audit_entries(user: User, old_username: str, old_email: str) -> None:
    """The entries stay (they are other objects' history, and their foreign keys still point at the
    anonymized row); what identified the user goes: their name as actor, their IP addresses, their
    username in the labels of their own rows, their e-mail address in recorded changes."""
    AuditEntry.objects.filter(actor=user).update(actor_label=DELETED_ACTOR_LABEL, ip_address=None)
    own_types = ContentType.objects.get_for_models(User, Membership, ApiToken, RegistrationRequest).values()
    labelled = AuditEntry.objects.filter(object_type__in=own_types).filter(
        Q(object_label=old_username) | Q(object_label__startswith=f"{old_username} – ")
    )
    for entry in labelled:
        entry.object_label = user.username + entry.object_label[len(old_username) :]
        entry.save(update_fields=["object_label"])
    if old_email:
        for entry in AuditEntry.objects.filter(changes__email=old_email):
            entry.changes = {**entry.changes, "email": ""}
            entry.save(update_fields=["changes"])
        for entry in AuditEntry.objects.filter(object_label__contains=old_email):
            entry.object_label = entry.object_label.replace(old_email, user.username)
            entry.save(update_fields=["object_label"])


def forget_sign_in_attempts(username: str) -> None:
    """django-axes records failed and successful sign-ins with the username and the IP address."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
