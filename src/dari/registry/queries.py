"""Reads of the registry. Every list a user sees starts from ``visible_to(user)``.

Organizations: anyone sees public profiles; members see their own organizations; staff see all.
Later apps widen this through grants (``organization_visibility_grants``): e.g. the programs app
lets a program manager see the startups in their programs, without the registry importing it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import F, Func, Q, TextField
from django.urls import reverse

from dari.accounts.access import Access, access_for
from dari.core.bilingual import NameOrder, current_language
from dari.core.pagination import TOTAL, Row

# Each grant takes the viewer's Access and returns a Q over Organization to OR into the rule, or None.
organization_visibility_grants: list[Callable[[Access], Q | None]] = []


def sees_everything(user) -> bool:
    return access_for(user).sees_everything


def _any(conditions: list[Q]) -> Q | None:
    return reduce(or_, conditions) if conditions else None


def _organization_grants(access: Access) -> Q | None:
    """What ``access`` opens beyond public profiles: its own organizations and the later apps' grants."""
    conditions = [Q(pk__in=access.organization_ids)] if access.organization_ids else []
    for grant in organization_visibility_grants:
        extra = grant(access)
        if extra is not None:
            conditions.append(extra)
    return _any(conditions)


def _person_grants(user, access: Access) -> Q | None:
    """What ``access`` opens beyond public people: the viewer's own entry and their colleagues."""
    conditions = [Q(user=user)] if access.is_authenticated else []
    if access.organization_ids:
        from .models import Affiliation

        # Only confirmed affiliations: a claim on someone must not open their record to the claimant.
        colleagues = Affiliation.objects.confirmed().filter(organization_id__in=access.organization_ids)
        conditions.append(Q(pk__in=colleagues.values("person_id")))
    return _any(conditions)


def organization_seen(user, relation: str) -> Q | None:
    """A Q over a model whose ``relation`` is an organization: one that ``user`` sees (as
    ``OrganizationQuerySet.visible_to``), or None when that is every organization (staff). The
    public ones are read on the organization's row that the query joins (a list shows its name, the
    KPIs filter on it): not ``relation__in`` every visible organization, which read every
    organization a second time and hashed it (a fifth of the public's KPI tallies over 31,619
    outcomes on PostgreSQL); the organizations granted to the viewer are a short list."""
    from .models import Organization

    access = access_for(user)
    if access.sees_everything:
        return None
    condition = Q(**{f"{relation}__is_public": True})
    granted = _organization_grants(access)
    if granted is not None:
        condition |= Q(**{f"{relation}__in": Organization.objects.filter(granted)})
    return condition


def _public_or(self, granted: Q | None):
    return self.filter(Q(is_public=True) if granted is None else Q(is_public=True) | granted)


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        access = access_for(user)
        if access.sees_everything:
            return self
        return _public_or(self, _organization_grants(access))

    def granted_to(self, user):
        """The organizations ``user`` sees whether or not they are public (all, for staff): with the
        public ones, ``visible_to``. Search keeps the public ones as a mask per index snapshot and
        asks only this, which is small, per query."""
        access = access_for(user)
        if access.sees_everything:
            return self
        granted = _organization_grants(access)
        return self.none() if granted is None else self.filter(granted)

    def files_visible_to(self, user):
        """Organizations whose documents ``user`` may see: their own, those the later apps' grants
        open to them (e.g. the startups of a program they manage), all for staff; never merely
        because the profile is public."""
        return self.granted_to(user)

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

    def listed(self) -> list[ListedOrganization]:
        """This queryset (filtered, ordered and sliced: a page) as the lists show it, in one query
        whatever the number of rows: the organizations' values with their cluster's and their
        sectors' (``SectorRows``). Lists are read far more often than anything else, and building
        model instances with a prefetch cost several times what the page itself needs
        (benchmarks/results/load.md). A count the rows carry (``dari.core.pagination.counted``) is
        kept in each."""
        total = [TOTAL] if TOTAL in self.query.annotations else []
        rows = self.values_list(
            *LISTED_FIELDS, *(f"cluster__{field}" for field in REFERENCE_FIELDS), *total, SectorRows(F("id"))
        )
        # Each page is at <list>/<id>/ (registry/urls.py): reversed once, not once a row.
        pages = reverse("registry:organization-list")
        return ListedOrganization.from_rows(list(rows), pages, counted=bool(total))

    def reported(self):
        """The partnership's real organizations, without the illustrative ones the demo made up."""
        return self.filter(is_illustrative=False)

    def in_name_order(self, language: str | None = None):
        """By name in ``language`` (the active one): Korean order in Korean (``name_order``)."""
        return self.order_by(NameOrder(language or current_language()), "pk")


# What a list shows of an organization (OrganizationOut, the list page): its own columns, its
# cluster's reference and its sectors'.
LISTED_FIELDS = (
    "id",
    "version",
    "key",
    "kind",
    "name_ko",
    "name_en",
    "name_ko_origin",
    "name_en_origin",
    "short_name_ko",
    "short_name_en",
    "aliases",
    "description_ko",
    "description_en",
    "description_is_illustrative",
    "is_illustrative",
    "website",
    "country",
    "city_ko",
    "city_en",
)
REFERENCE_FIELDS = ("id", "key", "name_ko", "name_en")
SECTOR_FIELDS = ("key", "kind", "name_ko", "name_en")


