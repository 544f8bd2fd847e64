from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.accounts.history import history_for
from dari.core.api import (
    EDIT_ERRORS,
    WRITE_ERRORS,
    InputSchema,
    MultilineText,
    Pagination,
    Ref,
    RowSchema,
    SourceOut,
    absolute_url,
    signed_in,
    visible_or_422,
)
from dari.core.pagination import ReadPages

from . import services
from .models import Affiliation, Cluster, ClusterStatistic, Organization, Person, Relationship, Sector

VERSION_OUT = (
    "The edit count: send it back with a change (PATCH), so that a change someone else made meanwhile "
    "answers 409 instead of being overwritten"
)
VERSION_IN = "The version you saw (from GET): if the row changed since, 409 and nothing is written"

clusters_router = Router(tags=["registry"])
organizations_router = Router(tags=["registry"])
people_router = Router(tags=["registry"])
affiliations_router = Router(tags=["registry"])
relationships_router = Router(tags=["registry"])


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


class SectorOut(RowSchema):
    key: str
    kind: str
    name_ko: str
    name_en: str


class OrganizationOut(RowSchema):
    id: int
    key: str
    kind: str
    name_ko: str
    name_en: str
    name_ko_origin: str
    name_en_origin: str
    short_name_ko: str
    short_name_en: str
    aliases: list[str] = Field(
        description="Other names and common spellings, found by search (유니스트 for UNIST)."
    )
    description_ko: str
    description_en: str
    description_is_illustrative: bool
    is_illustrative: bool
    website: str
    country: str
    city_ko: str
    city_en: str
    cluster: Ref | None
    sectors: list[SectorOut]
    version: int = Field(description=VERSION_OUT)
    web_url: str

    @staticmethod
    def resolve_web_url(obj: Organization, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class AffiliationOut(Schema):
    organization: Ref
    title_ko: str
    title_en: str
    started_on: str | None
    ended_on: str | None
    confirmed: bool = Field(description="False while the person or staff has not confirmed it (a request)")

    @staticmethod
    def resolve_confirmed(obj: Affiliation) -> bool:
        return obj.is_confirmed

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
    public_listing_basis: str
    affiliations: list[AffiliationOut]
    version: int = Field(description=VERSION_OUT)
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
@paginate(Pagination)
def list_clusters(request):
    return clusters_for(request)


@clusters_router.get("/{cluster_id}", response=ClusterOut, summary="One cluster with its statistics")
def get_cluster(request, cluster_id: int):
    return get_object_or_404(clusters_for(request), pk=cluster_id)


@organizations_router.get("", response=list[OrganizationOut], summary="List organizations")
@paginate(Pagination)
def list_organizations(
    request,
    kind: str | None = None,
    cluster: str | None = None,
    sector: str | None = None,
    q: str | None = None,
):
    """Filter by ``kind``, ``cluster`` (key), ``sector`` (key, including its sub-sectors) and ``q`` (text)."""
    organizations = Organization.objects.visible_to(request.user)
    if kind:
        organizations = organizations.filter(kind=kind)
    if cluster:
        organizations = organizations.filter(cluster__key=cluster)
    if sector:
        organizations = organizations.filter(sectors__in=Sector.objects.with_descendants(sector)).distinct()
    if q:
        organizations = organizations.search(q)
    return ReadPages(organizations, listed_with_web_urls(request))


def listed_with_web_urls(request):
    """Reads a page of organizations as rows (``OrganizationQuerySet.listed``) with their ``web_url``."""
    origin = absolute_url({"request": request}, "/").removesuffix("/")

    def read(page):
        rows = page.listed()
        for row in rows:
            row["web_url"] = origin + row.get_absolute_url()
        return rows

    return read


@organizations_router.get("/{organization_id}", response=OrganizationOut, summary="One organization")
def get_organization(request, organization_id: int):
    return get_object_or_404(Organization.objects.visible_to(request.user).for_listing(), pk=organization_id)


def people_for(request):
    affiliations = Affiliation.objects.visible_to(request.user).select_related("organization")
    return Person.objects.visible_to(request.user).prefetch_related(
        Prefetch("affiliations", queryset=affiliations)
    )


@people_router.get("", response=list[PersonOut], summary="List people")
@paginate(Pagination)
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


# --- writes ----------------------------------------------------------------------------------------


class OrganizationIn(InputSchema):
    key: str = ""
    kind: str
    name_ko: str = ""
    name_en: str = ""
    name_ko_origin: str = "original"
    name_en_origin: str = "original"
    short_name_ko: str = ""
    short_name_en: str = ""
    aliases: list[str] = []
    description_ko: MultilineText = ""
    description_en: MultilineText = ""
    cluster: str | None = None
    sectors: list[str] = []
    website: str = ""
    country: str = ""
    city_ko: str = ""
    city_en: str = ""
    is_public: bool = True


class OrganizationPatch(InputSchema):
    """Only the fields sent change; ``cluster`` by key (null: none), ``sectors`` as the full list of keys."""

    kind: str = None
    name_ko: str = None
    name_en: str = None
    name_ko_origin: str = None
    name_en_origin: str = None
    short_name_ko: str = None
    short_name_en: str = None
    aliases: list[str] = None
    description_ko: MultilineText = None
    description_en: MultilineText = None
    cluster: str | None = None
    sectors: list[str] = None
    website: str = None
    country: str = None
    city_ko: str = None
    city_en: str = None
    is_public: bool = None
    version: int | None = Field(None, description=VERSION_IN)


def organization_values(values: dict) -> dict:
    """The API's keys for the cluster and sectors, turned into the objects the service takes."""
    if values.get("cluster"):
        cluster = Cluster.objects.filter(key=values["cluster"]).first()
        if cluster is None:
            raise ValidationError({"cluster": f"No cluster has the key {values['cluster']!r}."})
        values["cluster"] = cluster
    elif "cluster" in values:
        values["cluster"] = None
    if values.get("sectors") is not None:
        sectors = list(Sector.objects.filter(key__in=values["sectors"]))
        unknown = sorted(set(values["sectors"]) - {sector.key for sector in sectors})
        if unknown:
            raise ValidationError({"sectors": f"Unknown sector keys: {', '.join(unknown)}."})
        values["sectors"] = sectors
    return values


def visible_organization(request, organization_id: int) -> Organization:
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=organization_id)


