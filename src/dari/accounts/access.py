"""What one user may reach, computed once per request from their memberships.

The apps' ``visible_to(user)`` querysets and ``can_<verb>(user, obj)`` predicates read from here,
so a user's memberships are queried once per request, not once per row.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from django.contrib.contenttypes.models import ContentType

from .models import Membership, Role

ORGANIZATION_ROLES = (Role.ORGANIZATION_MEMBER, Role.ORGANIZATION_ADMIN)
PROGRAM_ROLES = (Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER)
EVENT_ROLES = (Role.EVENT_ORGANIZER, Role.EVENT_DELEGATE)


class Access:
    def __init__(self, user):
        self.user = user

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated and self.user.is_active)

    @cached_property
    def _scopes(self) -> dict[tuple[str, str | None], frozenset[int]]:
        """(role, "app_label.model") -> scope ids; staff-wide roles map to an empty set under ``None``."""
        if not self.is_authenticated:
            return {}
        found: dict[tuple[str, str | None], set[int]] = defaultdict(set)
        rows = Membership.objects.filter(user=self.user).values_list("role", "scope_type_id", "scope_id")
        for role, scope_type_id, scope_id in rows:
            label = None
            if scope_type_id is not None:
                content_type = ContentType.objects.get_for_id(scope_type_id)
                label = f"{content_type.app_label}.{content_type.model}"
            if scope_id is None:
                found.setdefault((role, label), set())
            else:
                found[role, label].add(scope_id)
        return {key: frozenset(ids) for key, ids in found.items()}

    @cached_property
    def sees_everything(self) -> bool:
        """Superusers, Django staff and holders of the partnership-wide staff role see all rows."""
        if not self.is_authenticated:
            return False
        return self.user.is_superuser or self.user.is_staff or (Role.STAFF, None) in self._scopes

    def scope_ids(self, roles, model_label: str) -> frozenset[int]:
        """Ids of the ``model_label`` objects (e.g. "registry.organization") where the user has a role."""
        ids: set[int] = set()
        for role in (roles,) if isinstance(roles, str) else roles:
            ids |= self._scopes.get((role, model_label), frozenset())
        return frozenset(ids)

    @cached_property
    def organization_ids(self) -> frozenset[int]:
        """Organizations the user belongs to (member or administrator)."""
        return self.scope_ids(ORGANIZATION_ROLES, "registry.organization")

    @cached_property
    def administered_organization_ids(self) -> frozenset[int]:
        return self.scope_ids(Role.ORGANIZATION_ADMIN, "registry.organization")

    @cached_property
    def managed_program_ids(self) -> frozenset[int]:
        return self.scope_ids(Role.PROGRAM_MANAGER, "programs.program")

    @cached_property
    def reviewed_program_ids(self) -> frozenset[int]:
        return self.scope_ids(Role.PROGRAM_REVIEWER, "programs.program")

    @cached_property
    def organized_event_ids(self) -> frozenset[int]:
        return self.scope_ids(Role.EVENT_ORGANIZER, "partnering.event")

    @cached_property
    def event_ids(self) -> frozenset[int]:
        """Partnering events the user organizes or is a delegate at."""
        return self.scope_ids(EVENT_ROLES, "partnering.event")

    @cached_property
    def program_ids(self) -> frozenset[int]:
        return self.managed_program_ids | self.reviewed_program_ids


def access_for(user) -> Access:
    """The ``Access`` of ``user``, cached on the user object for the rest of the request."""
    if user is None:
        return Access(None)
    cached = getattr(user, "_dari_access", None)
    if cached is None:
        cached = Access(user)
        try:
            user._dari_access = cached
        except AttributeError:  # AnonymousUser instances accept attributes, but be safe
            pass
    return cached


def forget_access(user) -> None:
    """Drop the cached access after a membership change within the same request."""
    if user is not None and hasattr(user, "_dari_access"):
        del user._dari_access