class SectorRows(Func):
    """An organization's sectors (``SECTOR_FIELDS``, in the sectors' order) as the text of a JSON
    array of arrays, read in the organization's own row: a correlated subquery, e.g.
    ``SectorRows(F("id"))``, so that a page of organizations is read in one query."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        from .models import Organization, Sector

        organization, params = compiler.compile(self.get_source_expressions()[0])
        quote = connection.ops.quote_name
        links = Organization.sectors.through._meta
        columns = ", ".join(f"s.{quote(field)}" for field in SECTOR_FIELDS)
        order = ", ".join(f"s.{quote(field)}" for field in Sector._meta.ordering)
        rows = (
            f"FROM {quote(links.db_table)} l INNER JOIN {quote(Sector._meta.db_table)} s ON s.{quote('id')}"
            f" = l.{quote('sector_id')} WHERE l.{quote('organization_id')} = {organization}"
        )
        if connection.vendor == "postgresql":
            return (
                f"(SELECT CAST(JSON_AGG(JSON_BUILD_ARRAY({columns}) ORDER BY {order}) AS TEXT) {rows})",
                params,
            )
        # SQLite before 3.44 orders no aggregate: the rows come from an ordered subquery.
        inner = ", ".join(quote(field) for field in SECTOR_FIELDS)
        return (
            f"(SELECT JSON_GROUP_ARRAY(JSON_ARRAY({inner})) FROM (SELECT {columns} {rows} ORDER BY {order}))",
            params,
        )


class ListedOrganization(Row):
    """An organization read for a list (``OrganizationQuerySet.listed``): the columns that
    OrganizationOut and the list page read, ``cluster`` a reference or None, ``sectors`` a list."""

    @classmethod
    def from_rows(cls, rows: list[tuple], pages: str, *, counted: bool) -> list[ListedOrganization]:
        """``listed``'s rows: ``LISTED_FIELDS``, the cluster's ``REFERENCE_FIELDS``, the count when
        ``counted``, the sectors' JSON; as dicts, the sectors of the page parsed in one go."""
        own = len(LISTED_FIELDS)
        cluster_end = own + len(REFERENCE_FIELDS)
        sectors = json.loads("[" + ",".join(row[-1] or "[]" for row in rows) + "]")
        listed = []
        for row, row_sectors in zip(rows, sectors, strict=True):
            organization = cls(zip(LISTED_FIELDS, row[:own], strict=True))
            cluster = row[own:cluster_end]
            organization["cluster"] = Row(zip(REFERENCE_FIELDS, cluster, strict=True)) if cluster[0] else None
            organization["sectors"] = [Row(zip(SECTOR_FIELDS, values, strict=True)) for values in row_sectors]
            organization["path"] = f"{pages}{organization['id']}/"
            if counted:
                organization[TOTAL] = row[cluster_end]
            listed.append(organization)
        return listed

    def get_absolute_url(self) -> str:
        return self["path"]

    def get_kind_display(self) -> str:
        from .models import Organization

        return Organization.Kind(self["kind"]).label


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public people, the people of the viewer's own organizations, and the viewer's own entry."""
        access = access_for(user)
        if access.sees_everything:
            return self
        return _public_or(self, _person_grants(user, access))

    def granted_to(self, user):
        """The people ``user`` sees whether or not they are public (all, for staff)."""
        access = access_for(user)
        if access.sees_everything:
            return self
        granted = _person_grants(user, access)
        return self.none() if granted is None else self.filter(granted)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name_ko__icontains=text) | Q(name_en__icontains=text) | Q(key__icontains=text))


class AffiliationQuerySet(models.QuerySet):
    def confirmed(self):
        """Those the person or staff confirmed: the only ones that count for rights and visibility."""
        return self.filter(confirmed_at__isnull=False)

    def visible_to(self, user):
        """Affiliations between a person and an organization that ``user`` both sees. An unconfirmed
        one (a request) only to its organization's members, the person themself and staff: until
        the person or staff confirms it, it is a claim, not a fact to publish. The person also sees
        every affiliation of their own, a private organization's claim included (its notice named
        the organization), so that they can confirm it or turn it down."""
        from .models import Organization, Person

        access = access_for(user)
        if access.sees_everything:
            return self
        claims = Q(confirmed_at__isnull=False)
        if access.organization_ids:
            claims |= Q(organization_id__in=access.organization_ids)
        shown = Q(
            claims,
            person__in=Person.objects.visible_to(user),
            organization__in=Organization.objects.visible_to(user),
        )
        if access.is_authenticated:
            shown |= Q(person__user=user)
        return self.filter(shown)

    def awaiting_confirmation_by(self, user):
        """Unconfirmed affiliations ``user`` may confirm: claims on their own person, all for staff."""
        pending = self.filter(confirmed_at__isnull=True)  # the others are confirmed()
        access = access_for(user)
        if access.sees_everything:
            return pending
        if not access.is_authenticated:
            return pending.none()
        return pending.filter(person__user=user)


class SectorQuerySet(models.QuerySet):
    def with_descendants(self, key: str):
        """The sector with this key and every sector below it (the taxonomy is a few levels deep)."""
        frontier = set(self.filter(key=key).values_list("pk", flat=True))
        found: set[int] = set()
        while frontier:
            found |= frontier
            frontier = set(self.filter(parent__in=frontier).values_list("pk", flat=True)) - found
        return self.filter(pk__in=found)