@organizations_router.post(
    "", response={201: OrganizationOut, **WRITE_ERRORS}, auth=signed_in, summary="Add an organization"
)
def create_organization(request, payload: OrganizationIn):
    """Staff and program managers. The ``key`` is made from the English name when left empty."""
    actor = Actor.from_request(request)
    return Status(
        201, services.create_organization(actor, organization_values(payload.dict(exclude_unset=False)))
    )


@organizations_router.patch(
    "/{organization_id}",
    response={200: OrganizationOut, **EDIT_ERRORS},
    auth=signed_in,
    summary="Change an organization",
)
def update_organization(request, organization_id: int, payload: OrganizationPatch):
    """Staff, and the organization's members. Only the fields sent change; with ``version``, a change
    made by someone else since answers 409."""
    organization = visible_organization(request, organization_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    return services.update_organization(
        Actor.from_request(request), organization, organization_values(values), version=version
    )


class MergeIn(InputSchema):
    duplicate_id: int


@organizations_router.post(
    "/{organization_id}/merge",
    response={200: OrganizationOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Merge a duplicate into this organization",
)
def merge_organizations(request, organization_id: int, payload: MergeIn):
    """Staff only. Everything that pointed at the duplicate now points here; the duplicate is deleted."""
    keep = visible_organization(request, organization_id)
    duplicate = visible_or_422(
        Organization.objects.visible_to(request.user), payload.duplicate_id, "duplicate_id"
    )
    return services.merge_organizations(Actor.from_request(request), keep, duplicate)


class FieldChangeOut(Schema):
    field: str
    label: str
    old: Any
    new: Any


class HistoryEntryOut(Schema):
    id: int
    action: str
    summary: str = Field(description="The entry as a sentence in the caller's language")
    actor: str
    created_at: datetime
    changes: list[FieldChangeOut]

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.entry.pk

    @staticmethod
    def resolve_action(obj) -> str:
        return obj.entry.action

    @staticmethod
    def resolve_summary(obj) -> str:
        return obj.summary

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor

    @staticmethod
    def resolve_created_at(obj) -> datetime:
        return obj.entry.created_at


@organizations_router.get(
    "/{organization_id}/history", response=list[HistoryEntryOut], summary="An organization's change history"
)
@paginate(Pagination)
def organization_history(request, organization_id: int):
    """Newest first, with field-level changes; confidential values redacted for this caller."""
    return history_for(request.user, visible_organization(request, organization_id))


class PersonIn(InputSchema):
    """``organization_id``: affiliate the new person with this organization (members: one of theirs).
    ``is_public`` needs a ``public_listing_basis``: ``consent`` or ``public_role``."""

    key: str = ""
    name_ko: str = ""
    name_en: str = ""
    name_ko_origin: str = "original"
    name_en_origin: str = "original"
    email: str = ""
    is_public: bool = False
    public_listing_basis: str = ""
    organization_id: int | None = None
    title_ko: str = ""
    title_en: str = ""


class PersonPatch(InputSchema):
    name_ko: str = None
    name_en: str = None
    name_ko_origin: str = None
    name_en_origin: str = None
    email: str = None
    is_public: bool = None
    public_listing_basis: str = None
    version: int | None = Field(None, description=VERSION_IN)


@people_router.post("", response={201: PersonOut, **WRITE_ERRORS}, auth=signed_in, summary="Add a person")
def create_person(request, payload: PersonIn):
    actor = Actor.from_request(request)
    values = payload.dict()
    organization_id = values.pop("organization_id")
    affiliation = {"title_ko": values.pop("title_ko"), "title_en": values.pop("title_en")}
    organization = None
    if organization_id is not None:
        organization = visible_or_422(
            Organization.objects.visible_to(request.user), organization_id, "organization_id"
        )
    person = services.create_person(actor, values, organization, **affiliation)
    return Status(201, get_object_or_404(people_for(request), pk=person.pk))


@people_router.patch(
    "/{person_id}", response={200: PersonOut, **EDIT_ERRORS}, auth=signed_in, summary="Change a person"
)
def update_person(request, person_id: int, payload: PersonPatch):
    """The person themself, staff, and administrators of an organization confirmed as the person's
    (officials listed for a public role: staff only). With ``version``, a change made by someone else
    since answers 409."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    services.update_person(Actor.from_request(request), person, values, version=version)
    return get_object_or_404(people_for(request), pk=person.pk)


class AffiliationDetailOut(Schema):
    id: int
    person: Ref
    organization: Ref
    title_ko: str
    title_en: str
    started_on: date | None
    ended_on: date | None
    confirmed: bool = Field(description="False while the person or staff has not confirmed it (a request)")
    web_url: str

    @staticmethod
    def resolve_confirmed(obj: Affiliation) -> bool:
        return obj.is_confirmed

    @staticmethod
    def resolve_web_url(obj: Affiliation, context) -> str:
        return absolute_url(context, obj.organization.get_absolute_url())


class AffiliationIn(InputSchema):
    person_id: int
    organization_id: int
    title_ko: str = ""
    title_en: str = ""
    started_on: date | None = None
    ended_on: date | None = None


class AffiliationPatch(InputSchema):
    title_ko: str = None
    title_en: str = None
    started_on: date | None = None
    ended_on: date | None = None


def visible_affiliations(request):
    return Affiliation.objects.visible_to(request.user).select_related("person", "organization")


@affiliations_router.get(
    "/awaiting-confirmation",
    response=list[AffiliationDetailOut],
    auth=signed_in,
    summary="Affiliations awaiting my confirmation",
)
@paginate(Pagination)
def awaiting_confirmation(request):
    """Organizations' claims on the caller's own person (all claims, for staff), oldest first."""
    return visible_affiliations(request).awaiting_confirmation_by(request.user).order_by("pk")


@affiliations_router.post(
    "", response={201: AffiliationDetailOut, **WRITE_ERRORS}, auth=signed_in, summary="Add an affiliation"
)
def add_affiliation(request, payload: AffiliationIn):
    """Staff, and members of the organization."""
    actor = Actor.from_request(request)
    values = payload.dict()
    person = visible_or_422(Person.objects.visible_to(request.user), values.pop("person_id"), "person_id")
    organization = visible_or_422(
        Organization.objects.visible_to(request.user), values.pop("organization_id"), "organization_id"
    )
    return Status(201, services.add_affiliation(actor, person, organization, values))


@affiliations_router.patch(
    "/{affiliation_id}",
    response={200: AffiliationDetailOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Change an affiliation",
)
def update_affiliation(request, affiliation_id: int, payload: AffiliationPatch):
    affiliation = get_object_or_404(visible_affiliations(request), pk=affiliation_id)
    return services.update_affiliation(
        Actor.from_request(request), affiliation, payload.dict(exclude_unset=True)
    )


@affiliations_router.post(
    "/{affiliation_id}/confirm",
    response={200: AffiliationDetailOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Confirm an affiliation",
)
def confirm_affiliation(request, affiliation_id: int):
    """The person themself or staff confirm an organization's claim (to turn it down, DELETE it)."""
    affiliation = get_object_or_404(visible_affiliations(request), pk=affiliation_id)
    return services.confirm_affiliation(Actor.from_request(request), affiliation)


@affiliations_router.delete(
    "/{affiliation_id}", response={204: None, **WRITE_ERRORS}, auth=signed_in, summary="Remove an affiliation"
)
def remove_affiliation(request, affiliation_id: int):
    affiliation = get_object_or_404(visible_affiliations(request), pk=affiliation_id)
    services.remove_affiliation(Actor.from_request(request), affiliation)
    return Status(204, None)


class RelationshipOut(Schema):
    id: int
    subject: Ref
    kind: str
    object: Ref
    started_on: date | None
    ended_on: date | None
    note_ko: str
    note_en: str
    web_url: str

    @staticmethod
    def resolve_web_url(obj: Relationship, context) -> str:
        return absolute_url(context, obj.subject.get_absolute_url())


class RelationshipIn(InputSchema):
    subject_id: int
    kind: str
    object_id: int
    started_on: date | None = None
    ended_on: date | None = None
    note_ko: MultilineText = ""
    note_en: MultilineText = ""


@relationships_router.post(
    "", response={201: RelationshipOut, **WRITE_ERRORS}, auth=signed_in, summary="Add a relationship"
)
def add_relationship(request, payload: RelationshipIn):
    """``subject`` <kind> ``object``, e.g. a fund invests_in a startup. Staff, and members of either side."""
    actor = Actor.from_request(request)
    values = payload.dict()
    visible = Organization.objects.visible_to(request.user)
    subject = visible_or_422(visible, values.pop("subject_id"), "subject_id")
    object_ = visible_or_422(visible, values.pop("object_id"), "object_id")
    return Status(201, services.add_relationship(actor, subject, values.pop("kind"), object_, values))


@relationships_router.delete(
    "/{relationship_id}",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Remove a relationship",
)
def remove_relationship(request, relationship_id: int):
    visible = Organization.objects.visible_to(request.user)
    relationship = get_object_or_404(
        Relationship.objects.filter(subject__in=visible, object__in=visible), pk=relationship_id
    )
    services.remove_relationship(Actor.from_request(request), relationship)
    return Status(204, None)
