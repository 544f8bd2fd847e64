"""What a user may see of accounts: the scopes they may invite to, their invitations, the
registration requests they decide."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from .access import ORGANIZATION_ROLES, access_for
from .models import ROLE_SCOPES, Invitation, Membership, RegistrationRequest, Role


def grantable_roles(user) -> list[str]:
    """The roles ``user`` may grant somewhere (see ``services.can_grant``)."""
    access = access_for(user)
    if access.sees_everything:
        return list(Role.values)
    roles = []
    if access.administered_organization_ids:
        roles += [Role.ORGANIZATION_MEMBER, Role.ORGANIZATION_ADMIN]
    if access.managed_program_ids:
        roles += [Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER]
    if access.organized_event_ids:
        roles += [Role.EVENT_ORGANIZER, Role.EVENT_DELEGATE]
    return roles


def can_invite(user) -> bool:
    return bool(grantable_roles(user))


def grantable_scopes(user) -> dict[str, list]:
    """``{"registry.organization": [...], "programs.program": [...], "partnering.event": [...]}``:
    the objects in which ``user`` may grant at least one role, by name."""
    access = access_for(user)
    scoped = {
        "registry.organization": access.administered_organization_ids,
        "programs.program": access.managed_program_ids,
        "partnering.event": access.organized_event_ids,
    }
    found = {}
    for label, ids in scoped.items():
        model = apps.get_model(label)
        queryset = model.objects.all() if access.sees_everything else model.objects.filter(pk__in=ids)
        found[label] = list(queryset.order_by("name_en", "name_ko", "pk"))
    return found


def scope_label(role: str) -> str | None:
    return ROLE_SCOPES.get(role)


def pending(queryset):
    return queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def invitations_visible_to(user):
    """Pending invitations the user may follow and withdraw: their own; staff see everyone's."""
    invitations = pending(
        Invitation.objects.select_related("invited_by", "scope_type").prefetch_related("scope")
    )
    if access_for(user).sees_everything:
        return invitations
    return invitations.filter(invited_by=user)


def registration_requests_for(user):
    """Requests the user decides: all for staff; claims on their organizations for administrators."""
    requests = RegistrationRequest.objects.select_related("user", "decided_by")
    access = access_for(user)
    if access.sees_everything:
        return requests
    return requests.filter(
        Q(kind=RegistrationRequest.Kind.CLAIM, organization_id__in=access.administered_organization_ids)
    )


def with_organizations(requests) -> list[RegistrationRequest]:
    """The requests as a list, each with its organization fetched in the same query."""
    return list(requests.select_related("organization"))


def can_review_registrations(user) -> bool:
    access = access_for(user)
    return access.sees_everything or bool(access.administered_organization_ids)


def members_by_organization(organization_ids) -> dict[int, list]:
    """Active users who are members or administrators, per organization (those without an e-mail
    address still see their notices under the bell): whom to tell about an organization's business."""
    memberships = (
        Membership.objects.filter(
            role__in=ORGANIZATION_ROLES,
            scope_type=ContentType.objects.get_by_natural_key(
                *ROLE_SCOPES[Role.ORGANIZATION_MEMBER].split(".")
            ),
            scope_id__in=organization_ids,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__username")
    )
    members: dict[int, list] = {}
    for membership in memberships:
        users = members.setdefault(membership.scope_id, [])
        if membership.user not in users:
            users.append(membership.user)
    return members
