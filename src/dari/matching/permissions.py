"""Who may see suggestions and change matching profiles. Pages, the API and services ask these.

Suggestions reveal who an organization might work with next, so only the people who act on them see
them: the organization's own members, partnership staff, and the managers of a program the
organization runs or joins.
"""

from django.db.models import Q

from dari.accounts.access import access_for
from dari.registry.permissions import can_change_organization


def suggestion_subjects(access) -> Q:
    """The organizations whose suggestions ``access`` may see, as a Q over Organization, for
    everyone but staff (who see all): its own organizations and its managed programs' ones."""
    found = Q(pk__in=access.organization_ids)
    if access.managed_program_ids:
        from dari.programs.queries import organizations_of_programs

        found |= organizations_of_programs(access.managed_program_ids)
    return found


def can_view_suggestions(user, organization) -> bool:
    access = access_for(user)
    if not access.is_authenticated:
        return False
    if access.sees_everything or organization.pk in access.organization_ids:
        return True
    if not access.managed_program_ids:
        return False
    from dari.registry.models import Organization

    return Organization.objects.filter(suggestion_subjects(access), pk=organization.pk).exists()


def can_view_matching_profile(user, organization) -> bool:
    """Signed-in users who may see the organization, as ``GET .../matching-profile`` answers them:
    a profile says how much an organization seeks and what it needs, not for anonymous visitors."""
    from dari.registry.models import Organization

    return access_for(user).is_authenticated and (
        Organization.objects.visible_to(user).filter(pk=organization.pk).exists()
    )


def can_change_matching_profile(user, organization) -> bool:
    """The same people who keep the organization's profile: its members and staff."""
    return can_change_organization(user, organization)
