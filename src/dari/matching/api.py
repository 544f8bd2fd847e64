"""``/api/v1/search``, an organization's suggestions, feedback and matching profile."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.core.api import (
    WRITE_ERRORS,
    ErrorOut,
    InputSchema,
    MultilineText,
    Pagination,
    absolute_url,
    errors,
    signed_in,
)
from dari.registry.models import Cluster, Organization

from . import engine, services
from .models import MatchingProfile, Stage
from .permissions import can_view_suggestions

search_router = Router(tags=["search"])
router = Router(tags=["matching"])

SEARCH_LIMIT = 200


class SearchResultOut(Schema):
    type: str
    id: int
    kind: str
    name_ko: str
    name_en: str
    score: float
    matched: list[str]
    is_illustrative: bool
    web_url: str

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.kind

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.obj.pk

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.obj.kind if obj.kind == "organization" else "person"

    @staticmethod
    def resolve_name_ko(obj) -> str:
        return obj.obj.name_ko

    @staticmethod
    def resolve_name_en(obj) -> str:
        return obj.obj.name_en

    @staticmethod
    def resolve_matched(obj) -> list[str]:
        return list(obj.matched)

    @staticmethod
    def resolve_is_illustrative(obj) -> bool:
        return bool(getattr(obj.obj, "is_illustrative", False))

    @staticmethod
    def resolve_web_url(obj, context) -> str:
        return absolute_url(context, obj.obj.get_absolute_url())


class SearchFilters(InputSchema):
    q: str = Field(..., min_length=1, max_length=200, description="Korean or English")
    kind: str = Field("", description="An organization kind, `person`, or empty for everything")


@search_router.get("", response=list[SearchResultOut], summary="Search organizations and people")
@paginate(Pagination)
def search(request, filters: Query[SearchFilters]):
    """Organizations and people the caller may see, best first. A Korean query also finds English
    profiles and the reverse; names match in either script and with small typos. ``matched`` names
    the signals that found each result (name, words, meaning, related terms)."""
    if filters.kind and filters.kind != "person" and filters.kind not in Organization.Kind.values:
        return []
    return engine.search(request.user, filters.q, kind=filters.kind, limit=SEARCH_LIMIT)


class ReasonOut(Schema):
    code: str
    en: str
    ko: str


class SuggestionOut(Schema):
    id: int
    kind: str
    name_ko: str
    name_en: str
    country: str
    score: float
    reasons: list[ReasonOut]
    mark: bool | None
    is_related: bool
    is_illustrative: bool
    web_url: str

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.organization.pk

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.organization.kind

    @staticmethod
    def resolve_name_ko(obj) -> str:
        return obj.organization.name_ko

    @staticmethod
    def resolve_name_en(obj) -> str:
        return obj.organization.name_en

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.organization.country

    @staticmethod
    def resolve_is_illustrative(obj) -> bool:
        return obj.organization.is_illustrative

    @staticmethod
    def resolve_web_url(obj, context) -> str:
        return absolute_url(context, obj.organization.get_absolute_url())


class SuggestionFilters(InputSchema):
    kind: str = ""
    cluster: str = Field("", description="A cluster key, e.g. `san-diego`")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    stage: str = ""
    include_related: bool = False
    limit: int = Field(10, ge=1, le=50)


def unknown(name: str, value: str) -> ValidationError:
    return ValidationError([{"loc": ["query", name], "msg": f"Unknown {name} {value!r}.", "type": "invalid"}])


def subject_for(request, organization_id: int) -> Organization:
    subject = get_object_or_404(Organization.objects.visible_to(request.user), pk=organization_id)
    if not can_view_suggestions(request.user, subject):
        raise PermissionDenied(
            "Only the organization's members and the partnership's staff see its suggestions."
        )
    return subject


@router.get(
    "/{organization_id}/suggestions",
    response={200: list[SuggestionOut], **errors(401, 403, 404, 422)},
    auth=signed_in,
    summary="Suggested partners (for a startup) or startups (for a partner)",
)
def list_suggestions(request, organization_id: int, filters: Query[SuggestionFilters]):
    """The best candidates with their reasons in both languages and the caller's own marks.
    Members of the organization, program managers of its programs and staff only."""
    subject = subject_for(request, organization_id)
    if filters.kind and filters.kind not in Organization.Kind.values:
        raise unknown("kind", filters.kind)
    if filters.stage and filters.stage not in Stage.values:
        raise unknown("stage", filters.stage)
    cluster = None
    if filters.cluster:
        cluster = Cluster.objects.filter(key=filters.cluster).first()
        if cluster is None:
            raise unknown("cluster", filters.cluster)
    return engine.suggestions(
        request.user,
        subject,
        kinds=[filters.kind] if filters.kind else None,
        cluster=cluster,
        country=filters.country.upper(),
        stage=filters.stage,
        include_related=filters.include_related,
        k=filters.limit,
    )


class MarkIn(InputSchema):
    relevant: bool


class MarkOut(Schema):
    candidate_id: int
    relevant: bool


def visible_pair(request, organization_id: int, candidate_id: int):
    subject = get_object_or_404(Organization.objects.visible_to(request.user), pk=organization_id)
    candidate = get_object_or_404(Organization.objects.visible_to(request.user), pk=candidate_id)
    return subject, candidate


@router.put(
    "/{organization_id}/suggestions/{candidate_id}/mark",
    response={200: MarkOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Mark a suggestion relevant or not",
)
def mark_suggestion(request, organization_id: int, candidate_id: int, payload: MarkIn):
    """The caller's own verdict; it changes only the caller's suggestions. A new mark replaces the old."""
    subject, candidate = visible_pair(request, organization_id, candidate_id)
    feedback = services.mark_suggestion(Actor.from_request(request), subject, candidate, payload.relevant)
    return {"candidate_id": candidate.pk, "relevant": feedback.is_relevant}


@router.delete(
    "/{organization_id}/suggestions/{candidate_id}/mark",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Remove a mark",
)
def clear_mark(request, organization_id: int, candidate_id: int):
    subject, candidate = visible_pair(request, organization_id, candidate_id)
    services.clear_mark(Actor.from_request(request), subject, candidate)
    return Status(204, None)


class MatchingProfileOut(Schema):
    stage: str
    amount_sought_usd: Decimal | None
    needs_ko: str
    needs_en: str
    thesis_ko: str
    thesis_en: str
    check_min_usd: Decimal | None
    check_max_usd: Decimal | None
    stages_of_interest: list[str]
    regions_of_interest: list[str]


class MatchingProfileIn(InputSchema):
    stage: str | None = None
    amount_sought_usd: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=0)
    needs_ko: MultilineText | None = Field(None, max_length=5000)
    needs_en: MultilineText | None = Field(None, max_length=5000)
    thesis_ko: MultilineText | None = Field(None, max_length=5000)
    thesis_en: MultilineText | None = Field(None, max_length=5000)
    check_min_usd: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=0)
    check_max_usd: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=0)
    stages_of_interest: list[str] | None = None
    regions_of_interest: list[str] | None = None


EMPTY_PROFILE = MatchingProfile()


@router.get(
    "/{organization_id}/matching-profile",
    response={200: MatchingProfileOut, 401: ErrorOut, 404: ErrorOut},
    auth=signed_in,
    summary="An organization's matching profile",
)
def get_matching_profile(request, organization_id: int):
    """What the organization seeks or looks for, to signed-in users who may see the organization;
    empty fields when it has none yet."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=organization_id)
    return MatchingProfile.objects.filter(organization=organization).first() or EMPTY_PROFILE


@router.patch(
    "/{organization_id}/matching-profile",
    response={200: MatchingProfileOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Change an organization's matching profile",
)
def update_matching_profile(request, organization_id: int, payload: MatchingProfileIn):
    """The organization's members and staff. Only the fields sent change; ``null`` clears an amount."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=organization_id)
    values = payload.dict(exclude_unset=True)
    for name in ("stage", "needs_ko", "needs_en", "thesis_ko", "thesis_en"):
        if name in values and values[name] is None:
            values[name] = ""
    for name in ("stages_of_interest", "regions_of_interest"):
        if name in values and values[name] is None:
            values[name] = []
    return services.update_matching_profile(Actor.from_request(request), organization, values)
