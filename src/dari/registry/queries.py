"""Reads of the registry. Every list a user sees starts from ``visible_to(user)``.

Until scoped memberships exist, the rule is: staff see everything; everyone else sees public
profiles only.
"""

from django.db import models
from django.db.models import Q


def sees_everything(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if sees_everything(user) else self.filter(is_public=True)

    def search(self, text: str):
        """Case-insensitive match on either name, the short names or the description."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name_ko__icontains=text)
            | Q(name_en__icontains=text)
            | Q(short_name_ko__icontains=text)
            | Q(short_name_en__icontains=text)
            | Q(description_ko__icontains=text)
            | Q(description_en__icontains=text)
            | Q(key__icontains=text)
        )

    def for_listing(self):
        return self.select_related("cluster").prefetch_related("sectors")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if sees_everything(user) else self.filter(is_public=True)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name_ko__icontains=text) | Q(name_en__icontains=text) | Q(key__icontains=text))


class SectorQuerySet(models.QuerySet):
    def with_descendants(self, key: str):
        """The sector with this key and every sector below it (the taxonomy is a few levels deep)."""
        frontier = set(self.filter(key=key).values_list("pk", flat=True))
        found: set[int] = set()
        while frontier:
            found |= frontier
            frontier = set(self.filter(parent__in=frontier).values_list("pk", flat=True)) - found
        return self.filter(pk__in=found)
