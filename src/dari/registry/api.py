from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from dari.core.api import Ref, absolute_url

from .models import Affiliation, Cluster, ClusterStatistic, Organization, Person, Sector, Source

clusters_router = Router(tags=["registry"])
organizations_router = Router(tags=["registry"])
people_router = Router(tags=["registry"])


class SourceOut(Schema):
    id: int
    key: str
    title_ko: str
    title_en: str
    publisher: str
    url: str
    published_on: str | None

    @staticmethod
    def resolve_published_on(obj: Source) -> str | None:
        return obj.published_on.isoformat() if obj.published_on else None


class StatisticOut(Schema):
    key: str
    label_ko: str
    label_en: str
    value: Decimal
    unit: str
    year: int | None
    is_approximate: bool
    source: SourceOut


class ClusterOut(Schema):
    id: int
    key: str
    name_ko: str
    name_en: str
    country: str
    time_zone: str
    description_ko: str
    description_en: str
    statistics: list[StatisticOut]
    web_url: str

    @staticmethod
    def resolve_statistics(obj: Cluster) -> list:
        return list(obj.statistics.all())

    @staticmethod
    def resolve_web_url(obj: Cluster, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class SectorOut(Schema):
    key: str
    kind: str
    name_ko: str
    name_en: str


class OrganizationOut(Schema):
    id: int
    key: str
    kind: str
    name_ko: str
    name_en: str
    name_ko_origin: str
    name_en_origin: str
    short_name_ko: str
    short_name_en: str
    description_ko: str
    description_en: str
    description_is_illustrative: bool
    website: str
    country: str
    city_ko: str
    city_en: str
    cluster: Ref | None
    sectors: list[SectorOut]
    web_url: str

    @staticmethod
    def resolve_sectors(obj: Organization) -> list:
        return list(obj.sectors.all())

    @staticmethod
    def resolve_web_url(obj: Organization, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class AffiliationOut(Schema):
    organization: Ref
    title_ko: str
    title_en: str
    started_on: str | None
    ended_on: str | None

    @staticmethod
    def resolve_started_on(obj: Affiliation) -> str | None:
        return obj.started_on.isoformat() if obj.started_on else None

    @staticmethod
    def resolve_ended_on(obj: Affiliation) -> str | None:
        return obj.ended_on.isoformat() if obj.ended_on else None


class PersonOut(Schema):
    id: int
    key: str
    name_ko: str
    name_en: str
    name_ko_origin: str
    name_en_origin: str
    affiliations: list[AffiliationOut]
    web_url: str

    @staticmethod
    def resolve_affiliations(obj: Person) -> list:
        return list(obj.affiliations.all())

    @staticmethod
    def resolve_web_url(obj: Person, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


def clusters_for(request):
    return Cluster.objects.prefetch_related(
        Prefetch("statistics", queryset=ClusterStatistic.objects.select_related("source"))
    )


@clusters_router.get("", response=list[ClusterOut], summary="List clusters")
@paginate(LimitOffsetPagination)
def list_clusters(request):
    return clusters_for(request)


@clusters_router.get("/{cluster_id}", response=ClusterOut, summary="One cluster with its statistics")
def get_cluster(request, cluster_id: int):
    return get_object_or_404(clusters_for(request), pk=cluster_id)


@organizations_router.get("", response=list[OrganizationOut], summary="List organizations")
@paginate(LimitOffsetPagination)
def list_organizations(
    request,
    kind: str | None = None,
    cluster: str | None = None,
    sector: str | None = None,
    q: str | None = None,
):
    """Filter by ``kind``, ``cluster`` (key), ``sector`` (key, including its sub-sectors) and ``q`` (text)."""
    organizations = Organization.objects.visible_to(request.user).for_listing()
    if kind:
        organizations = organizations.filter(kind=kind)
    if cluster:
        organizations = organizations.filter(cluster__key=cluster)
    if sector:
        organizations = organizations.filter(sectors__in=Sector.objects.with_descendants(sector)).distinct()
    if q:
        organizations = organizations.search(q)
    return organizations


@organizations_router.get("/{organization_id}", response=OrganizationOut, summary="One organization")
def get_organization(request, organization_id: int):
    return get_object_or_404(Organization.objects.visible_to(request.user).for_listing(), pk=organization_id)


def people_for(request):
    affiliations = Affiliation.objects.filter(
        organization__in=Organization.objects.visible_to(request.user)
    ).select_related("organization")
    return Person.objects.visible_to(request.user).prefetch_related(
        Prefetch("affiliations", queryset=affiliations)
    )


@people_router.get("", response=list[PersonOut], summary="List people")
@paginate(LimitOffsetPagination)
def list_people(request, organization: int | None = None, q: str | None = None):
    people = people_for(request)
    if organization:
        people = people.filter(affiliations__organization_id=organization).distinct()
    if q:
        people = people.search(q)
    return people


@people_router.get("/{person_id}", response=PersonOut, summary="One person")
def get_person(request, person_id: int):
    return get_object_or_404(people_for(request), pk=person_id)
